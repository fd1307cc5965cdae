"""A patient's record as a FHIR R4 Bundle (the R4B edition of fhir.resources: FHIR 4.3, the
current release of R4), built as plain data and validated by `fhir.resources`.

Mapping:
- Patient: name, birth date, gender, phone, email, address.
- Observation: each pain mark (0-10, with region, quality and pattern) and each measure (NPRS,
  breathing rate, BOLT, Nijmegen total, NDI, ODI, PSFS activities), dated by the assessment,
  each session's pain before and after, and each day's pain in the patient's diary.
- ClinicalImpression: each assessment: complaint, red-flag screening result and decision,
  palpated trigger points, postural findings.
- CarePlan: each issued plan version with its items as activities.
- DocumentReference: every file in the export beside the Bundle (plan PDFs, signed notes).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from fhir.resources.R4B.bundle import Bundle

from patients.models import Assessment, Patient, TreatmentSession
from patients.movement import finding_text
from patients.movement_records import reading_of, spec_of
from portal.models import DiaryDay

GENDER = {"female": "female", "male": "male", "other": "other", "undisclosed": "unknown"}
LOINC = "http://loinc.org"
NPRS_LOINC = ("72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported")
RATE_LOINC = ("9279-1", "Respiratory rate")


@dataclass(frozen=True)
class Document:
    """A file in the export, referenced from the Bundle."""

    path: str  # inside the ZIP
    title: str
    content_type: str
    on: date


@dataclass(frozen=True)
class IssuedPlan:
    plan_id: int
    number: int
    status: str  # the plan's status now: issued, completed, or draft (a newer draft exists)
    content: dict  # plans.content.PlanContent as JSON


def _ref(kind: str, key: object) -> dict:
    return {"reference": f"{kind}/{key}"}


def _when(value: date | datetime) -> str:
    return value.isoformat()


def _observation(
    key: str,
    patient: Patient,
    on: date,
    text: str,
    value: dict,
    *,
    code: tuple[str, str] | None = None,
    body_site: str = "",
    note: str = "",
) -> dict:
    coding = [{"system": LOINC, "code": code[0], "display": code[1]}] if code else []
    resource = {
        "resourceType": "Observation",
        "id": key,
        "status": "final",
        "code": {"coding": coding, "text": text} if coding else {"text": text},
        "subject": _ref("Patient", f"patient-{patient.pk}"),
        "effectiveDateTime": _when(on),
        **value,
    }
    if body_site:
        resource["bodySite"] = {"text": body_site}
    if note:
        resource["note"] = [{"text": note}]
    return resource


def patient_resource(patient: Patient) -> dict:
    resource = {
        "resourceType": "Patient",
        "id": f"patient-{patient.pk}",
        "name": [{"family": patient.last_name, "given": [patient.first_name]}],
        "birthDate": _when(patient.date_of_birth),
        "gender": GENDER.get(patient.sex, "unknown"),
        "active": not patient.is_archived,
    }
    telecom = []
    if patient.phone:
        telecom.append({"system": "phone", "value": patient.phone})
    if patient.email:
        telecom.append({"system": "email", "value": patient.email})
    if telecom:
        resource["telecom"] = telecom
    if patient.address:
        resource["address"] = [{"text": patient.address}]
    return resource


def assessment_resources(patient: Patient, a: Assessment, labels: dict[str, str]) -> list[dict]:
    """Expects `a` with pain_marks, palpated_points (trigger point, muscle), movement_results
    (test), postural
    observations (finding), measures, psfs activities and screening (answers) loaded."""
    out = []
    for mark in a.pain_marks.all():
        out.append(
            _observation(
                f"pain-{mark.pk}",
                patient,
                a.assessed_on,
                f"Pain intensity at {labels.get(mark.region_id, mark.region_id)}",
                {"valueInteger": mark.intensity},
                code=NPRS_LOINC,
                body_site=labels.get(mark.region_id, mark.region_id),
                note=f"{mark.get_quality_display()}, {mark.get_pattern_display().lower()}",
            )
        )
    measures = getattr(a, "measures", None)
    if measures is not None:
        values = [
            ("nprs", "Pain now (NPRS)", measures.nprs, NPRS_LOINC, None),
            ("rate", "Resting breathing rate", measures.breathing_rate, RATE_LOINC, "/min"),
            ("bolt", "BOLT (control pause)", measures.bolt_seconds, None, "s"),
            (
                "nijmegen",
                "Nijmegen questionnaire total (0-64)",
                measures.nijmegen_score,
                None,
                None,
            ),
            ("ndi", "Neck Disability Index (0-50)", measures.ndi, None, None),
            ("odi", "Oswestry Disability Index (%)", measures.odi, None, "%"),
        ]
        for key, text, value, code, unit in values:
            if value is None:
                continue
            quantity = (
                {"valueQuantity": {"value": value, "unit": unit}}
                if unit
                else {"valueInteger": value}
            )
            out.append(
                _observation(f"{key}-{a.pk}", patient, a.assessed_on, text, quantity, code=code)
            )
    for psfs in a.psfs_activities.all():
        out.append(
            _observation(
                f"psfs-{psfs.pk}",
                patient,
                a.assessed_on,
                f"PSFS: {psfs.activity}",
                {"valueInteger": psfs.score},
            )
        )
    findings = [p.summary for p in a.palpated_points.all()] + [
        f"Posture: {o.finding.name} ({o.severity})" for o in a.postural_observations.all()
    ]
    findings += [  # issue 17: the movement and loading screen, scored
        f"Test: {finding_text(spec_of(r.test), reading_of(r))}" for r in a.movement_results.all()
    ]
    screening = a.intake_screening
    if screening is None:
        summary = "Red flags: not screened."
    else:
        found = screening.findings()
        summary = "Red flags: " + (
            "; ".join(f"{f.level_label}: {f.title}" for f in found) or "none reported."
        )
        if screening.decision:
            summary += f" Decision: {screening.get_decision_display()}: {screening.decision_note}"
    impression = {
        "resourceType": "ClinicalImpression",
        "id": f"assessment-{a.pk}",
        "status": "completed",
        "subject": _ref("Patient", f"patient-{patient.pk}"),
        "effectiveDateTime": _when(a.assessed_on),
        "description": a.chief_complaint,
        "summary": summary,
    }
    if findings:
        impression["finding"] = [{"itemCodeableConcept": {"text": line}} for line in findings]
    out.append(impression)
    return out


def session_resources(patient: Patient, s: TreatmentSession) -> list[dict]:
    out = [
        _observation(
            f"session-{s.pk}-pre",
            patient,
            s.session_date,
            "Pain before the session (NPRS)",
            {"valueInteger": s.pre_nprs},
            code=NPRS_LOINC,
        )
    ]
    if s.post_nprs is not None:
        out.append(
            _observation(
                f"session-{s.pk}-post",
                patient,
                s.session_date,
                "Pain after the session (NPRS)",
                {"valueInteger": s.post_nprs},
                code=NPRS_LOINC,
            )
        )
    return out


def diary_resources(patient: Patient, day: DiaryDay) -> list[dict]:
    """A diary day as the patient reported it: the day's pain with their note, or the note."""
    if day.pain is None and not day.note:
        return []
    value = {"valueInteger": day.pain} if day.pain is not None else {"valueString": day.note}
    return [
        _observation(
            f"diary-{day.pk}",
            patient,
            day.day,
            "Pain on the day, from the patient's diary (NPRS)",
            {**value, "performer": [_ref("Patient", f"patient-{patient.pk}")]},
            code=NPRS_LOINC if day.pain is not None else None,
            note=day.note if day.pain is not None else "",
        )
    ]


CAREPLAN_STATUS = {"issued": "active", "completed": "completed", "draft": "revoked"}


def careplan_resource(patient: Patient, issued: IssuedPlan, latest: bool) -> dict:
    content = issued.content
    status = CAREPLAN_STATUS.get(issued.status, "unknown") if latest else "revoked"
    activities = [
        {
            "detail": {
                "status": "not-started",
                "description": (
                    f"{item['title']}. {item['instructions']} Dosage: {item['dosage']}. "
                    f"{item['frequency']}"
                ).strip()[:2000],
            }
        }
        for item in content.get("items", [])
    ]
    resource = {
        "resourceType": "CarePlan",
        "id": f"plan-{issued.plan_id}-v{issued.number}",
        "status": status,
        "intent": "plan",
        "title": f"Treatment plan, version {issued.number}",
        "subject": _ref("Patient", f"patient-{patient.pk}"),
        "created": content["plan_date"],
        "description": "Local release, postural retraining, breathing retraining and self-care.",
    }
    if activities:
        resource["activity"] = activities
    return resource


def document_resource(patient: Patient, key: str, document: Document) -> dict:
    return {
        "resourceType": "DocumentReference",
        "id": key,
        "status": "current",
        "subject": _ref("Patient", f"patient-{patient.pk}"),
        "date": f"{document.on.isoformat()}T00:00:00Z",
        "description": document.title,
        "content": [
            {
                "attachment": {
                    "contentType": document.content_type,
                    "url": document.path,
                    "title": document.title,
                }
            }
        ],
    }


def bundle(
    patient: Patient,
    *,
    assessments: Iterable[Assessment],
    sessions: Iterable[TreatmentSession],
    issued: list[IssuedPlan],
    documents: list[Document],
    labels: dict[str, str],
    diary: Iterable[DiaryDay] = (),
) -> Bundle:
    """The whole record as a validated collection Bundle."""
    resources = [patient_resource(patient)]
    for a in assessments:
        resources += assessment_resources(patient, a, labels)
    for s in sessions:
        resources += session_resources(patient, s)
    for day in diary:
        resources += diary_resources(patient, day)
    latest = {}
    for plan in issued:
        latest[plan.plan_id] = max(latest.get(plan.plan_id, 0), plan.number)
    for plan in issued:
        resources.append(careplan_resource(patient, plan, latest[plan.plan_id] == plan.number))
    for index, document in enumerate(documents, start=1):
        resources.append(document_resource(patient, f"document-{index}", document))
    return Bundle.model_validate(
        {
            "resourceType": "Bundle",
            "type": "collection",
            "timestamp": datetime.now().astimezone().isoformat(),
            "entry": [
                {"fullUrl": f"urn:myoplan:{r['resourceType']}/{r['id']}", "resource": r}
                for r in resources
            ],
        }
    )
