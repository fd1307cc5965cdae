"""The account page: change the password (offline checks included), see recent sign-ins."""

from http import HTTPStatus

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from patients.models import User

from ..factories import PASSWORD

pytestmark = pytest.mark.django_db

ACCOUNT = reverse("accounts:account")
PASSWORD_URL = reverse("accounts:password")


def change(client: Client, new: str, old: str = PASSWORD):  # noqa: ANN201
    return client.post(
        PASSWORD_URL, {"old_password": old, "new_password1": new, "new_password2": new}
    )


def test_therapist_changes_their_own_password(therapist_client: Client, therapist: User) -> None:
    response = change(therapist_client, "kelp-lantern-orbit-42")
    assert response.status_code == HTTPStatus.FOUND and response.url == ACCOUNT
    therapist.refresh_from_db()
    assert therapist.check_password("kelp-lantern-orbit-42")
    assert therapist_client.get(ACCOUNT).status_code == HTTPStatus.OK  # still signed in


@pytest.mark.parametrize(
    "guessable",
    ["Clinic2026", "Clinic2026!", "Myoplan1234", "HarbourPhysio99", "Summer2026!", "password123"],
)
def test_guessable_passwords_are_refused(
    therapist_client: Client, therapist: User, guessable: str
) -> None:
    response = change(therapist_client, guessable)
    assert response.status_code == HTTPStatus.OK
    assert response.context["password_form"].errors["new_password2"]
    therapist.refresh_from_db()
    assert therapist.check_password(PASSWORD)


def test_guessable_check_works_without_a_user() -> None:
    with pytest.raises(ValidationError, match="too easy to guess"):
        validate_password("Clinic2026")
    validate_password("kelp-lantern-orbit-42")


def test_wrong_old_password_changes_nothing(therapist_client: Client, therapist: User) -> None:
    response = change(therapist_client, "kelp-lantern-orbit-42", old="nope")
    assert response.status_code == HTTPStatus.OK
    therapist.refresh_from_db()
    assert therapist.check_password(PASSWORD)


def test_password_change_refuses_get(therapist_client: Client) -> None:
    assert therapist_client.get(PASSWORD_URL).status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_account_page_needs_a_login() -> None:
    response = Client().get(ACCOUNT)
    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("login"))


def test_nav_links_to_the_account_page(therapist_client: Client) -> None:
    page = therapist_client.get(reverse("patients:list")).content.decode()
    assert f'href="{ACCOUNT}"' in page


@pytest.mark.parametrize("who", ["therapist_client", "editor_client", "clinic_admin_client"])
def test_every_role_has_an_account_page(request: pytest.FixtureRequest, who: str) -> None:
    page = request.getfixturevalue(who).get(ACCOUNT)
    assert page.status_code == HTTPStatus.OK
    assert "Change your password" in page.content.decode()
