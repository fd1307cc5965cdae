from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.forms import model_data
from common.paging import lookahead_page

from .. import services, stamps
from ..course import load_courses
from ..editing import stale_action, stale_form
from ..forms.precautions import PrecautionForm
from ..forms.records import AssessmentForm, PatientForm, PatientSearchForm, carried_forward
from ..loaders import get_assessment, get_patient, posted_version
from ..models import Patient, PrecautionProfile
from ..submissions import once
from . import screening

PAGE_SIZE = 25


LISTED = ("id", "first_name", "last_name", "date_of_birth", "occupation")


@require_GET
def patient_list(request: HttpRequest) -> HttpResponse:
    form = PatientSearchForm(request.GET or None)
    patients = Patient.objects.for_clinic(request.user.clinic)
    query, archived = "", False
    if form.is_valid():
        query, archived = form.cleaned_data["q"], form.cleaned_data["archived"]
    patients = (patients.archived() if archived else patients.active()).search(query)
    # The columns the list shows (a patient row has a few dozen)
    patients = patients.only(*LISTED)
    page = lookahead_page(patients, request.GET.get("page"), PAGE_SIZE)
    return render(
        request,
        "patients/patient_list.html",
        {"form": form, "page": page, "query": query, "archived": archived},
    )


@require_http_methods(["GET", "POST"])
def patient_create(request: HttpRequest) -> HttpResponse:
    if request.user.clinic is None:
        messages.error(request, "Only clinic staff can add patients.")
        return redirect("patients:list")
    form = PatientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():

        def create() -> str:
            patient = services.patient_create(clinic_user=request.user, data=model_data(form))
            messages.success(request, f"{patient.full_name} was added.")
            return patient.get_absolute_url()

        return _once(request, form, create)
    return render(request, "patients/patient_form.html", {"form": form, "patient": None})


# The patient page shows the newest few of each list; the visits page has the rest.
RECENT = 10
COURSE_VISITS = 6  # visits (columns) in the trigger points' course table


def _recent(rows: QuerySet) -> tuple[list, bool]:
    """The newest RECENT rows, and whether there are more (one query, no count)."""
    rows = list(rows[: RECENT + 1])
    return rows[:RECENT], len(rows) > RECENT


@require_GET
def patient_detail(request: HttpRequest, pk: int) -> HttpResponse:
    patient = get_patient(request, pk, read_only=True)
    record = stamps.record_fragment(patient, "patient", lambda: _patient_record(patient))
    return render(request, "patients/patient_detail.html", {"patient": patient, "record": record})


def _patient_record(patient: Patient) -> str:
    """The part of the patient page drawn from the record alone (no request, no user)."""
    assessments, assessments_more = _recent(patient.assessments.select_related("screening"))
    sessions, sessions_more = _recent(
        patient.sessions.select_related("therapist")
        .annotate(amendment_count=Count("amendments"))
        .order_by("-session_date", "-created_at", "-pk")  # Meta.ordering is dropped by GROUP BY
    )
    plans, plans_more = _recent(patient.plans.select_related("assessment"))
    context = {
        "patient": patient,
        "assessments": assessments,
        "assessments_more": assessments_more,
        "sessions": sessions,
        "sessions_more": sessions_more,
        "plans": plans,
        "plans_more": plans_more,
        "courses": load_courses(patient).window(COURSE_VISITS),
        "precautions": PrecautionProfile.objects.filter(patient=patient).first(),
    }
    return render_to_string("patients/_patient_record.html", context)


@require_http_methods(["GET", "POST"])
def patient_edit(request: HttpRequest, pk: int) -> HttpResponse:
    patient = get_patient(request, pk)
    form = PatientForm(request.POST or None, instance=patient)
    if request.method == "POST" and form.is_valid():
        try:
            services.patient_update(
                patient=patient,
                data=model_data(form),
                expected_version=form.cleaned_data["version"] or 0,
            )
        except services.StaleEditError:
            form.add_error(None, stale_form("patient's record"))
        else:
            messages.success(request, "Changes saved.")
            return redirect(patient)
    return render(request, "patients/patient_form.html", {"form": form, "patient": patient})


def _once(request: HttpRequest, form: forms.Form, create: Callable[[], str]) -> HttpResponse:
    """Run a create once per form token: a second submit goes where the first went."""
    url, created = once(token=form.cleaned_data.get("submission"), user=request.user, create=create)
    if not created:
        messages.info(request, "That form was submitted already; here is what it saved.")
    return redirect(url)


STALE_STATUS = stale_action("patient's record")


@require_POST
def patient_archive(request: HttpRequest, pk: int) -> HttpResponse:
    patient = get_patient(request, pk)
    done = f"{patient.full_name} was archived. Their record is kept."
    return _status_change(request, patient, services.patient_archive, done)


@require_POST
def patient_restore(request: HttpRequest, pk: int) -> HttpResponse:
    patient = get_patient(request, pk, read_only=True)  # restoring is what makes it writable
    done = f"{patient.full_name} is active again."
    return _status_change(request, patient, services.patient_restore, done)


def _status_change(
    request: HttpRequest, patient: Patient, change: Callable[..., None], done: str
) -> HttpResponse:
    """Archive or restore the record as it was when the page was opened."""
    try:
        change(patient=patient, expected_version=posted_version(request))
    except services.StaleEditError:
        messages.error(request, STALE_STATUS)
    else:
        messages.success(request, done)
    return redirect(patient)


@require_http_methods(["GET", "POST"])
def assessment_create(request: HttpRequest, pk: int) -> HttpResponse:
    patient = get_patient(request, pk)
    initial, earlier = carried_forward(patient) if request.method == "GET" else ({}, None)
    form = AssessmentForm(request.POST or None, initial=initial)
    precautions = PrecautionForm(request.POST or None)
    if request.method == "POST" and all([form.is_valid(), precautions.is_valid()]):

        def create() -> str:
            data = {k: v for k, v in form.cleaned_data.items() if k != "submission"}
            assessment = services.assessment_create(
                patient=patient, therapist=request.user, data=data
            )
            services.precautions_record(
                patient=patient,
                by=request.user,
                data=model_data(precautions),
                assessment=assessment,
            )
            messages.success(request, "Assessment started. Screen for red flags next.")
            return reverse("patients:red_flags", args=[patient.pk, assessment.pk])

        return _once(request, form, create)
    context = {"form": form, "precautions": precautions, "patient": patient, "earlier": earlier}
    return render(request, "patients/assessment_form.html", context)


@require_GET
def assessment_detail(request: HttpRequest, pk: int, aid: int) -> HttpResponse:
    # The screening and its answers are read only when the page's record part is drawn.
    assessment = get_assessment(request, pk, aid, read_only=True, full=False)
    return screening.render_assessment(request, assessment)
