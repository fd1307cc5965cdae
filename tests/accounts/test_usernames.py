"""A clinic admin adding staff learns nothing about other clinics' usernames."""

from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse

from patients.forms.staff import StaffForm
from patients.models import User

from ..factories import NEW_STAFF

pytestmark = pytest.mark.django_db

NEW = NEW_STAFF


def add(client: Client, username: str) -> str:
    response = client.post(reverse("staff:create"), {**NEW, "username": username})
    assert response.status_code == HTTPStatus.OK
    return response.content.decode()


def test_taken_username_in_another_clinic_gets_the_neutral_message(
    clinic_admin_client: Client, stranger: User
) -> None:
    page = add(clinic_admin_client, "stan")
    assert "This username can&#x27;t be used." in page
    assert "taken" not in page and "exists" not in page and "Elsewhere" not in page


def test_same_words_for_own_clinic_and_another(
    clinic_admin_client: Client, therapist: User, stranger: User
) -> None:
    def errors(username: str) -> list[str]:
        response = clinic_admin_client.post(reverse("staff:create"), {**NEW, "username": username})
        return response.context["form"].errors["username"]

    assert errors("tess") == errors("stan")


@pytest.mark.parametrize("skip", [["clean_username"], ["clean_username", "validate_unique"]])
def test_a_username_taken_a_moment_ago_gets_the_neutral_message_too(
    clinic_admin_client: Client, stranger: User, monkeypatch: pytest.MonkeyPatch, skip: list
) -> None:
    """The form's own check passed, then the form's or the service's uniqueness check refused
    (the other clinic added the name in between)."""
    if "clean_username" in skip:
        monkeypatch.setattr(StaffForm, "clean_username", lambda f: f.cleaned_data["username"])
    if "validate_unique" in skip:
        monkeypatch.setattr(StaffForm, "validate_unique", lambda f: None)
    page = add(clinic_admin_client, "stan")
    assert "This username can&#x27;t be used." in page
    assert "already exists" not in page
    assert User.objects.filter(username="stan").count() == 1
