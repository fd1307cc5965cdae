"""The one way views load patient data: scoped to the user's clinic, 404 otherwise."""

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from ..models import Assessment, Patient, TreatmentSession


def clinic_patients(request: HttpRequest) -> QuerySet[Patient]:
    return Patient.objects.for_clinic(request.user.clinic)


def get_patient(request: HttpRequest, pk: int) -> Patient:
    return get_object_or_404(clinic_patients(request).select_related("clinic", "created_by"), pk=pk)


def get_assessment(request: HttpRequest, pk: int, aid: int) -> Assessment:
    """An assessment of a patient of the user's clinic, with its red-flag answers."""
    return get_object_or_404(
        Assessment.objects.filter(patient__in=clinic_patients(request))
        .select_related("patient", "therapist", "red_flag_decided_by")
        .prefetch_related("red_flag_answers"),
        patient_id=pk,
        pk=aid,
    )


def get_session(request: HttpRequest, pk: int, sid: int) -> TreatmentSession:
    return get_object_or_404(
        TreatmentSession.objects.filter(patient__in=clinic_patients(request)).select_related(
            "patient", "therapist", "signed_by"
        ),
        patient_id=pk,
        pk=sid,
    )
