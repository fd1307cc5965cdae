"""The one way views load patient data, in every app: scoped to the user's clinic, 404
otherwise.

Write access is decided here, by the loader the view calls (as Healthchecks does with its read
and read-write loaders): the loaders refuse an archived patient's record with 403 (forms
included, so nobody types into a form that cannot be saved) unless the view asks for it
`read_only=True`, which only pages that change nothing do.
"""

from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from .models import Assessment, Patient, TreatmentSession


def clinic_patients(request: HttpRequest) -> QuerySet[Patient]:
    return Patient.objects.for_clinic(request.user.clinic)


Record = TypeVar("Record", Assessment, TreatmentSession)
ARCHIVED = "This patient's record is archived and read-only. Restore it to make changes."


def refuse_changes_if_archived(patient: Patient) -> None:
    if patient.is_archived:
        raise PermissionDenied(ARCHIVED)


def get_patient(request: HttpRequest, pk: int, *, read_only: bool = False) -> Patient:
    """The patient, for a change unless `read_only` (an archived record only reads)."""
    patient = get_object_or_404(
        clinic_patients(request).select_related("clinic", "created_by", "stamp"), pk=pk
    )
    if not read_only:
        refuse_changes_if_archived(patient)
    return patient


ASSESSMENT_FULL = ("patient__stamp", "therapist", "screening__decided_by", "screening__screened_by")
# What the assessment page shows around its kept record part: the date, who assessed, the
# patient's name and whether the record is archived, and the stamp that names the record.
# A few columns of three tables compile and load in two thirds of the time of every column.
AROUND_RECORD = (
    *("assessed_on", "patient", "therapist"),
    *("patient__first_name", "patient__last_name", "patient__archived_at"),
    "patient__stamp",
    *("therapist__first_name", "therapist__last_name", "therapist__username"),
)


def get_assessment(
    request: HttpRequest, pk: int, aid: int, *, read_only: bool = False, full: bool = True
) -> Assessment:
    """An assessment of a patient of the user's clinic, with its intake screening and its
    answers; or, not `full`, only what the assessment page shows around its record part
    (AROUND_RECORD), for a page that reads the rest when it needs it (`with_screening`)."""
    if not full:
        records = Assessment.objects.select_related("patient__stamp", "therapist")
        records = records.only(*AROUND_RECORD)
        return _patient_record(request, records, pk, aid, "", read_only=read_only)
    records = Assessment.objects.select_related(*ASSESSMENT_FULL).prefetch_related(
        "screening__answers"
    )
    return _patient_record(request, records, pk, aid, "intake_screening", read_only=read_only)


def with_screening(assessment: Assessment) -> Assessment:
    """The assessment as `get_assessment` gives it in full (read again with its patient if it
    was not: two queries)."""
    if Assessment.screening.related.is_cached(assessment):
        return assessment
    full = (
        Assessment.objects.select_related("patient", *ASSESSMENT_FULL[1:])
        .prefetch_related("screening__answers")
        .get(pk=assessment.pk)
    )
    if full.intake_screening:
        full.screening.patient = full.patient
    return full


def get_session(
    request: HttpRequest, pk: int, sid: int, *, read_only: bool = False
) -> TreatmentSession:
    records = TreatmentSession.objects.select_related(
        "patient", "therapist", "signed_by", "screening__decided_by"
    ).prefetch_related("screening__answers")
    return _patient_record(request, records, pk, sid, "screening_or_none", read_only=read_only)


def _patient_record(
    request: HttpRequest,
    records: QuerySet[Record],
    pk: int,
    record_id: int,
    screening: str,
    *,
    read_only: bool,
) -> Record:
    """An assessment or session of a patient of the user's clinic, with its red-flag screening
    (the attribute `screening` names); for a change unless `read_only`."""
    record = get_object_or_404(
        records.filter(patient__in=clinic_patients(request)),
        patient_id=pk,
        pk=record_id,
    )
    if screening and getattr(record, screening):
        record.screening.patient = record.patient  # ages come from the date of birth
    if not read_only:
        refuse_changes_if_archived(record.patient)
    return record


def posted_version(request: HttpRequest) -> int:
    """The record version a change form was opened on (0 when missing: refused as stale)."""
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return 0
