"""What the assessment feeds the ranking besides the marked regions (patients.presentation)."""

from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse

from patients import services
from patients.models import Assessment
from patients.presentation import FactorLinks, breathing_cues, presentation_factors

from ..factories import (
    AssessmentFactory,
    MeasuresFactory,
    PainMarkFactory,
    PatientFactory,
    PosturalObservationFactory,
    screen_red_flags,
)

LINKS = [
    FactorLinks("forward-head-posture", "posture", postural_findings=frozenset({"forward-head"})),
    FactorLinks(
        "phone-use",
        "habit",
        intake_cues=frozenset({"activity:phone"}),
        postural_findings=frozenset({"forward-head"}),
    ),
    FactorLinks("stress", "psychological", intake_cues=frozenset({"stress:high"})),
    FactorLinks(
        "upper-chest-breathing", "breathing", breathing_findings=frozenset({"upper-chest"})
    ),
    FactorLinks("clenching-bruxism", "habit"),
]


def derive(**kwargs: object) -> dict[str, str]:
    args = {"reported": (), "cues": set(), "postural": (), "breathing": (), "links": LINKS}
    return presentation_factors(**{**args, **kwargs})


def test_reported_factors_count_as_reported() -> None:
    assert derive(reported=["clenching-bruxism"]) == {"clenching-bruxism": "reported"}


def test_intake_answers_fire_their_factors() -> None:
    assert derive(cues={"activity:phone", "stress:high"}) == {
        "phone-use": "intake answers",
        "stress": "intake answers",
    }


def test_a_postural_finding_is_its_posture_factor_not_a_habit() -> None:
    """Forward head posture on examination does not prove phone use."""
    assert derive(postural=["forward-head"]) == {"forward-head-posture": "postural finding"}


def test_breathing_measures_bring_their_breathing_factor() -> None:
    assert derive(breathing=["upper-chest"]) == {"upper-chest-breathing": "breathing measures"}


@pytest.mark.django_db
def test_breathing_cues_from_the_measures() -> None:
    measures = MeasuresFactory(
        breathing_pattern="upper-chest",
        mouth_breathing=True,
        bolt_seconds=12,
        breathing_rate=20,
        nijmegen=[1] * 16,
    )
    assert breathing_cues(measures) == {
        "pattern:upper-chest",
        "mouth-breathing",
        "bolt:low",
        "rate:high",
    }
    assert breathing_cues(None) == set()


pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(clinic, therapist) -> Assessment:  # noqa: ANN001
    patient = PatientFactory(clinic=clinic, activities=[])
    a = AssessmentFactory(patient=patient, therapist=therapist)
    screen_red_flags(a)
    PainMarkFactory(assessment=a, region_id="ant.face.l")
    PainMarkFactory(assessment=a, region_id="lat.head.ear.l")
    return Assessment.objects.get(pk=a.pk)


def candidates(client: Client, a: Assessment) -> list:
    response = client.get(reverse("patients:assessment", args=[a.patient_id, a.pk]))
    return [row.candidate for row in response.context["pain_candidates"]]


def test_symptoms_and_habits_change_the_ranking_and_say_so(
    therapist_client: Client, assessment: Assessment
) -> None:
    before = candidates(therapist_client, assessment)
    masseter_before = next(c for c in before if c.muscle == "Masseter")
    url = reverse("patients:presentation", args=[assessment.patient_id, assessment.pk])
    response = therapist_client.post(
        url,
        {"symptoms": ["tinnitus"], "factors": ["clenching-bruxism"], "version": assessment.version},
    )
    assert response.status_code == HTTPStatus.FOUND
    after = candidates(therapist_client, assessment)
    masseter = next(c for c in after if c.muscle == "Masseter")
    assert masseter.score > masseter_before.score
    kinds = [e.kind for e in masseter.evidence]
    assert "symptom" in kinds and "factor" in kinds
    page = therapist_client.get(assessment.get_absolute_url()).content.decode()
    assert "(symptom)" in page and "(reported)" in page


def test_the_examination_feeds_the_ranking(
    therapist_client: Client, assessment: Assessment
) -> None:
    PosturalObservationFactory(assessment=assessment)  # forward head posture
    page = therapist_client.get(assessment.get_absolute_url()).content.decode()
    assert "Forward head posture (postural finding)" in page


def test_a_stale_save_of_symptoms_is_refused_with_the_ticks_kept(
    therapist_client: Client, assessment: Assessment
) -> None:
    url = reverse("patients:presentation", args=[assessment.patient_id, assessment.pk])
    opened = assessment.version
    services.presentation_record(
        assessment=assessment, symptoms=["tinnitus"], factors=[], expected_version=opened
    )
    response = therapist_client.post(url, {"symptoms": ["jaw-clicking"], "version": opened})
    assert response.status_code == HTTPStatus.OK
    assert "Someone else saved this assessment" in response.content.decode()
    assert response.context["form"]["symptoms"].value() == ["jaw-clicking"]
    assert Assessment.objects.get(pk=assessment.pk).symptoms == ["tinnitus"]


def test_unknown_symptom_is_refused_at_the_field(
    therapist_client: Client, assessment: Assessment
) -> None:
    url = reverse("patients:presentation", args=[assessment.patient_id, assessment.pk])
    response = therapist_client.post(url, {"symptoms": ["no-such"], "version": assessment.version})
    assert "Select a valid choice" in response.content.decode()
    assert Assessment.objects.get(pk=assessment.pk).symptoms == []


def test_presentation_page_is_404_for_another_clinic(
    stranger_client: Client, assessment: Assessment
) -> None:
    url = reverse("patients:presentation", args=[assessment.patient_id, assessment.pk])
    assert stranger_client.get(url).status_code == HTTPStatus.NOT_FOUND


def test_intake_records_symptoms_and_habits(therapist_client: Client, clinic) -> None:  # noqa: ANN001
    patient = PatientFactory(clinic=clinic)
    response = therapist_client.post(
        reverse("patients:assessment_create", args=[patient.pk]),
        {
            "assessed_on": "2026-11-20",
            "chief_complaint": "Jaw ache",
            "onset": "gradual",
            "symptoms": ["tinnitus", "jaw-clicking"],
            "factors": ["clenching-bruxism"],
            "precautions-keys": [],
            "precautions-none": "on",
        },
    )
    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:3000]
    a = patient.assessments.get()
    assert (a.symptoms, a.factors) == (["tinnitus", "jaw-clicking"], ["clenching-bruxism"])


@pytest.mark.parametrize("many", [False, True])
def test_assessment_page_queries_stay_constant_with_the_context(
    therapist_client: Client,
    assessment: Assessment,
    many: bool,
    django_assert_max_num_queries,  # noqa: ANN001
) -> None:
    symptoms = ["tinnitus", "jaw-clicking", "pain-chewing", "sinus-like-pain"] if many else []
    factors = ["clenching-bruxism", "phone-use", "stress", "poor-sleep"] if many else []
    Assessment.objects.filter(pk=assessment.pk).update(symptoms=symptoms, factors=factors)
    for _ in range(3 if many else 0):
        PosturalObservationFactory(assessment=assessment, finding=next_finding(assessment))
    if many:
        MeasuresFactory(assessment=assessment)
    # session, user, access-log row, assessment (with patient, therapist); drawing the record
    # part: the assessment again with screening, answers; held-back
    # screenings; examination (4); pain marks, region labels; the factors' links (3), breathing
    # findings (1, only once measured); the catalogue's version token, the ranking's
    # catalogue (6); plans; cross-checks; the movement screen: tests, results, precautions (3)
    with django_assert_max_num_queries(28):
        response = therapist_client.get(assessment.get_absolute_url())
    assert response.context["pain_candidates"]


def next_finding(assessment: Assessment):  # noqa: ANN201
    from triggerpoints.models import PosturalFinding

    taken = assessment.postural_observations.values("finding_id")
    return PosturalFinding.objects.exclude(pk__in=taken).order_by("pk").first()
