from typing import Any

from django.conf import settings
from django.http import HttpRequest


def idle_clock(request: HttpRequest) -> dict[str, Any]:
    """The idle timeout and its warning, for the warning script's data attributes."""
    return {
        "idle_timeout": settings.SESSION_IDLE_TIMEOUT,
        "idle_warning": settings.SESSION_IDLE_WARNING,
    }
