"""Private pages and downloads: not stored by browsers or proxies, a strict CSP, and a
Permissions-Policy. (The access matrix checks every page; this says it plainly.)"""

from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse

from patients.models import User

from ..factories import AssessmentFactory, PatientFactory, PlanFactory, PlanItemFactory

pytestmark = pytest.mark.django_db


def assert_private(response) -> None:  # noqa: ANN001
    assert "no-store" in response["Cache-Control"]
    csp = response["Content-Security-Policy"]
    for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'"):
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_patient_page_and_pdf_are_private(therapist_client: Client, therapist: User) -> None:
    patient = PatientFactory(clinic=therapist.clinic)
    plan = PlanFactory(assessment=AssessmentFactory(patient=patient, therapist=therapist))
    PlanItemFactory(plan=plan)
    page = therapist_client.get(reverse("patients:detail", args=[patient.pk]))
    pdf = therapist_client.get(reverse("plans:pdf", args=[plan.pk]))
    assert page.status_code == pdf.status_code == HTTPStatus.OK
    assert pdf["Content-Type"] == "application/pdf"
    assert_private(page)
    assert_private(pdf)


def test_login_page_is_private_too() -> None:
    assert_private(Client().get(reverse("login")))


def test_access_log_csv_is_private(clinic_admin_client: Client) -> None:
    assert_private(clinic_admin_client.get(reverse("audit:export")))
