"""The movement and loading screen of an assessment: one fast form for every test."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ..editing import stale_form
from ..forms.movement import MovementForm
from ..movement_records import assessment_screen, movement_results_record
from ..services import StaleEditError
from .base import get_assessment

STALE_SCREEN = stale_form("movement screen")


@require_http_methods(["GET", "POST"])
def movement_screen(request: HttpRequest, pk: int, aid: int) -> HttpResponse:
    """Record or change the assessment's tests. Queries: the assessment, the tests, its results
    and the precautions, whatever the number of tests."""
    assessment = get_assessment(request, pk, aid)
    rows = assessment_screen(assessment)
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
