"""Back in the clinic: the diary's adherence and pain on the session form and progress page,
and how adherence changes the recurrence rule (patients.course)."""

import datetime
import json
import uuid
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from patients.course import PointVisit, adherence_level, recurrence
from patients.models import User
from plans.content import ItemContent
from portal.diary import Programme, summarise
from portal.models import DiaryDay, DiaryTick, PatientLink

from ..factories import TreatmentSessionFactory
from .conftest import Linked

D = datetime.date
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("small_catalogue")]


# The rules, on plain data


@pytest.mark.parametrize(
    ("done", "expected", "level"),
    [(0, 0, ""), (0, 21, "none"), (5, 21, "some"), (11, 21, "most"), (18, 21, "all")],
)
def test_adherence_level_from_the_diary(done: int, expected: int, level: str) -> None:
    assert adherence_level(done, expected) == level


def _active_over_four_weeks() -> tuple[list[PointVisit], list[tuple[D, int]]]:
    days = [D(2026, 10, 1), D(2026, 10, 15), D(2026, 10, 29)]
    return [PointVisit(d, "session", "active") for d in days], [(d, 6) for d in days]


def test_a_persisting_point_recurs_when_the_programme_was_done() -> None:
    visits, nprs = _active_over_four_weeks()
    adherence = [(D(2026, 10, 15), "most"), (D(2026, 10, 29), "all")]
    assert recurrence(visits, nprs, adherence).startswith("was still active at 3 visits")


@pytest.mark.parametrize("poor", ["none", "some"])
def test_a_persisting_point_does_not_recur_when_the_programme_was_not_done(poor: str) -> None:
    """Low adherence leads to a simpler programme (plans.rules), not a harder one: persistence
    without the programme is no evidence that the programme failed."""
    visits, nprs = _active_over_four_weeks()
    assert recurrence(visits, nprs, [(D(2026, 10, 15), "most"), (D(2026, 10, 29), poor)]) == ""


def test_a_point_that_comes_back_recurs_whatever_the_adherence() -> None:
    visits = [PointVisit(D(2026, 10, 1), "session", "resolved")]
    visits.append(PointVisit(D(2026, 10, 8), "session", "active"))
    assert recurrence(visits, [], [(D(2026, 10, 8), "none")]).startswith("was resolved")


def _item(title: str, strand: str, key: str) -> ItemContent:
    return ItemContent(strand, title, "", "", "", "", key=key)


def test_summary_counts_each_item_per_day_and_per_strand() -> None:
    items = [("a", _item("A", "postural", "a")), ("b", _item("B", "breathing", "b"))]
    since, until = D(2026, 11, 10), D(2026, 11, 16)  # 7 days
    ticks = [(since + datetime.timedelta(days=n), "a", True, n == 2) for n in range(7)]
    ticks += [(since, "b", True, False), (since, "b", False, False)]  # an undo counts nothing
    ticks += [(since - datetime.timedelta(days=1), "b", True, False)]  # before the period
    summary = summarise(
        [Programme(since, items)],
        ticks,
        [(since, 3, "ok"), (until, None, "")],
        since=since,
        until=until,
    )
    a, b = summary.items
    assert (a.done, a.days, a.worse, a.percent) == (7, 7, 1, 100)
    assert (b.done, b.days) == (1, 7)
    assert [(s.strand, s.percent) for s in summary.strands] == [
        ("postural", 100),
        ("breathing", 14),
    ]
    assert summary.flagged == [a]
    assert summary.level == "most"  # 8 of 14 item-days
    assert summary.pain == [(since, 3)] and summary.notes == [(since, "ok")]


# The pages


def _diary(linked: Linked, days: int, *, pain: int = 5) -> None:
    """`days` days of diary ending today, chin nods every day, nasal breathing made it worse
    once. Written straight to the tables (the sync is tested elsewhere)."""
    today = timezone.localdate()
    start = today - datetime.timedelta(days=days - 1)
    PatientLink.objects.filter(pk=linked.link.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days)
    )
    for n in range(days):
        day = start + datetime.timedelta(days=n)
        common = {"link": linked.link, "patient": linked.patient, "day": day}
        DiaryTick.objects.create(item_key="drill:chin-nod", strand="postural", **common)
        DiaryDay.objects.create(pain=pain, **common)
    DiaryTick.objects.create(
        link=linked.link,
        patient=linked.patient,
        day=today,
        item_key="drill:nasal",
        strand="breathing",
        worse=True,
    )


def test_session_form_shows_adherence_pain_and_flagged_items(
    linked: Linked, therapist_client: Client
) -> None:
    TreatmentSessionFactory(
        patient=linked.patient,
        therapist=linked.therapist,
        session_date=timezone.localdate() - datetime.timedelta(days=6),
        pre_nprs=6,
    )
    _diary(linked, 6)
    response = therapist_client.get(reverse("patients:session_create", args=[linked.patient.pk]))
    body = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "The patient’s diary since" in body
    assert "6 of 6 (100%)" in body  # chin nods, every day since the last visit
    assert "1 of 6 (17%)" in body  # nasal breathing, once
    assert "0 of 6 (0%)" in body  # wall angels
    assert "Postural retraining: 50%" in body and "Breathing retraining: 17%" in body
    assert "Made it worse: Nasal breathing (1 day)" in body
    assert 'id="diary-pain-chart"' in body and "Diary pain" in body
    assert "Pain before the session (NPRS)" in body
    # 7 of 18 item-days: "some days", which the adherence field is set to.
    assert response.context["form"].initial["adherence"] == "some"


def test_session_form_without_a_diary_is_unchanged(therapist_client: Client, therapist) -> None:  # noqa: ANN001
    from ..factories import PatientFactory

    patient = PatientFactory(clinic=therapist.clinic)
    body = therapist_client.get(reverse("patients:session_create", args=[patient.pk])).content
    assert b"diary" not in body.lower().replace(b"diary-", b"")


def test_session_form_queries_do_not_grow_with_the_diary(
    linked: Linked,
    therapist_client: Client,
    django_assert_max_num_queries,  # noqa: ANN001
) -> None:
    url = reverse("patients:session_create", args=[linked.patient.pk])
    _diary(linked, 2)
    with django_assert_max_num_queries(60) as few:
        therapist_client.get(url)
    DiaryTick.objects.all().delete()
    DiaryDay.objects.all().delete()
    _diary(linked, 7)
    with django_assert_max_num_queries(len(few.captured_queries)):
        therapist_client.get(url)


def test_progress_page_charts_diary_pain_and_adherence(
    linked: Linked, therapist_client: Client
) -> None:
    _diary(linked, 10, pain=4)
    body = therapist_client.get(reverse("patients:progress", args=[linked.patient.pk])).content
    body = body.decode()
    assert 'id="diary-pain-chart"' in body and 'id="diary-adherence-chart"' in body
    assert "Home items done (% of the week)" in body


def test_progress_page_without_a_diary_has_no_diary_section(
    therapist_client: Client,
    therapist,  # noqa: ANN001
) -> None:
    from ..factories import PatientFactory

    patient = PatientFactory(clinic=therapist.clinic)
    body = therapist_client.get(reverse("patients:progress", args=[patient.pk])).content
    assert b"diary-pain-chart" not in body


def test_entries_synced_from_the_phone_reach_the_session_form(
    linked: Linked, phone: Client, therapist_client: Client
) -> None:
    today = timezone.localdate().isoformat()
    entries = [
        {"id": str(uuid.uuid4()), "day": today, "item": "drill:chin-nod", "done": True},
        {"id": str(uuid.uuid4()), "day": today, "pain": 3},
    ]
    phone.post(linked.diary_url, json.dumps({"entries": entries}), content_type="application/json")
    body = therapist_client.get(
        reverse("patients:session_create", args=[linked.patient.pk])
    ).content.decode()
    assert "1 of 1 (100%)" in body


@pytest.mark.parametrize(("last_adherence", "recurs"), [("most", True), ("some", False)])
def test_adherence_recorded_at_sessions_gates_persistence_in_the_course(
    therapist: User, last_adherence: str, recurs: bool
) -> None:
    """Through the database: the course the plan rules read (patients.course.load_courses)."""
    from patients.course import load_courses

    from ..factories import PatientFactory, TreatedPointFactory

    patient = PatientFactory(clinic=therapist.clinic)
    days = [D(2026, 10, 1), D(2026, 10, 15), D(2026, 10, 29)]
    for n, day in enumerate(days):
        session = TreatmentSessionFactory(
            patient=patient,
            therapist=therapist,
            session_date=day,
            pre_nprs=6,
            adherence=last_adherence if n == 2 else "most",
        )
        TreatedPointFactory(session=session, status="active")
    assert bool(load_courses(patient).recurring) is recurs
