"""The progress page: timeline, pain charts, trigger points that keep coming back."""

import datetime
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from patients import progress
from patients.models import Assessment, MovementResult, Patient, TreatmentSession, User
from triggerpoints.models import BodyRegion, MovementTest, ReleaseTechnique, Side, TriggerPoint

from ..factories import (
    AssessmentFactory,
    MeasuresFactory,
    PainMarkFactory,
    PalpatedTriggerPointFactory,
    PatientFactory,
    SessionAmendmentFactory,
    TreatedPointFactory,
    TreatmentSessionFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("small_catalogue")]

D = datetime.date


# Records by the patient's own therapist: a new user per row would hash a password per row.


def assessment_of(patient: Patient, **fields: object) -> Assessment:
    return AssessmentFactory(patient=patient, therapist=patient.created_by, **fields)


def session_of(patient: Patient, **fields: object) -> TreatmentSession:
    return TreatmentSessionFactory(patient=patient, therapist=patient.created_by, **fields)


def url(patient: Patient) -> str:
    return reverse("patients:progress", args=[patient.pk])


def regions(count: int) -> list[str]:
    return list(BodyRegion.objects.order_by("code").values_list("code", flat=True)[:count])


def points(count: int) -> list[TriggerPoint]:
    return list(TriggerPoint.objects.select_related("muscle").order_by("pk")[:count])


# Access


def test_other_clinic_gets_404(stranger_client: Client, patient: Patient) -> None:
    assert stranger_client.get(url(patient)).status_code == HTTPStatus.NOT_FOUND


def test_user_without_clinic_gets_404(editor_client: Client, patient: Patient) -> None:
    assert editor_client.get(url(patient)).status_code == HTTPStatus.NOT_FOUND


def test_colleague_in_same_clinic_sees_progress(colleague_client: Client, patient) -> None:  # noqa: ANN001
    response = colleague_client.get(url(patient))
    assert response.status_code == HTTPStatus.OK
    assert "Progress of Maria Keane" in response.content.decode()


def test_progress_refuses_post(therapist_client: Client, patient: Patient) -> None:
    assert therapist_client.post(url(patient)).status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_empty_record_shows_plain_empty_states(therapist_client: Client, patient) -> None:  # noqa: ANN001
    page = therapist_client.get(url(patient)).content.decode()
    assert "No assessments or sessions yet." in page
    assert "No pain scores recorded yet." in page
    assert "No pain drawings recorded yet." in page
    assert "No trigger point has come back yet." in page
    assert '<svg class="line-chart__svg"' not in page


# Timeline


def test_timeline_merges_assessments_and_sessions_newest_first(
    patient: Patient,
    therapist: User,
) -> None:
    first = assessment_of(
        patient,
        assessed_on=D(2026, 11, 1),
        chief_complaint="Headache at the left temple",
        red_flags_screened_at=timezone.now(),
    )
    MeasuresFactory(assessment=first, nprs=7)
    signed = session_of(
        patient,
        session_date=D(2026, 11, 9),
        pre_nprs=6,
        post_nprs=3,
        signed_at=timezone.now(),
        signed_by=therapist,
    )
    SessionAmendmentFactory(session=signed)
    unsigned = session_of(patient, session_date=D(2026, 11, 15), pre_nprs=5, post_nprs=None)
    review = assessment_of(
        patient, assessed_on=D(2026, 11, 15), chief_complaint="Review of the headache"
    )

    entries = progress.timeline(patient)

    assert [(e.on, e.kind) for e in entries] == [
        (D(2026, 11, 15), "assessment"),  # same day as the session, entered after it
        (D(2026, 11, 15), "session"),
        (D(2026, 11, 9), "session"),
        (D(2026, 11, 1), "assessment"),
    ]
    assert entries[0].summary == "Review of the headache · Not screened yet · NPRS not recorded"
    assert entries[0].needs_attention and entries[0].url == review.get_absolute_url()
    assert entries[1].summary == "Pain 5/10 · Not signed"
    assert entries[1].needs_attention and entries[1].url == unsigned.get_absolute_url()
    assert entries[2].summary == "Pain 6 → 3/10 · Signed, 1 amendment"
    assert not entries[2].needs_attention
    assert entries[2].therapist == therapist.get_full_name()
    assert entries[3].summary == "Headache at the left temple · No red flags · NPRS 7/10"
    assert not entries[3].needs_attention


def test_timeline_is_on_the_page_with_links(therapist_client: Client, patient) -> None:  # noqa: ANN001
    session = session_of(patient, session_date=D(2026, 11, 9))
    assessment = assessment_of(patient, assessed_on=D(2026, 11, 2))
    page = therapist_client.get(url(patient)).content.decode()
    assert page.index(session.get_absolute_url()) < page.index(assessment.get_absolute_url())
    assert "Session, 9 Nov 2026" in page and "Assessment, 2 Nov 2026" in page


# Pain scores


def test_nprs_series_take_assessments_and_sessions_before_and_after(patient: Patient) -> None:
    with_score = assessment_of(patient, assessed_on=D(2026, 11, 1))
    MeasuresFactory(assessment=with_score, nprs=7)
    assessment_of(patient, assessed_on=D(2026, 11, 3))  # no measures: left out
    no_nprs = assessment_of(patient, assessed_on=D(2026, 11, 4))
    MeasuresFactory(assessment=no_nprs, nprs=None)  # measures without NPRS: left out
    session_of(patient, session_date=D(2026, 11, 9), pre_nprs=6, post_nprs=3)
    session_of(patient, session_date=D(2026, 11, 2), pre_nprs=7, post_nprs=None)

    at_assessment, pre, post = progress.nprs_series(patient)

    assert list(at_assessment.points) == [(D(2026, 11, 1), 7)]
    assert list(pre.points) == [(D(2026, 11, 2), 7), (D(2026, 11, 9), 6)]
    assert list(post.points) == [(D(2026, 11, 9), 3)]


def test_breathing_series_follow_the_nijmegen_total_and_bolt(
    therapist_client: Client,
    patient: Patient,
) -> None:
    first = assessment_of(patient, assessed_on=D(2026, 10, 1))
    MeasuresFactory(assessment=first, nijmegen=[2] * 16, bolt_seconds=15)
    later = assessment_of(patient, assessed_on=D(2026, 11, 1))
    MeasuresFactory(assessment=later, nijmegen=[1] * 16, bolt_seconds=None)
    assessment_of(patient, assessed_on=D(2026, 11, 5))  # no measures: left out

    nijmegen, bolt = progress.breathing_series(patient)

    assert list(nijmegen.points) == [(D(2026, 10, 1), 32), (D(2026, 11, 1), 16)]
    assert list(bolt.points) == [(D(2026, 10, 1), 15)]
    response = therapist_client.get(url(patient))
    page = response.content.decode()
    # one measure per chart: the 0-64 questionnaire and the seconds of BOLT on separate axes
    assert 'id="nijmegen-chart-title">Nijmegen Questionnaire total (0 to 64) over time' in page
    assert 'id="bolt-chart-title">BOLT (control pause, seconds) over time' in page
    nijmegen_chart, bolt_chart = response.context["nijmegen_chart"], response.context["bolt_chart"]
    assert [s.name for s in nijmegen_chart.series] == [progress.NIJMEGEN_TOTAL]
    assert nijmegen_chart.y_max == 64 and bolt_chart.y_max == 50
    assert [t.label for t in nijmegen_chart.thresholds] == ["23: positive screen"]


def test_nprs_chart_is_drawn_with_its_numbers(therapist_client: Client, patient) -> None:  # noqa: ANN001
    session_of(patient, session_date=D(2026, 11, 2), pre_nprs=7, post_nprs=4)
    session_of(patient, session_date=D(2026, 11, 9), pre_nprs=5, post_nprs=2)
    response = therapist_client.get(url(patient))
    chart = response.context["nprs_chart"]
    assert chart.y_max == 10
    assert [t.label for t in chart.y_ticks] == ["0", "2", "4", "6", "8", "10"]
    page = response.content.decode()
    assert 'role="img" aria-labelledby="nprs-chart-title nprs-chart-desc"' in page
    assert '<title id="nprs-chart-title">Pain scores (NPRS, 0 to 10) over time</title>' in page
    assert "Pain before the session: 2 values, from 7 on 2 Nov 2026 to 5 on 9 Nov 2026." in page
    assert "<summary>Show the numbers</summary>" in page
    assert '<th scope="row">9 Nov 2026</th><td>—</td><td>5</td><td>2</td>' in page


# Extent of the pain drawing


def test_extent_counts_regions_and_weighs_them_by_intensity(patient: Patient) -> None:
    first = assessment_of(patient, assessed_on=D(2026, 11, 1))
    for code, intensity in zip(regions(3), [6, 4, 2], strict=True):
        PainMarkFactory(assessment=first, region_id=code, intensity=intensity)
    later = assessment_of(patient, assessed_on=D(2026, 11, 20))
    PainMarkFactory(assessment=later, region_id=regions(1)[0], intensity=10)
    assessment_of(patient, assessed_on=D(2026, 11, 10))  # no drawing: left out

    points = progress.pain_extent_series(patient)

    assert [(p.on, p.regions, p.intensity_sum, p.extent) for p in points] == [
        (D(2026, 11, 1), 3, 12, 1.2),
        (D(2026, 11, 20), 1, 10, 1.0),
    ]
    regions_marked, weighted = progress.extent_chart_series(points)
    assert list(weighted.points) == [(D(2026, 11, 1), 1.2), (D(2026, 11, 20), 1.0)]
    assert list(regions_marked.points) == [(D(2026, 11, 1), 3), (D(2026, 11, 20), 1)]


def test_extent_is_explained_on_the_page(therapist_client: Client, patient) -> None:  # noqa: ANN001
    assessment = assessment_of(patient, assessed_on=D(2026, 11, 1))
    for code in regions(3):
        PainMarkFactory(assessment=assessment, region_id=code, intensity=6)
    response = therapist_client.get(url(patient))
    page = response.content.decode()
    assert "Three regions at 6/10 give 3 × 6 / 10 = 1.8" in page
    assert "1 Nov 2026</a>: 3 regions at 6/10 on average = 1.8" in page
    assert response.context["extent_chart"].y_max == 5


# Trigger points that keep coming back


def test_point_treated_in_three_sessions_counts_three(patient: Patient) -> None:
    ut, other = points(2)
    techniques = list(ReleaseTechnique.objects.order_by("pk")[:2])
    for day in (2, 9, 16):
        session = session_of(patient, session_date=D(2026, 11, day))
        TreatedPointFactory(session=session, trigger_point=ut, side=Side.LEFT)
    # Two techniques on the same point in one session count as one session.
    TreatedPointFactory(session=session, trigger_point=ut, side=Side.LEFT, technique=techniques[1])
    once = session_of(patient, session_date=D(2026, 11, 5))
    TreatedPointFactory(session=once, trigger_point=other, side=Side.RIGHT)

    history = progress.trigger_point_history(patient)
    recurring = progress.recurring_trigger_points(patient)

    assert [(p.trigger_point_id, p.side, p.sessions_treated, p.visits) for p in history] == [
        (ut.pk, "l", 3, 3),
        (other.pk, "r", 1, 1),
    ]
    assert [p.trigger_point_id for p in recurring] == [ut.pk]
    top = recurring[0]
    assert (top.first_seen, top.last_seen) == (D(2026, 11, 2), D(2026, 11, 16))
    assert (top.muscle, top.muscle_slug, top.label) == (ut.muscle.name, ut.muscle.slug, ut.label)
    assert not history[1].is_recurring


def test_sides_are_counted_apart(patient: Patient) -> None:
    (point,) = points(1)
    for day, side in ((2, Side.LEFT), (9, Side.RIGHT)):
        session = session_of(patient, session_date=D(2026, 11, day))
        TreatedPointFactory(session=session, trigger_point=point, side=side)
    assert progress.recurring_trigger_points(patient) == []


def test_found_on_two_days_recurs_but_the_same_day_twice_does_not(patient: Patient) -> None:
    palpated_then_treated, same_day = points(2)
    assessment = assessment_of(patient, assessed_on=D(2026, 11, 2))
    PalpatedTriggerPointFactory(assessment=assessment, trigger_point=palpated_then_treated)
    PalpatedTriggerPointFactory(assessment=assessment, trigger_point=same_day)
    same_day_session = session_of(patient, session_date=D(2026, 11, 2))
    TreatedPointFactory(session=same_day_session, trigger_point=same_day)
    later = session_of(patient, session_date=D(2026, 11, 12))
    TreatedPointFactory(session=later, trigger_point=palpated_then_treated)

    by_point = {p.trigger_point_id: p for p in progress.trigger_point_history(patient)}

    first = by_point[palpated_then_treated.pk]
    assert (first.sessions_treated, first.assessments_palpated, first.visits) == (1, 1, 2)
    assert first.is_recurring
    second = by_point[same_day.pk]
    assert (second.sessions_treated, second.assessments_palpated, second.visits) == (1, 1, 1)
    assert not second.is_recurring
    recurring = progress.recurring_trigger_points(patient)
    assert [p.trigger_point_id for p in recurring] == [palpated_then_treated.pk]


def test_recurring_points_are_sorted_by_count(patient: Patient) -> None:
    twice, three_times = points(2)
    for day in (2, 9, 16):
        session = session_of(patient, session_date=D(2026, 11, day))
        TreatedPointFactory(session=session, trigger_point=three_times)
        if day != 16:
            TreatedPointFactory(session=session, trigger_point=twice)
    counts = [(p.trigger_point_id, p.count) for p in progress.recurring_trigger_points(patient)]
    assert counts == [(three_times.pk, 3), (twice.pk, 2)]


def test_other_patients_points_are_not_counted(patient: Patient) -> None:
    (point,) = points(1)
    other = PatientFactory(clinic=patient.clinic, created_by=patient.created_by)
    for day in (2, 9):
        session = session_of(other, session_date=D(2026, 11, day))
        TreatedPointFactory(session=session, trigger_point=point)
    assert progress.trigger_point_history(patient) == []


def test_recurring_table_links_to_the_catalogue(therapist_client: Client, patient) -> None:  # noqa: ANN001
    recurring, once = points(2)
    for day in (2, 9):
        session = session_of(patient, session_date=D(2026, 11, day))
        TreatedPointFactory(session=session, trigger_point=recurring)
    TreatedPointFactory(session=session, trigger_point=once, side=Side.RIGHT)
    page = therapist_client.get(url(patient)).content.decode()
    link = reverse("triggerpoints:muscle", args=[recurring.muscle.slug]) + f"#tp-{recurring.pk}"
    assert f'<a href="{link}">{recurring.muscle.name}: {recurring.label}</a>' in page
    assert "posture, loading at work or in sport, or breathing" in page
    assert "Found on one day only (1)" in page
    assert f"#tp-{once.pk}" in page


# Queries


def _fill(patient: Patient, count: int) -> None:
    """`count` assessments and `count` sessions, each with marks, findings or treated points."""
    codes, tps = regions(3), points(3)
    for i in range(count):
        day = D(2026, 1, 1) + datetime.timedelta(days=7 * i)
        assessment = assessment_of(patient, assessed_on=day, red_flags_screened_at=timezone.now())
        MeasuresFactory(assessment=assessment, nprs=i % 11)
        for code, intensity in zip(codes, (6, 4, 2), strict=True):
            PainMarkFactory(assessment=assessment, region_id=code, intensity=intensity)
        PalpatedTriggerPointFactory(assessment=assessment, trigger_point=tps[i % 3])
        session = session_of(patient, session_date=day + datetime.timedelta(days=1))
        SessionAmendmentFactory(session=session)
        for tp in tps:
            TreatedPointFactory(session=session, trigger_point=tp)
        for test in MovementTest.objects.filter(
            key__in=["craniocervical-flexion", "single-leg-bridge"]
        ):  # issue 17: a result at each assessment, a re-test at each session
            sided = {"left": 12 + i, "right": 30} if test.sided else {"value": 22}
            MovementResult.objects.create(assessment=assessment, test=test, **sided)
            MovementResult.objects.create(session=session, test=test, **sided)


@pytest.mark.parametrize("count", [2, 12])
def test_progress_query_count_does_not_grow_with_the_record(
    therapist_client: Client,
    patient: Patient,
    count: int,
    django_assert_num_queries,  # noqa: ANN001
) -> None:
    _fill(patient, count)
    # session, user (with clinic), patient (with clinic and creator), the newest assessments
    # (with therapist, measures, screening and pain-drawing totals) and sessions (with
    # therapist, screening and amendment count) for the timeline, every assessment's and
    # session's scores (plain values) for the charts, treated points, palpated points,
    # movement results, the patient's plan links (portal diary: none here, so nothing more),
    # the catalogue's version token (in the key the page is kept under: patients.stamps)
    with django_assert_num_queries(13):  # + the access-log row
        response = therapist_client.get(url(patient))
    assert len(response.context["timeline"]) == min(2 * count, progress.TIMELINE_WINDOW)
    assert response.context["timeline_more"] == (2 * count > progress.TIMELINE_WINDOW)
    assert len(response.context["extent"]) == min(count, 10)
    assert all(p.extent == 1.2 for p in response.context["extent"])
    assert [p.sessions_treated for p in response.context["recurring"]] == [count] * 3
    charts = response.context["movement_charts"]
    assert [len(c.course.results) for c in charts] == [2 * count, 2 * count]
