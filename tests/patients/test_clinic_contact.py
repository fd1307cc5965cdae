"""Clinic admins keep their clinic's contact details, which the patient's plan prints."""

from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse

from patients.models import Clinic

pytestmark = pytest.mark.django_db

URL = reverse("staff:clinic")
DETAILS = {"phone": "01 555 0142", "address": "12 Harbour Road", "email": "hello@clinic.example"}


def test_clinic_admin_saves_the_contact_details(
    clinic_admin_client: Client, clinic: Clinic
) -> None:
    assert clinic_admin_client.get(URL).status_code == HTTPStatus.OK
    response = clinic_admin_client.post(URL, DETAILS)
    assert response.status_code == HTTPStatus.FOUND and response.url == reverse("staff:list")
    clinic.refresh_from_db()
    assert (clinic.phone, clinic.address, clinic.email) == tuple(DETAILS.values())


def test_invalid_email_is_shown_and_nothing_saved(
    clinic_admin_client: Client, clinic: Clinic
) -> None:
    response = clinic_admin_client.post(URL, {**DETAILS, "email": "not-an-email"})
    assert response.status_code == HTTPStatus.OK
    assert "Enter a valid email address." in response.content.decode()
    clinic.refresh_from_db()
    assert clinic.phone == ""


def test_therapist_gets_403(therapist_client: Client) -> None:
    assert therapist_client.get(URL).status_code == HTTPStatus.FORBIDDEN
    assert therapist_client.post(URL, DETAILS).status_code == HTTPStatus.FORBIDDEN


def test_other_methods_are_refused(clinic_admin_client: Client) -> None:
    assert clinic_admin_client.put(URL).status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_staff_list_links_to_the_contact_details(clinic_admin_client: Client) -> None:
    assert URL in clinic_admin_client.get(reverse("staff:list")).content.decode()
