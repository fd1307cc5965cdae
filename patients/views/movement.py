"""The movement and loading screen of an assessment: one fast form for every test; the
session's re-tests; the progress page's chart per test."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ..charts import Chart, Series, line_chart, nice_ceiling
from ..editing import stale_form
from ..forms.movement import MovementForm
from ..loaders import get_assessment
from ..models import MovementResult, Patient, TreatmentSession
from ..movement import change_text, meaningful, normal_rule, reading_text, score, with_unit
from ..movement_records import (
    Precautions,
    ScreenRow,
    TestCourse,
    assessment_screen,
    current_precautions,
    movement_results_record,
    patient_courses,
    screen_rows,
    targeted_tests,
)
from ..services import StaleEditError

STALE_SCREEN = stale_form("movement screen")


@require_http_methods(["GET", "POST"])
def movement_screen(request: HttpRequest, pk: int, aid: int) -> HttpResponse:
    """Record or change the assessment's tests. Queries: the assessment, the tests, its results
    and the precautions, whatever the number of tests."""
    assessment = get_assessment(request, pk, aid)
    rows = assessment_screen(assessment, with_links=True)
    form = MovementForm(request.POST if request.method == "POST" else None, rows=rows)
    if form.is_valid():
        try:
            movement_results_record(assessment=assessment, entries=form.entries())
        except StaleEditError:
            form.add_error(None, STALE_SCREEN)
        except ValidationError as error:
            form.add_entry_errors(error)
        else:
            messages.success(request, "Movement and loading screen saved.")
            return redirect(f"{assessment.get_absolute_url()}#movement")
    return render(
        request,
        "patients/movement_form.html",
        {"assessment": assessment, "patient": assessment.patient, "form": form},
    )


# Re-tests at a session: the tests the plan targets (and any already re-tested in the session).


def retest_form(
    patient: Patient,
    session: TreatmentSession | None = None,
    data: QueryDict | None = None,
    initial: dict | None = None,
) -> MovementForm | None:
    """The session form's re-test rows, or None when the plan targets no test. Queries: the
    latest plan, its assessment's results, the session's results, the precautions."""
    tests = targeted_tests(patient)
    results = (
        list(MovementResult.objects.filter(session=session).select_related("test"))
        if (session is not None)
        else []
    )
    known = {t.pk for t in tests}
    tests += [r.test for r in results if r.test_id not in known]
    if not tests:
        return None
    rows = screen_rows(tests, results, current_precautions(patient))
    return MovementForm(data, rows=rows, prefix="retest", initial=initial)


def retests_record(form: MovementForm | None, session: TreatmentSession) -> None:
    """Save the re-tests with the session (inside its transaction)."""
    if form is None:
        return
    try:
        movement_results_record(session=session, entries=form.entries())
    except StaleEditError as error:
        raise ValidationError(STALE_SCREEN) from error


def session_retests(session: TreatmentSession) -> list[ScreenRow]:
    """The session page's re-tests, scored (one query)."""
    results = list(MovementResult.objects.filter(session=session).select_related("test"))
    return screen_rows([r.test for r in results], results, Precautions())


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
