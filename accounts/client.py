"""Who is asking: the client's address, for the login lockout and the access log alike."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR; behind our HTTPS proxy (BEHIND_HTTPS_PROXY=1), the address the proxy saw,
    which it appends last to X-Forwarded-For (earlier entries come from the client and could be
    forged)."""
    if settings.BEHIND_HTTPS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR") or None


def user_agent(request: HttpRequest) -> str:
    return request.META.get("HTTP_USER_AGENT", "")[:300]
