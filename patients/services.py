"""Writes to patient records. Views, admin and commands call these; nobody re-implements them."""

from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import Assessment, Patient, RedFlagAnswer, User


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


@transaction.atomic
def assessment_create(*, patient: Patient, therapist: User, data: dict[str, Any]) -> Assessment:
    assessment = Assessment(patient=patient, therapist=therapist, **data)
    assessment.full_clean()
    assessment.save()
    return assessment


@transaction.atomic
def red_flags_record(*, assessment: Assessment, answers: dict[str, bool]) -> Assessment:
    """Store one yes/no answer per flag. A decision covers the flags it was made on: a newly
    positive blocking flag clears it, so the therapist must decide again."""
    before = {f.key for f in assessment.blocking_red_flags()}
    for key, present in answers.items():
        RedFlagAnswer.objects.update_or_create(
            assessment=assessment, flag=key, defaults={"present": present}
        )
    assessment = Assessment.objects.prefetch_related("red_flag_answers").get(pk=assessment.pk)
    newly_positive = {f.key for f in assessment.blocking_red_flags()} - before
    assessment.red_flags_screened_at = timezone.now()
    if newly_positive and assessment.red_flag_decision:
        assessment.red_flag_decision = ""
        assessment.red_flag_decision_note = ""
        assessment.red_flag_decided_by = None
        assessment.red_flag_decided_at = None
    assessment.save()
    return assessment


@transaction.atomic
def red_flag_decide(*, assessment: Assessment, decision: str, note: str, by: User) -> Assessment:
    assessment.red_flag_decision = decision
    assessment.red_flag_decision_note = note
    assessment.red_flag_decided_by = by
    assessment.red_flag_decided_at = timezone.now()
    assessment.full_clean()
    assessment.save()
    return assessment
