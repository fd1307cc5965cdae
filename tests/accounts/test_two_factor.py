"""Two-factor authentication: set-up, the code at sign-in, recovery codes, who must use it."""

import re
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from patients.models import User

from ..conftest import _force_login_password_only
from ..factories import PASSWORD

pytestmark = pytest.mark.django_db

SETUP = reverse("accounts:two_factor_setup")
VERIFY = reverse("accounts:verify")
PATIENTS = reverse("patients:list")


def code_for(device: TOTPDevice, ahead: int = 0) -> str:
    """The app's code now, or `ahead` steps on (a code is accepted once: set-up used now's)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift + ahead)
    return f"{totp.token():0{device.digits}d}"


def sign_in(username: str, password: str = PASSWORD) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:500]
    return client


def with_app(user: User) -> tuple[TOTPDevice, list[str]]:
    secret = two_factor.new_secret()
    device = two_factor.totp_device(user, secret)
    codes = two_factor.totp_device_confirm(user=user, secret=secret, token=code_for(device))
    assert codes is not None
    return TOTPDevice.objects.get(user=user), codes


def test_setup_from_the_account_page_turns_it_on(therapist: User) -> None:
    client = sign_in("tess")
    page = client.get(reverse("accounts:account")).content.decode()
    assert "Set up two-factor" in page
    page = client.get(SETUP).content.decode()
    assert "<svg" in page and "qrline" in page
    secret = client.session["accounts_pending_totp_secret"]
    assert not TOTPDevice.objects.filter(user=therapist).exists()  # nothing saved yet

    wrong = client.post(SETUP, {"token": "000000"})
    assert "That code is not right" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=therapist).exists()

    device = two_factor.totp_device(therapist, secret)
    response = client.post(SETUP, {"token": code_for(device)})
    assert response.status_code == HTTPStatus.OK
    codes = re.findall(r"<li>([a-z0-9]{8})</li>", response.content.decode())
    assert len(codes) == 10
    assert TOTPDevice.objects.get(user=therapist).confirmed
    # This session proved the code just now: it carries on.
    assert client.get(PATIENTS).status_code == HTTPStatus.OK


def test_sign_in_asks_for_the_code_before_any_page(therapist: User) -> None:
    device, _ = with_app(therapist)
    client = sign_in("tess")
    response = client.get(PATIENTS)
    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(VERIFY)
    assert client.get(reverse("accounts:account")).url.startswith(VERIFY)
    assert client.get(SETUP).url.startswith(VERIFY)  # no resetting it with a password alone

    response = client.post(VERIFY, {"token": code_for(device, ahead=1), "next": PATIENTS})
    assert response.status_code == HTTPStatus.FOUND and response.url == PATIENTS
    assert client.get(PATIENTS).status_code == HTTPStatus.OK


def test_wrong_codes_slow_down_the_next_try(therapist: User) -> None:
    """django-otp throttles a device after a wrong code (1 s, then 2, 4, ...)."""
    device, _ = with_app(therapist)
    client = sign_in("tess")
    wrong = client.post(VERIFY, {"token": "123456", "next": PATIENTS})
    assert "That code is not right" in wrong.content.decode()
    right = client.post(VERIFY, {"token": code_for(device, ahead=1), "next": PATIENTS})
    assert right.status_code == HTTPStatus.OK  # refused for now, though right
    assert client.get(PATIENTS).status_code == HTTPStatus.FOUND


def test_a_code_is_accepted_only_once(therapist: User) -> None:
    device, _ = with_app(therapist)  # set-up used the code of time step last_t
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    used = code_for(device, ahead=device.last_t - totp.t())  # even if a step has passed since
    client = sign_in("tess")
    response = client.post(VERIFY, {"token": used, "next": PATIENTS})
    assert response.status_code == HTTPStatus.OK
    assert "That code is not right" in response.content.decode()


def test_verify_ignores_an_offsite_next(therapist: User) -> None:
    device, _ = with_app(therapist)
    client = sign_in("tess")
    response = client.post(
        VERIFY, {"token": code_for(device, ahead=1), "next": "https://evil.example/"}
    )
    assert response.url == reverse("home")


def test_a_recovery_code_signs_in_once(therapist: User) -> None:
    _, codes = with_app(therapist)
    client = sign_in("tess")
    response = client.post(VERIFY, {"token": codes[0], "next": PATIENTS})
    assert response.status_code == HTTPStatus.FOUND and response.url == PATIENTS
    assert "9 left" in client.get(PATIENTS).content.decode()

    again = sign_in("tess")
    response = again.post(VERIFY, {"token": codes[0], "next": PATIENTS})
    assert response.status_code == HTTPStatus.OK  # refused: used already
    assert again.get(PATIENTS).status_code == HTTPStatus.FOUND


def test_new_recovery_codes_replace_the_old(therapist: User) -> None:
    _, codes = with_app(therapist)
    client = Client()
    client.force_login(therapist)
    response = client.post(reverse("accounts:two_factor_codes"))
    new = re.findall(r"<li>([a-z0-9]{8})</li>", response.content.decode())
    assert len(new) == 10
    tokens = set(StaticToken.objects.filter(device__user=therapist).values_list("token", flat=True))
    assert tokens == set(new) and not tokens & set(codes)


def test_clinic_admin_requires_it_for_the_whole_clinic(
    clinic_admin_client: Client, therapist: User
) -> None:
    response = clinic_admin_client.post(reverse("staff:two_factor"), {"require": "1"})
    assert response.status_code == HTTPStatus.FOUND
    therapist.clinic.refresh_from_db()
    assert therapist.clinic.require_two_factor

    client = sign_in("tess")
    response = client.get(PATIENTS)
    assert response.status_code == HTTPStatus.FOUND and response.url.startswith(SETUP)
    assert client.get(SETUP).status_code == HTTPStatus.OK
    # Turning it off is refused while the clinic requires it.
    with_app(therapist)
    client = Client()
    client.force_login(therapist)
    client.post(reverse("accounts:two_factor_off"))
    assert TOTPDevice.objects.filter(user=therapist).exists()


def test_only_clinic_admins_set_the_clinic_requirement(therapist_client: Client) -> None:
    response = therapist_client.post(reverse("staff:two_factor"), {"require": "1"})
    assert response.status_code == HTTPStatus.FORBIDDEN


def test_clinic_requirement_does_not_reach_other_clinics(
    clinic_admin_client: Client, stranger: User
) -> None:
    clinic_admin_client.post(reverse("staff:two_factor"), {"require": "1"})
    assert sign_in("stan").get(PATIENTS).status_code == HTTPStatus.OK


def test_superuser_must_set_it_up_before_admin(superuser: User) -> None:
    client = Client()
    _force_login_password_only(client, superuser)
    response = client.get(reverse("admin:index"))
    assert response.status_code == HTTPStatus.FOUND and response.url.startswith(SETUP)
    device, _ = with_app(superuser)
    client = sign_in("root")
    assert client.get(reverse("admin:index")).url.startswith(VERIFY)
    client.post(VERIFY, {"token": code_for(device, ahead=1)})
    assert client.get(reverse("admin:index")).status_code == HTTPStatus.OK


def test_admin_login_also_leads_to_the_code(superuser: User) -> None:
    with_app(superuser)
    client = Client()
    client.post(reverse("admin:login"), {"username": "root", "password": PASSWORD})
    response = client.get(reverse("admin:patients_patient_changelist"))
    assert response.status_code == HTTPStatus.FOUND and response.url.startswith(VERIFY)


def test_user_may_turn_it_off_when_not_required(therapist: User) -> None:
    with_app(therapist)
    client = Client()
    client.force_login(therapist)
    response = client.post(reverse("accounts:two_factor_off"))
    assert response.status_code == HTTPStatus.FOUND
    assert not TOTPDevice.objects.filter(user=therapist).exists()
    assert not StaticToken.objects.filter(device__user=therapist).exists()


def test_the_session_id_changes_once_the_code_is_given(therapist: User) -> None:
    device, _ = with_app(therapist)
    client = sign_in("tess")
    before = client.cookies["sessionid"].value
    client.post(VERIFY, {"token": code_for(device, ahead=1)})
    assert client.cookies["sessionid"].value != before
    assert client.get(PATIENTS).status_code == HTTPStatus.OK


def test_clinic_admin_resets_a_colleagues_two_factor(
    clinic_admin_client: Client, therapist: User
) -> None:
    with_app(therapist)
    assert "Reset two-factor" in clinic_admin_client.get(reverse("staff:list")).content.decode()
    response = clinic_admin_client.post(reverse("staff:two_factor_reset", args=[therapist.pk]))
    assert response.status_code == HTTPStatus.FOUND
    assert not TOTPDevice.objects.filter(user=therapist).exists()
    assert sign_in("tess").get(PATIENTS).status_code == HTTPStatus.OK


def test_two_factor_reset_is_for_the_admins_own_clinic_only(
    clinic_admin_client: Client, therapist_client: Client, stranger: User, colleague: User
) -> None:
    with_app(stranger)
    with_app(colleague)
    url = reverse("staff:two_factor_reset", args=[stranger.pk])
    assert clinic_admin_client.post(url).status_code == HTTPStatus.NOT_FOUND
    url = reverse("staff:two_factor_reset", args=[colleague.pk])
    assert therapist_client.post(url).status_code == HTTPStatus.FORBIDDEN
    assert TOTPDevice.objects.filter(user__in=[stranger, colleague]).count() == 2


def test_admin_never_shows_a_secret_or_a_recovery_code(superuser: User, therapist: User) -> None:
    device, codes = with_app(therapist)
    client = Client()
    client.force_login(superuser)
    page = client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))
    assert page.status_code == HTTPStatus.OK
    assert device.key not in page.content.decode()
    static = StaticToken.objects.filter(device__user=therapist).first().device
    page = client.get(reverse("admin:otp_static_staticdevice_change", args=[static.pk]))
    assert not any(code in page.content.decode() for code in codes)
