"""Each trigger point's course across visits, and what counts as recurrence.

A palpated point is followed from assessment to assessment (its palpated status) and session to
session (the treated point's status at the visit and its re-test after treatment). The rules
are plain functions over plain data (`recurrence`); `load_courses(patient)` reads the record in
a fixed number of queries (4), however many visits there were.

Recurrence (issue 9, facts §8 for the NPRS change that matters, about 2 points):
- a point that had become latent or resolved and is active again at a later visit; or
- a point still active at 3 or more visits spanning 4 weeks or more while the patient's pain
  (NPRS) fell by less than 2 between the first and the last of those visits. Without NPRS at
  both ends there is no evidence, so no recurrence.
A treated point whose status was not recorded is shown as treated and is no evidence either way.

Adherence (issue 15): the home-programme adherence recorded at each session (prefilled from the
patient's diary when they keep one, `adherence_level`) gates the second rule. A point still
active while the programme was poorly done (not done, or some days, at any of those visits
after the first) is not counted as persisting: the programme was not really tried, so there is
no evidence that it failed, and stepping the drills up would only make a programme that is not
being done harder. The plan rules make it simpler instead (plans.rules.patient_cap: at most 4
home items). A point that comes back after being latent or resolved still recurs whatever the
adherence; the plan rules then hold the step-up back while adherence is poor.
"""

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from .models import Measures, PalpatedTriggerPoint, Patient, TreatedPoint, TreatmentSession

NOT_SET = TreatmentSession.Adherence.NOT_SET
MEANINGFUL_NPRS_FALL = 2  # facts §8: about 2 points
PERSISTENT_VISITS = 3
PERSISTENT_SPAN = timedelta(weeks=4)
POOR_ADHERENCE = ("none", "some")  # TreatmentSession.Adherence values; plans.rules agrees
# The diary's share of home items done (item-days ticked over item-days expected) that counts
# as "most days" and "every day": a day missed in a week (6/7 = 86%) is still every day.
MOST_DAYS_SHARE = 0.5
EVERY_DAY_SHARE = 0.85


def adherence_level(done: int, expected: int) -> str:
    """The home-programme adherence (TreatmentSession.Adherence value) a diary shows: `done`
    item-days ticked of `expected` (home items × days). "" when nothing was expected.

    none: nothing ticked; some: under half; most: half or more; all: 85% or more."""
    if expected <= 0:
        return ""
    share = done / expected
    if done == 0:
        return "none"
    if share < MOST_DAYS_SHARE:
        return "some"
    if share < EVERY_DAY_SHARE:
        return "most"
    return "all"


@dataclass(frozen=True)
class PointVisit:
    on: date
    kind: str  # "assessment" or "session"
    status: str  # "active", "latent", "resolved"; "" when not recorded at a session
    retest: str = ""  # "tenderness" or "ppt"
    before: int | None = None
    after: int | None = None
    referral_reproduced: bool | None = None

    @property
    def retest_text(self) -> str:
        """'tenderness 7 → 3' or 'PPT 180 → 240 kPa'; "" when not re-tested."""
        if not self.retest or self.before is None:
            return ""
        after = f" → {self.after}" if self.after is not None else ""
        if self.retest == "ppt":
            return f"PPT {self.before}{after} kPa"
        return f"tenderness {self.before}{after}"


@dataclass
class PointCourse:
    trigger_point_id: int
    side: str
    name: str  # "Upper trapezius, central (left)"
    visits: list[PointVisit] = field(default_factory=list)
    recurrence: str = ""  # the evidence, "" when not recurrent

    def on(self, day: date) -> PointVisit | None:
        return next((v for v in reversed(self.visits) if v.on == day), None)


def _nprs_on(series: list[tuple[date, int]], day: date) -> int | None:
    """The latest pain score recorded on or before `day`."""
    known = [score for on, score in series if on <= day]
    return known[-1] if known else None


def _day(d: date) -> str:
    return f"{d.day} {d:%b %Y}"


def recurrence(
    visits: list[PointVisit],
    nprs: list[tuple[date, int]],
    adherence: list[tuple[date, str]] | tuple = (),
) -> str:
    """The evidence that the point recurs, in words; "" when it does not. `visits` and `nprs`
    are in date order; `adherence` is the home-programme adherence recorded at sessions, as
    (day, TreatmentSession.Adherence value)."""
    quiet: PointVisit | None = None
    for visit in visits:
        if visit.status in ("latent", "resolved"):
            quiet = quiet or visit
        elif visit.status == "active" and quiet is not None:
            return f"was {quiet.status} on {_day(quiet.on)} and active again on {_day(visit.on)}"
    active_days = sorted({v.on for v in visits if v.status == "active"})
    if quiet is None and len(active_days) >= PERSISTENT_VISITS:
        first, last = active_days[0], active_days[-1]
        before, after = _nprs_on(nprs, first), _nprs_on(nprs, last)
        poorly_done = any(first < on <= last and level in POOR_ADHERENCE for on, level in adherence)
        if (
            last - first >= PERSISTENT_SPAN
            and before is not None
            and after is not None
            and before - after < MEANINGFUL_NPRS_FALL
            and not poorly_done
        ):
            weeks = (last - first).days // 7
            return (
                f"was still active at {len(active_days)} visits over {weeks} weeks while "
                f"pain went from {before} to {after} out of 10"
            )
    return ""


@dataclass(frozen=True)
class Courses:
    points: list[PointCourse]
    days: list[tuple[date, str, "VisitNote | None"]]  # every visit: (day, kind, session's note)
    nprs: list[tuple[date, int]]
    adherence: str  # the last session's home-programme adherence, "" when none
    response: str = ""  # the last session's response since the visit before, "" when not asked
    earlier: int = 0  # visits left out of `days` by window()

    @property
    def recurring(self) -> list[PointCourse]:
        return [c for c in self.points if c.recurrence]

    def columns(self) -> list[str]:
        """One heading per visit: '3 Nov 2026, assessment' or '10 Nov 2026, session: better,
        home programme most days'."""
        out = []
        for on, kind, session in self.days:
            text = f"{_day(on)}, {kind}"
            if session is not None:
                extras = []
                if session.response:
                    extras.append(session.get_response_display().lower())
                if session.adherence != NOT_SET:
                    extras.append(f"home programme {session.get_adherence_display().lower()}")
                if extras:
                    text += f": {', '.join(extras)}"
            out.append(text)
        return out

    def rows(self) -> list[tuple[PointCourse, list[PointVisit | None]]]:
        """Each point with its visit (or None) under each column."""
        rows = []
        for course in self.points:
            by_visit: dict[tuple[date, str], PointVisit] = {}
            for v in course.visits:
                by_visit.setdefault((v.on, v.kind), v)
            rows.append((course, [by_visit.get((on, kind)) for on, kind, _ in self.days]))
        return rows

    def window(self, visits: int) -> "Courses":
        """The same courses with only the newest `visits` columns (recurrence still weighs
        every visit); `earlier` counts the visits left out."""
        if len(self.days) <= visits:
            return self
        return replace(self, days=self.days[-visits:], earlier=len(self.days) - visits)


@dataclass(frozen=True)
class VisitNote:
    """What the course table's column heading says about a session."""

    response: str
    adherence: str

    def get_response_display(self) -> str:
        return TreatmentSession.Response(self.response).label if self.response else ""

    def get_adherence_display(self) -> str:
        return TreatmentSession.Adherence(self.adherence).label


def load_courses(patient: Patient) -> Courses:
    """Four queries: palpated points, treated points, sessions, assessment NPRS; plain values,
    not model rows, so a long record costs little to read."""
    point_fields = ("trigger_point_id", "trigger_point__label", "trigger_point__muscle__name")
    palpated = PalpatedTriggerPoint.objects.filter(assessment__patient=patient).values_list(
        "assessment__assessed_on", *point_fields, "side", "status", "referral_reproduced"
    )
    treated = TreatedPoint.objects.filter(session__patient=patient).values_list(
        "session__session_date",
        *point_fields,
        "side",
        "status",
        "retest",
        "retest_before",
        "retest_after",
        "referral_reproduced",
    )
    sessions = [
        (on, pre, VisitNote(response, adherence))
        for on, pre, response, adherence in TreatmentSession.objects.filter(patient=patient)
        .order_by("session_date", "created_at")
        .values_list("session_date", "pre_nprs", "response", "adherence")
    ]
    assessed = list(
        Measures.objects.filter(assessment__patient=patient, nprs__isnull=False)
        .values_list("assessment__assessed_on", "nprs")
        .order_by("assessment__assessed_on")
    )
    courses: dict[tuple[int, str], PointCourse] = {}

    def course(point_id: int, label: str, muscle: str, side: str) -> PointCourse:
        key = (point_id, side)
        if key not in courses:
            side_word = {"l": "left", "r": "right"}.get(side, "midline")
            courses[key] = PointCourse(
                point_id, side, f"{muscle}, {label[:1].lower()}{label[1:]} ({side_word})"
            )
        return courses[key]

    for on, point_id, label, muscle, side, status, reproduced in palpated:
        course(point_id, label, muscle, side).visits.append(
            PointVisit(on, "assessment", status, referral_reproduced=reproduced)
        )
    for on, point_id, label, muscle, side, status, retest, before, after, reproduced in treated:
        course(point_id, label, muscle, side).visits.append(
            PointVisit(
                on,
                "session",
                status,  # "" when not recorded: treated, status unknown
                retest=retest,
                before=before,
                after=after,
                referral_reproduced=reproduced,
            )
        )
    nprs = sorted([*assessed, *((on, pre) for on, pre, _ in sessions)])
    adherence = [(on, note.adherence) for on, _, note in sessions if note.adherence != NOT_SET]
    for c in courses.values():
        c.visits.sort(key=lambda v: (v.on, v.kind == "session"))
        c.recurrence = recurrence(c.visits, nprs, adherence)
    assessed_days = sorted(
        {v.on for c in courses.values() for v in c.visits if v.kind == "assessment"}
    )
    days = [(on, "assessment", None) for on in assessed_days]
    days += [(on, "session", note) for on, _, note in sessions]
    days.sort(key=lambda d: (d[0], d[1] == "session"))
    last_adherence = adherence[-1][1] if adherence else ""
    response = next((n.response for _, _, n in reversed(sessions) if n.response), "")
    return Courses(
        response=response,
        points=sorted(courses.values(), key=lambda c: c.name),
        days=days,
        nprs=nprs,
        adherence=last_adherence,
    )
