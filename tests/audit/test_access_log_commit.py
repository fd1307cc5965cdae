"""Access-log rows on PostgreSQL are committed without waiting for the disk (audit.middleware.
record_read), in their own transaction only: the row is there, with its id, and nothing else
the connection commits afterwards is relaxed. ACCESS_LOG_SYNCHRONOUS=1 turns it off."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from audit.models import AccessEvent
from patients.models import Patient

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's commit setting"),
]


def _view(client: Client, patient: Patient) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(patient.get_absolute_url()).status_code == 200
    return [q["sql"] for q in queries.captured_queries if "audit_accessevent" in q["sql"]]


def _synchronous_commit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


def test_a_view_is_logged_without_waiting_for_the_disk(
    therapist_client: Client, patient: Patient
) -> None:
    [insert] = _view(therapist_client, patient)
    assert "set_config('synchronous_commit', 'off', true)" in insert
    event = AccessEvent.objects.get(patient=patient)
    assert event.view_name == "patients:detail"
    assert _synchronous_commit() == "on"  # only that transaction was relaxed


def test_access_log_synchronous_makes_it_wait(
    therapist_client: Client,
    patient: Patient,
    settings,  # noqa: ANN001
) -> None:
    settings.ACCESS_LOG_SYNCHRONOUS = True
    [insert] = _view(therapist_client, patient)
    assert "synchronous_commit" not in insert
    assert AccessEvent.objects.filter(patient=patient).count() == 1
