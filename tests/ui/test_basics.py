"""Small things every page shares: the error summary, the favicon, the navbar, the logging."""

import os
import subprocess
import sys
from http import HTTPStatus

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from ..factories import AssessmentFactory, PatientFactory

pytestmark = pytest.mark.django_db


def test_measures_form_lists_every_error_at_the_top_linked_to_its_field(
    therapist_client: Client,
    clinic,  # noqa: ANN001
) -> None:
    assessment = AssessmentFactory(patient=PatientFactory(clinic=clinic))
    url = reverse("patients:measures", args=[assessment.patient_id, assessment.pk])
    response = therapist_client.post(url, {"resting_rate": "900", "bolt_seconds": "-3"})
    assert response.status_code == HTTPStatus.OK
    body = response.content.decode()
    summary = body.split('id="error-summary"')[1].split("</div>")[0]
    assert body.index('id="error-summary"') < body.index("<h1")
    errors = response.context["form"].errors
    assert errors
    for name in errors:
        if name != "__all__":
            assert f'href="#{response.context["form"][name].auto_id}' in summary, name


def test_a_page_without_errors_has_no_summary(therapist_client: Client) -> None:
    body = therapist_client.get(reverse("patients:create")).content.decode()
    assert 'id="error-summary"' not in body


def test_every_page_names_a_favicon_that_exists(therapist_client: Client) -> None:
    body = therapist_client.get(reverse("home")).content.decode()
    assert 'rel="icon" href="/static/img/favicon.svg"' in body
    assert finders.find("img/favicon.svg")


def test_catalogue_editor_is_not_offered_add_a_patient(editor_client: Client) -> None:
    body = editor_client.get(reverse("patients:list")).content.decode()
    assert reverse("patients:create") not in body
    assert "your account has none" in body


def test_catalogue_body_group_select_is_styled(therapist_client: Client) -> None:
    body = therapist_client.get(reverse("triggerpoints:muscles")).content.decode()
    select = body.split('<select name="group"')[1].split(">")[0]
    assert 'class="form-select"' in select


def test_django_log_lines_are_printed_once() -> None:
    """Django's own config gives "django" a console handler; with DEBUG on, a line logged
    there must not also reach the root's handler."""
    code = "import logging; logging.getLogger('django.request').warning('one-line-marker')"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "clinic.settings"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert (result.stdout + result.stderr).count("one-line-marker") == 1
