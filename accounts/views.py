"""Sign-in (password, then the second factor), the account page, and the idle-session clock."""

from typing import Any

from axes.models import AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice

from . import sessions, two_factor
from .forms import ConfirmDeviceForm, SignInForm, TokenForm

RECENT_SIGN_INS = 10


class SignInView(LoginView):
    """Django's login, plus "keep me signed in". django-axes counts the failures (its
    authentication backend and middleware); the second factor follows (TwoFactorMiddleware)."""

    form_class = SignInForm

    def form_valid(self, form: SignInForm) -> HttpResponse:
        response = super().form_valid(form)
        if form.cleaned_data.get("remember"):
            self.request.session.set_expiry(settings.SESSION_COOKIE_AGE)
        else:
            self.request.session.set_expiry(0)  # ends when the browser closes
        return response


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """django-axes' answer to a locked-out account or address, on our login page and admin's.
    Says the same whether or not the username exists."""
    return render(
        request,
        "registration/locked_out.html",
        {"minutes": round(settings.AXES_COOLOFF_TIME * 60)},
        status=429,
    )


def _safe_next(request: HttpRequest, fallback: str = settings.LOGIN_REDIRECT_URL) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(fallback)


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the app, or a recovery code."""
    if request.user.is_verified() or not request.session.get(sessions.SECOND_FACTOR_DUE):
        return redirect(_safe_next(request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            request.session.cycle_key()  # a new session id once fully signed in
            otp_login(request, device)
            request.session.pop(sessions.SECOND_FACTOR_DUE, None)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request,
                    f"You used a recovery code; {left} left. "
                    "Make new ones from your account page if you are running out.",
                )
            return redirect(_safe_next(request))
        form.add_error("token", "That code is not right, or it has been used. Try again.")
    return render(request, "accounts/verify.html", {"form": form, "next": _safe_next(request)})


def _account_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    user = request.user
    return {
        "password_form": PasswordChangeForm(user),
        "app_device": two_factor.app_device(user),
        "codes_left": two_factor.recovery_codes_left(user),
        "two_factor_required": two_factor.two_factor_required(user),
        "sign_ins": AccessLog.objects.filter(username=user.username).order_by("-attempt_time")[
            :RECENT_SIGN_INS
        ],
        "failures": AccessFailureLog.objects.filter(username=user.username).order_by(
            "-attempt_time"
        )[:RECENT_SIGN_INS],
        **extra,
    }


@require_GET
def account(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/account.html", _account_context(request))


@require_POST
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST)
    if form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)  # stay signed in here
        messages.success(request, "Your password was changed.")
        return redirect("accounts:account")
    return render(request, "accounts/account.html", _account_context(request, password_form=form))


PENDING_SECRET = "accounts_pending_totp_secret"


@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Show a QR code for a new authenticator app; a code from the app confirms it. Setting up
    again replaces the old app (a reset) once the new one is confirmed."""
    user = request.user
    secret = request.session.get(PENDING_SECRET)
    if request.method == "GET" or not secret:
        secret = request.session[PENDING_SECRET] = two_factor.new_secret()
    form = ConfirmDeviceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.totp_device_confirm(
            user=user, secret=secret, token=form.cleaned_data["token"]
        )
        if codes is not None:
            del request.session[PENDING_SECRET]
            otp_login(request, two_factor.app_device(user))  # proved here, just now
            request.session.pop(sessions.SECOND_FACTOR_DUE, None)
            messages.success(request, "Two-factor authentication is on.")
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next": _safe_next(request, "accounts:account")},
            )
        form.add_error("token", "That code is not right. Check the app's clock, and try again.")
    device = two_factor.totp_device(user, secret)
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": two_factor.qr_code_svg(device),
            "secret": two_factor.secret_for_typing(device),
            "replacing": two_factor.app_device(user) is not None,
            "next": request.POST.get("next") or request.GET.get("next", ""),
        },
    )


@require_POST
def two_factor_codes(request: HttpRequest) -> HttpResponse:
    if two_factor.app_device(request.user) is None:
        messages.error(request, "Set up an authenticator app first.")
        return redirect("accounts:account")
    codes = two_factor.recovery_codes_create(user=request.user)
    return render(
        request, "accounts/recovery_codes.html", {"codes": codes, "next": _safe_next(request)}
    )


@require_POST
def two_factor_off(request: HttpRequest) -> HttpResponse:
    if two_factor.two_factor_required(request.user):
        messages.error(
            request, "Your account must keep two-factor authentication. Set up a new app instead."
        )
        return redirect("accounts:account")
    two_factor.two_factor_remove(user=request.user)
    messages.success(request, "Two-factor authentication is off.")
    return redirect("accounts:account")


@login_not_required
@require_GET
def session_status(request: HttpRequest) -> JsonResponse:
    """Seconds until an idle sign-out, for the warning script. Does not count as activity."""
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False, "remaining": 0})
    last_seen = request.session.get(sessions.LAST_SEEN, sessions.now())
    remaining = settings.SESSION_IDLE_TIMEOUT - (sessions.now() - last_seen)
    return JsonResponse({"signed_in": True, "remaining": max(remaining, 0)})


@require_POST
def session_keepalive(request: HttpRequest) -> JsonResponse:
    sessions.touch(request)
    return JsonResponse({"signed_in": True, "remaining": settings.SESSION_IDLE_TIMEOUT})
