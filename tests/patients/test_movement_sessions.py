"""Re-tests at sessions (issue 17): the session form offers the tests the plan targets, saves
them with the note, and the progress page charts each test with its normal band."""

from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse

from patients.models import Assessment, MovementResult, Patient, TreatmentSession, User
from patients.movement_records import targeted_tests
from triggerpoints.models import MovementTest

from ..factories import AssessmentFactory, PatientFactory, PlanFactory, TreatmentSessionFactory
from .test_sessions import note, rows

pytestmark = pytest.mark.django_db


def _test(key: str) -> MovementTest:
    return MovementTest.objects.get(key=key)


@pytest.fixture
def patient(clinic) -> Patient:  # noqa: ANN001
    return PatientFactory(clinic=clinic)


@pytest.fixture
def assessment(patient: Patient, therapist: User) -> Assessment:
    assessment = AssessmentFactory(patient=patient, therapist=therapist)
    MovementResult.objects.create(
        assessment=assessment, test=_test("single-leg-bridge"), left=12, right=35
    )
    MovementResult.objects.create(
        assessment=assessment, test=_test("craniocervical-flexion"), value=22
    )
    MovementResult.objects.create(assessment=assessment, test=_test("hip-hinge"), value=0)  # normal
    return assessment


def test_targeted_tests_are_the_abnormal_ones_of_the_plans_assessment(assessment):  # noqa: ANN001
    later = AssessmentFactory(patient=assessment.patient, therapist=assessment.therapist)
    MovementResult.objects.create(assessment=later, test=_test("jaw-opening"), value=30)
    PlanFactory(assessment=assessment, patient=assessment.patient)
    keys = [t.key for t in targeted_tests(assessment.patient)]
    assert keys == ["single-leg-bridge", "craniocervical-flexion"]


def test_session_form_offers_the_targeted_tests_and_saves_the_retests(
    therapist_client: Client, assessment
):  # noqa: ANN001
    PlanFactory(assessment=assessment, patient=assessment.patient)
    create = reverse("patients:session_create", args=[assessment.patient_id])
    page = therapist_client.get(create).content.decode()
    assert 'name="retest-single-leg-bridge__l"' in page
    assert 'name="retest-craniocervical-flexion__v"' in page
    assert 'name="retest-hip-hinge__v"' not in page  # normal at the assessment: not targeted
    data = {
        **note(),
        **rows(),
        "retest-single-leg-bridge__l": "24",
        "retest-single-leg-bridge__r": "36",
        "retest-single-leg-bridge__version": "0",
        "retest-craniocervical-flexion__version": "0",
    }
    response = therapist_client.post(create, data)
    assert response.status_code == HTTPStatus.FOUND
    session = TreatmentSession.objects.get()
    (retest,) = MovementResult.objects.filter(session=session)
    assert (retest.test.key, retest.left, retest.right) == ("single-leg-bridge", 24, 36)
    detail = therapist_client.get(session.get_absolute_url()).content.decode()
    assert "Single-leg bridge hold: left 24 s (normal 30 s or more)" in detail


def test_bad_retest_value_keeps_the_whole_session_unsaved(therapist_client: Client, assessment):  # noqa: ANN001
    create = reverse("patients:session_create", args=[assessment.patient_id])
    data = {**note(), **rows(), "retest-craniocervical-flexion__v": "40"}
    response = therapist_client.post(create, data)
    assert response.status_code == HTTPStatus.OK
    assert not TreatmentSession.objects.exists()
    assert not MovementResult.objects.filter(session__isnull=False).exists()


def test_editing_an_unsigned_note_changes_its_retest(
    therapist_client: Client, assessment, therapist
):  # noqa: ANN001
    session = TreatmentSessionFactory(patient=assessment.patient, therapist=therapist)
    result = MovementResult.objects.create(
        session=session, test=_test("craniocervical-flexion"), value=22
    )
    edit = reverse("patients:session_edit", args=[assessment.patient_id, session.pk])
    data = {
        "session_date": session.session_date.isoformat(),
        "pre_nprs": str(session.pre_nprs),
        "post_nprs": "",
        "response": session.response,
        "adherence": session.adherence,
        "notes": session.notes,
        "version": str(session.version),
        **rows(),
        "retest-craniocervical-flexion__v": "26",
        "retest-craniocervical-flexion__version": str(result.version),
    }
    response = therapist_client.post(edit, data)
    assert response.status_code == HTTPStatus.FOUND
    result.refresh_from_db()
    assert result.value == 26


def test_progress_page_charts_each_test_with_its_normal_band(
    therapist_client: Client, assessment, therapist
):  # noqa: ANN001
    session = TreatmentSessionFactory(patient=assessment.patient, therapist=therapist)
    MovementResult.objects.create(session=session, test=_test("craniocervical-flexion"), value=28)
    page = therapist_client.get(
        reverse("patients:progress", args=[assessment.patient_id])
    ).content.decode()
    assert 'id="test-craniocervical-flexion-chart"' in page
    assert 'class="line-chart__band"' in page
    assert "22 mmHg → 28 mmHg (normal 26 mmHg or more; normal now)." in page
    assert "Measured once: left 12 s, right 35 s (normal 30 s or more)." in page
