"""A patient's whole record: export as one ZIP, and anonymisation past retention."""

import csv
import io
import zipfile
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from patients.models import (
    Assessment,
    CrossCheckResponse,
    Measures,
    MovementResult,
    PainMark,
    PalpatedTriggerPoint,
    Patient,
    PosturalObservation,
    PsfsActivity,
    RedFlagAnswer,
    Screening,
    TreatedPoint,
    TreatmentSession,
    User,
)
from plans.content import PlanContent
from plans.models import Plan, PlanItem, PlanVersion
from plans.pdf import render_plan_pdf
from plans.stored import stored_pdf
from portal.models import DiaryDay, DiaryTick
from triggerpoints.bodymap import region_index

from . import fhir
from .models import RecordEvent


def may_export(user: User, patient: Patient) -> bool:
    """The clinic admin, or a therapist who has treated the patient (an assessment, a session
    or a plan of theirs)."""
    if user.clinic_id != patient.clinic_id:
        return False
    if user.is_clinic_admin:
        return True
    return (
        patient.assessments.filter(therapist=user).exists()
        or patient.sessions.filter(therapist=user).exists()
        or patient.plans.filter(created_by=user).exists()
    )


def _note_text(session: TreatmentSession) -> str:
    lines = [
        f"Session on {session.session_date:%d %b %Y} with {session.therapist}",
        f"Pain before {session.pre_nprs}/10"
        + (f", after {session.post_nprs}/10" if session.post_nprs is not None else ""),
        f"Response: {session.get_response_display() or '-'}",
        f"Home-programme adherence: {session.get_adherence_display()}",
        "Trigger points treated: "
        + (
            "; ".join(
                f"{p.trigger_point.muscle.name}, {p.trigger_point.label} "
                f"({p.get_side_display().lower()}): {p.technique.name}"
                for p in session.treated_points.all()
            )
            or "none recorded"
        ),
        "",
        session.notes or "(no notes)",
        "",
    ]
    if session.is_signed:
        lines.append(f"Signed by {session.signed_by} at {session.signed_at:%d %b %Y %H:%M}.")
        lines.append("The note as signed:")
        lines += [f"  {key}: {value}" for key, value in session.signed_content.items()]
        for amendment in session.amendments.all():
            lines.append(
                f"Amended by {amendment.amended_by} at {amendment.amended_at:%d %b %Y %H:%M}: "
                f"{amendment.reason}"
            )
            lines += [f"  {c['label']}: {c['before']} -> {c['after']}" for c in amendment.changes]
    else:
        lines.append("Not signed.")
    return "\n".join(lines) + "\n"


def _history_tables(patient: Patient) -> list[tuple[str, object]]:
    """Every history table holding part of the patient's record, with its rows for them."""
    assessments = Assessment.objects.filter(patient=patient).values("pk")
    sessions = TreatmentSession.objects.filter(patient=patient).values("pk")
    screenings = Screening.objects.filter(patient=patient).values("pk")
    plans = Plan.objects.filter(patient=patient).values("pk")
    return [
        ("patient", Patient.history.filter(id=patient.pk)),
        ("assessments", Assessment.history.filter(patient_id=patient.pk)),
        ("screenings", Screening.history.filter(patient_id=patient.pk)),
        ("red_flag_answers", RedFlagAnswer.history.filter(screening_id__in=screenings)),
        ("cross_checks", CrossCheckResponse.history.filter(assessment_id__in=assessments)),
        ("pain_marks", PainMark.history.filter(assessment_id__in=assessments)),
        ("palpated_points", PalpatedTriggerPoint.history.filter(assessment_id__in=assessments)),
        ("postural", PosturalObservation.history.filter(assessment_id__in=assessments)),
        ("measures", Measures.history.filter(assessment_id__in=assessments)),
        ("psfs", PsfsActivity.history.filter(assessment_id__in=assessments)),
        ("sessions", TreatmentSession.history.filter(patient_id=patient.pk)),
        ("treated_points", TreatedPoint.history.filter(session_id__in=sessions)),
        (
            "movement_results",
            MovementResult.history.filter(
                Q(assessment_id__in=assessments) | Q(session_id__in=sessions)
            ),
        ),
        ("plans", Plan.history.filter(patient_id=patient.pk)),
        ("plan_items", PlanItem.history.filter(plan_id__in=plans)),
        ("diary_days", DiaryDay.history.filter(patient_id=patient.pk)),
        ("diary_items", DiaryTick.history.filter(patient_id=patient.pk)),
    ]


def _csv(rows: object) -> str:
    return _csv_of(list(rows.order_by("history_date").values()))


def _csv_of(rows: list[dict]) -> str:
    out = io.StringIO()
    if rows:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return out.getvalue()


def record_export(*, patient: Patient, by: User, address: str | None = None) -> bytes:
    """The patient's whole record as a ZIP: a FHIR R4 Bundle (bundle.json), every session note
    with its signature and amendments, every issued plan version as the PDF the patient was
    given, the diary the patient kept on their phone, and the change history as CSV. The export
    is recorded (RecordEvent)."""
    if not may_export(by, patient):
        raise PermissionDenied("Only the clinic admin or a treating therapist may export it.")
    labels = {region.code: region.label for region in region_index()}
    assessments = list(
        Assessment.objects.filter(patient=patient)
        .select_related("measures", "screening")
        .prefetch_related(
            "pain_marks",
            "psfs_activities",
            "screening__answers",
            "palpated_points__trigger_point__muscle",
            "postural_observations__finding",
            "movement_results__test",
        )
        .order_by("assessed_on", "pk")
    )
    for a in assessments:
        if a.intake_screening:
            a.screening.patient = patient
    sessions = list(
        TreatmentSession.objects.filter(patient=patient)
        .select_related("therapist", "signed_by")
        .prefetch_related(
            "treated_points__trigger_point__muscle",
            "treated_points__technique",
            "amendments__amended_by",
        )
        .order_by("session_date", "pk")
    )
    versions = list(
        PlanVersion.objects.filter(plan__patient=patient)
        .select_related("plan")
        .order_by("plan_id", "number")
    )
    diary = list(DiaryDay.objects.filter(patient=patient).order_by("day"))
    ticks = DiaryTick.objects.filter(patient=patient).order_by("day", "item_key")
    files: dict[str, bytes] = {
        "diary/days.csv": _csv_of(
            [{"day": d.day, "pain": d.pain, "note": d.note} for d in diary]
        ).encode(),
        "diary/home_items.csv": _csv_of(
            list(ticks.values("day", "item_key", "strand", "done", "worse"))
        ).encode(),
    }
    documents = []
    for s in sessions:
        path = f"notes/session-{s.session_date:%Y-%m-%d}-{s.pk}.txt"
        files[path] = _note_text(s).encode()
        title = f"Session note {s.session_date:%d %b %Y}" + ("" if s.is_signed else " (unsigned)")
        documents.append(fhir.Document(path, title, "text/plain", s.session_date))
    issued = []
    for v in versions:
        content = PlanContent.from_json(v.content)
        path = f"plans/plan-{v.plan_id}-version-{v.number}.pdf"
        # The stored PDF, byte for byte the one downloaded (rendered and stored if not yet)
        files[path] = stored_pdf(
            v, clinician=False, render=lambda content=content: render_plan_pdf(content)
        )
        documents.append(
            fhir.Document(
                path, f"Treatment plan version {v.number}", "application/pdf", content.plan_day
            )
        )
        issued.append(fhir.IssuedPlan(v.plan_id, v.number, v.plan.status, v.content))
    result = fhir.bundle(
        patient,
        assessments=assessments,
        sessions=sessions,
        issued=issued,
        documents=documents,
        labels=labels,
        diary=diary,
    )
    for name, rows in _history_tables(patient):
        files[f"history/{name}.csv"] = _csv(rows).encode()
    files["bundle.json"] = result.model_dump_json(indent=1).encode()
    files["README.txt"] = README.format(
        name=patient.full_name, when=timezone.localtime().strftime("%d %b %Y %H:%M"), by=by
    ).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in sorted(files.items()):
            archive.writestr(path, data)
    RecordEvent.objects.create(
        patient=patient,
        kind=RecordEvent.Kind.EXPORT,
        by=by,
        address=address,
        detail=f"{len(files)} files, {len(versions)} plan versions, {len(sessions)} sessions",
    )
    return buffer.getvalue()


README = """Myoplan record export: {name}
Made {when} by {by}.

bundle.json   The record as a FHIR R4 Bundle (FHIR 4.3, R4B): Patient, Observations (pain
              drawing, measures, session pain), ClinicalImpressions (assessments with red-flag
              screening and findings), CarePlans (issued plan versions), DocumentReferences.
notes/        Every session note, with its signature, the note as signed and every amendment.
plans/        Every issued plan version, as the PDF the patient was given.
diary/        The diary the patient kept with their plan link: each day's pain and note
              (days.csv) and the home items done or made worse (home_items.csv).
history/      The change history of every part of the record (who changed what, and when).
"""


def retention_ends(patient: Patient) -> date:
    """The day the record's retention ends: RECORD_RETENTION_YEARS after the last visit."""
    last = max(
        filter(
            None,
            [
                patient.created_at.date(),
                patient.assessments.aggregate(last=Max("assessed_on"))["last"],
                patient.sessions.aggregate(last=Max("session_date"))["last"],
            ],
        )
    )
    return last + timedelta(days=round(365.25 * settings.RECORD_RETENTION_YEARS))


ANONYMOUS = {
    "first_name": "Anonymised",
    "email": "",
    "phone": "",
    "address": "",
    "occupation": "",
    "activities_notes": "",
}


@transaction.atomic
def record_anonymise(*, patient: Patient, by: User, address: str | None = None) -> Patient:
    """Remove the patient's identity and keep the clinical record for statistics: name, contact
    details, occupation, the birth date's day and month and the diary's free-text notes go, in
    the record and in its change history (the diary's pain scores stay). Only a clinic admin,
    only for an archived record past its retention, never while a plan is open (draft or
    issued)."""
    patient = Patient.objects.select_for_update().get(pk=patient.pk)
    if not (by.is_clinic_admin and by.clinic_id == patient.clinic_id):
        raise PermissionDenied("Only the clinic admin may anonymise a record.")
    errors = []
    if patient.first_name == ANONYMOUS["first_name"] and not patient.email:
        errors.append("This record is anonymised already.")
    if not patient.is_archived:
        errors.append("Archive the record first: only archived records are anonymised.")
    ends = retention_ends(patient)
    if ends > timezone.localdate():
        errors.append(f"The record must be kept until {ends.day} {ends:%b %Y} (retention).")
    if patient.plans.filter(~Q(status=Plan.Status.COMPLETED)).exists():
        errors.append("A plan is still open: complete it first.")
    if errors:
        raise ValidationError(errors)
    identity = {
        **ANONYMOUS,
        "last_name": f"patient {patient.pk}",
        "date_of_birth": patient.date_of_birth.replace(month=1, day=1),
    }
    Patient.objects.filter(pk=patient.pk).update(**identity, version=patient.version + 1)
    Patient.history.filter(id=patient.pk).update(**identity)
    DiaryDay.objects.filter(patient=patient).update(note="")
    DiaryDay.history.filter(patient_id=patient.pk).update(note="")
    RecordEvent.objects.create(
        patient=patient, kind=RecordEvent.Kind.ANONYMISE, by=by, address=address
    )
    return Patient.objects.get(pk=patient.pk)


def export_filename(patient: Patient) -> str:
    return f"myoplan-record-{patient.pk}-{timezone.localdate():%Y%m%d}.zip"
