"""Concurrent requests on PostgreSQL with real threads, one Django test client each: no lost
update and no server error for the records the review found unguarded (palpated points,
postural findings, archiving against an edit, double creates, double plan builds). SQLite
serialises writers, so these run on PostgreSQL only (CI runs the suite on both)."""

import threading
from collections import Counter
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from patients.models import PalpatedTriggerPoint, Patient, PosturalObservation
from plans.models import Plan
from triggerpoints.services import catalogue_load

from .factories import (
    AssessmentFactory,
    PalpatedTriggerPointFactory,
    PatientFactory,
    PosturalObservationFactory,
    UserFactory,
    screen_red_flags,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers"),
]

THREADS = 8


def race(users: list, request: Callable[[Client, int], object]) -> Counter:
    """Each thread logs in as its user and sends its request when all are ready; returns the
    response status codes counted."""
    barrier = threading.Barrier(THREADS)
    codes: Counter = Counter()
    lock = threading.Lock()

    def run(i: int) -> None:
        client = Client()
        client.force_login(users[i % len(users)])
        try:
            barrier.wait()
            response = request(client, i)
            code = response.status_code
        except Exception as error:  # noqa: BLE001 - anything else is a failure to count
            code = repr(error)
        finally:
            connection.close()
        with lock:
            codes[code] += 1

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return codes


@pytest.fixture
def staff():  # noqa: ANN201
    """Two therapists of one clinic, over the shipped catalogue (transactional tests empty the
    tables after each test, so the catalogue is loaded for each)."""
    catalogue_load()
    first = UserFactory(username="race-a")
    return [first, UserFactory(username="race-b", clinic=first.clinic)]


def test_concurrent_palpation_edits_keep_one_and_refuse_the_rest(staff) -> None:  # noqa: ANN001
    assessment = AssessmentFactory(patient=PatientFactory(clinic=staff[0].clinic))
    point = PalpatedTriggerPointFactory(assessment=assessment)
    target = reverse(
        "patients:palpation_edit", args=[assessment.patient_id, assessment.pk, point.pk]
    )
    opened = point.version

    def edit(client: Client, i: int):  # noqa: ANN202
        return client.post(
            target,
            {
                "trigger_point": point.trigger_point_id,
                "side": "l",
                "status": "active",
                "taut_band": "on",
                "notes": f"edit {i}",
                "version": opened,
            },
        )

    codes = race(staff, edit)
    assert codes == {302: 1, 200: THREADS - 1}  # one saved; the rest shown the refusal
    point.refresh_from_db()
    assert point.version == opened + 1 and point.notes.startswith("edit ")
    assert point.history.filter(notes__startswith="edit ").count() == 1


def test_concurrent_posture_edits_keep_one_and_refuse_the_rest(staff) -> None:  # noqa: ANN001
    assessment = AssessmentFactory(patient=PatientFactory(clinic=staff[0].clinic))
    observation = PosturalObservationFactory(assessment=assessment)
    target = reverse(
        "patients:posture_edit", args=[assessment.patient_id, assessment.pk, observation.pk]
    )
    opened = observation.version

    def edit(client: Client, i: int):  # noqa: ANN202
        severity = ("mild", "moderate", "marked")[i % 3]
        data = {"finding": observation.finding_id, "severity": severity, "notes": f"edit {i}"}
        return client.post(target, {**data, "version": opened})

    codes = race(staff, edit)
    assert codes == {302: 1, 200: THREADS - 1}
    observation.refresh_from_db()
    assert observation.version == opened + 1
    assert (
        PosturalObservation.history.filter(id=observation.pk, notes__startswith="edit ").count()
        == 1
    )


def test_archiving_is_never_undone_by_a_concurrent_edit(staff) -> None:  # noqa: ANN001
    patient = PatientFactory(clinic=staff[0].clinic)
    opened = patient.version
    edit_url = reverse("patients:edit", args=[patient.pk])
    archive_url = reverse("patients:archive", args=[patient.pk])
    form = {
        "first_name": patient.first_name,
        "last_name": patient.last_name,
        "date_of_birth": patient.date_of_birth.isoformat(),
        "sex": patient.sex,
        "occupation": "Edited",
        "version": opened,
    }

    def act(client: Client, i: int):  # noqa: ANN202
        if i % 2 == 0:
            return client.post(archive_url, {"version": opened})
        return client.post(edit_url, form)

    codes = race(staff, act)
    assert all(isinstance(code, int) and code < 500 for code in codes), codes
    patient.refresh_from_db()
    assert patient.version == opened + 1  # exactly one change landed
    archived_first = patient.is_archived
    assert archived_first != (patient.occupation == "Edited")  # one or the other, never both


def test_the_same_point_created_twice_at_once_is_one_row_and_no_server_error(staff) -> None:  # noqa: ANN001
    assessment = AssessmentFactory(patient=PatientFactory(clinic=staff[0].clinic))
    point = PalpatedTriggerPointFactory.build().trigger_point
    target = reverse("patients:palpation_create", args=[assessment.patient_id, assessment.pk])
    data = {"trigger_point": point.pk, "side": "r", "status": "latent", "taut_band": "on"}
    codes = race(staff, lambda client, i: client.post(target, data))
    assert set(codes) <= {302, 200} and codes[302] >= 1, codes
    assert PalpatedTriggerPoint.objects.filter(assessment=assessment).count() == 1


def test_a_double_click_on_build_a_plan_makes_one_draft(staff) -> None:  # noqa: ANN001
    assessment = AssessmentFactory(
        patient=PatientFactory(clinic=staff[0].clinic), therapist=staff[0]
    )
    screen_red_flags(assessment)
    target = reverse("plans:generate", args=[assessment.pk])
    codes = race(staff, lambda client, i: client.post(target))
    assert codes == {302: THREADS}, codes
    assert Plan.objects.filter(assessment=assessment).count() == 1
    assert Patient.objects.get(pk=assessment.patient_id).plans.count() == 1


def test_the_same_new_patient_form_sent_at_once_saves_one_patient(staff) -> None:  # noqa: ANN001
    token = "9b2e6f4e-4d0c-4f3e-9d7a-3c2b1a0f9e8d"
    data = {
        "first_name": "Rae",
        "last_name": "Concurrent",
        "date_of_birth": "1970-02-02",
        "sex": "female",
        "submission": token,
    }
    codes = race(staff, lambda client, i: client.post(reverse("patients:create"), data))
    assert codes == {302: THREADS}, codes
    assert Patient.objects.filter(last_name="Concurrent").count() == 1
