"""Treatment sessions: log, sign, amend."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.forms import add_service_errors, model_data
from common.slots import fill

from .. import services
from ..editing import stale_action, stale_form
from ..forms.precautions import PrecautionCheckForm
from ..forms.records import RescreenForm, ScreeningDecisionForm
from ..forms.sessions import (
    SessionAmendForm,
    SessionEditForm,
    SessionForm,
    SignForm,
    TreatedChoices,
    TreatedFormSet,
    prefill_from_latest_assessment,
    raw_values,
    treated_choices,
)
from ..loaders import get_patient, get_session
from ..models import Patient, PrecautionProfile, Screening, TreatmentSession
from ..red_flags import Item, load
from ..services import CONTENT_LABELS
from ..submissions import once
from .movement import retest_form, retests_record, session_retests

EMPTY_ROWS = 3

STALE_NOTE = stale_form("session note")


def _with_another_row(
    form: SessionForm, formset: TreatedFormSet, choices: TreatedChoices
) -> tuple[SessionForm, TreatedFormSet]:
    """The "Add another row" button: the same page, unbound (no errors yet, nothing saved), with
    everything typed kept and one more empty row."""
    return (
        type(form)(initial=raw_values(form)),
        TreatedFormSet(
            initial=[raw_values(row) for row in formset.forms], choices=choices, extra=1
        ),
    )


def _render_form(
    request: HttpRequest,
    patient: Patient,
    form: SessionForm,
    formset: TreatedFormSet,
    session: TreatmentSession | None = None,
    **extra: Any,
) -> HttpResponse:
    context = {"patient": patient, "session": session, "form": form, "formset": formset, **extra}
    return render(request, "patients/session_form.html", context)


@require_http_methods(["GET", "POST"])
def session_create(request: HttpRequest, pk: int) -> HttpResponse:
    patient = get_patient(request, pk)
    choices = treated_choices()
    items = patient.rescreen_questions()
    diary = fill("session_form", patient)  # the portal's diary summary, when there is one
    if request.method == "GET":
        prefill = prefill_from_latest_assessment(patient, choices)
        formset = TreatedFormSet(
            initial=prefill.rows if prefill else None, choices=choices, extra=EMPTY_ROWS
        )
        rescreen = RescreenForm(items=items)
        level = diary["diary"].level if diary.get("diary") else ""
        return _render_form(
            request,
            patient,
            SessionForm(initial={"adherence": level} if level else None),
            formset,
            prefill=prefill,
            rescreen=rescreen,
            retest=retest_form(patient),
            **_precaution_check(patient),
            **diary,
        )

    form = SessionForm(request.POST)
    formset = TreatedFormSet(request.POST, choices=choices)
    rescreen = RescreenForm(request.POST, items=items)
    check = PrecautionCheckForm(request.POST)
    retest = retest_form(patient, data=request.POST)
    if "add_row" in request.POST:
        form, formset = _with_another_row(form, formset, choices)
        rescreen = RescreenForm(initial=raw_values(rescreen), items=items)
        check = PrecautionCheckForm(initial=raw_values(check))
        if retest is not None:
            retest = retest_form(patient, initial=raw_values(retest))
    elif all(
        [
            form.is_valid(),
            formset.is_valid(),
            rescreen.is_valid(),
            check.is_valid(),
            retest is None or retest.is_valid(),
        ]
    ):

        def create() -> str:
            session = services.session_record(
                patient=patient,
                therapist=request.user,
                data=model_data(form),
                treated=formset.entries(),
                rescreen=rescreen.answers(),
            )
            retests_record(retest, session)
            services.precautions_record(
                patient=patient,
                by=request.user,
                data=model_data(check),
                session=session,
                unchanged=check.unchanged,
            )
            if session.screening.holds_back:
                messages.warning(
                    request,
                    "Session logged. A new red flag was reported: see the recommended action "
                    "and record a decision. The ranking and plan changes wait for it.",
                )
            else:
                messages.success(request, "Session logged. Sign the note when it is complete.")
            return session.get_absolute_url()

        try:
            url, created = once(
                token=form.cleaned_data.get("submission"), user=request.user, create=create
            )
        except ValidationError as error:
            add_service_errors(form, error, None)
        else:
            if not created:
                messages.info(request, "That form was submitted already; here is what it saved.")
            return redirect(url)
    return _render_form(
        request,
        patient,
        form,
        formset,
        rescreen=rescreen,
        retest=retest,
        **_precaution_check(patient, check),
        **diary,
    )


def _precaution_check(patient: Patient, form: PrecautionCheckForm | None = None) -> dict[str, Any]:
    """The precautions fieldset of a new session: the current profile, to confirm or update."""
    current = PrecautionProfile.objects.filter(patient=patient).first()
    if form is None:
        initial = {}
        if current is not None:
            initial = {name: getattr(current, name) for name in PrecautionCheckForm.Meta.fields}
            initial["notes"] = ""
        form = PrecautionCheckForm(initial=initial)
    return {"precautions": form, "current_precautions": current}


@require_GET
def session_detail(request: HttpRequest, pk: int, sid: int) -> HttpResponse:
    return render_session(request, get_session(request, pk, sid, read_only=True))


def render_session(
    request: HttpRequest,
    session: TreatmentSession,
    decision_form: ScreeningDecisionForm | None = None,
) -> HttpResponse:
    """The session page, with its red-flag re-screening and any decision waiting on it."""
    screening = session.screening_or_none
    treated = list(session.treated_points.select_related("trigger_point__muscle", "technique"))
    amendments = list(session.amendments.select_related("amended_by"))
    signed_content = session.signed_content or {}
    original = [(label, signed_content.get(name, "")) for name, label in CONTENT_LABELS.items()]
    context = {
        "patient": session.patient,
        "session": session,
        "treated": treated,
        "amendments": amendments,
        "original": original,
        "is_author": session.therapist_id == request.user.pk,
        "sign_form": SignForm(initial={"version": session.version}),
        "screening": screening,
        "screening_findings": screening.findings() if screening else (),
        "screening_answers": _answered(screening),
        "retests": session_retests(session),
        "decision_form": decision_form
        or ScreeningDecisionForm(initial={"version": screening.version if screening else 1}),
    }
    return render(request, "patients/session_detail.html", context)


def _answered(screening: Screening | None) -> list[tuple[Item, bool]]:
    if screening is None:
        return []
    checklist = load()
    return [(checklist.item(a.flag), a.present) for a in screening.answers.all()]


@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, pk: int, sid: int) -> HttpResponse:
    """Edit an unsigned note; a signed note is amended instead, with a reason."""
    session = get_session(request, pk, sid)
    patient = session.patient
    choices = treated_choices()
    form_class = SessionAmendForm if session.is_signed else SessionEditForm
    if request.method == "GET":
        initial = {**model_to_dict(session, fields=SessionForm.Meta.fields)}
        initial["version"] = session.version
        rows = [
            {
                "trigger_point": p.trigger_point_id,
                "side": p.side,
                "technique": p.technique_id,
                "status": p.status,
                "retest": p.retest,
                "retest_before": p.retest_before,
                "retest_after": p.retest_after,
                "referral_reproduced": p.referral_reproduced,
            }
            for p in session.treated_points.all()
        ]
        formset = TreatedFormSet(initial=rows, choices=choices, extra=EMPTY_ROWS)
        retest = None if session.is_signed else retest_form(patient, session)
        return _render_form(
            request, patient, form_class(initial=initial), formset, session, retest=retest
        )

    form = form_class(request.POST)
    formset = TreatedFormSet(request.POST, choices=choices)
    retest = None if session.is_signed else retest_form(patient, session, data=request.POST)
    if "add_row" in request.POST:
        form, formset = _with_another_row(form, formset, choices)
        if retest is not None:
            retest = retest_form(patient, session, initial=raw_values(retest))
    elif not all([form.is_valid(), formset.is_valid(), retest is None or retest.is_valid()]):
        if form.opened_version() != session.version:
            form.add_error(None, STALE_NOTE)
    else:
        try:
            if session.is_signed:
                amendment = services.session_amend(
                    session=session,
                    by=request.user,
                    data=model_data(form),
                    treated=formset.entries(),
                    reason=form.cleaned_data["reason"],
                    expected_version=form.opened_version(),
                )
            else:
                with transaction.atomic():
                    services.session_update(
                        session=session,
                        data=model_data(form),
                        treated=formset.entries(),
                        expected_version=form.opened_version(),
                    )
                    retests_record(retest, session)
        except (services.StaleEditError, services.SignedError):
            form.add_error(None, STALE_NOTE)
        except ValidationError as error:
            add_service_errors(form, error, None)
        else:
            if not session.is_signed:
                messages.success(request, "Session note saved.")
            elif amendment is None:
                messages.info(request, "Nothing was changed, so no amendment was recorded.")
            else:
                messages.success(
                    request, "Amendment recorded. The note as signed stays visible below."
                )
            return redirect(session)
    return _render_form(request, patient, form, formset, session, retest=retest)


@require_POST
def session_sign(request: HttpRequest, pk: int, sid: int) -> HttpResponse:
    session = get_session(request, pk, sid)
    form = SignForm(request.POST)
    if session.therapist_id != request.user.pk:
        messages.error(
            request, f"Only {session.therapist}, who wrote this note, can sign it. Nothing changed."
        )
    elif session.is_signed:
        messages.info(request, "This note is already signed. Changes now go through an amendment.")
    else:
        try:
            if not form.is_valid():
                raise services.StaleEditError
            services.session_sign(
                session=session, by=request.user, expected_version=form.cleaned_data["version"]
            )
        except services.StaleEditError:
            messages.error(request, stale_action("session note", "signed"))
        else:
            messages.success(request, "Note signed. Later changes are recorded as amendments.")
    return redirect(session)
