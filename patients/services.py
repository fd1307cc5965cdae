"""Writes to patient records. Views, admin and commands call these; nobody re-implements them."""

from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import Patient, User


class StaleEditError(Exception):
    """Someone else saved the record after this form was opened."""


@transaction.atomic
def patient_create(*, clinic_user: User, data: dict[str, Any]) -> Patient:
    patient = Patient(clinic=clinic_user.clinic, created_by=clinic_user, **data)
    patient.full_clean()
    patient.save()
    return patient


@transaction.atomic
def patient_update(*, patient: Patient, data: dict[str, Any], expected_version: int) -> Patient:
    """Save `data` over the version the editor saw; refuse if someone saved since.

    The version check and bump is one UPDATE, so two concurrent saves cannot both pass it.
    """
    claimed = Patient.objects.filter(pk=patient.pk, version=expected_version).update(
        version=F("version") + 1
    )
    if not claimed:
        raise StaleEditError
    for field, value in data.items():
        setattr(patient, field, value)
    patient.version = expected_version + 1
    patient.full_clean()
    patient.save()
    return patient


@transaction.atomic
def patient_archive(*, patient: Patient) -> Patient:
    """Patients are archived, never deleted: the record and its history stay."""
    if not patient.is_archived:
        patient.archived_at = timezone.now()
        patient.save(update_fields=["archived_at", "updated_at"])
    return patient


@transaction.atomic
def patient_restore(*, patient: Patient) -> Patient:
    if patient.is_archived:
        patient.archived_at = None
        patient.save(update_fields=["archived_at", "updated_at"])
    return patient
