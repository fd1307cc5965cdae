"""Two-factor authentication with django-otp: one TOTP device (an authenticator app) and one
static device holding single-use recovery codes, per user.

Who must use it: every superuser, and everyone in a clinic whose admin requires it. Anyone may
turn it on for themselves from the account page.
"""

import segno
from django.conf import settings
from django.db import transaction
from django_otp import devices_for_user
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from patients.models import User

RECOVERY_DEVICE_NAME = "Recovery codes"
APP_DEVICE_NAME = "Authenticator app"


def two_factor_required(user: User) -> bool:
    """Superusers always; clinic staff when their clinic requires it. Costs no query: the
    clinic comes with the user (patients.auth)."""
    if user.is_superuser:
        return True
    return user.clinic_id is not None and user.clinic.require_two_factor


def has_two_factor(user: User) -> bool:
    return any(True for _ in devices_for_user(user, confirmed=True))


def users_with_two_factor(users: list[User]) -> set[int]:
    """Which of these users have an authenticator app. One query."""
    return set(
        TOTPDevice.objects.filter(user__in=users, confirmed=True).values_list("user_id", flat=True)
    )


def app_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def new_secret() -> str:
    """A new authenticator secret (hex, as TOTPDevice stores it). Kept in the session until a
    code from the app confirms it, so merely opening the set-up page writes nothing."""
    return default_key()


def totp_device(user: User, secret: str) -> TOTPDevice:
    """An unsaved device for a pending secret: for its QR code and to check the first code."""
    return TOTPDevice(user=user, name=APP_DEVICE_NAME, key=secret, confirmed=False)


def _matching_t(secret: str, token: str) -> int | None:
    """The time step at which the code matches the secret, or None."""
    try:
        code = int(token.strip().replace(" ", ""))
    except ValueError:
        return None
    device = TOTPDevice(key=secret)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return totp.t() if totp.verify(code, tolerance=device.tolerance) else None


@transaction.atomic
def totp_device_confirm(*, user: User, secret: str, token: str) -> list[str] | None:
    """Turn two-factor on (or replace the app) once a code from the app matches the pending
    secret. Returns the new recovery codes; None, with nothing changed, if the code is wrong."""
    matched_t = _matching_t(secret, token)
    if matched_t is None:
        return None
    TOTPDevice.objects.filter(user=user).delete()
    device = totp_device(user, secret)
    device.confirmed = True
    device.last_t = matched_t  # the same code cannot sign in again
    device.save()
    return recovery_codes_create(user=user)


@transaction.atomic
def recovery_codes_create(*, user: User) -> list[str]:
    """A new set of single-use recovery codes; the old set stops working."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(settings.RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def two_factor_remove(*, user: User) -> None:
    """Remove the authenticator and the recovery codes (to reset, or to turn it off)."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def qr_code_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// link as an SVG QR code (no inline style: CSP-safe)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#000", light="#fff")


def secret_for_typing(device: TOTPDevice) -> str:
    """The base32 secret in groups of four, for apps without a camera."""
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
