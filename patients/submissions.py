"""Create forms that are safe to submit twice.

Each create form carries a one-time token (`OnceField`). `once()` runs the create and records
the token with where it led, in one transaction; a second submit with the same token, at once
or later, is sent where the first went. Two submits racing each other both try to record the
token: the database's unique constraint lets one win, and the other's create is rolled back.
"""

import uuid
from collections.abc import Callable

from django import forms
from django.db import IntegrityError, transaction

from .models import Submission, User


class OnceField(forms.UUIDField):
    def __init__(self) -> None:
        super().__init__(widget=forms.HiddenInput, required=False)


def new_token() -> str:
    return str(uuid.uuid4())


def once(*, token: uuid.UUID | None, user: User, create: Callable[[], str]) -> tuple[str, bool]:
    """Run `create` (it returns the URL to go to) unless this token ran it already. Returns the
    URL and whether this call created anything."""
    if token is None:
        with transaction.atomic():
            return create(), True
    done = Submission.objects.filter(token=token).first()
    if done is not None:
        return done.url, False
    try:
        with transaction.atomic():
            url = create()
            Submission.objects.create(token=token, user=user, url=url)
    except IntegrityError:
        done = Submission.objects.filter(token=token).first()
        if done is None:
            raise
        return done.url, False
    return url, True
