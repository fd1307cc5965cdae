"""Session bookkeeping: when the user was last active, and whether a second factor is due.

Set once at login so that ordinary requests cost no extra query: the idle clock is written at
most once a minute, and the two-factor question is answered from the session.
"""

import time
from typing import Any

from django.http import HttpRequest

from .two_factor import has_two_factor

LAST_SEEN = "accounts_last_seen"
SECOND_FACTOR_DUE = "accounts_second_factor_due"
# The idle clock is written at most this often (seconds), so most requests save no session.
LAST_SEEN_RESOLUTION = 60


def now() -> int:
    return int(time.time())


def session_start(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """On every login: start the idle clock; a user with a second factor must give it next."""
    if request is None or not hasattr(request, "session"):
        return
    request.session[LAST_SEEN] = now()
    request.session[SECOND_FACTOR_DUE] = has_two_factor(user)


def touch(request: HttpRequest) -> None:
    request.session[LAST_SEEN] = now()
