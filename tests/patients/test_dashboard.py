"""The dashboard at home: what needs doing, scoped to the therapist (or the clinic for its
admin), each item linking to its action, in a constant number of queries."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from patients.dashboard import not_improving
from patients.models import Screening, TreatmentSession, User
from plans.models import Plan

from ..factories import (
    AssessmentFactory,
    PatientFactory,
    PlanFactory,
    TreatmentSessionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ([6, 6, 6], True),  # flat
        ([5, 6, 7], True),  # worse
        ([7, 6, 6], True),  # one point is not a change patients feel
        ([7, 6, 5], False),  # two points is
        ([8, 3], False),  # too few scores to call a trend
    ],
)
def test_not_improving_needs_three_scores_and_no_two_point_fall(
    scores: list[int], expected: bool
) -> None:
    assert not_improving(scores) is expected


def today():  # noqa: ANN201
    return timezone.localdate()


def open_work(therapist: User, *, name: str = "Nora") -> None:
    """One of everything the dashboard lists, for `therapist`."""
    patient = PatientFactory(clinic=therapist.clinic, first_name=name)
    assessment = AssessmentFactory(patient=patient, therapist=therapist, assessed_on=today())
    Screening.objects.create(
        patient=patient,
        assessment=assessment,
        screened_on=today(),
        screened_by=therapist,
        level="urgent",
        holds_back=True,
    )
    for weeks_ago, pain in ((3, 6), (2, 6), (1, 7)):
        TreatmentSessionFactory(
            patient=patient,
            therapist=therapist,
            session_date=today() - timedelta(weeks=weeks_ago),
            pre_nprs=pain,
        )
    PlanFactory(
        assessment=assessment,
        status=Plan.Status.ISSUED,
        issued_number=1,
        review_date=today() + timedelta(days=2),
    )


def sections(response) -> dict:  # noqa: ANN001
    return {section.key: section for section in response.context["sections"]}


def test_dashboard_lists_each_kind_of_open_work_with_a_link_to_its_action(
    therapist_client: Client, therapist: User
) -> None:
    open_work(therapist)
    response = therapist_client.get(reverse("home"))
    assert response.status_code == HTTPStatus.OK
    found = sections(response)
    session = TreatmentSession.objects.order_by("session_date").first()
    screening = Screening.objects.get()
    plan = Plan.objects.get()
    assert [i.url for i in found["unsigned"].items][0] == session.get_absolute_url() + "#signature"
    assert found["red_flags"].items[0].url == screening.get_absolute_url() + "#red-flags"
    assert found["plans_due"].items[0].url == plan.get_absolute_url()
    assert found["recent"].items[0].text == "Today: assessment"
    trend = found["not_improving"].items[0]
    assert trend.text == "Pain 6 → 6 → 7 over 3 sessions"
    assert trend.url == reverse("patients:progress", args=[plan.patient_id])
    body = response.content.decode()
    for section in found.values():
        assert f'href="{section.items[0].url}"' in body
    assert "(soon)" not in body


def test_therapist_sees_only_their_own_work_and_clinic_admin_sees_the_clinics(
    therapist_client: Client,
    therapist: User,
    colleague: User,
    clinic_admin_client: Client,
    stranger: User,
) -> None:
    open_work(colleague, name="Colm")
    open_work(stranger, name="Stella")
    mine = sections(therapist_client.get(reverse("home")))
    assert all(not section.items for section in mine.values())
    clinic = sections(clinic_admin_client.get(reverse("home")))
    for section in clinic.values():
        assert {item.patient.first_name for item in section.items} == {"Colm"}, section.key


def test_dashboard_queries_do_not_grow_with_the_work(
    therapist_client: Client,
    therapist: User,
    django_assert_num_queries,  # noqa: ANN001
) -> None:
    open_work(therapist)
    # session, user, then one query per section (recent: assessments and sessions; the pain
    # trend: sessions with their patients), the portal's diary prompts (HOME_EXTRAS), and the
    # access-log row
    with django_assert_num_queries(10) as few:
        therapist_client.get(reverse("home"))
    for n in range(4):
        open_work(therapist, name=f"Patient {n}")
    with django_assert_num_queries(len(few.captured_queries)):
        response = therapist_client.get(reverse("home"))
    assert len(sections(response)["unsigned"].items) == 8  # LIMIT, the rest counted
    assert sections(response)["unsigned"].more == 7


def test_catalogue_editor_home_has_no_dashboard(editor_client: Client) -> None:
    response = editor_client.get(reverse("home"))
    assert response.context["sections"] == []
    assert "Browse the catalogue" in response.content.decode()
