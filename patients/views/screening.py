"""Red-flag screening: the intake screen, decisions on any screening, and cross-checks.

Red flags come before any myofascial explanation. The triage rules are pure functions in
patients/red_flags.py; these views load, validate and call the services.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_http_methods, require_POST

from common.kept import CSRF_PLACEHOLDER, with_csrf
from common.slots import fill

from .. import red_flags, services, stamps
from ..display import examination_context, screening_context
from ..editing import stale_form
from ..forms.records import CrossCheckForm, RedFlagForm, ScreeningDecisionForm
from ..loaders import (
    clinic_patients,
    get_assessment,
    refuse_changes_if_archived,
    with_screening,
)
from ..models import Assessment, Measures, RedFlagAnswer, Screening
from ..movement_records import assessment_screen
from . import pain
from .sessions import render_session

STALE_SCREENING = stale_form("screening") + " No answer given as yes has been lost."
STALE_DECISION = stale_form("screening") + " Read the red flags again before deciding."


def cross_check_context(
    assessment: Assessment,
    marks: list,
    measures: Measures | None,
    refused: dict[str, CrossCheckForm] | None = None,
) -> dict:
    intake = assessment.intake_screening
    answers = intake.answers_map() if intake else {}
    facts = red_flags.derived_facts(
        born=assessment.patient.date_of_birth, on=assessment.assessed_on
    )
    checks = red_flags.cross_checks(
        nijmegen=measures.nijmegen if measures else [],
        pain_marks=[(row.mark.region_id, row.mark.quality) for row in marks],
        neuro_check_recorded=bool(measures and measures.neuro_check),
        facts=facts,
        answers=answers,
        onset_date=assessment.onset_date,
        assessed_on=assessment.assessed_on,
        labels={m.region_id: label for label, m in ((r.label, r.mark) for r in marks)},
    )
    responses = {}
    if checks:
        responses = {r.key: r for r in assessment.cross_check_responses.select_related("by")}
    refused = refused or {}
    return {
        "cross_checks": [
            (
                check,
                responses.get(check.key),
                refused.get(check.key) or CrossCheckForm(auto_id=f"id_{check.key}_%s"),
            )
            for check in checks
        ]
    }


def render_assessment(
    request: HttpRequest,
    assessment: Assessment,
    decision_form: ScreeningDecisionForm | None = None,
    cross_check_forms: dict[str, CrossCheckForm] | None = None,
) -> HttpResponse:
    """The assessment page: its record part kept under the patient's stamp, unless a form
    came back with errors (then drawn with them)."""

    def draw() -> str:
        return _assessment_record(assessment, decision_form, cross_check_forms)

    if decision_form is None and cross_check_forms is None:
        name = f"assessment {assessment.pk}"
        record = stamps.record_fragment(assessment.patient, name, draw, request=request)
    else:
        record = with_csrf(draw(), request)
    context = {
        "assessment": assessment,
        "patient": assessment.patient,
        "decision_form": decision_form,
        "record": record,
    }
    return render(request, "patients/assessment_detail.html", context)


def _assessment_record(
    assessment: Assessment,
    decision_form: ScreeningDecisionForm | None,
    cross_check_forms: dict[str, CrossCheckForm] | None,
) -> str:
    # Read after the stamp (at worst newer than it, so never kept under a newer one)
    assessment = with_screening(assessment)
    intake = assessment.intake_screening
    context = {
        "assessment": assessment,
        "patient": assessment.patient,
        "csrf_token": CSRF_PLACEHOLDER,
        "decision_form": decision_form
        or ScreeningDecisionForm(initial={"version": intake.version if intake else 1}),
        **fill("assessment", assessment),
    }
    context.update(screening_context(assessment))
    context.update(examination_context(assessment))
    context["movement"] = assessment_screen(assessment)  # issue 17: 3 queries
    context["movement_recorded"] = any(row.result for row in context["movement"])
    context.update(
        pain.pain_context(
            assessment,
            postural=[o.finding.key for o in context["observations"]],
            measures=context["measures"],
        )
    )
    context.update(
        cross_check_context(
            assessment,
            context["pain_marks"],
            context["measures"],
            refused=cross_check_forms,
        )
    )
    return render_to_string("patients/_assessment_record.html", context)


@require_http_methods(["GET", "POST"])
def red_flag_screen(request: HttpRequest, pk: int, aid: int) -> HttpResponse:
    assessment = get_assessment(request, pk, aid)
    intake = assessment.intake_screening
    earlier = intake.answers_map() if intake else {}
    checklist = red_flags.load()
    form = RedFlagForm(
        request.POST if request.method == "POST" else None,
        items=checklist.asked(),
        earlier=earlier,
        initial={
            **{key: "yes" if yes else "no" for key, yes in earlier.items()},
            "version": intake.version if intake else 0,
        },
    )
    opened_on = request.POST.get("version")
    if request.method == "POST" and opened_on != str(intake.version if intake else 0):
        form.is_valid()  # the typed answers come back with the refusal, nothing is saved
        form.add_error(None, STALE_SCREENING)
    elif request.method == "POST" and form.is_valid():
        try:
            saved = services.red_flags_record(
                assessment=assessment,
                answers=form.answers(),
                by=request.user,
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
            )
        except services.StaleEditError:
            form.add_error(None, STALE_SCREENING)
        except ValidationError as error:
            form.add_error("reason", error.message_dict.get("reason", error.messages))
        else:
            if saved.status == Assessment.RedFlagStatus.UNRESOLVED:
                messages.warning(request, "Red flag recorded: see the recommended action.")
            else:
                messages.success(request, "Red-flag screening recorded.")
            return redirect(f"{assessment.get_absolute_url()}#red-flags")
    history = []
    if intake:
        history = list(
            RedFlagAnswer.history.filter(screening_id=intake.pk)
            .exclude(history_change_reason=None)
            .select_related("history_user")
            .order_by("-history_date")
        )
    return render(
        request,
        "patients/red_flag_form.html",
        {
            "form": form,
            "assessment": assessment,
            "patient": assessment.patient,
            "retired": [
                (checklist.item(key), yes)
                for key, yes in earlier.items()
                if checklist.item(key).retired
            ],
            "changes": [(checklist.item(h.flag), h) for h in history],
        },
    )


def _get_screening(request: HttpRequest, pk: int, scid: int) -> Screening:
    screening = get_object_or_404(
        Screening.objects.filter(patient__in=clinic_patients(request))
        .select_related("patient", "assessment__patient", "session__patient")
        .prefetch_related("answers"),
        patient_id=pk,
        pk=scid,
    )
    refuse_changes_if_archived(screening.patient)
    return screening


@require_POST
def screening_decision(request: HttpRequest, pk: int, scid: int) -> HttpResponse:
    screening = _get_screening(request, pk, scid)
    form = ScreeningDecisionForm(request.POST)
    if form.is_valid():
        try:
            services.screening_decide(
                screening=screening,
                decision=form.cleaned_data["decision"],
                note=form.cleaned_data["note"],
                by=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except services.StaleEditError:
            form.add_error(None, STALE_DECISION)
        except ValidationError as error:
            messages.info(request, " ".join(error.messages))
            return redirect(screening)
        else:
            messages.success(request, "Decision recorded.")
            return redirect(f"{screening.get_absolute_url()}#red-flags")
    if screening.assessment_id:
        assessment = get_assessment(request, pk, screening.assessment_id)
        return render_assessment(request, assessment, decision_form=form)
    return render_session(request, screening.session, decision_form=form)


@require_POST
def cross_check(request: HttpRequest, pk: int, aid: int, key: str) -> HttpResponse:
    assessment = get_assessment(request, pk, aid)
    if key not in red_flags.CROSS_CHECK_TITLES:
        return redirect(assessment)
    form = CrossCheckForm(request.POST, auto_id=f"id_{key}_%s")
    if form.is_valid():
        _, created = services.cross_check_respond(
            assessment=assessment,
            key=key,
            response=form.cleaned_data["response"],
            note=form.cleaned_data["note"],
            by=request.user,
        )
        if created:
            messages.success(request, "Response recorded.")
        else:
            messages.info(request, "A response to this prompt was already recorded; it stands.")
        return redirect(f"{assessment.get_absolute_url()}#red-flags")
    return render_assessment(request, assessment, cross_check_forms={key: form})
