"""Reads what the plan rules need from the database into plain data (`plans.rules.PlanInputs`).

A fixed number of queries, however many findings the assessment holds or sessions the patient
had: the assessment's palpated points, postural observations and measures (3), the patient
when not already loaded (1), each point's course (4, patients.course), the current precaution
profile (1), whether a plan was issued before (1), the catalogue's techniques,
drills, postural findings, breathing findings and perpetuating factors with their links (10:
these tables are small, so they are read whole rather than chased row by row), and the trigger
points concerned with their techniques and factors (3), and the movement screen: the
assessment's results and the re-tests since, with their tests (1), and the tests' drills (1).
"""

from collections import defaultdict
from collections.abc import Iterable

from common.models import plain_record
from patients import red_flags
from patients.course import load_courses
from patients.models import (
    Assessment,
    Measures,
    PalpatedTriggerPoint,
    PosturalObservation,
    PrecautionProfile,
)
from patients.movement_records import first_and_latest, reading_of, spec_of
from triggerpoints.cache import cached
from triggerpoints.models import (
    BreathingFinding,
    Drill,
    MovementTest,
    PerpetuatingFactor,
    PosturalFinding,
    ReleaseTechnique,
    TriggerPoint,
)

from .rules import (
    BreathingFindingInfo,
    BreathingSigns,
    DrillInfo,
    FactorInfo,
    Intake,
    MeasuredTest,
    ObservedPosture,
    PalpatedPoint,
    PlanInputs,
    PointInfo,
    PosturalFindingInfo,
    Precautions,
    RecurringPoint,
    TechniqueInfo,
)


def _yellow_flags(patient: object) -> tuple[str, ...]:
    """The yellow-flag questions (psychosocial, patients/data/red_flags.toml) answered yes at
    any screening of the patient. One query."""
    checklist = red_flags.load()
    return tuple(
        sorted(
            key
            for key in patient.red_flags_answered_yes()
            if (item := checklist.item(key)) is not None and item.level == "yellow"
        )
    )


def plan_inputs(assessment: Assessment) -> PlanInputs:
    palpated = list(PalpatedTriggerPoint.objects.filter(assessment=assessment).order_by("pk"))
    observations = list(PosturalObservation.objects.filter(assessment=assessment).order_by("pk"))
    measures = Measures.objects.filter(assessment=assessment).first()
    patient = assessment.patient
    courses = load_courses(patient)
    recurring = courses.recurring
    profile = PrecautionProfile.objects.filter(patient=patient).first()
    first_plan = not patient.plans.filter(issued_number__gte=1).exists()

    techniques, postural, factors, breathing, drills = cached("plan_rules", _catalogue)
    points = _points(
        {p.trigger_point_id for p in palpated} | {r.trigger_point_id for r in recurring},
        techniques,
        factors,
    )

    return PlanInputs(
        palpated=tuple(
            PalpatedPoint(
                point=points[p.trigger_point_id],
                side=p.side,
                active=p.status == PalpatedTriggerPoint.Status.ACTIVE,
                referral_recognised=p.referral_recognised,
                criteria=p.criteria_count,
            )
            for p in palpated
        ),
        postural=tuple(
            ObservedPosture(finding=postural[o.finding_id], severity=o.severity)
            for o in observations
        ),
        movement=measured_tests(assessment, drills),
        breathing_findings=breathing,
        measures=_signs(measures) if measures is not None else None,
        intake=Intake(
            activities=_texts(patient.activities),
            stress=assessment.stress,
            self_care=_texts(assessment.self_care),
            yellow_flags=_yellow_flags(patient),
        ),
        intake_factors=tuple(f for f in factors.values() if f.intake_cues),
        recurring=tuple(
            RecurringPoint(point=points[r.trigger_point_id], side=r.side, evidence=r.recurrence)
            for r in recurring
        ),
        precautions=_precautions(profile),
        adherence=courses.adherence,
        response=courses.response,
        first_plan=first_plan,
    )


def patient_precautions(patient: object) -> Precautions:
    """The patient's current precautions (the newest profile). One query."""
    return _precautions(PrecautionProfile.objects.filter(patient=patient).first())


def measured_tests(
    assessment: Assessment, drills: dict[int, DrillInfo]
) -> tuple[MeasuredTest, ...]:
    """The assessment's movement results, each with its latest re-test at a session on or after
    the assessment day (two queries)."""
    first, latest = first_and_latest(assessment)
    linked = _links(
        MovementTest.drills.through.objects.filter(movementtest_id__in=first).values_list(
            "movementtest_id", "drill_id"
        )
    )
    return tuple(
        MeasuredTest(
            spec=spec_of(result.test),
            first=reading_of(result),
            drills=tuple(drills[d] for d in linked[test_id]),
            latest=reading_of(latest[test_id]) if test_id in latest else None,
        )
        for test_id, result in sorted(
            first.items(), key=lambda pair: (pair[1].test.sort_order, pair[0])
        )
    )


def _catalogue() -> tuple[
    dict[int, TechniqueInfo],
    dict[int, PosturalFindingInfo],
    dict[int, FactorInfo],
    tuple[BreathingFindingInfo, ...],
    dict[int, DrillInfo],
]:
    """What the plan rules read from the catalogue whatever the patient: techniques, postural
    findings, perpetuating factors and breathing findings with their drills, and the drills by
    id (for the movement tests' links). Kept until the catalogue changes (triggerpoints.cache)."""
    techniques = {t.pk: plain_record(TechniqueInfo, t) for t in ReleaseTechnique.objects.all()}
    drills = {d.pk: plain_record(DrillInfo, d) for d in Drill.objects.order_by("pk")}
    postural = _postural_findings(drills)
    factors = _factors(drills, postural)
    return techniques, postural, factors, _breathing_findings(drills), drills


def _precautions(profile: PrecautionProfile | None) -> Precautions:
    if profile is None:
        return Precautions()
    return Precautions(
        keys=frozenset(_texts(profile.keys)),
        pregnancy_weeks=profile.pregnancy_weeks,
        surgery_area=profile.surgery_area,
        lymphoedema_limb=profile.lymphoedema_limb,
    )


def _sources(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def _texts(value: object) -> tuple[str, ...]:
    """A JSON list of strings from the record; anything else is ignored."""
    if not isinstance(value, list):
        return ()
    return tuple(v for v in value if isinstance(v, str))


def _links(rows: Iterable[tuple[int, int]]) -> dict[int, list[int]]:
    """Many-to-many rows (owner id, target id) as owner -> target ids, in target id order."""
    linked: dict[int, list[int]] = defaultdict(list)
    for owner, target in sorted(rows, key=lambda row: (row[0], row[1])):
        linked[owner].append(target)
    return linked


def _postural_findings(drills: dict[int, DrillInfo]) -> dict[int, PosturalFindingInfo]:
    through = PosturalFinding.drills.through.objects.values_list("posturalfinding_id", "drill_id")
    linked = _links(through)
    return {
        f.pk: PosturalFindingInfo(
            id=f.pk,
            key=f.key,
            name=f.name,
            drills=tuple(drills[d] for d in linked[f.pk]),
        )
        for f in PosturalFinding.objects.order_by("pk")
    }


def _breathing_findings(drills: dict[int, DrillInfo]) -> tuple[BreathingFindingInfo, ...]:
    linked = _links(
        BreathingFinding.drills.through.objects.values_list("breathingfinding_id", "drill_id")
    )
    muscles: dict[int, set[str]] = defaultdict(set)
    for finding_id, name in BreathingFinding.muscles.through.objects.values_list(
        "breathingfinding_id", "muscle__name"
    ):
        muscles[finding_id].add(name)
    return tuple(
        BreathingFindingInfo(
            id=f.pk,
            key=f.key,
            name=f.name,
            muscles=frozenset(muscles[f.pk]),
            drills=tuple(drills[d] for d in linked[f.pk]),
            plan_cues=_texts(f.plan_cues),
        )
        for f in BreathingFinding.objects.order_by("pk")
    )


def _factors(
    drills: dict[int, DrillInfo], postural: dict[int, PosturalFindingInfo]
) -> dict[int, FactorInfo]:
    own_drills = _links(
        PerpetuatingFactor.drills.through.objects.values_list("perpetuatingfactor_id", "drill_id")
    )
    findings = _links(
        PerpetuatingFactor.postural_findings.through.objects.values_list(
            "perpetuatingfactor_id", "posturalfinding_id"
        )
    )
    return {
        f.pk: FactorInfo(
            id=f.pk,
            key=f.key,
            name=f.name,
            category=f.category,
            advice=f.advice,
            drills=tuple(drills[d] for d in own_drills[f.pk]),
            postural_findings=tuple(postural[p] for p in findings[f.pk]),
            intake_cues=_texts(f.intake_cues),
            sources=_sources(f.sources),
        )
        for f in PerpetuatingFactor.objects.order_by("pk")
    }


def _points(
    ids: set[int], techniques: dict[int, TechniqueInfo], factors: dict[int, FactorInfo]
) -> dict[int, PointInfo]:
    if not ids:
        return {}
    own_techniques = _links(
        TriggerPoint.techniques.through.objects.filter(triggerpoint_id__in=ids).values_list(
            "triggerpoint_id", "releasetechnique_id"
        )
    )
    own_factors = _links(
        TriggerPoint.perpetuating_factors.through.objects.filter(
            triggerpoint_id__in=ids
        ).values_list("triggerpoint_id", "perpetuatingfactor_id")
    )
    return {
        p.pk: PointInfo(
            id=p.pk,
            muscle=p.muscle.name,
            label=p.label,
            self_stretch=p.self_stretch,
            group=p.muscle.group,
            site_cautions=_texts(p.site_cautions),
            techniques=tuple(techniques[t] for t in own_techniques[p.pk]),
            factors=tuple(factors[f] for f in own_factors[p.pk]),
        )
        for p in TriggerPoint.objects.filter(pk__in=ids).select_related("muscle")
    }


def _signs(measures: Measures) -> BreathingSigns:
    return BreathingSigns(
        pattern=measures.breathing_pattern,
        mouth_breathing=measures.mouth_breathing,
        nijmegen_score=measures.nijmegen_score,
        bolt_seconds=measures.bolt_seconds,
        breathing_rate=measures.breathing_rate,
    )
