"""The one way views load patient data: scoped to the user's clinic, 404 otherwise.

An archived patient's record is read-only: every page except the read-only ones below answers
403 (forms included, so nobody types into a form that cannot be saved) until it is restored.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from ..models import Assessment, Patient, TreatmentSession


def clinic_patients(request: HttpRequest) -> QuerySet[Patient]:
    return Patient.objects.for_clinic(request.user.clinic)


ARCHIVED = "This patient's record is archived and read-only. Restore it to make changes."


READ_ONLY_PAGES = {"detail", "assessment", "session", "progress"}


def refuse_changes_if_archived(
    request: HttpRequest, patient: Patient, read_only_pages: set[str] = READ_ONLY_PAGES
) -> None:
    read_only = request.method in ("GET", "HEAD") and (
        request.resolver_match is not None and request.resolver_match.url_name in read_only_pages
    )
    if patient.is_archived and not read_only:
        raise PermissionDenied(ARCHIVED)


def get_patient(request: HttpRequest, pk: int, *, allow_archived: bool = False) -> Patient:
    patient = get_object_or_404(
        clinic_patients(request).select_related("clinic", "created_by"), pk=pk
    )
    if not allow_archived:
        refuse_changes_if_archived(request, patient)
    return patient


def get_assessment(request: HttpRequest, pk: int, aid: int) -> Assessment:
    """An assessment of a patient of the user's clinic, with its intake screening and answers."""
    assessment = get_object_or_404(
        Assessment.objects.filter(patient__in=clinic_patients(request))
        .select_related("patient", "therapist", "screening__decided_by", "screening__screened_by")
        .prefetch_related("screening__answers"),
        patient_id=pk,
        pk=aid,
    )
    if assessment.intake_screening:
        assessment.screening.patient = assessment.patient  # ages come from the date of birth
    refuse_changes_if_archived(request, assessment.patient)
    return assessment


def get_session(request: HttpRequest, pk: int, sid: int) -> TreatmentSession:
    session = get_object_or_404(
        TreatmentSession.objects.filter(patient__in=clinic_patients(request))
        .select_related("patient", "therapist", "signed_by", "screening__decided_by")
        .prefetch_related("screening__answers"),
        patient_id=pk,
        pk=sid,
    )
    if session.screening_or_none:
        session.screening.patient = session.patient
    refuse_changes_if_archived(request, session.patient)
    return session


def posted_version(request: HttpRequest) -> int:
    """The record version a change form was opened on (0 when missing: refused as stale)."""
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return 0
