"""Writes to patient records. Views, admin and commands call these; nobody re-implements them."""

import functools
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone

from common.models import model_update

from .models import (
    Assessment,
    CrossCheckResponse,
    Measures,
    PainMark,
    PalpatedTriggerPoint,
    Patient,
    PosturalObservation,
    PrecautionProfile,
    PsfsActivity,
    RedFlagAnswer,
    Screening,
    SessionAmendment,
    TreatedPoint,
    TreatmentSession,
    User,
)
from .red_flags import CROSS_CHECK_TITLES


class StaleEditError(Exception):
    """Someone else saved the record after this form was opened."""


class SignedError(Exception):
    """A signed session note changes only through an amendment."""


_P = ParamSpec("_P")
_R = TypeVar("_R")
_claims = threading.local()


@contextmanager
def _claims_undone_on_error() -> Iterator[None]:
    """Records every instance `claim_version` claims inside the block; if the block fails, each
    is put back to the field values it had before its claim, so a refused or failed write leaves
    the caller's objects exactly as loaded (the database rolled back with them)."""
    claimed: list[tuple[models.Model, dict[str, Any]]] = []
    outer = getattr(_claims, "current", None)
    _claims.current = claimed
    try:
        yield
    except BaseException:
        for instance, values in reversed(claimed):
            for attname, value in values.items():
                setattr(instance, attname, value)
        raise
    finally:
        _claims.current = outer
        if outer is not None:
            outer.extend(claimed)


def versioned_write(func: Callable[_P, _R]) -> Callable[_P, _R]:
    """`transaction.atomic` for a service that claims versions: all or nothing in the database,
    and in memory too (see _claims_undone_on_error). Views need no refresh_from_db()."""

    @functools.wraps(func)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with _claims_undone_on_error(), transaction.atomic():
            return func(*args, **kwargs)

    return wrapper


def claim_version(instance: models.Model, expected_version: int) -> None:
    """Bump the row's version if it is still `expected_version`, else raise StaleEditError.

    The check and the bump are one UPDATE, so two concurrent saves cannot both pass it. Call it
    inside a `versioned_write` service: the in-memory bump (which the following save() writes)
    is undone if the transaction fails.
    """
    claimed = (
        type(instance)
        .objects.filter(pk=instance.pk, version=expected_version)
        .update(version=F("version") + 1)
    )
    if not claimed:
        raise StaleEditError
    current = getattr(_claims, "current", None)
    if current is not None:
        fields = instance._meta.concrete_fields
        current.append((instance, {f.attname: getattr(instance, f.attname) for f in fields}))
    instance.version = expected_version + 1


@transaction.atomic
def patient_create(*, clinic_user: User, data: dict[str, Any]) -> Patient:
    patient = Patient(clinic=clinic_user.clinic, created_by=clinic_user, **data)
    patient.full_clean()
    patient.save()
    return patient


@versioned_write
def patient_update(*, patient: Patient, data: dict[str, Any], expected_version: int) -> Patient:
    """Save `data` over the version the editor saw; refuse if someone saved since."""
    claim_version(patient, expected_version)
    return model_update(instance=patient, data=data)


@versioned_write
def patient_archive(*, patient: Patient, expected_version: int) -> Patient:
    """Patients are archived, never deleted: the record and its history stay. Archiving goes
    through the version check like an edit, so an edit opened before it cannot undo it."""
    claim_version(patient, expected_version)
    if not patient.is_archived:
        patient.archived_at = timezone.now()
    patient.save(update_fields=["archived_at", "version", "updated_at"])
    return patient


@versioned_write
def patient_restore(*, patient: Patient, expected_version: int) -> Patient:
    claim_version(patient, expected_version)
    patient.archived_at = None
    patient.save(update_fields=["archived_at", "version", "updated_at"])
    return patient


@transaction.atomic
def assessment_create(*, patient: Patient, therapist: User, data: dict[str, Any]) -> Assessment:
    assessment = Assessment(patient=patient, therapist=therapist, **data)
    assessment.full_clean()
    assessment.save()
    return assessment


def _triage_store(screening: Screening) -> Screening:
    """Work out the triage of the screening's answers and keep its level on the row."""
    screening = (
        Screening.objects.select_related("patient").prefetch_related("answers").get(pk=screening.pk)
    )
    findings = screening.findings()
    screening.level = findings[0].level if findings else ""
    screening.holds_back = any(f.holds_back for f in findings)
    return screening


@versioned_write
def red_flags_record(
    *,
    assessment: Assessment,
    answers: dict[str, bool],
    by: User,
    expected_version: int,
    reason: str = "",
) -> Screening:
    """Save the intake screening over the version the form was opened on (0 for none yet).

    A save over a newer one raises StaleEditError and changes nothing, so a positive answer is
    never overwritten unseen. A "yes" changed to "no" needs a reason, kept in the answer's
    history. A decision covers the findings it was made on: a newly holding finding clears it.
    """
    screening, created = Screening.objects.get_or_create(
        assessment=assessment,
        defaults={
            "patient_id": assessment.patient_id,
            "screened_on": assessment.assessed_on,
            "screened_by": by,
        },
    )
    if not created or expected_version:
        claim_version(screening, expected_version)
    before = {f.key for f in _triage_store(screening).findings() if f.holds_back}
    existing = {answer.flag: answer for answer in screening.answers.all()}
    for key, present in answers.items():
        row = existing.get(key) or RedFlagAnswer(screening=screening, flag=key, present=present)
        if row.pk and row.present == present:
            continue
        if row.pk and row.present and not present:
            if not reason.strip():
                raise ValidationError(
                    {"reason": "Say why an answer given as yes is now no: the history keeps it."}
                )
            row._change_reason = reason.strip()[:100]
        row.present = present
        row.save()
    screening = _triage_store(screening)
    now_holding = {f.key for f in screening.findings() if f.holds_back}
    screening.screened_at = timezone.now()
    screening.screened_by = by
    if now_holding - before and screening.decision:
        screening.decision, screening.decision_note = "", ""
        screening.decided_by, screening.decided_at = None, None
    screening.save()
    return screening


@versioned_write
def screening_decide(
    *, screening: Screening, decision: str, note: str, by: User, expected_version: int
) -> Screening:
    """Record what was done about the screening's red flags, over the version the therapist saw:
    a decision made on answers that have since changed is refused (StaleEditError)."""
    claim_version(screening, expected_version)
    if not screening.holds_back:
        raise ValidationError("There is no red flag waiting for a decision.")
    screening.decision = decision
    screening.decision_note = note
    screening.decided_by = by
    screening.decided_at = timezone.now()
    screening.full_clean()
    screening.save()
    return screening


@transaction.atomic
def cross_check_respond(
    *, assessment: Assessment, key: str, response: str, note: str, by: User
) -> tuple[CrossCheckResponse, bool]:
    """Record the therapist's response to a cross-check prompt. A second submit of the same
    prompt keeps the first response and says so (returns created False)."""
    if key not in CROSS_CHECK_TITLES:
        raise ValidationError({"key": "Unknown cross-check."})
    row = CrossCheckResponse(assessment=assessment, key=key, response=response, note=note, by=by)
    row.full_clean(validate_unique=False, validate_constraints=False)
    return CrossCheckResponse.objects.get_or_create(
        assessment=assessment,
        key=key,
        defaults={"response": response, "note": note, "by": by},
    )


@versioned_write
def presentation_record(
    *,
    assessment: Assessment,
    symptoms: Sequence[str],
    factors: Sequence[str],
    expected_version: int,
) -> Assessment:
    """Save what the patient reports besides where it hurts, over the version the form was
    opened on (StaleEditError if someone saved since)."""
    claim_version(assessment, expected_version)
    assessment.symptoms = list(dict.fromkeys(symptoms))
    assessment.factors = list(dict.fromkeys(factors))
    assessment.save(update_fields=["symptoms", "factors", "version", "updated_at"])
    return assessment


# The examination


@dataclass(frozen=True)
class PainEntry:
    region: str
    intensity: int
    quality: str
    pattern: str


@versioned_write
def pain_drawing_record(
    *, assessment: Assessment, entries: Sequence[PainEntry], expected_version: int
) -> list[PainMark]:
    """Replace the assessment's pain drawing with `entries`, one row per region, all or nothing.

    Rows for regions no longer marked are removed (their history stays in the change log).
    Raises StaleEditError if the assessment changed since the form was opened, and
    ValidationError for an unknown region, a repeated region or an out-of-range score.
    """
    claim_version(assessment, expected_version)
    seen: set[str] = set()
    existing = {mark.region_id: mark for mark in assessment.pain_marks.all()}
    saved = []
    for entry in entries:
        if entry.region in seen:
            raise ValidationError({"regions": f"{entry.region} is marked twice."})
        seen.add(entry.region)
        mark = existing.get(entry.region) or PainMark(assessment=assessment, region_id=entry.region)
        mark.intensity, mark.quality, mark.pattern = entry.intensity, entry.quality, entry.pattern
        mark.full_clean(exclude=["assessment"], validate_unique=False)
        mark.save()
        saved.append(mark)
    for region, mark in existing.items():
        if region not in seen:
            mark.delete()
    Assessment.objects.filter(pk=assessment.pk).update(updated_at=timezone.now())
    return saved


def _finding_save(
    row: models.Model, data: dict[str, Any], expected_version: int | None, duplicate: dict
) -> models.Model:
    """Create a finding row, or change one over the version its form was opened on. A save over
    a newer one raises StaleEditError; the same finding created twice at once (a double submit)
    is a ValidationError at its field, never a database error."""
    if row.pk is not None:
        claim_version(row, expected_version or 0)
    for field, value in data.items():
        setattr(row, field, value)
    row.full_clean()
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as error:
        raise ValidationError(duplicate) from error
    return row


@versioned_write
def palpated_point_record(
    *,
    assessment: Assessment,
    data: dict[str, Any],
    point: PalpatedTriggerPoint | None = None,
    expected_version: int | None = None,
) -> PalpatedTriggerPoint:
    """Add a palpated trigger point to the assessment, or change `point` over the version the
    form was opened on."""
    return _finding_save(
        point or PalpatedTriggerPoint(assessment=assessment),
        data,
        expected_version,
        {"trigger_point": "This trigger point on this side is already recorded here."},
    )


@versioned_write
def palpated_point_remove(*, point: PalpatedTriggerPoint, expected_version: int) -> None:
    """Remove a finding recorded in error, as it was when the page was opened; the change log
    keeps what it was."""
    claim_version(point, expected_version)
    point.delete()


@versioned_write
def postural_observation_record(
    *,
    assessment: Assessment,
    data: dict[str, Any],
    observation: PosturalObservation | None = None,
    expected_version: int | None = None,
) -> PosturalObservation:
    return _finding_save(
        observation or PosturalObservation(assessment=assessment),
        data,
        expected_version,
        {"finding": "This postural finding is already recorded in this assessment."},
    )


@versioned_write
def postural_observation_remove(*, observation: PosturalObservation, expected_version: int) -> None:
    claim_version(observation, expected_version)
    observation.delete()


@versioned_write
def measures_record(
    *,
    assessment: Assessment,
    data: dict[str, Any],
    psfs: Sequence[tuple[str, int]],
    expected_version: int,
) -> Measures:
    """Save the breathing and outcome measures and the PSFS activities of an assessment, all
    or nothing, over the version the editor saw (0 when there were none yet)."""
    measures, created = Measures.objects.get_or_create(assessment=assessment)
    if not created or expected_version:
        claim_version(measures, expected_version)
    model_update(instance=measures, data=data)
    assessment.psfs_activities.all().delete()
    for activity, score in psfs:
        row = PsfsActivity(assessment=assessment, activity=activity, score=score)
        row.full_clean()
        row.save()
    return measures


# Sessions


@dataclass(frozen=True)
class TreatedEntry:
    trigger_point_id: int
    side: str
    technique_id: int
    # The point's course (patients.course): status at the visit and the re-test.
    status: str = ""
    retest: str = ""
    retest_before: int | None = None
    retest_after: int | None = None
    referral_reproduced: bool | None = None


def _treated_replace(session: TreatmentSession, entries: Sequence[TreatedEntry]) -> None:
    session.treated_points.all().delete()
    for entry in dict.fromkeys(entries):  # drops exact repeats, keeps order
        row = TreatedPoint(
            session=session,
            trigger_point_id=entry.trigger_point_id,
            side=entry.side,
            technique_id=entry.technique_id,
            status=entry.status,
            retest=entry.retest,
            retest_before=entry.retest_before,
            retest_after=entry.retest_after,
            referral_reproduced=entry.referral_reproduced,
        )
        row.full_clean(exclude=["session"])
        row.save()


@transaction.atomic
def session_record(
    *,
    patient: Patient,
    therapist: User,
    data: dict[str, Any],
    treated: Sequence[TreatedEntry],
    rescreen: dict[str, bool] | None = None,
) -> TreatmentSession:
    """Log a session, with its "anything new since last time?" red-flag check (`rescreen`),
    all or nothing. A new holding finding holds back the patient's ranking and plan changes
    until a decision is recorded on the session's screening."""
    session = TreatmentSession(patient=patient, therapist=therapist, **data)
    session.full_clean()
    session.save()
    _treated_replace(session, treated)
    if rescreen is not None:
        screening = Screening.objects.create(
            patient=patient,
            session=session,
            screened_on=session.session_date,
            screened_by=therapist,
            carried_yes=patient.red_flags_answered_yes(),
        )
        for key, present in rescreen.items():  # one by one, so each has its history row
            RedFlagAnswer.objects.create(screening=screening, flag=key, present=present)
        _triage_store(screening).save()
    return session


@versioned_write
def session_update(
    *,
    session: TreatmentSession,
    data: dict[str, Any],
    treated: Sequence[TreatedEntry],
    expected_version: int,
) -> TreatmentSession:
    """Change an unsigned session note. Signed notes change through session_amend."""
    if session.is_signed:
        raise SignedError
    claim_version(session, expected_version)
    model_update(instance=session, data=data)
    _treated_replace(session, treated)
    return session


SIGNED_FIELDS = ("session_date", "pre_nprs", "post_nprs", "response", "adherence", "notes")


def session_content(session: TreatmentSession) -> dict[str, str]:
    """The note as a reader sees it: each field's display text, and the treated points."""
    content = {}
    for name in SIGNED_FIELDS:
        field = session._meta.get_field(name)
        value = getattr(session, name)
        if field.choices:
            text = getattr(session, f"get_{name}_display")()
        elif value is None:
            text = ""
        elif name == "session_date":
            text = f"{value.day} {value:%b %Y}"  # as the pages show dates: 9 Nov 2026
        else:
            text = str(value)
        content[name] = text
    content["treated_points"] = "; ".join(
        f"{p.trigger_point.muscle.name}, {p.trigger_point.label} ({p.get_side_display()}): "
        f"{p.technique.name}{p.course_text()}"
        for p in session.treated_points.select_related("trigger_point__muscle", "technique")
    )
    return content


CONTENT_LABELS = {
    "session_date": "Date",
    "pre_nprs": "Pain before (NPRS)",
    "post_nprs": "Pain after (NPRS)",
    "response": "Response since last visit",
    "adherence": "Home-programme adherence",
    "notes": "Notes",
    "treated_points": "Trigger points treated",
}


@versioned_write
def session_sign(*, session: TreatmentSession, by: User, expected_version: int) -> TreatmentSession:
    """Sign the note: from now on it changes only through amendments. Stores the signed text."""
    if session.is_signed:
        raise SignedError
    claim_version(session, expected_version)
    session.signed_at = timezone.now()
    session.signed_by = by
    session.signed_content = session_content(session)
    session.save()
    return session


@versioned_write
def session_amend(
    *,
    session: TreatmentSession,
    by: User,
    data: dict[str, Any],
    treated: Sequence[TreatedEntry],
    reason: str,
    expected_version: int,
) -> SessionAmendment | None:
    """Change a signed note. Records each changed field's text before and after, with the
    reason, who and when; the signed text stays as it was. Returns None if nothing changed."""
    if not session.is_signed:
        raise SignedError("Only a signed note is amended; edit it instead.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the signed note is being amended."})
    claim_version(session, expected_version)
    before = session_content(session)
    model_update(instance=session, data=data)
    _treated_replace(session, treated)
    after = session_content(session)
    changes = [
        {"field": name, "label": CONTENT_LABELS[name], "before": before[name], "after": after[name]}
        for name in CONTENT_LABELS
        if before[name] != after[name]
    ]
    if not changes:
        transaction.set_rollback(True)
        return None
    return SessionAmendment.objects.create(
        session=session, amended_by=by, reason=reason.strip(), changes=changes
    )


# Clinic staff


@transaction.atomic
def therapist_create(*, clinic_admin: User, data: dict[str, Any], password: str) -> User:
    """A clinic admin adds a therapist (or another clinic admin) to their own clinic."""
    user = User(clinic=clinic_admin.clinic, **data)
    user.set_password(password)
    user.full_clean()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as error:  # the same username saved a moment ago (a double submit)
        raise ValidationError({"username": "This username is taken."}) from error
    return user


@transaction.atomic
def therapist_set_active(*, clinic_admin: User, user: User, active: bool) -> User:
    """Staff are deactivated, never deleted: their notes keep their name. An admin cannot lock
    themselves out."""
    if user.clinic_id != clinic_admin.clinic_id:
        raise PermissionError("Not a member of your clinic.")
    if user.pk == clinic_admin.pk and not active:
        raise ValidationError("You can't deactivate your own account.")
    user.is_active = active
    user.save(update_fields=["is_active"])
    return user


# Precautions (facts §12.1)


@versioned_write
def precautions_record(
    *,
    patient: Patient,
    by: User,
    data: dict[str, Any],
    assessment: Assessment | None = None,
    session: TreatmentSession | None = None,
    unchanged: bool = False,
) -> PrecautionProfile:
    """Record the patient's precautions: asked at intake (`assessment`), or confirmed at a visit
    (`session`). `unchanged` copies the current profile as confirmed; otherwise `data` holds the
    new answers. The newest row is the patient's current profile."""
    current = PrecautionProfile.objects.filter(patient=patient).first()
    if unchanged:
        data = {
            "keys": list(current.keys) if current else [],
            "pregnancy_weeks": current.pregnancy_weeks if current else None,
            "surgery_area": current.surgery_area if current else "",
            "lymphoedema_limb": current.lymphoedema_limb if current else "",
            "notes": data.get("notes", ""),
        }
    on = (
        session.session_date
        if session is not None
        else assessment.assessed_on
        if assessment is not None
        else timezone.localdate()
    )
    profile = PrecautionProfile(
        patient=patient,
        assessment=assessment,
        session=session,
        recorded_on=on,
        recorded_by=by,
        unchanged=unchanged,
        **data,
    )
    profile.full_clean()
    profile.save()
    return profile
