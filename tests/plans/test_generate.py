"""Generating a draft plan from a real assessment with the shipped catalogue."""

import datetime

import pytest
from django.utils import timezone

from patients.models import Assessment, PalpatedTriggerPoint, Patient
from plans.inputs import plan_inputs
from plans.models import Plan, PlanItem, Strand
from plans.services import PlanBlockedError, plan_generate
from triggerpoints.models import (
    Drill,
    PerpetuatingFactor,
    PosturalFinding,
    ReleaseTechnique,
    TriggerPoint,
)

from ..factories import (
    AssessmentFactory,
    MeasuresFactory,
    PalpatedTriggerPointFactory,
    PatientFactory,
    PosturalObservationFactory,
    RedFlagAnswerFactory,
    TreatedPointFactory,
    TreatmentSessionFactory,
)

pytestmark = pytest.mark.django_db


def screened(**kwargs: object) -> Assessment:
    """An assessment whose red-flag screening came back clear."""
    assessment = AssessmentFactory(red_flags_screened_at=timezone.now(), **kwargs)
    RedFlagAnswerFactory(assessment=assessment, flag="cancer", present=False)
    return assessment


def shipped_point(muscle: str) -> TriggerPoint:
    return TriggerPoint.objects.filter(muscle__name=muscle).order_by("sort_order").first()


def quiet_patient() -> Patient:
    """A patient whose intake brings no self-care of its own."""
    return PatientFactory(activities=[])


def items(plan: Plan, strand: str) -> list[PlanItem]:
    return list(plan.items.filter(strand=strand).order_by("position"))


def keys(plan: Plan, strand: str) -> list[str]:
    return [item.key for item in items(plan, strand)]


def test_generate_builds_the_strands_from_the_examination() -> None:
    assessment = screened(patient=quiet_patient())
    trap, scalenes = shipped_point("Upper trapezius"), shipped_point("Scalenes")
    levator = shipped_point("Levator scapulae")
    PalpatedTriggerPointFactory(assessment=assessment, trigger_point=trap, referral_recognised=True)
    PalpatedTriggerPointFactory(assessment=assessment, trigger_point=scalenes, side="r")
    PalpatedTriggerPointFactory(
        assessment=assessment, trigger_point=levator, status=PalpatedTriggerPoint.Status.LATENT
    )
    PosturalObservationFactory(assessment=assessment)  # forward head, moderate
    MeasuresFactory(assessment=assessment)  # upper-chest, rate 18, BOLT 15, Nijmegen 32

    plan = plan_generate(assessment=assessment, by=assessment.therapist)

    assert plan.status == Plan.Status.DRAFT and plan.recurrence_note == ""
    positions = list(plan.items.order_by("position").values_list("position", "strand"))
    assert [p for p, _ in positions] == list(range(len(positions)))
    assert [s for _, s in positions] == sorted(
        (s for _, s in positions), key=list(Strand.values).index
    )

    # Local release: the two active points, not the latent unrecognised one.
    assert keys(plan, Strand.LOCAL) == [f"point:{trap.pk}:l", f"point:{scalenes.pk}:r"]
    pressure = ReleaseTechnique.objects.get(key="pressure-release")
    first = items(plan, Strand.LOCAL)[0]
    assert first.title == "Upper trapezius (left): Pressure release (ischaemic compression)"
    assert (first.technique, first.trigger_point, first.side) == (pressure, trap, "l")
    assert first.dosage == pressure.dosage and "30–90 s" in first.dosage
    assert first.instructions.endswith(f"At home: {trap.self_stretch}")
    assert "reproduced your familiar pain" in first.rationale

    # Postural: the observed forward head first, then drills of the points' factors.
    postural = keys(plan, Strand.POSTURAL)
    assert postural[0] == "drill:chin-nod" and len(postural) == 4
    chin_nod = items(plan, Strand.POSTURAL)[0]
    assert chin_nod.drill == Drill.objects.get(key="chin-nod")
    assert chin_nod.dosage == chin_nod.drill.dosage
    assert "Seen on examination: forward head posture (moderate)." in chin_nod.rationale
    assert "Forward head posture can keep the trigger points in your" in chin_nod.rationale

    # Breathing: from the pattern, the measures and the accessory-muscle points, once each.
    assert keys(plan, Strand.BREATHING) == [
        "drill:diaphragmatic-breathing",
        "drill:slow-nasal-breathing",
    ]
    diaphragmatic = items(plan, Strand.BREATHING)[0]
    for words in ("upper chest", "score was 32", "15 seconds", "18 breaths", "scalenes (right)"):
        assert words in diaphragmatic.rationale

    # Self-care: only the points' education factors (this patient's intake brings none).
    assert all(
        PerpetuatingFactor.objects.get(pk=i.factor_id).category
        in {"sleep", "psychological", "systemic", "work", "habit", "environment"}
        for i in items(plan, Strand.SELF_CARE)
    )


def test_intake_brings_the_matching_self_care_advice() -> None:
    patient = PatientFactory(activities=["desk_work"])
    assessment = screened(patient=patient, stress=7, self_care=["low-fluids"])

    plan = plan_generate(assessment=assessment, by=assessment.therapist)

    assert list(plan.items.values_list("strand", flat=True)) == [Strand.SELF_CARE] * 4
    assert set(keys(plan, Strand.SELF_CARE)) == {
        "factor:workstation-setup",
        "factor:prolonged-sitting",
        "factor:stress",
        "factor:nutritional-factors",
    }
    stress = plan.items.get(key="factor:stress")
    assert stress.factor == PerpetuatingFactor.objects.get(key="stress")
    assert stress.instructions == stress.factor.advice
    assert stress.rationale == "You rated your stress at 7 out of 10."
    fluids = plan.items.get(key="factor:nutritional-factors")
    assert "drink enough fluids" in fluids.instructions
    assert "drink little water" in fluids.rationale


def test_low_stress_and_no_concerns_bring_no_self_care() -> None:
    assessment = screened(patient=quiet_patient(), stress=5)
    plan = plan_generate(assessment=assessment, by=assessment.therapist)
    assert not plan.items.exists()


def _treated_in_sessions(patient: Patient, count: int) -> None:
    for n in range(count):
        session = TreatmentSessionFactory(
            patient=patient, session_date=datetime.date(2026, 9, 7) + datetime.timedelta(weeks=n)
        )
        TreatedPointFactory(session=session)  # upper trapezius, left


def test_recurrence_across_sessions_raises_the_strands_and_says_why() -> None:
    calm = screened(patient=quiet_patient())
    came_back = screened(patient=quiet_patient())
    for assessment in (calm, came_back):
        PalpatedTriggerPointFactory(assessment=assessment)
        PosturalObservationFactory(assessment=assessment)  # forward head
        for key in ("upper-crossed", "anterior-pelvic-tilt"):  # more drills than the cap
            PosturalObservationFactory(
                assessment=assessment, finding=PosturalFinding.objects.get(key=key)
            )
        MeasuresFactory(assessment=assessment)
    _treated_in_sessions(came_back.patient, 3)

    before = plan_generate(assessment=calm, by=calm.therapist)
    after = plan_generate(assessment=came_back, by=came_back.therapist)

    assert before.recurrence_note == ""
    assert after.recurrence_note == (
        "Upper trapezius (left) came back in 3 sessions: release alone has not held, so the "
        "posture and breathing work is stepped up."
    )
    assert len(keys(before, Strand.POSTURAL)) == 4
    assert len(keys(after, Strand.POSTURAL)) == 6
    stepped_up = items(after, Strand.POSTURAL) + items(after, Strand.BREATHING)
    assert all(after.recurrence_note in item.rationale for item in stepped_up)
    chin_nod = after.items.get(key="drill:chin-nod")
    assert "Stepped up: once the starting dose" in chin_nod.instructions
    assert chin_nod.drill.progression in chin_nod.instructions
    unraised = before.items.get(key="drill:chin-nod").instructions
    assert f"When this is easy: {chin_nod.drill.progression}" in unraised
    assert "Stepped up" not in unraised


def test_unresolved_red_flag_blocks_generation() -> None:
    assessment = AssessmentFactory(red_flags_screened_at=timezone.now())
    RedFlagAnswerFactory(assessment=assessment, flag="cancer", present=True)
    PalpatedTriggerPointFactory(assessment=assessment)
    with pytest.raises(PlanBlockedError):
        plan_generate(assessment=assessment, by=assessment.therapist)
    assert not Plan.objects.exists()


MUSCLES = [
    "Upper trapezius",
    "Scalenes",
    "Sternocleidomastoid",
    "Levator scapulae",
    "Infraspinatus",
    "Gluteus medius",
]


@pytest.mark.parametrize("count", [1, 6])
def test_plan_inputs_reads_in_a_constant_number_of_queries(
    count: int,
    django_assert_max_num_queries,  # noqa: ANN001
) -> None:
    assessment = screened()
    PosturalObservationFactory(assessment=assessment)
    MeasuresFactory(assessment=assessment)
    for muscle in MUSCLES[:count]:
        PalpatedTriggerPointFactory(assessment=assessment, trigger_point=shipped_point(muscle))
    _treated_in_sessions(assessment.patient, count + 1)
    fresh = Assessment.objects.get(pk=assessment.pk)
    # palpated points, postural observations, measures, the patient (4); recurrence (2);
    # techniques, drills (2); postural findings + their drills (2); perpetuating factors + their
    # drills + their postural findings (3); breathing findings + drills + muscles (3); trigger
    # points + their techniques + their factors (3)
    with django_assert_max_num_queries(19):
        inputs = plan_inputs(fresh)
    assert len(inputs.palpated) == count
    assert len(inputs.recurring) == 1
