"""The movement and loading screen of an assessment: one fast form for every test; the
session's re-tests; the progress page's chart per test."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ..editing import stale_form
from ..forms.movement import MovementForm
from ..loaders import get_assessment
from ..models import MovementResult, Patient, TreatmentSession
from ..movement_records import (
    Precautions,
    ScreenRow,
    assessment_screen,
    current_precautions,
    movement_results_record,
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
