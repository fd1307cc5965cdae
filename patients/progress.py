"""A patient's course over time, as plain data for the progress page (and the plans feature).

Every function runs a fixed number of queries, however many assessments and sessions the
patient has. The page loads the records once (`load_records`) and hands them to each function;
called with the patient alone, a function loads them itself.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.core.paginator import Page, Paginator
from django.db.models import CharField, Count, Sum, Value
from django.urls import reverse
from django.utils.text import Truncator

from triggerpoints.models import Side

from .charts import Series
from .models import (
    Assessment,
    Measures,
    PalpatedTriggerPoint,
    Patient,
    TreatedPoint,
    TreatmentSession,
)

# How much of a long record the pages draw: the newest visits in full, older ones a page at a
# time (the visits page), and charts of at most MAX_CHART_POINTS points (means over periods).
TIMELINE_WINDOW = 20
MAX_CHART_POINTS = 40


@dataclass(frozen=True)
class PatientRecords:
    """A patient's assessments and sessions, newest first, loaded in two queries:
    assessments (with therapist, measures, screening and pain-drawing totals), sessions (with
    therapist, screening and amendment count). `more` when a limit left some out."""

    assessments: list[Assessment]
    sessions: list[TreatmentSession]
    more: bool = False


def _assessment_rows(patient: Patient):  # noqa: ANN202
    return (
        Assessment.objects.filter(patient=patient)
        .select_related("therapist", "measures", "screening")
        .annotate(mark_count=Count("pain_marks"), intensity_sum=Sum("pain_marks__intensity"))
        .order_by("-assessed_on", "-created_at", "-pk")
    )


def _session_rows(patient: Patient):  # noqa: ANN202
    return (
        TreatmentSession.objects.filter(patient=patient)
        .select_related("therapist", "screening")
        .annotate(amendment_count=Count("amendments"))
        .order_by("-session_date", "-created_at", "-pk")
    )


def load_records(patient: Patient, *, limit: int | None = None) -> PatientRecords:
    """All the records, or with `limit` the newest `limit` assessments and sessions (so the
    merged timeline's newest `limit` entries are among them)."""
    assessments, sessions = _assessment_rows(patient), _session_rows(patient)
    if limit is None:
        return PatientRecords(assessments=list(assessments), sessions=list(sessions))
    assessments, sessions = list(assessments[: limit + 1]), list(sessions[: limit + 1])
    more = len(assessments) + len(sessions) > limit
    return PatientRecords(assessments[:limit], sessions[:limit], more=more)


def visits_page(
    patient: Patient, number: str | int | None, per_page: int = 25
) -> tuple[Page, PatientRecords]:
    """One page of the patient's visits (assessments and sessions), newest first: the page
    (a Paginator page of (kind, pk, day, created) rows, counted and cut in the database) and its
    records. Four queries, whatever the length of the record."""
    dated = (
        Assessment.objects.filter(patient=patient)
        .annotate(kind=Value("assessment", output_field=CharField()))
        .order_by()
        .values_list("kind", "pk", "assessed_on", "created_at")
    )
    sessions = (
        TreatmentSession.objects.filter(patient=patient)
        .annotate(kind=Value("session", output_field=CharField()))
        .order_by()
        .values_list("kind", "pk", "session_date", "created_at")
    )
    union = dated.union(sessions, all=True).order_by("-assessed_on", "-created_at", "-pk")
    page = Paginator(union, per_page).get_page(number)
    ids = {"assessment": [], "session": []}
    for kind, pk, _, _ in page.object_list:
        ids[kind].append(pk)
    records = PatientRecords(
        assessments=list(_assessment_rows(patient).filter(pk__in=ids["assessment"])),
        sessions=list(_session_rows(patient).filter(pk__in=ids["session"])),
    )
    return page, records


@dataclass(frozen=True)
class AssessedScores:
    pk: int
    on: date
    created_at: object
    nprs: int | None
    nijmegen: int | None
    bolt: int | None
    regions: int
    intensity_sum: int


@dataclass(frozen=True)
class VisitScores:
    """Every visit's numbers for the charts, as plain values, oldest first (two queries and
    no model rows, so a long record costs little more than a short one)."""

    assessments: list[AssessedScores]
    sessions: list[tuple[date, int, int | None]]  # (day, NPRS before, NPRS after)


def load_scores(patient: Patient) -> VisitScores:
    assessed = (
        Assessment.objects.filter(patient=patient)
        .annotate(mark_count=Count("pain_marks"), intensity_sum=Sum("pain_marks__intensity"))
        .order_by("assessed_on", "created_at", "pk")
        .values_list(
            "pk",
            "assessed_on",
            "created_at",
            "measures__nprs",
            "measures__nijmegen",
            "measures__bolt_seconds",
            "mark_count",
            "intensity_sum",
        )
    )
    sessions = (
        TreatmentSession.objects.filter(patient=patient)
        .order_by("session_date", "created_at", "pk")
        .values_list("session_date", "pre_nprs", "post_nprs")
    )
    return VisitScores(
        assessments=[
            AssessedScores(pk, on, at, nprs, sum(nij) if nij else None, bolt, marks, total or 0)
            for pk, on, at, nprs, nij, bolt, marks, total in assessed
        ],
        sessions=list(sessions),
    )


def _records(patient: Patient, records: PatientRecords | None) -> PatientRecords:
    return records if records is not None else load_records(patient)


def _scores(patient: Patient, scores: VisitScores | None) -> VisitScores:
    return scores if scores is not None else load_scores(patient)


CHART_PERIODS = ((1, "day"), (7, "week"), (14, "2 weeks"), (28, "4 weeks"), (91, "13 weeks"))


def chart_period(days: Iterable[date], max_points: int = MAX_CHART_POINTS) -> tuple[int, str]:
    """The shortest period (in days, and in words) that draws the dates in at most
    `max_points` points: a day when there are few enough visits, else a week, two weeks...
    The periods are counted from the first date."""
    days = sorted(days)
    if len(days) <= max_points:
        return CHART_PERIODS[0]
    span = (days[-1] - days[0]).days
    for length, words in CHART_PERIODS[1:]:
        if span // length + 1 <= max_points:
            return length, words
    length = (span // max_points) + 1
    return length, f"{length} days"


def bucketed(
    points: Iterable[tuple[date, float]], length: int, start: date | None = None
) -> list[tuple[date, float]]:
    """Points averaged over periods of `length` days counted from `start` (the first point),
    each dated at its period's first visit; a 1-day period keeps every point as it is."""
    points = sorted(points)
    if length <= 1 or not points:
        return points
    start = start or points[0][0]
    groups: dict[int, list[tuple[date, float]]] = {}
    for on, value in points:
        groups.setdefault((on - start).days // length, []).append((on, value))
    return [
        (group[0][0], round(sum(v for _, v in group) / len(group), 1))
        for _, group in sorted(groups.items())
    ]


def _nprs(assessment: Assessment) -> int | None:
    measures = _measures(assessment)
    return measures.nprs if measures is not None else None


# Timeline


@dataclass(frozen=True)
class TimelineEntry:
    on: date
    kind: str  # "assessment" or "session"
    therapist: str
    summary: str  # one line
    needs_attention: bool  # an unscreened or undecided red flag; an unsigned note
    url: str

    @property
    def kind_label(self) -> str:
        return self.kind.capitalize()


def timeline(patient: Patient, *, records: PatientRecords | None = None) -> list[TimelineEntry]:
    """Assessments and sessions merged, newest first; on the same day, the later-entered first.

    An assessment reads "complaint · red-flag status · NPRS 6/10"; a session reads
    "Pain 6 → 3/10 · Signed, 1 amendment".
    """
    records = _records(patient, records)
    dated = []
    for a in records.assessments:
        nprs = _nprs(a)
        summary = " · ".join(
            [
                Truncator(a.chief_complaint).chars(80),
                a.get_red_flag_status_display(),
                f"NPRS {nprs}/10" if nprs is not None else "NPRS not recorded",
            ]
        )
        attention = a.red_flag_status in {
            Assessment.RedFlagStatus.NOT_SCREENED,
            Assessment.RedFlagStatus.UNRESOLVED,
        }
        entry = TimelineEntry(
            a.assessed_on, "assessment", str(a.therapist), summary, attention, a.get_absolute_url()
        )
        dated.append(((a.assessed_on, a.created_at), entry))
    for s in records.sessions:
        pain = f"Pain {s.pre_nprs}" + (f" → {s.post_nprs}" if s.post_nprs is not None else "")
        if not s.is_signed:
            status = "Not signed"
        elif s.amendment_count:
            plural = "" if s.amendment_count == 1 else "s"
            status = f"Signed, {s.amendment_count} amendment{plural}"
        else:
            status = "Signed"
        screening = s.screening_or_none
        held = screening is not None and screening.status == Assessment.RedFlagStatus.UNRESOLVED
        if held:
            status += " · New red flag: decision needed"
        entry = TimelineEntry(
            s.session_date,
            "session",
            str(s.therapist),
            f"{pain}/10 · {status}",
            not s.is_signed or held,
            s.get_absolute_url(),
        )
        dated.append(((s.session_date, s.created_at), entry))
    dated.sort(key=lambda pair: pair[0], reverse=True)
    return [entry for _, entry in dated]


# Pain scores


NPRS_ASSESSMENT = "NPRS at assessment"
NPRS_PRE = "Pain before the session"
NPRS_POST = "Pain after the session"


def nprs_series(
    patient: Patient, *, scores: VisitScores | None = None, max_points: int = MAX_CHART_POINTS
) -> list[Series]:
    """Three series of (date, NPRS 0–10): at assessment (`measures.nprs`), before each session
    and after each session. Missing scores are left out, not drawn as zero. With more visits
    than `max_points`, each point is the mean over a period (`chart_period`)."""
    scores = _scores(patient, scores)
    at_assessment = [(a.on, a.nprs) for a in scores.assessments if a.nprs is not None]
    pre = [(on, before) for on, before, _ in scores.sessions]
    post = [(on, after) for on, _, after in scores.sessions if after is not None]
    days = [on for on, _ in at_assessment] + [on for on, _ in pre]
    length, _ = chart_period(days, max_points)
    start = min(days, default=None)
    return [
        Series(NPRS_ASSESSMENT, bucketed(at_assessment, length, start)),
        Series(NPRS_PRE, bucketed(pre, length, start)),
        Series(NPRS_POST, bucketed(post, length, start)),
    ]


NIJMEGEN_TOTAL = "Nijmegen total (0 to 64)"
BOLT_SECONDS = "BOLT (seconds)"


def _measures(assessment: Assessment) -> Measures | None:
    try:
        return assessment.measures
    except Measures.DoesNotExist:
        return None


def breathing_series(patient: Patient, *, scores: VisitScores | None = None) -> list[Series]:
    """Breathing measures re-scored at each assessment: the Nijmegen total (23 or more is a
    positive screen) and BOLT in seconds (under 20 suggests over-breathing). Facts §5-§6
    suggest re-scoring the questionnaire every 2 to 4 weeks of breathing retraining."""
    scores = _scores(patient, scores)
    nijmegen = [(a.on, a.nijmegen) for a in scores.assessments if a.nijmegen is not None]
    bolt = [(a.on, a.bolt) for a in scores.assessments if a.bolt is not None]
    length, _ = chart_period([a.on for a in scores.assessments])
    return [
        Series(NIJMEGEN_TOTAL, bucketed(nijmegen, length)),
        Series(BOLT_SECONDS, bucketed(bolt, length)),
    ]


# Extent of the pain drawing


@dataclass(frozen=True)
class ExtentPoint:
    """The pain drawing of one assessment, in numbers.

    `extent` weighs each marked region by its intensity: the sum of intensities / 10, so three
    regions at 6/10 give 1.8, and one region at 10/10 counts as one whole region.
    """

    on: date
    regions: int
    intensity_sum: int
    url: str

    @property
    def extent(self) -> float:
        return round(self.intensity_sum / 10, 1)

    @property
    def mean_intensity(self) -> float:
        return round(self.intensity_sum / self.regions, 1) if self.regions else 0.0


def pain_extent_series(patient: Patient, *, scores: VisitScores | None = None) -> list[ExtentPoint]:
    """One point per assessment with a pain drawing (at least one region marked), oldest first."""
    scores = _scores(patient, scores)
    return [
        ExtentPoint(a.on, a.regions, a.intensity_sum, _assessment_url(patient.pk, a.pk))
        for a in scores.assessments
        if a.regions
    ]


def _assessment_url(patient_id: int, pk: int) -> str:
    return reverse("patients:assessment", args=[patient_id, pk])


EXTENT_REGIONS = "Regions marked"
EXTENT_WEIGHTED = "Weighted extent"


def extent_chart_series(points: Iterable[ExtentPoint]) -> list[Series]:
    points = list(points)
    length, _ = chart_period([p.on for p in points])
    return [
        Series(EXTENT_REGIONS, bucketed([(p.on, p.regions) for p in points], length)),
        Series(EXTENT_WEIGHTED, bucketed([(p.on, p.extent) for p in points], length)),
    ]


# Trigger points that keep coming back


@dataclass(frozen=True)
class PointRecurrence:
    """One trigger point on one side across the patient's record.

    `sessions_treated`: sessions in which it was treated (a session counts once, whatever the
    number of techniques). `assessments_palpated`: assessments that recorded it on palpation.
    `visits`: distinct dates on which it was treated or palpated, so an assessment and a session
    on the same day count as one visit.
    """

    trigger_point_id: int
    muscle: str
    muscle_slug: str
    label: str
    side: str
    sessions_treated: int
    assessments_palpated: int
    visits: int
    first_seen: date
    last_seen: date

    @property
    def side_label(self) -> str:
        return Side(self.side).label

    @property
    def is_recurring(self) -> bool:
        return self.sessions_treated >= 2 or self.visits >= 2

    @property
    def count(self) -> int:
        return self.sessions_treated + self.assessments_palpated


_POINT_FIELDS = (
    "trigger_point_id",
    "side",
    "trigger_point__label",
    "trigger_point__sort_order",
    "trigger_point__muscle__name",
    "trigger_point__muscle__slug",
    "trigger_point__muscle__sort_order",
)


def trigger_point_history(patient: Patient) -> list[PointRecurrence]:
    """Every trigger point + side ever palpated or treated for `patient`, most often first.

    Two queries (treated points, palpated points), whatever the size of the record. Sorted by
    sessions treated + assessments palpated, then visits, then most recently seen, then in the
    catalogue's order.
    """
    treated = TreatedPoint.objects.filter(session__patient=patient).values_list(
        *_POINT_FIELDS, "session_id", "session__session_date"
    )
    palpated = PalpatedTriggerPoint.objects.filter(assessment__patient=patient).values_list(
        *_POINT_FIELDS, "assessment_id", "assessment__assessed_on"
    )
    found: dict[tuple[int, str], _Found] = {}
    for kind, rows in (("sessions", treated), ("assessments", palpated)):
        for pid, side, label, point_order, muscle, slug, muscle_order, record_id, on in rows:
            one = found.get((pid, side))
            if one is None:
                one = found[(pid, side)] = _Found(label, muscle, slug, (muscle_order, point_order))
            getattr(one, kind).add(record_id)
            one.dates.add(on)
    result = [
        PointRecurrence(
            trigger_point_id=pid,
            muscle=one.muscle,
            muscle_slug=one.slug,
            label=one.label,
            side=side,
            sessions_treated=len(one.sessions),
            assessments_palpated=len(one.assessments),
            visits=len(one.dates),
            first_seen=min(one.dates),
            last_seen=max(one.dates),
        )
        for (pid, side), one in found.items()
    ]
    catalogue_order = {key: one.order for key, one in found.items()}
    result.sort(key=lambda p: (catalogue_order[(p.trigger_point_id, p.side)], p.side))
    result.sort(key=lambda p: (p.count, p.visits, p.last_seen), reverse=True)
    return result


def recurring_trigger_points(patient: Patient) -> list[PointRecurrence]:
    """The trigger points (per side) that keep coming back for `patient`, most often first.

    A point recurs when it was treated in two or more sessions, or found (palpated or treated)
    on two or more separate days. A point that keeps coming back suggests a driver beyond the
    point itself (posture, loading, breathing) that the plan should weigh more. Two queries.
    """
    return [point for point in trigger_point_history(patient) if point.is_recurring]


@dataclass
class _Found:
    label: str
    muscle: str
    slug: str
    order: tuple[int, int]
    sessions: set[int] = field(default_factory=set)
    assessments: set[int] = field(default_factory=set)
    dates: set[date] = field(default_factory=set)
