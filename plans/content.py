"""What a plan says, as plain data: the plan page, the PDF and the frozen issued versions all
read this one structure. `plan_content()` builds it from the database; an issued version stores
it as JSON (`PlanContent.to_json`) and reads it back with `PlanContent.from_json`."""

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q
from django.utils import timezone

from patients.models import Measures, Screening
from patients.movement_records import plan_test_lines
from patients.red_flags import Triage
from triggerpoints.bodymap import Marker

from .models import Plan, Strand
from .rules import seek_help

# Sources a patient can trust and open first: public health services and systematic reviews.
PATIENT_FIRST_SOURCES = ("nhs.uk", "Cochrane", "pmc.ncbi.nlm.nih.gov")


@dataclass(frozen=True)
class ItemContent:
    strand: str
    title: str
    instructions: str
    dosage: str
    frequency: str
    rationale: str
    notes: str = ""
    priority: int | None = None
    clinic_only: bool = False
    cautions: str = ""  # site cautions: on the patient's copy
    precaution_note: str = ""  # which precaution changed it: clinician copy
    sources: str = ""  # one per line
    key: str = ""  # the plan item's key (drill:chin-nod); "" in versions issued before it


@dataclass(frozen=True)
class ItemRow:
    """An item as a strand shows it: its reason in full the first time the reason appears,
    after that as a pointer to the item that gave it (`why_as`, that item's title)."""

    item: Any  # frozen ItemContent, or a PlanItem row on the draft's page
    why_as: str = ""


@dataclass(frozen=True)
class StrandContent:
    key: str
    title: str
    rows: list[ItemRow]

    @property
    def items(self) -> list[Any]:
        return [row.item for row in self.rows]


def by_strand(items: Sequence[Any]) -> list[StrandContent]:
    """The four strands in order, each with its items (empty strands included), every reason
    shown once: the plan page, the earlier versions' page and the PDF group items this way."""
    first_with: dict[str, str] = {}
    strands = []
    for value, label in Strand.choices:
        rows = []
        for item in items:
            if item.strand != value:
                continue
            why = item.rationale.strip()
            rows.append(ItemRow(item, first_with.get(why, "") if why else ""))
            first_with.setdefault(why, item.title)
        strands.append(StrandContent(value, label, rows))
    return strands


@dataclass(frozen=True)
class PlanContent:
    number: int
    status: str
    clinic: str
    therapist: str
    patient_name: str
    patient_birth_date: str  # ISO
    plan_date: str  # ISO: the day it was issued, or today for a draft
    review_date: str  # ISO
    notes: str
    recurrence_note: str
    pain_regions: list[tuple[str, int]]  # (region code, intensity)
    markers: list[Marker]
    findings: list[str]  # plain-language summary lines for the clinician variant
    items: list[ItemContent] = field(default_factory=list)
    screening: list[str] = field(default_factory=list)  # red flags, for the clinician variant
    # Issue 9 (safe plans); defaults keep versions issued before them readable.
    precautions: str = ""
    screen_for: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    breathing_not_assessed: bool = False
    emergency: list[str] = field(default_factory=list)
    see_gp: list[str] = field(default_factory=list)
    clinic_phone: str = ""
    clinic_address: str = ""
    clinic_email: str = ""
    # Issue 17: the tests that matter for the patient, before → now.
    tests: list[str] = field(default_factory=list)

    def source_list(self, limit: int | None = None) -> list[str]:
        """Every item's sources once, in plan order (the first `limit`)."""
        found = dict.fromkeys(
            line.strip()
            for item in self.items
            for line in item.sources.splitlines()
            if line.strip()
        )
        return list(found)[:limit]

    @property
    def patient_sources(self) -> list[str]:
        """The short list on the patient's copy: public-health pages and reviews first, then
        named books and papers, then other web pages; at most 6."""

        def rank(source: str) -> int:
            if any(trusted in source for trusted in PATIENT_FIRST_SOURCES):
                return 0
            return 1 if "http" not in source else 2

        return sorted(self.source_list(), key=rank)[:6]

    def strands(self) -> list[StrandContent]:
        return by_strand(self.items)

    @property
    def plan_day(self) -> date:
        return date.fromisoformat(self.plan_date)

    @property
    def review_day(self) -> date:
        return date.fromisoformat(self.review_date)

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "PlanContent":
        data = dict(data)
        data["items"] = [ItemContent(**item) for item in data.get("items", [])]
        data["markers"] = [Marker(**marker) for marker in data.get("markers", [])]
        data["pain_regions"] = [tuple(pair) for pair in data.get("pain_regions", [])]
        return cls(**data)


def _findings(plan: Plan) -> list[str]:
    assessment = plan.assessment
    lines = [f"Complaint: {assessment.chief_complaint}"]
    for point in assessment.palpated_points.select_related("trigger_point__muscle"):
        lines.append(point.summary)
    for observation in assessment.postural_observations.select_related("finding"):
        lines.append(f"Posture: {observation.finding.name} ({observation.severity})")
    measures = Measures.objects.filter(assessment=assessment).first()
    if measures is not None:
        if measures.breathing_pattern:
            lines.append(f"Breathing: {measures.get_breathing_pattern_display()}")
        if measures.nijmegen_score is not None:
            lines.append(f"Nijmegen {measures.nijmegen_score}/64")
        if measures.bolt_seconds is not None:
            lines.append(f"BOLT {measures.bolt_seconds} s")
        if measures.nprs is not None:
            lines.append(f"Pain now {measures.nprs}/10")
    return lines


def _day(on: date) -> str:
    return f"{on.day} {on:%b %Y}"


def _screening(plan: Plan) -> list[str]:
    """The red-flag screening behind the plan, for the clinician copy: the assessment's intake
    screening and any later re-screening that found something, each with what was found and
    the decision recorded. Two queries."""
    screenings = (
        Screening.objects.filter(patient_id=plan.patient_id)
        .filter(Q(assessment_id=plan.assessment_id) | Q(session__isnull=False, level__gt=""))
        .filter(screened_on__gte=plan.assessment.assessed_on)
        .select_related("patient", "screened_by", "decided_by")
        .prefetch_related("answers")
    )
    lines = []
    for screening in screenings:
        findings = screening.findings()
        headline = Triage(findings=tuple(findings), noted=()).headline
        lines.append(
            f"{screening.describe()[0].upper()}{screening.describe()[1:]} by "
            f"{screening.screened_by}: {headline}"
        )
        lines += [f"{f.level_label}: {f.title} {f.action}" for f in findings]
        if screening.decision:
            lines.append(
                f"Decision: {screening.get_decision_display()} by {screening.decided_by} on "
                f"{_day(screening.decided_at.date())}: {screening.decision_note}"
            )
    return lines or ["Red flags: not screened."]


def plan_content(plan: Plan, *, number: int | None = None, on: date | None = None) -> PlanContent:
    """The plan as it stands. Expects `plan` loaded with patient__clinic, created_by and
    assessment; reads the items, the pain drawing and the findings (a handful of queries)."""
    assessment = plan.assessment
    items = list(plan.items.select_related("trigger_point__location_area", "trigger_point__muscle"))
    clinic = plan.patient.clinic
    help_now = seek_help({i.trigger_point.muscle.group for i in items if i.trigger_point})
    markers = []
    for item in items:
        point = item.trigger_point
        if point is None:
            continue
        area = point.location_area
        code = f"{area.code}.{item.side}" if area.sided and item.side in ("l", "r") else area.code
        markers.append(Marker(code, item.title))
    return PlanContent(
        number=number if number is not None else plan.draft_number,
        status=plan.status,
        clinic=plan.patient.clinic.name,
        therapist=str(plan.created_by),
        patient_name=plan.patient.full_name,
        patient_birth_date=plan.patient.date_of_birth.isoformat(),
        plan_date=(on or timezone.localdate()).isoformat(),
        review_date=plan.review_date.isoformat(),
        notes=plan.notes,
        recurrence_note=plan.recurrence_note,
        pain_regions=[(m.region_id, m.intensity) for m in assessment.pain_marks.all()],
        markers=markers,
        findings=_findings(plan),
        screening=_screening(plan),
        items=[
            ItemContent(
                strand=item.strand,
                title=item.title,
                instructions=item.instructions,
                dosage=item.dosage,
                frequency=item.frequency,
                rationale=item.rationale,
                notes=item.notes,
                priority=item.priority,
                clinic_only=item.clinic_only,
                cautions=item.cautions,
                precaution_note=item.precaution_note,
                sources=item.sources,
                key=item.key,
            )
            for item in items
        ],
        precautions=plan.precautions,
        screen_for=list(plan.screen_for),
        left_out=list(plan.left_out),
        breathing_not_assessed=plan.breathing_not_assessed,
        emergency=list(help_now.emergency),
        see_gp=list(help_now.see_gp),
        clinic_phone=clinic.phone,
        clinic_address=clinic.address,
        clinic_email=clinic.email,
        tests=plan_test_lines(assessment),
    )
