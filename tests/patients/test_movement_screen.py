"""The movement and loading screen on the assessment: record, change, clear, refuse stale and
bad values, precautions exclude tests, and the pages' queries stay constant."""

from http import HTTPStatus

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from patients import stamps
from patients.models import Assessment, MovementResult
from patients.movement_records import assessment_screen
from triggerpoints.models import MovementTest

from ..factories import AssessmentFactory, PatientFactory, PrecautionProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(clinic, therapist) -> Assessment:  # noqa: ANN001
    return AssessmentFactory(patient=PatientFactory(clinic=clinic), therapist=therapist)


def url(assessment: Assessment) -> str:
    return reverse("patients:movement", args=[assessment.patient_id, assessment.pk])


def versions(assessment: Assessment) -> dict[str, str]:
    return {
        f"{row.test.key}__version": str(row.result.version if row.result else 0)
        for row in assessment_screen(assessment)
        if not row.excluded
    }


def test_records_three_tests_and_shows_them_scored(therapist_client: Client, assessment):  # noqa: ANN001
    data = {
        **versions(assessment),
        "single-leg-bridge__l": "12",
        "single-leg-bridge__r": "35",
        "craniocervical-flexion__v": "22",
        "hip-hinge__v": "0",
        "hip-hinge__notes": "Good dowel contact.",
    }
    response = therapist_client.post(url(assessment), data)
    assert response.status_code == HTTPStatus.FOUND
    saved = {r.test.key: r for r in MovementResult.objects.filter(assessment=assessment)}
    assert set(saved) == {"single-leg-bridge", "craniocervical-flexion", "hip-hinge"}
    assert (saved["single-leg-bridge"].left, saved["single-leg-bridge"].right) == (12, 35)
    page = therapist_client.get(assessment.get_absolute_url()).content.decode()
    assert "Single-leg bridge hold: left 12 s (normal 30 s or more)" in page
    assert "Hip-hinge pattern: score 0 (normal score 0)" in page


def test_clearing_a_value_removes_the_result_and_history_keeps_it(
    therapist_client: Client, assessment
):  # noqa: ANN001
    test = MovementTest.objects.get(key="craniocervical-flexion")
    result = MovementResult.objects.create(assessment=assessment, test=test, value=22)
    data = versions(assessment)
    response = therapist_client.post(url(assessment), data)
    assert response.status_code == HTTPStatus.FOUND
    assert not MovementResult.objects.filter(pk=result.pk).exists()
    assert MovementResult.history.filter(id=result.pk, history_type="-").exists()


def test_stale_save_is_refused_with_typed_values_kept(therapist_client: Client, assessment):  # noqa: ANN001
    test = MovementTest.objects.get(key="craniocervical-flexion")
    result = MovementResult.objects.create(assessment=assessment, test=test, value=22)
    data = {**versions(assessment), "craniocervical-flexion__v": "26"}
    MovementResult.objects.filter(pk=result.pk).update(version=5, value=24)  # someone else saved
    response = therapist_client.post(url(assessment), data)
    assert response.status_code == HTTPStatus.OK
    assert "Someone else saved this movement screen" in response.content.decode()
    assert 'value="26' in response.content.decode()
    result.refresh_from_db()
    assert result.value == 24


def test_first_result_saved_twice_at_once_is_refused_not_duplicated(
    therapist_client: Client, assessment
):  # noqa: ANN001
    data = {**versions(assessment), "craniocervical-flexion__v": "22"}
    MovementResult.objects.create(
        assessment=assessment, test=MovementTest.objects.get(key="craniocervical-flexion"), value=20
    )
    response = therapist_client.post(url(assessment), data)
    assert response.status_code == HTTPStatus.OK
    assert MovementResult.objects.filter(assessment=assessment).count() == 1


def test_out_of_range_value_and_long_note_are_refused_at_their_fields(
    therapist_client: Client, assessment
):  # noqa: ANN001
    data = {
        **versions(assessment),
        "craniocervical-flexion__v": "45",
        "jaw-opening__v": "38",
        "jaw-opening__notes": "x" * 301,
    }
    response = therapist_client.post(url(assessment), data)
    assert response.status_code == HTTPStatus.OK
    body = response.content.decode()
    assert "less than or equal to 30" in body
    assert "at most 300 characters" in body
    assert not MovementResult.objects.filter(assessment=assessment).exists()


def test_prone_test_is_not_offered_late_in_pregnancy(
    therapist_client: Client, assessment, therapist
):  # noqa: ANN001
    PrecautionProfileFactory(
        patient=assessment.patient, keys=["pregnancy"], pregnancy_weeks=26, recorded_by=therapist
    )
    page = therapist_client.get(url(assessment)).content.decode()
    assert "Not tested: pregnancy (26 weeks): no lying face down for testing." in page
    assert 'name="prone-hip-extension__l"' not in page
    response = therapist_client.post(
        url(assessment), {**versions(assessment), "prone-hip-extension__l": "2"}
    )
    assert response.status_code == HTTPStatus.FOUND
    assert not MovementResult.objects.filter(assessment=assessment).exists()


def test_other_clinic_gets_404_and_archived_record_403(
    stranger_client: Client, therapist_client: Client, assessment
):  # noqa: ANN001
    assert stranger_client.get(url(assessment)).status_code == HTTPStatus.NOT_FOUND
    assessment.patient.archived_at = assessment.created_at
    assessment.patient.save()
    assert therapist_client.get(url(assessment)).status_code == HTTPStatus.FORBIDDEN


def test_wrong_method_is_405(therapist_client: Client, assessment):  # noqa: ANN001
    assert therapist_client.put(url(assessment)).status_code == HTTPStatus.METHOD_NOT_ALLOWED


def _count(client: Client, path: str) -> int:
    """Queries of the page drawn (not its record part kept from an earlier view)."""
    stamps.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == HTTPStatus.OK
    return len(queries)


def test_screen_and_assessment_page_queries_do_not_grow_with_results(
    therapist_client: Client, assessment
):  # noqa: ANN001
    # The screen: session, user, assessment, the catalogue's version token, results,
    # precautions (+ access log); the tests with their muscles and drills are kept per
    # catalogue version, so both pages are read once first to fill the catalogue cache.
    therapist_client.get(assessment.get_absolute_url())
    therapist_client.get(url(assessment))
    few = [_count(therapist_client, url(assessment))]
    few.append(_count(therapist_client, assessment.get_absolute_url()))
    for test in MovementTest.objects.all():
        MovementResult.objects.create(
            assessment=assessment,
            test=test,
            value=None if test.sided else test.value_min,
            left=test.value_min if test.sided else None,
            right=test.value_max if test.sided else None,
        )
    many = [_count(therapist_client, url(assessment))]
    many.append(_count(therapist_client, assessment.get_absolute_url()))
    assert many == few


def test_opening_the_screen_is_logged_as_a_read_of_the_assessment(
    therapist_client: Client, assessment, therapist
):  # noqa: ANN001
    from audit.models import AccessEvent

    therapist_client.get(url(assessment))
    event = AccessEvent.objects.get(view_name="patients:movement")
    assert (event.kind, event.user, event.patient_id) == (
        "assessment",
        therapist,
        assessment.patient_id,
    )
    assert event.object_id == str(assessment.pk)


def test_a_renamed_test_shows_on_the_next_page(therapist_client: Client, assessment) -> None:  # noqa: ANN001
    """The tests are kept per catalogue version: an edit in admin (a new version) shows at once."""
    test = MovementTest.objects.order_by("sort_order").first()
    assert test.name in therapist_client.get(url(assessment)).content.decode()
    test.name = "A renamed test in admin"
    test.save()
    assert "A renamed test in admin" in therapist_client.get(url(assessment)).content.decode()
