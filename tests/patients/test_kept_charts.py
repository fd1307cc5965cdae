"""Charts rendered once per content (patients.templatetags.charts, common.kept): a new point
shows at once, and no clinic's page reuses a chart kept for another's."""

import datetime
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from patients.models import Patient, TreatmentSession
from patients.templatetags import charts

from ..factories import PatientFactory, TreatmentSessionFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def session(patient: Patient, on: datetime.date, pain: int) -> TreatmentSession:
    return TreatmentSessionFactory(
        patient=patient, therapist=patient.created_by, session_date=on, pre_nprs=pain
    )


def progress(client: Client, patient: Patient) -> str:
    return client.get(reverse("patients:progress", args=[patient.pk])).content.decode()


def test_a_new_session_shows_on_the_chart_at_once(therapist_client: Client, patient) -> None:  # noqa: ANN001
    session(patient, D(2026, 11, 2), 7)
    session(patient, D(2026, 11, 9), 5)
    before = progress(therapist_client, patient)
    assert "from 7 on 2 Nov 2026 to 5 on 9 Nov 2026" in before
    session(patient, D(2026, 11, 16), 3)
    after = progress(therapist_client, patient)
    assert "from 7 on 2 Nov 2026 to 3 on 16 Nov 2026" in after


def test_the_same_chart_is_drawn_once_per_clinic(
    therapist_client: Client,
    stranger_client: Client,
    patient,  # noqa: ANN001
    stranger,  # noqa: ANN001
) -> None:
    theirs = PatientFactory(clinic=stranger.clinic, created_by=stranger)
    for p in (patient, theirs):
        session(p, D(2026, 11, 2), 7)
        session(p, D(2026, 11, 9), 5)
    real = charts.render_to_string
    with mock.patch.object(charts, "render_to_string", wraps=real) as rendered:
        progress(therapist_client, patient)
        drawn = rendered.call_count
        progress(therapist_client, patient)
        assert rendered.call_count == drawn  # the same charts again: all kept
        their_page = progress(stranger_client, theirs)
        assert rendered.call_count == 2 * drawn  # the same numbers, another clinic: drawn anew
    assert patient.last_name not in their_page
