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
"""

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from .models import Measures, PalpatedTriggerPoint, Patient, TreatedPoint, TreatmentSession

MEANINGFUL_NPRS_FALL = 2  # facts §8: about 2 points
PERSISTENT_VISITS = 3
PERSISTENT_SPAN = timedelta(weeks=4)


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


def recurrence(visits: list[PointVisit], nprs: list[tuple[date, int]]) -> str:
    """The evidence that the point recurs, in words; "" when it does not. `visits` and `nprs`
    are in date order."""
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
        if (
            last - first >= PERSISTENT_SPAN
            and before is not None
            and after is not None
            and before - after < MEANINGFUL_NPRS_FALL
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
    days: list[tuple[date, str, TreatmentSession | None]]  # every visit: (day, kind, session)
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
                if session.adherence != TreatmentSession.Adherence.NOT_SET:
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


def load_courses(patient: Patient) -> Courses:
    """Four queries: palpated points, treated points, sessions, assessment NPRS."""
    palpated = PalpatedTriggerPoint.objects.filter(assessment__patient=patient).select_related(
        "assessment", "trigger_point__muscle"
    )
    treated = TreatedPoint.objects.filter(session__patient=patient).select_related(
        "session", "trigger_point__muscle"
    )
    sessions = list(
        TreatmentSession.objects.filter(patient=patient).order_by("session_date", "created_at")
    )
    assessed = list(
        Measures.objects.filter(assessment__patient=patient, nprs__isnull=False)
        .values_list("assessment__assessed_on", "nprs")
        .order_by("assessment__assessed_on")
    )
    courses: dict[tuple[int, str], PointCourse] = {}

    def course(point: object, side: str) -> PointCourse:
        key = (point.pk, side)
        if key not in courses:
            side_word = {"l": "left", "r": "right"}.get(side, "midline")
            courses[key] = PointCourse(
                point.pk,
                side,
                f"{point.muscle.name}, {point.label[:1].lower()}{point.label[1:]} ({side_word})",
            )
        return courses[key]

    for p in palpated:
        course(p.trigger_point, p.side).visits.append(
            PointVisit(
                p.assessment.assessed_on,
                "assessment",
                p.status,
                referral_reproduced=p.referral_reproduced,
            )
        )
    for t in treated:
        course(t.trigger_point, t.side).visits.append(
            PointVisit(
                t.session.session_date,
                "session",
                t.status,  # "" when not recorded: treated, status unknown
                retest=t.retest,
                before=t.retest_before,
                after=t.retest_after,
                referral_reproduced=t.referral_reproduced,
            )
        )
    nprs = sorted([*assessed, *((s.session_date, s.pre_nprs) for s in sessions)])
    for c in courses.values():
        c.visits.sort(key=lambda v: (v.on, v.kind == "session"))
        c.recurrence = recurrence(c.visits, nprs)
    assessed_days = sorted(
        {v.on for c in courses.values() for v in c.visits if v.kind == "assessment"}
    )
    days = [(on, "assessment", None) for on in assessed_days]
    days += [(s.session_date, "session", s) for s in sessions]
    days.sort(key=lambda d: (d[0], d[1] == "session"))
    adherence = ""
    for s in reversed(sessions):
        if s.adherence != TreatmentSession.Adherence.NOT_SET:
            adherence = s.adherence
            break
    response = next((s.response for s in reversed(sessions) if s.response), "")
    return Courses(
        response=response,
        points=sorted(courses.values(), key=lambda c: c.name),
        days=days,
        nprs=nprs,
        adherence=adherence,
    )
