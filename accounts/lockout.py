"""Reading and clearing django-axes lockouts for the staff page."""

from datetime import timedelta

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone


def locked_usernames(usernames: list[str]) -> set[str]:
    """Which of these usernames are locked out now (failures within the cool-off, from any
    address, at or over the limit). One query."""
    since = timezone.now() - timedelta(hours=settings.AXES_COOLOFF_TIME)
    rows = (
        AccessAttempt.objects.filter(username__in=usernames, attempt_time__gte=since)
        .values("username")
        .annotate(failures=Sum("failures_since_start"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
    )
    return {row["username"] for row in rows}


def account_unlock(*, username: str) -> int:
    """Forget the failed logins against this username (from every address), which lifts its
    lockout and the address lockouts those failures caused. Returns how many records went."""
    return reset(username=username)
