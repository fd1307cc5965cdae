"""Each trigger point's course across visits and the recurrence rule (patients.course):
the pure rule on plain data, then the patient page."""

import datetime
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse

from patients.course import PointVisit, load_courses, recurrence

from ..factories import (
    AssessmentFactory,
    MeasuresFactory,
    PalpatedTriggerPointFactory,
    PatientFactory,
    TreatedPointFactory,
    TreatmentSessionFactory,
)

D = datetime.date


def visits(*statuses: tuple[datetime.date, str]) -> list[PointVisit]:
    return [PointVisit(on, "session", status) for on, status in statuses]


def weekly(start: datetime.date, count: int) -> list[datetime.date]:
    return [start + datetime.timedelta(weeks=n) for n in range(count)]


def test_improving_patient_is_not_recurrent() -> None:
    """The demo patient: pain 6 -> 3 over four weekly sessions."""
    days = weekly(D(2026, 10, 20), 5)
    nprs = list(zip(days, (6, 5, 4, 3, 3), strict=True))
    assert recurrence(visits(*((d, "active") for d in days)), nprs) == ""


def test_resolved_point_that_returns_is_recurrent() -> None:
    history = visits((D(2026, 10, 1), "active"), (D(2026, 10, 8), "resolved"))
    history += visits((D(2026, 10, 29), "active"))
    assert recurrence(history, []) == "was resolved on 8 Oct 2026 and active again on 29 Oct 2026"


def test_latent_point_that_becomes_active_again_is_recurrent() -> None:
    history = visits((D(2026, 10, 1), "latent"), (D(2026, 10, 8), "active"))
    assert recurrence(history, []).startswith("was latent on 1 Oct 2026 and active again")


def test_point_active_at_three_visits_over_four_weeks_with_pain_unchanged_is_recurrent() -> None:
    days = [D(2026, 10, 1), D(2026, 10, 15), D(2026, 10, 29)]
    nprs = [(d, 6) for d in days]
    assert recurrence(visits(*((d, "active") for d in days)), nprs) == (
        "was still active at 3 visits over 4 weeks while pain went from 6 to 6 out of 10"
    )


@pytest.mark.parametrize(
    ("days", "pain", "recurs"),
    [
        ([D(2026, 10, 1), D(2026, 10, 8), D(2026, 10, 15)], (6, 6, 6), False),  # 2 weeks only
        ([D(2026, 10, 1), D(2026, 10, 29)], (6, 6), False),  # 2 visits only
        ([D(2026, 10, 1), D(2026, 10, 15), D(2026, 10, 29)], (6, 5, 4), False),  # fell by 2
        ([D(2026, 10, 1), D(2026, 10, 15), D(2026, 10, 29)], (6, 6, 5), True),  # fell by 1
    ],
)
def test_persistence_needs_three_visits_four_weeks_and_pain_not_falling_by_two(
    days: list[datetime.date], pain: tuple[int, ...], recurs: bool
) -> None:
    nprs = list(zip(days, pain, strict=True))
    assert bool(recurrence(visits(*((d, "active") for d in days)), nprs)) is recurs


def test_without_pain_scores_there_is_no_evidence_of_persistence() -> None:
    days = weekly(D(2026, 10, 1), 6)
    assert recurrence(visits(*((d, "active") for d in days)), []) == ""


@pytest.mark.django_db
def test_load_courses_follows_a_point_across_assessment_and_sessions() -> None:
    patient = PatientFactory()
    assessment = AssessmentFactory(patient=patient, assessed_on=D(2026, 10, 5))
    MeasuresFactory(assessment=assessment, nprs=6)
    palpated = PalpatedTriggerPointFactory(assessment=assessment)
    for n, status in enumerate(("active", "resolved", "active")):
        session = TreatmentSessionFactory(
            patient=patient, session_date=D(2026, 10, 12) + datetime.timedelta(weeks=n)
        )
        TreatedPointFactory(
            session=session,
            trigger_point=palpated.trigger_point,
            status=status,
            retest="tenderness",
            retest_before=7,
            retest_after=3,
        )
    courses = load_courses(patient)
    [course] = courses.points
    assert [v.status for v in course.visits] == ["active", "active", "resolved", "active"]
    assert course.visits[1].retest_text == "tenderness 7 → 3"
    assert course.recurrence == "was resolved on 19 Oct 2026 and active again on 26 Oct 2026"
    assert courses.adherence == "most"
    assert len(courses.columns()) == 4


@pytest.mark.django_db
def test_patient_page_shows_each_points_course(therapist_client: Client, therapist) -> None:  # noqa: ANN001
    patient = PatientFactory(clinic=therapist.clinic)
    assessment = AssessmentFactory(patient=patient)
    PalpatedTriggerPointFactory(assessment=assessment)
    session = TreatmentSessionFactory(patient=patient)
    TreatedPointFactory(session=session, status="latent", retest="ppt", retest_before=180)
    response = therapist_client.get(reverse("patients:detail", args=[patient.pk]))
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "Trigger points across visits" in page
    assert "PPT 180 kPa" in page
    assert "home programme most days" in page
