"""django-axes: failed logins lock the account and the address, here and on /admin/login/."""

from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse

from patients.models import User

from ..factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")
ADMIN_LOGIN = reverse("admin:login")


def attempt(client: Client, username: str, password: str, url: str = LOGIN, ip: str = "10.0.0.1"):  # noqa: ANN201
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_thirty_wrong_passwords_then_the_right_one_is_refused(therapist: User) -> None:
    client = Client()
    for _ in range(30):
        attempt(client, "tess", "wrong")
    response = attempt(client, "tess", PASSWORD)
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "Sign-in is locked for now" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_follows_the_account_to_another_address(therapist: User) -> None:
    for n in range(5):
        attempt(Client(), "tess", "wrong", ip=f"10.0.1.{n}")
    response = attempt(Client(), "tess", PASSWORD, ip="10.0.9.9")
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_lockout_of_an_address_covers_other_accounts(therapist: User, colleague: User) -> None:
    for n in range(5):
        attempt(Client(), f"nobody{n}", "wrong", ip="10.0.2.1")
    assert attempt(Client(), "colin", PASSWORD, ip="10.0.2.1").status_code == (
        HTTPStatus.TOO_MANY_REQUESTS
    )
    # From elsewhere, colin's own account is fine.
    assert attempt(Client(), "colin", PASSWORD, ip="10.0.3.1").status_code == HTTPStatus.FOUND


def test_fewer_failures_than_the_limit_still_let_the_right_password_in(therapist: User) -> None:
    client = Client()
    for _ in range(4):
        assert attempt(client, "tess", "wrong").status_code == HTTPStatus.OK
    assert attempt(client, "tess", PASSWORD).status_code == HTTPStatus.FOUND


def test_a_good_login_does_not_wipe_failures_against_another_account(
    therapist: User, colleague: User
) -> None:
    """Someone with an account of their own cannot reset the count between guesses."""
    for _ in range(2):
        for _ in range(2):
            attempt(Client(), "tess", "wrong", ip="10.0.6.1")
        assert attempt(Client(), "colin", PASSWORD, ip="10.0.6.1").status_code == HTTPStatus.FOUND
    attempt(Client(), "tess", "wrong", ip="10.0.6.1")
    response = attempt(Client(), "tess", PASSWORD, ip="10.0.6.9")
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_lockout_message_is_the_same_for_an_unknown_username(therapist: User) -> None:
    for _ in range(5):
        attempt(Client(), "tess", "wrong", ip="10.0.4.1")
        attempt(Client(), "ghost", "wrong", ip="10.0.4.2")
    known = attempt(Client(), "tess", "wrong", ip="10.0.4.1")
    unknown = attempt(Client(), "ghost", "wrong", ip="10.0.4.2")
    assert known.status_code == unknown.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert known.content == unknown.content


def test_admin_login_is_locked_the_same_way(superuser: User) -> None:
    client = Client()
    for _ in range(30):
        attempt(client, "root", "wrong", url=ADMIN_LOGIN)
    response = attempt(client, "root", PASSWORD, url=ADMIN_LOGIN)
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "_auth_user_id" not in client.session


def test_clinic_admin_sees_the_lockout_and_unlocks(
    clinic_admin_client: Client, therapist: User
) -> None:
    for _ in range(6):
        attempt(Client(), "tess", "wrong")
    page = clinic_admin_client.get(reverse("staff:list")).content.decode()
    assert "Locked out" in page
    response = clinic_admin_client.post(reverse("staff:unlock", args=[therapist.pk]))
    assert response.status_code == HTTPStatus.FOUND
    assert attempt(Client(), "tess", PASSWORD).status_code == HTTPStatus.FOUND
    assert "Locked out" not in clinic_admin_client.get(reverse("staff:list")).content.decode()


def test_clinic_admin_cannot_unlock_another_clinics_staff(
    clinic_admin_client: Client, stranger: User
) -> None:
    for _ in range(6):
        attempt(Client(), "stan", "wrong")
    response = clinic_admin_client.post(reverse("staff:unlock", args=[stranger.pk]))
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert attempt(Client(), "stan", PASSWORD).status_code == HTTPStatus.TOO_MANY_REQUESTS


@pytest.mark.parametrize("who", ["therapist_client", "editor_client"])
def test_only_clinic_admins_unlock(
    request: pytest.FixtureRequest, who: str, colleague: User
) -> None:
    client = request.getfixturevalue(who)
    response = client.post(reverse("staff:unlock", args=[colleague.pk]))
    assert response.status_code == HTTPStatus.FORBIDDEN


def test_unlock_refuses_get(clinic_admin_client: Client, therapist: User) -> None:
    response = clinic_admin_client.get(reverse("staff:unlock", args=[therapist.pk]))
    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_successful_sign_in_is_listed_on_the_account_page(therapist: User) -> None:
    client = Client()
    attempt(client, "tess", "wrong", ip="10.0.5.5")
    attempt(client, "tess", PASSWORD, ip="10.0.5.6")
    page = client.get(reverse("accounts:account")).content.decode()
    assert "10.0.5.6" in page  # the sign-in
    assert "10.0.5.5" in page  # the failed attempt


def test_factory_user_can_still_log_in_with_the_form() -> None:
    UserFactory(username="plain")
    assert attempt(Client(), "plain", PASSWORD).status_code == HTTPStatus.FOUND
