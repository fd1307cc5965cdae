"""A patient with 300 visits costs about what one with 10 does: the patient page, the progress
page and the visits page draw a bounded window, and the charts draw at most
progress.MAX_CHART_POINTS points a series (means over periods). Query counts and rendered size,
not timings (bench/loadtest.py measures those)."""

import datetime
from http import HTTPStatus

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from patients import progress
from patients.models import Patient, TreatedPoint, TreatmentSession, User
from triggerpoints.models import ReleaseTechnique, Side, TriggerPoint

from ..factories import (
    AssessmentFactory,
    MeasuresFactory,
    PainMarkFactory,
    PalpatedTriggerPointFactory,
    PatientFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("small_catalogue")]


def patient_with_visits(clinic, therapist: User, visits: int) -> Patient:  # noqa: ANN001
    """Two assessments (pain drawing, measures, a palpated point) and `visits` sessions, one
    every three days up to today, each treating two points; all but the last signed."""
    patient = PatientFactory(clinic=clinic, created_by=therapist, last_name=f"Visits{visits}")
    today = timezone.localdate()
    start = today - datetime.timedelta(days=3 * visits + 30)
    points = list(TriggerPoint.objects.filter(retired=False).order_by("pk")[:2])
    for n, on in enumerate((start, start + datetime.timedelta(days=20))):
        assessment = AssessmentFactory(patient=patient, therapist=therapist, assessed_on=on)
        MeasuresFactory(assessment=assessment, nprs=7 - n, bolt_seconds=15 + n)
        PainMarkFactory(assessment=assessment, region_id="post.neck.upper.l", intensity=6)
        PalpatedTriggerPointFactory(assessment=assessment, trigger_point=points[0])
    sessions = TreatmentSession.objects.bulk_create(
        TreatmentSession(
            patient=patient,
            therapist=therapist,
            session_date=today - datetime.timedelta(days=3 * (visits - 1 - n)),
            pre_nprs=6 - n % 4,
            post_nprs=3 - n % 3,
            signed_at=timezone.now() if n < visits - 1 else None,
            signed_by=therapist if n < visits - 1 else None,
        )
        for n in range(visits)
    )
    technique = ReleaseTechnique.objects.get(key="pressure-release")
    TreatedPoint.objects.bulk_create(
        TreatedPoint(
            session=s,
            trigger_point=point,
            side=Side.LEFT,
            technique=technique,
            status="active",
            retest="tenderness",
            retest_before=6,
            retest_after=3,
        )
        for s in sessions
        for point in points
    )
    return patient


@pytest.fixture
def short_and_long(clinic, therapist: User) -> tuple[Patient, Patient]:  # noqa: ANN001
    return patient_with_visits(clinic, therapist, 10), patient_with_visits(clinic, therapist, 300)


def _cost(client: Client, path: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == HTTPStatus.OK
    return len(queries), len(response.content)


@pytest.mark.parametrize("view_name", ["patients:detail", "patients:progress"])
def test_three_hundred_visits_cost_what_ten_do(
    therapist_client: Client,
    short_and_long: tuple[Patient, Patient],
    view_name: str,
) -> None:
    short, long = short_and_long
    short_queries, short_size = _cost(therapist_client, reverse(view_name, args=[short.pk]))
    long_queries, long_size = _cost(therapist_client, reverse(view_name, args=[long.pk]))
    assert long_queries == short_queries
    assert long_size <= 1.5 * short_size, (view_name, short_size, long_size)


def test_patient_page_lists_the_newest_sessions_and_links_to_the_rest(
    therapist_client: Client, short_and_long: tuple[Patient, Patient]
) -> None:
    _, long = short_and_long
    response = therapist_client.get(reverse("patients:detail", args=[long.pk]))
    newest = long.sessions.order_by("-session_date")[0]
    oldest = long.sessions.order_by("session_date")[0]
    assert len(response.context["sessions"]) == 10
    assert response.context["sessions"][0] == newest
    body = response.content.decode()
    assert newest.get_absolute_url() in body
    assert oldest.get_absolute_url() not in body
    assert reverse("patients:visits", args=[long.pk]) in body
    assert len(response.context["courses"].days) == 6
    assert response.context["courses"].earlier == 302 - 6


def test_patient_page_of_a_short_record_has_no_see_more_link(
    therapist_client: Client, short_and_long: tuple[Patient, Patient]
) -> None:
    short, _ = short_and_long
    response = therapist_client.get(reverse("patients:detail", args=[short.pk]))
    assert response.context["sessions_more"] is False
    assert reverse("patients:visits", args=[short.pk]) not in response.content.decode()


def test_visits_page_reaches_the_oldest_visit(
    therapist_client: Client, short_and_long: tuple[Patient, Patient]
) -> None:
    _, long = short_and_long
    url = reverse("patients:visits", args=[long.pk])
    first = therapist_client.get(url)
    assert first.context["page"].paginator.count == 302
    last_page = first.context["page"].paginator.num_pages
    last = therapist_client.get(url, {"page": last_page})
    oldest = [e for e in last.context["timeline"]][-1]
    assert oldest.kind == "assessment"
    assert oldest.on == long.assessments.order_by("assessed_on")[0].assessed_on
    # The newest first on page 1, and no visit on two pages.
    assert first.context["timeline"][0].on == timezone.localdate()
    seen = [e.url for n in range(1, last_page + 1) for e in _timeline(therapist_client, url, n)]
    assert len(seen) == len(set(seen)) == 302
    assert len(first.context["timeline"]) == 25


def _timeline(client: Client, url: str, page: int) -> list:
    return client.get(url, {"page": page}).context["timeline"]


def test_long_series_are_averaged_to_a_bounded_number_of_points(
    short_and_long: tuple[Patient, Patient],
) -> None:
    short, long = short_and_long
    assert [len(s.points) for s in progress.nprs_series(short)] == [2, 10, 10]
    series = progress.nprs_series(long)
    assert all(len(s.points) <= progress.MAX_CHART_POINTS for s in series)
    pre = series[1].points
    assert pre[-1][0] <= timezone.localdate()
    assert all(2 <= value <= 6 for _, value in pre)  # means of scores between 3 and 6


def test_chart_period_is_a_day_until_there_are_too_many_points() -> None:
    day = datetime.date(2026, 1, 1)
    few = [day + datetime.timedelta(days=n) for n in range(40)]
    assert progress.chart_period(few) == (1, "day")
    many = [day + datetime.timedelta(days=3 * n) for n in range(300)]
    length, words = progress.chart_period(many)
    assert (max(many) - min(many)).days // length + 1 <= progress.MAX_CHART_POINTS
    assert words == "4 weeks"


def test_bucketed_takes_the_mean_of_each_period_dated_at_its_first_visit() -> None:
    d = datetime.date
    points = [(d(2026, 1, 1), 6), (d(2026, 1, 3), 4), (d(2026, 1, 8), 3), (d(2026, 1, 9), 2)]
    assert progress.bucketed(points, 7) == [(d(2026, 1, 1), 5.0), (d(2026, 1, 8), 2.5)]
    assert progress.bucketed(points, 1) == points
