"""Request-wide rules for signed-in use: private responses, idle timeout, the second factor."""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from . import sessions
from .two_factor import two_factor_required


class PrivateResponseMiddleware:
    """Every response Django renders (pages, PDFs, CSV) may hold patient data: no browser or
    proxy keeps a copy (`Cache-Control: no-store`). Static files, served earlier by WhiteNoise,
    stay cacheable. Also the Permissions-Policy: no page uses camera, microphone or location."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        add_never_cache_headers(response)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


# Pages that tell the time left, or extend it, without counting as activity themselves.
IDLE_CLOCK_VIEWS = {"accounts:session_status"}


class IdleTimeoutMiddleware:
    """Signs the user out after SESSION_IDLE_TIMEOUT seconds without a request. The clock is
    written to the session at most once a minute (see accounts.sessions)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            last_seen = request.session.get(sessions.LAST_SEEN)
            now = sessions.now()
            if last_seen is not None and now - last_seen > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
                minutes = settings.SESSION_IDLE_TIMEOUT // 60
                messages.info(
                    request,
                    f"You were signed out after {minutes} minutes without activity. "
                    "Sign in again to carry on.",
                )
            elif (
                last_seen is None or now - last_seen >= sessions.LAST_SEEN_RESOLUTION
            ) and not request.path.startswith(reverse("accounts:session_status")):
                sessions.touch(request)
        return self.get_response(request)


# Reachable while the second factor is still due: the code page, and leaving.
VERIFY_VIEWS = {
    "accounts:verify",
    "logout",
    "accounts:session_status",
    "accounts:session_keepalive",
}
# Reachable by someone who must set up two-factor and has not yet.
SETUP_VIEWS = VERIFY_VIEWS | {
    "accounts:two_factor_setup",
    "accounts:two_factor_codes",
    "accounts:account",
    "accounts:password",
}


class TwoFactorMiddleware:
    """After the password: users with a second factor give a code before anything else; users
    who must have one (superusers, staff of clinics that require it) set it up first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if getattr(view_func, "login_required", True) is False:
            return None  # open pages (sign-in, health, a patient's plan link) need no factor
        name = request.resolver_match.view_name if request.resolver_match else ""
        if request.session.get(sessions.SECOND_FACTOR_DUE):
            if name in VERIFY_VIEWS:
                return None
            return _redirect_with_next(request, "accounts:verify")
        if two_factor_required(user) and name not in SETUP_VIEWS:
            messages.warning(
                request,
                "Your account needs two-factor authentication: set it up to carry on.",
            )
            return _redirect_with_next(request, "accounts:two_factor_setup")
        return None


def _redirect_with_next(request: HttpRequest, to: str) -> HttpResponse:
    target = reverse(to)
    if request.method == "GET":
        target += "?" + urlencode({"next": request.get_full_path()})
    return HttpResponseRedirect(target)
