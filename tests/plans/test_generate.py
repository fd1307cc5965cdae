"""Generating a draft plan from a real assessment with the shipped catalogue."""

import datetime

import pytest
from django.utils import timezone

from patients.models import Assessment, MovementResult, PalpatedTriggerPoint, Patient
from plans.inputs import plan_inputs
from plans.models import Plan, PlanItem, Strand
from plans.services import PlanBlockedError, plan_generate
from triggerpoints.models import (
    Drill,
    MovementTest,
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
    PrecautionProfileFactory,
    RedFlagAnswerFactory,
    TreatedPointFactory,
    TreatmentSessionFactory,
    screen_red_flags,
)
from ..factories import (
    screened_assessment as screened,
)

pytestmark = pytest.mark.django_db


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
    assert first.priority == 1 and first.sources
    # Scalenes lie by the carotid artery and the brachial plexus: no pressure at home.
    neck = items(plan, Strand.LOCAL)[1]
    assert neck.technique.key != "pressure-release" or neck.clinic_only
    assert "main neck artery" in neck.cautions

    # Postural: only the observed forward head; the points' other factors are prompts.
    assert keys(plan, Strand.POSTURAL) == ["drill:chin-nod"]
    chin_nod = items(plan, Strand.POSTURAL)[0]
    assert chin_nod.drill == Drill.objects.get(key="chin-nod")
    assert chin_nod.dosage == chin_nod.drill.dosage
    assert "Seen on examination: forward head posture (moderate)." in chin_nod.rationale
    assert plan.screen_for and not plan.breathing_not_assessed
    assert not any(p.startswith("Forward head posture:") for p in plan.screen_for)

    # Breathing: from the pattern, the measures and the accessory-muscle points, once each.
    assert keys(plan, Strand.BREATHING) == [
        "drill:diaphragmatic-breathing",
        "drill:slow-nasal-breathing",
    ]
    diaphragmatic = items(plan, Strand.BREATHING)[0]
    for words in ("upper chest", "score was 32", "15 seconds", "18 breaths", "scalenes (right)"):
        assert words in diaphragmatic.rationale

    # Self-care: nothing the patient did not tell us about.
    assert keys(plan, Strand.SELF_CARE) == []


def test_unexamined_breathing_is_said_and_not_guessed() -> None:
    assessment = screened(patient=quiet_patient())
    PalpatedTriggerPointFactory(assessment=assessment, trigger_point=shipped_point("Scalenes"))
    plan = plan_generate(assessment=assessment, by=assessment.therapist)
    assert plan.breathing_not_assessed
    assert keys(plan, Strand.BREATHING) == []
    assert any("assess the breathing pattern" in p for p in plan.screen_for)


def test_levator_ani_is_never_a_home_pressure_item() -> None:
    """Was: "a hooked cane … about 7/10 … at home every other day" (the pressure fallback)."""
    assessment = screened(patient=quiet_patient())
    PalpatedTriggerPointFactory(
        assessment=assessment, trigger_point=shipped_point("Levator ani"), side="m"
    )
    PalpatedTriggerPointFactory(assessment=assessment, trigger_point=shipped_point("Diaphragm"))
    plan = plan_generate(assessment=assessment, by=assessment.therapist)
    assert not plan.items.filter(strand=Strand.LOCAL).exists()
    assert any(line.startswith("Levator ani: left out") for line in plan.left_out)
    assert any(line.startswith("Diaphragm (left): left out") for line in plan.left_out)


def test_precaution_profile_reaches_the_plan() -> None:
    assessment = screened(patient=quiet_patient())
    PrecautionProfileFactory(
        patient=assessment.patient, keys=["pregnancy", "anticoagulants"], pregnancy_weeks=24
    )
    PalpatedTriggerPointFactory(assessment=assessment)
    PosturalObservationFactory(
        assessment=assessment, finding=PosturalFinding.objects.get(key="anterior-pelvic-tilt")
    )
    plan = plan_generate(assessment=assessment, by=assessment.therapist)
    assert plan.precautions == "pregnancy (24 weeks), anticoagulants"
    trap = items(plan, Strand.LOCAL)[0]
    assert trap.instructions.startswith("Gentle pressure only") and "7 out of 10" not in (
        trap.instructions
    )
    assert "anticoagulants" in trap.precaution_note
    bridge = plan.items.get(key="drill:glute-bridge")
    assert bridge.instructions.startswith(bridge.drill.safer_variant)
    assert "pregnancy (24 weeks)" in bridge.precaution_note


def test_intake_brings_the_matching_self_care_advice() -> None:
    patient = PatientFactory(activities=["desk_work"])
    assessment = screened(patient=patient, stress=7, self_care=["low-fluids"])

    plan = plan_generate(assessment=assessment, by=assessment.therapist)

    assert list(plan.items.values_list("strand", flat=True)) == [Strand.SELF_CARE] * 4
    assert set(keys(plan, Strand.SELF_CARE)) == {
        "factor:workstation-setup",
        "factor:prolonged-sitting",
        "factor:stress",
        "factor:low-fluid-intake",
    }
    stress = plan.items.get(key="factor:stress")
    assert stress.factor == PerpetuatingFactor.objects.get(key="stress")
    assert stress.instructions == stress.factor.advice
    assert stress.rationale == "You rated your stress at 7 out of 10."
    fluids = plan.items.get(key="factor:low-fluid-intake")
    assert "6 to 8 glasses" in fluids.instructions  # fluid advice, not "low vitamin levels"
    assert "drink little water" in fluids.rationale
    assert "nhs.uk" in fluids.sources


def test_diet_concern_brings_careful_mineral_advice() -> None:
    assessment = screened(patient=quiet_patient(), self_care=["diet"])
    plan = plan_generate(assessment=assessment, by=assessment.therapist)
    diet = plan.items.get(key="factor:diet-and-minerals")
    assert "unlikely to stop ordinary muscle cramps" in diet.instructions
    assert "Don't take potassium supplements unless a doctor advises it" in diet.instructions
    assert "Cochrane" in diet.sources


def test_low_stress_and_no_concerns_bring_no_self_care() -> None:
    assessment = screened(patient=quiet_patient(), stress=5)
    plan = plan_generate(assessment=assessment, by=assessment.therapist)
    assert not plan.items.exists()


def _treated_in_sessions(patient: Patient, count: int, pain: tuple[int, ...] = ()) -> None:
    for n in range(count):
        session = TreatmentSessionFactory(
            patient=patient,
            session_date=datetime.date(2026, 11, 2) + datetime.timedelta(weeks=n + 1),
            pre_nprs=pain[n] if pain else 6,
        )
        TreatedPointFactory(session=session, status="active")  # upper trapezius, left


def _assessed_with_lots_of_drills(patient: Patient) -> Assessment:
    assessment = screened(patient=patient)  # 2 Nov 2026, NPRS 6
    PalpatedTriggerPointFactory(assessment=assessment)
    PosturalObservationFactory(assessment=assessment)  # forward head
    for key in ("upper-crossed", "anterior-pelvic-tilt"):
        PosturalObservationFactory(
            assessment=assessment, finding=PosturalFinding.objects.get(key=key)
        )
    MeasuresFactory(assessment=assessment)
    return assessment


def test_persistent_point_without_pain_falling_steps_the_drills_up_and_says_why() -> None:
    calm = _assessed_with_lots_of_drills(quiet_patient())
    stuck = _assessed_with_lots_of_drills(quiet_patient())
    _treated_in_sessions(calm.patient, 4, pain=(5, 4, 3, 3))  # NPRS 6 -> 3: improving
    _treated_in_sessions(stuck.patient, 4)  # NPRS 6 throughout, 4 weeks

    before = plan_generate(assessment=calm, by=calm.therapist)
    after = plan_generate(assessment=stuck, by=stuck.therapist)

    assert before.recurrence_note == ""
    assert after.recurrence_note == (
        "The trigger point in your upper trapezius (left) was still active at 5 visits over 4 "
        "weeks while pain went from 6 to 6 out of 10: release alone has not held, so the posture "
        "and breathing work is stepped up."
    )
    chin_nod = after.items.get(key="drill:chin-nod")
    assert "Stepped up: once the starting dose" in chin_nod.instructions
    assert chin_nod.drill.progression in chin_nod.instructions
    assert after.recurrence_note in chin_nod.rationale
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
    _treated_in_sessions(assessment.patient, count + 3)
    PrecautionProfileFactory(patient=assessment.patient)
    for test in MovementTest.objects.all()[: count * 3]:  # issue 17: the movement screen
        MovementResult.objects.create(
            assessment=assessment,
            test=test,
            value=None if test.sided else test.value_min,
            left=test.value_min if test.sided else None,
            right=test.value_min if test.sided else None,
        )
    fresh = Assessment.objects.get(pk=assessment.pk)
    # palpated points, postural observations, measures, the patient (4); each point's course:
    # palpated, treated, sessions, NPRS (4); the precaution profile, an earlier plan (2);
    # techniques, drills (2); postural findings + their drills (2); perpetuating factors + their
    # drills + their postural findings (3); breathing findings + drills + muscles (3); trigger
    # points + their techniques + their factors (3); the yellow flags answered yes (1); the
    # movement results with their tests and re-tests (1) and the tests' drills (1); the
    # catalogue's version token (1; what the rules read from the catalogue is kept after that)
    with django_assert_max_num_queries(27):
        inputs = plan_inputs(fresh)
    assert len(inputs.palpated) == count
    assert len(inputs.recurring) == 1


def test_yellow_flags_from_the_screening_bring_pacing_into_the_plan() -> None:
    assessment = AssessmentFactory(patient=quiet_patient())
    screen_red_flags(assessment, yes=("low-mood",))
    assert plan_inputs(assessment).intake.yellow_flags == ("low-mood",)
    plan = plan_generate(assessment=assessment, by=assessment.therapist)
    assert keys(plan, Strand.SELF_CARE)[0] == "pacing:yellow-flags"
