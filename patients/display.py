"""What the patient pages show, built from the records as plain data for the templates: no
requests, no forms, no writes. The views call these; tests may too.

- The assessment page's examination section (`examination_context`): each palpated point with
  the criteria it meets, and the measures in plain words.
- The assessment page's red-flag section (`screening_context`).
- The progress page's chart per movement test (`movement_charts`).
"""

from dataclasses import dataclass
from typing import Any

from . import red_flags
from .charts import Chart, Series, line_chart, nice_ceiling
from .measures import BOLT_LOW, NIJMEGEN_ITEMS, NIJMEGEN_THRESHOLD, RESTING_RATE_HIGH
from .models import (
    Assessment,
    Measures,
    PalpatedTriggerPoint,
    Patient,
    PsfsActivity,
    Screening,
)
from .movement import change_text, meaningful, normal_rule, reading_text, score, with_unit
from .movement_records import TestCourse, patient_courses

# The assessment page's red-flag section.


def screening_context(assessment: Assessment) -> dict:
    """The red-flag section of the assessment page: the intake screening's findings, any other
    screening of the patient holding explanations back, and the cross-checks with their
    responses. Queries: held-back screenings (1) and the cross-check responses (1); the
    screening and its answers come with the assessment, the marks and measures from the
    sections that load them."""
    intake = assessment.intake_screening
    findings = intake.findings() if intake else ()
    return {
        "screening": intake,
        "findings": findings,
        "headline": red_flags.Triage(findings=tuple(findings), noted=()).headline,
        "noted": _noted(intake),
        "held_elsewhere": [s for s in assessment.held_back_by if s.assessment_id != assessment.pk],
    }


def _noted(intake: Screening | None) -> list[str]:
    if intake is None:
        return []
    checklist = red_flags.load()
    return [checklist.item(key).question for key in intake.triage().noted]


# The assessment page's examination section.

NIJMEGEN_MAX = 4 * len(NIJMEGEN_ITEMS)

# How the page names each sign; the first three are the common criteria.
SIGN_NAMES = {
    "taut_band": "taut band",
    "spot_tenderness": "tender spot",
    "referral_reproduced": "referred pain",
    "referral_recognised": "patient recognises the pain",
    "twitch_response": "local twitch response",
    "jump_sign": "jump sign",
}


@dataclass(frozen=True)
class PalpationRow:
    """A palpated trigger point as the assessment page shows it."""

    point: PalpatedTriggerPoint
    criteria_found: list[str]
    other_signs: list[str]

    @classmethod
    def of(cls, point: PalpatedTriggerPoint) -> "PalpationRow":
        found = [name for field, name in SIGN_NAMES.items() if getattr(point, field)]
        criteria = [SIGN_NAMES[field] for field in point.CRITERIA if getattr(point, field)]
        return cls(point, criteria, [name for name in found if name not in criteria])

    @property
    def criteria_badge(self) -> str:
        """'Criteria met (2 of 3): taut band, tender spot'."""
        met = "met" if self.point.meets_criteria else "not met"
        found = ", ".join(self.criteria_found) or "none found"
        return (
            f"Criteria {met} ({self.point.criteria_count} of {len(self.point.CRITERIA)}): {found}"
        )


@dataclass(frozen=True)
class MeasuresSummary:
    """What the saved measures mean, in plain words. Thresholds are screening aids only."""

    nijmegen: str
    nijmegen_flagged: bool
    breathing_rate: str
    breathing_rate_flagged: bool
    bolt: str
    bolt_flagged: bool
    psfs_mean: str

    @classmethod
    def of(cls, measures: Measures | None, psfs: list[PsfsActivity]) -> "MeasuresSummary":
        nijmegen = rate = bolt = ""
        flags = {"nijmegen": False, "rate": False, "bolt": False}
        if measures is not None and measures.nijmegen_score is not None:
            score = measures.nijmegen_score
            flags["nijmegen"] = measures.nijmegen_positive
            if measures.nijmegen_positive:
                reading = (
                    f"{NIJMEGEN_THRESHOLD} or more: positive screen for dysfunctional breathing"
                )
            else:
                reading = (
                    f"under {NIJMEGEN_THRESHOLD}: not a positive screen for dysfunctional breathing"
                )
            nijmegen = (
                f"Nijmegen {score}/{NIJMEGEN_MAX} — {reading} (a screening result, not a diagnosis)"
            )
        if measures is not None and measures.breathing_rate is not None:
            rate = f"{measures.breathing_rate} breaths a minute at rest"
            if measures.breathing_rate_high:
                flags["rate"] = True
                rate += (
                    f" — faster than {RESTING_RATE_HIGH} a minute, which suggests over-breathing"
                )
        if measures is not None and measures.bolt_seconds is not None:
            bolt = f"{measures.bolt_seconds} s"
            if measures.bolt_low:
                flags["bolt"] = True
                bolt += (
                    f" — under {BOLT_LOW} s, which suggests a low tolerance of carbon dioxide "
                    "(a practice-based guide, not a validated cut-off)"
                )
        mean = ""
        if psfs:
            average = sum(row.score for row in psfs) / len(psfs)
            activities = "activity" if len(psfs) == 1 else "activities"
            mean = f"{average:.1f}/10 over {len(psfs)} {activities}"
        return cls(nijmegen, flags["nijmegen"], rate, flags["rate"], bolt, flags["bolt"], mean)


def examination_context(assessment: Assessment) -> dict[str, Any]:
    """The examination section of the assessment page, in four queries whatever the number of
    findings: palpated points (with trigger point and muscle), postural observations (with the
    finding), the measures, the PSFS activities."""
    points = assessment.palpated_points.select_related("trigger_point__muscle")
    measures = Measures.objects.filter(assessment=assessment).first()
    psfs = list(assessment.psfs_activities.all())
    return {
        "palpations": [PalpationRow.of(point) for point in points],
        "observations": list(assessment.postural_observations.select_related("finding")),
        "measures": measures,
        "psfs": psfs,
        "measures_summary": MeasuresSummary.of(measures, psfs),
    }


# The progress page: each test over time with its normal band.


@dataclass(frozen=True)
class TestChart:
    course: TestCourse
    chart: Chart
    summary: str  # 'left 12 s → 35 s: more than the meaningful change (7°)'


def movement_charts(patient: Patient, *, width: int = 640, height: int = 200) -> list[TestChart]:
    """One chart per test the patient was measured on, oldest to newest (one query)."""
    charts = []
    for course in patient_courses(patient):
        spec = course.spec
        sides = ("l", "r") if spec.sided else ("",)
        names = {"l": "Left", "r": "Right", "": spec.name}
        series = [
            Series(
                names[side],
                [(m.on, v) for m in course.results for s, v in m.reading.sides() if s == side],
            )
            for side in sides
        ]
        values = [v for one in series for _, v in one.points]
        bounds = [b for b in (spec.normal_min, spec.normal_max) if b is not None]
        if spec.ordinal:
            y_min, y_max = 0.0, float(spec.value_max)
        else:
            y_min = min(0.0, spec.value_min, *values)
            y_max = min(nice_ceiling(max([*values, *bounds, 1.0]) * 1.2), max(spec.value_max, 1.0))
        chart = line_chart(
            series,
            width=width,
            height=height,
            y_max=y_max,
            y_min=y_min,
            # An ordinal normal of "score 0" is a line; draw it as a thin strip to be seen.
            band=(spec.normal_min, spec.normal_max + 0.2)
            if spec.ordinal and spec.normal_max is not None
            else (spec.normal_min, spec.normal_max),
            title=f"{spec.name}{f' ({spec.unit})' if spec.unit else ''}",
            chart_id=f"test-{spec.key}-chart",
        )
        charts.append(TestChart(course, chart, _course_summary(course)))
    return charts


def _course_summary(course: TestCourse) -> str:
    spec = course.spec
    if len(course.results) < 2:
        return f"Measured once: {reading_text(spec, course.first.reading)} ({normal_rule(spec)})."
    moved = change_text(spec, course.first.reading, course.latest.reading)
    now = score(spec, course.latest.reading).status
    text = f"{moved} ({normal_rule(spec)}; {now} now)"
    real = meaningful(spec, course.first.reading, course.latest.reading)
    if real is not None:
        change = with_unit(spec, spec.meaningful_change or 0)
        verdict = "more than" if real else "within"
        text += f"; {verdict} the meaningful change of {change}"
    return f"{text[:1].upper()}{text[1:]}."
