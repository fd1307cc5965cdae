"""Intake and red-flag screening: red flags come before any myofascial explanation."""

from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse

from patients import services
from patients.models import Assessment, Patient
from patients.red_flags import red_flags

from ..factories import AssessmentFactory, PatientFactory

pytestmark = pytest.mark.django_db

ALL_NO = {flag.key: "no" for flag in red_flags()}


@pytest.fixture
def patient(clinic) -> Patient:  # noqa: ANN001
    return PatientFactory(clinic=clinic)


@pytest.fixture
def assessment(patient: Patient, therapist) -> Assessment:  # noqa: ANN001
    return AssessmentFactory(patient=patient, therapist=therapist)


def url(name: str, a: Assessment) -> str:
    return reverse(f"patients:{name}", args=[a.patient_id, a.pk])


def fresh(a: Assessment) -> Assessment:
    return Assessment.objects.prefetch_related("red_flag_answers").get(pk=a.pk)


def test_checklist_covers_the_facts_sections() -> None:
    flags = red_flags()
    assert len(flags) == 20
    assert {f.group for f in flags} == {
        "Spine and general",
        "Head and neck",
        "Chest and breathing",
        "Limbs",
        "Mood",
    }
    assert {f.key for f in flags if not f.blocks} == {"yellow-flags"}
    assert all(f.action for f in flags)


def test_create_assessment_then_go_to_screening(therapist_client: Client, patient) -> None:  # noqa: ANN001
    response = therapist_client.post(
        reverse("patients:assessment_create", args=[patient.pk]),
        {
            "assessed_on": "2026-11-20",
            "chief_complaint": "Neck ache",
            "onset": "sudden",
            "onset_date": "2026-11-01",
            "stress": 6,
        },
    )
    assessment = patient.assessments.get()
    assert response.url == url("red_flags", assessment)
    assert assessment.red_flag_status == "not_screened"
    assert not assessment.shows_myofascial_explanations


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("stress", "11", "Stress is scored from 0 to 10."),
        ("assessed_on", "2999-01-01", "The assessment date can&#x27;t be in the future."),
        ("onset_date", "2999-01-01", "The onset date can&#x27;t be in the future."),
        ("chief_complaint", "", "This field is required."),
    ],
)
def test_invalid_intake_is_shown_at_the_field(
    therapist_client: Client,
    patient,
    field: str,
    value: str,
    message: str,  # noqa: ANN001
) -> None:
    data = {
        "assessed_on": "2026-11-20",
        "chief_complaint": "Neck ache",
        "onset": "gradual",
        field: value,
    }
    response = therapist_client.post(reverse("patients:assessment_create", args=[patient.pk]), data)
    assert response.status_code == HTTPStatus.OK
    assert message in response.content.decode()
    assert not patient.assessments.exists()


def test_screening_with_no_flags_allows_explanations(
    therapist_client: Client, assessment: Assessment
) -> None:
    response = therapist_client.post(url("red_flags", assessment), ALL_NO)
    assert response.status_code == HTTPStatus.FOUND
    a = fresh(assessment)
    assert a.red_flag_answers.count() == 20
    assert a.red_flag_status == "clear" and a.shows_myofascial_explanations


def test_unanswered_question_is_refused_and_nothing_saved(
    therapist_client: Client, assessment: Assessment
) -> None:
    data = {k: v for k, v in ALL_NO.items() if k != "cardiac"}
    response = therapist_client.post(url("red_flags", assessment), data)
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["cardiac"] == ["Answer yes or no."]
    assert not fresh(assessment).red_flag_answers.exists()


def test_positive_flag_warns_and_holds_back_explanations_until_decided(
    therapist_client: Client,
    therapist,
    assessment: Assessment,  # noqa: ANN001
) -> None:
    therapist_client.post(url("red_flags", assessment), {**ALL_NO, "cardiac": "yes"})
    a = fresh(assessment)
    assert a.red_flag_status == "unresolved" and not a.shows_myofascial_explanations
    page = therapist_client.get(url("assessment", assessment)).content.decode()
    assert "Recommended action: Cardiac cause must be excluded first" in page
    assert "Record your decision" in page

    # A decision needs a note.
    response = therapist_client.post(
        url("red_flag_decision", assessment), {"decision": "cleared", "note": ""}
    )
    assert "Write a note that explains the decision." in response.content.decode()
    assert not fresh(assessment).shows_myofascial_explanations

    therapist_client.post(
        url("red_flag_decision", assessment),
        {"decision": "cleared", "note": "Cardiology letter: normal ECG."},
    )
    a = fresh(assessment)
    assert a.red_flag_status == "resolved" and a.shows_myofascial_explanations
    assert a.red_flag_decided_by == therapist
    assert a.history.first().red_flag_decision == "cleared"  # who decided is recorded


def test_new_positive_flag_after_a_decision_needs_a_new_decision(
    therapist: object, assessment: Assessment
) -> None:
    flags = {f.key: False for f in red_flags()}
    a = services.red_flags_record(assessment=fresh(assessment), answers={**flags, "dvt": True})
    a = services.red_flag_decide(
        assessment=a, decision="referred_out", note="Sent to ED.", by=therapist
    )
    assert a.shows_myofascial_explanations
    a = services.red_flags_record(
        assessment=fresh(a), answers={**flags, "dvt": True, "cardiac": True}
    )
    assert a.red_flag_status == "unresolved" and a.red_flag_decision == ""


def test_yellow_flag_alone_does_not_block(assessment: Assessment) -> None:
    flags = {f.key: False for f in red_flags()}
    a = services.red_flags_record(
        assessment=fresh(assessment), answers={**flags, "yellow-flags": True}
    )
    assert a.red_flag_status == "clear" and a.shows_myofascial_explanations
    assert [f.key for f in a.positive_red_flags()] == ["yellow-flags"]


@pytest.mark.parametrize("name", ["assessment", "red_flags"])
def test_assessment_pages_are_404_for_other_clinic(
    stranger_client: Client, assessment: Assessment, name: str
) -> None:
    assert stranger_client.get(url(name, assessment)).status_code == HTTPStatus.NOT_FOUND


def test_decision_is_404_for_other_clinic(stranger_client: Client, assessment) -> None:  # noqa: ANN001
    response = stranger_client.post(
        url("red_flag_decision", assessment), {"decision": "cleared", "note": "x"}
    )
    assert response.status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("name", ["assessment", "red_flags"])
def test_assessment_pages_need_login(client: Client, assessment: Assessment, name: str) -> None:
    assert client.get(url(name, assessment)).url.startswith(reverse("login"))


def test_assessment_detail_refuses_post_and_decision_refuses_get(
    therapist_client: Client, assessment: Assessment
) -> None:
    assert therapist_client.post(url("assessment", assessment)).status_code == 405
    assert therapist_client.get(url("red_flag_decision", assessment)).status_code == 405


def test_assessment_of_another_patient_path_is_404(
    therapist_client: Client,
    assessment: Assessment,
    clinic,  # noqa: ANN001
) -> None:
    other = PatientFactory(clinic=clinic)
    response = therapist_client.get(reverse("patients:assessment", args=[other.pk, assessment.pk]))
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_assessment_detail_query_count(
    therapist_client: Client,
    assessment: Assessment,
    django_assert_max_num_queries,  # noqa: ANN001
) -> None:
    services.red_flags_record(
        assessment=fresh(assessment), answers={f.key: True for f in red_flags()}
    )
    # session, user, assessment (patient, therapist, decider), answers; pain marks, region
    # labels (no ranking over an unresolved flag); palpated points, postural observations,
    # measures, PSFS activities; plans
    with django_assert_max_num_queries(12):  # + the access-log row
        response = therapist_client.get(url("assessment", assessment))
    assert response.context["pain_candidates"] is None
