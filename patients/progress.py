"""A patient's course over time, as plain data for the progress page (and the plans feature).

Every function runs a fixed number of queries, however many assessments and sessions the
patient has. The page loads the records once (`load_records`) and hands them to each function;
called with the patient alone, a function loads them itself.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Sum
from django.utils.text import Truncator

from .charts import Series
from .models import (
    Assessment,
    Measures,
    PalpatedTriggerPoint,
    Patient,
    Side,
    TreatedPoint,
    TreatmentSession,
)


@dataclass(frozen=True)
class PatientRecords:
    """A patient's assessments and sessions, newest first, loaded in three queries:
    assessments (with therapist, measures and pain-drawing totals), their red-flag answers,
    sessions (with therapist and amendment count)."""

    assessments: list[Assessment]
    sessions: list[TreatmentSession]


def load_records(patient: Patient) -> PatientRecords:
    assessments = (
        Assessment.objects.filter(patient=patient)
        .select_related("therapist", "measures", "screening")
        .annotate(mark_count=Count("pain_marks"), intensity_sum=Sum("pain_marks__intensity"))
        .order_by("-assessed_on", "-created_at", "-pk")
    )
    sessions = (
        TreatmentSession.objects.filter(patient=patient)
        .select_related("therapist", "screening")
        .annotate(amendment_count=Count("amendments"))
        .order_by("-session_date", "-created_at", "-pk")
    )
    return PatientRecords(assessments=list(assessments), sessions=list(sessions))


def _records(patient: Patient, records: PatientRecords | None) -> PatientRecords:
    return records if records is not None else load_records(patient)


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


def nprs_series(patient: Patient, *, records: PatientRecords | None = None) -> list[Series]:
    """Three series of (date, NPRS 0–10): at assessment (`measures.nprs`), before each session
    and after each session. Missing scores are left out, not drawn as zero."""
    records = _records(patient, records)
    at_assessment = [(a.assessed_on, n) for a in records.assessments if (n := _nprs(a)) is not None]
    pre = [(s.session_date, s.pre_nprs) for s in records.sessions]
    post = [(s.session_date, s.post_nprs) for s in records.sessions if s.post_nprs is not None]
    return [
        Series(NPRS_ASSESSMENT, sorted(at_assessment)),
        Series(NPRS_PRE, sorted(pre)),
        Series(NPRS_POST, sorted(post)),
    ]


NIJMEGEN_TOTAL = "Nijmegen total (0 to 64)"
BOLT_SECONDS = "BOLT (seconds)"


def _measures(assessment: Assessment) -> Measures | None:
    try:
        return assessment.measures
    except Measures.DoesNotExist:
        return None


def breathing_series(patient: Patient, *, records: PatientRecords | None = None) -> list[Series]:
    """Breathing measures re-scored at each assessment: the Nijmegen total (23 or more is a
    positive screen) and BOLT in seconds (under 20 suggests over-breathing). Facts §5-§6
    suggest re-scoring the questionnaire every 2 to 4 weeks of breathing retraining."""
    records = _records(patient, records)
    nijmegen, bolt = [], []
    for assessment in records.assessments:
        measures = _measures(assessment)
        if measures is None:
            continue
        if measures.nijmegen_score is not None:
            nijmegen.append((assessment.assessed_on, measures.nijmegen_score))
        if measures.bolt_seconds is not None:
            bolt.append((assessment.assessed_on, measures.bolt_seconds))
    return [Series(NIJMEGEN_TOTAL, sorted(nijmegen)), Series(BOLT_SECONDS, sorted(bolt))]


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


def pain_extent_series(
    patient: Patient, *, records: PatientRecords | None = None
) -> list[ExtentPoint]:
    """One point per assessment with a pain drawing (at least one region marked), oldest first."""
    records = _records(patient, records)
    return [
        ExtentPoint(a.assessed_on, a.mark_count, a.intensity_sum or 0, a.get_absolute_url())
        for a in sorted(records.assessments, key=lambda a: (a.assessed_on, a.created_at))
        if a.mark_count
    ]


EXTENT_REGIONS = "Regions marked"
EXTENT_WEIGHTED = "Weighted extent"


def extent_chart_series(points: Iterable[ExtentPoint]) -> list[Series]:
    points = list(points)
    return [
        Series(EXTENT_REGIONS, [(p.on, p.regions) for p in points]),
        Series(EXTENT_WEIGHTED, [(p.on, p.extent) for p in points]),
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
