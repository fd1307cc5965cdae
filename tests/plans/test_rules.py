"""The plan rules on hand-built inputs: no database, every finding brings its drills, nothing
twice, a short first plan with priorities, prompts for what nobody examined, recurrence by
evidence steps the drills up, poor adherence makes the plan simpler. Precautions:
test_precautions.py."""

from dataclasses import replace

import pytest

from patients.models import Assessment, Measures, Patient
from plans.models import Strand
from plans.rules import (
    KNOWN_PLAN_CUES,
    BreathingFindingInfo,
    BreathingSigns,
    Caps,
    DraftItem,
    DrillInfo,
    FactorInfo,
    Intake,
    ObservedPosture,
    PalpatedPoint,
    PlanInputs,
    PointInfo,
    PosturalFindingInfo,
    RecurringPoint,
    TechniqueInfo,
    build_plan,
    draft_items,
    recurrence_note,
)
from triggerpoints.vocabulary import INTAKE_CUES, PLAN_CUES

# --- A small catalogue --------------------------------------------------------------------------

_ids = iter(range(1, 1000))


def drill(key: str, kind: str = "postural", progression: str = "") -> DrillInfo:
    return DrillInfo(
        id=next(_ids),
        key=key,
        name=key.replace("-", " ").capitalize(),
        kind=kind,
        instructions=f"How to do {key}.",
        dosage=f"Dosage of {key}",
        progression=progression or f"Harder {key}.",
        cautions=f"Careful with {key}.",
    )


CHIN_NOD = drill("chin-nod", progression="Chin tucks sitting upright.")
SCAPULAR = drill("scapular-setting")
DOORWAY = drill("doorway-pec-stretch")
THORACIC = drill("thoracic-extension")
HIP_FLEXOR = drill("hip-flexor-stretch")
BRIDGE = drill("glute-bridge")
DEAD_BUG = drill("dead-bug")
DIAPHRAGMATIC = drill("diaphragmatic-breathing", "breathing", "Sitting, then standing.")
SLOW_NASAL = drill("slow-nasal-breathing", "breathing")
NASAL = drill("nasal-breathing-practice", "breathing")
EXHALE = drill("exhale-on-effort", "breathing")


def posture(key: str, name: str, *drills: DrillInfo) -> PosturalFindingInfo:
    return PosturalFindingInfo(id=next(_ids), key=key, name=name, drills=drills)


FORWARD_HEAD = posture("forward-head", "Forward head posture", CHIN_NOD)
ROUNDED = posture("rounded-shoulders", "Rounded shoulders", SCAPULAR, DOORWAY)
UPPER_CROSSED = posture(
    "upper-crossed", "Upper crossed pattern", CHIN_NOD, SCAPULAR, DOORWAY, THORACIC
)
ELEVATED = posture("elevated-shoulders", "Elevated shoulders", SCAPULAR, DIAPHRAGMATIC)
PELVIC_TILT = posture("anterior-pelvic-tilt", "Anterior pelvic tilt", HIP_FLEXOR, BRIDGE, DEAD_BUG)

ACCESSORY_MUSCLES = frozenset(
    {"Scalenes", "Sternocleidomastoid", "Upper trapezius", "Levator scapulae", "Pectoralis minor"}
)
BREATHING = (
    BreathingFindingInfo(
        1,
        "upper-chest",
        "Upper-chest (apical) breathing",
        ACCESSORY_MUSCLES,
        (DIAPHRAGMATIC,),
        ("pattern:upper-chest", "accessory-trigger-point"),
    ),
    BreathingFindingInfo(
        2,
        "paradoxical",
        "Paradoxical breathing",
        frozenset(),
        (DIAPHRAGMATIC,),
        ("pattern:paradoxical",),
    ),
    BreathingFindingInfo(
        3, "mouth-breathing", "Mouth breathing", frozenset(), (NASAL,), ("mouth-breathing",)
    ),
    BreathingFindingInfo(
        4,
        "over-breathing",
        "Over-breathing",
        frozenset({"Scalenes"}),
        (SLOW_NASAL, DIAPHRAGMATIC),
        ("nijmegen:positive", "bolt:low", "rate:high"),
    ),
    BreathingFindingInfo(5, "breath-holding", "Breath-holding", frozenset(), (EXHALE,), ()),
)


def technique(
    key: str, priority: int, by: str = "either", only: bool = False, **rules: object
) -> TechniqueInfo:
    return TechniqueInfo(
        id=next(_ids),
        key=key,
        name=key.replace("-", " ").capitalize(),
        how=f"How {key} is done.",
        dosage=f"Dose of {key}",
        performed_by=by,
        clinician_only=only,
        plan_priority=priority,
        **rules,
    )


PRESSURE = technique("pressure-release", 10)
PIR = technique("pir", 20)
SELF_RELEASE = technique("self-release", 40, by="self")
SPRAY = technique("spray-and-stretch", 50, by="clinician")
NEEDLING = technique("dry-needling", 0, by="clinician", only=True)  # lowest number, never chosen
PRESSURE_SITE = technique("pressure-release", 10, applies_pressure=True)


def factor(key: str, category: str = "posture", *, advice: str = "", **links: object) -> FactorInfo:
    return FactorInfo(
        id=next(_ids),
        key=key,
        name=key.replace("-", " ").capitalize(),
        category=category,
        advice=advice or f"Advice about {key}.",
        **links,
    )


FHP_FACTOR = factor("forward-head-posture", drills=(CHIN_NOD,), postural_findings=(FORWARD_HEAD,))
STRESS = factor("stress", "psychological", drills=(SLOW_NASAL,), intake_cues=("stress:high",))
WORKSTATION = factor(
    "workstation-setup",
    "work",
    postural_findings=(FORWARD_HEAD, ELEVATED),
    intake_cues=("activity:desk_work",),
)
SITTING = factor(
    "prolonged-sitting",
    "work",
    drills=(HIP_FLEXOR, BRIDGE),
    intake_cues=("activity:desk_work", "activity:driving"),
)
NUTRITION = factor(
    "nutritional-factors", "systemic", intake_cues=("self-care:low-fluids", "self-care:diet")
)
POOR_SLEEP = factor("poor-sleep", "sleep", intake_cues=("self-care:poor-sleep",))
PHONE = factor("phone-use", "habit", intake_cues=("activity:phone",))
LIFTING = factor("heavy-lifting", "activity", intake_cues=("activity:lifting",))
INTAKE_FACTORS = (STRESS, WORKSTATION, SITTING, NUTRITION, POOR_SLEEP, PHONE, LIFTING)


def point(
    muscle: str = "Upper trapezius",
    *,
    techniques: tuple[TechniqueInfo, ...] = (PRESSURE, PIR, SELF_RELEASE),
    factors: tuple[FactorInfo, ...] = (),
    self_stretch: str = "Tilt your head away and let the shoulder sink.",
    label: str = "Central trigger points",
    site_cautions: tuple[str, ...] = (),
    group: str = "neck",
) -> PointInfo:
    return PointInfo(
        id=next(_ids),
        muscle=muscle,
        label=label,
        self_stretch=self_stretch,
        techniques=techniques,
        factors=factors,
        site_cautions=site_cautions,
        group=group,
    )


def palpated(
    pt: PointInfo, side: str = "l", *, active: bool = True, recognised: bool = False
) -> PalpatedPoint:
    return PalpatedPoint(point=pt, side=side, active=active, referral_recognised=recognised)


def plan(**kwargs: object) -> PlanInputs:
    defaults = {
        "breathing_findings": BREATHING,
        "intake_factors": INTAKE_FACTORS,
        "caps": Caps(patient_items=20, later_patient_items=20),  # caps: their own tests
    }
    return PlanInputs(**{**defaults, **kwargs})


def strand(inputs: PlanInputs, which: str) -> list[DraftItem]:
    return [i for i in draft_items(inputs) if i.strand == which]


def keys(inputs: PlanInputs, which: str) -> list[str]:
    return [i.key for i in strand(inputs, which)]


def one(inputs: PlanInputs, key: str) -> DraftItem:
    [found] = [i for i in draft_items(inputs) if i.key == key]
    return found


# --- Each finding brings its drills -------------------------------------------------------------


@pytest.mark.parametrize(
    ("finding", "expected"),
    [
        (FORWARD_HEAD, ["drill:chin-nod"]),
        (ROUNDED, ["drill:scapular-setting", "drill:doorway-pec-stretch"]),
        (PELVIC_TILT, ["drill:hip-flexor-stretch", "drill:glute-bridge", "drill:dead-bug"]),
    ],
)
def test_postural_finding_brings_its_drills(
    finding: PosturalFindingInfo, expected: list[str]
) -> None:
    inputs = plan(postural=(ObservedPosture(finding, "moderate"),))
    assert keys(inputs, Strand.POSTURAL) == expected
    assert all(
        f"Seen on examination: {finding.name.lower()} (moderate)." in i.rationale
        for i in strand(inputs, Strand.POSTURAL)
    )


def test_chin_nod_item_carries_the_drill_dosage_instructions_and_cautions() -> None:
    item = one(plan(postural=(ObservedPosture(FORWARD_HEAD, "mild"),)), "drill:chin-nod")
    assert item.title == "Chin nod"
    assert item.dosage == "Dosage of chin-nod"
    assert item.instructions.startswith("How to do chin-nod.")
    assert "Take care: Careful with chin-nod." in item.instructions
    assert "When this is easy: Chin tucks sitting upright." in item.instructions
    assert "Stepped up" not in item.instructions  # only when a trigger point came back
    assert item.drill_id == CHIN_NOD.id and item.strand == Strand.POSTURAL


@pytest.mark.parametrize(
    ("signs", "expected", "words"),
    [
        (
            BreathingSigns(pattern="upper-chest"),
            ["drill:diaphragmatic-breathing"],
            "breathed mostly into the upper chest",
        ),
        (
            BreathingSigns(pattern="paradoxical"),
            ["drill:diaphragmatic-breathing"],
            "paradoxical breathing",
        ),
        (
            BreathingSigns(nijmegen_score=25),
            ["drill:slow-nasal-breathing", "drill:diaphragmatic-breathing"],
            "(Nijmegen) score was 25",
        ),
        (
            BreathingSigns(bolt_seconds=15),
            ["drill:slow-nasal-breathing", "drill:diaphragmatic-breathing"],
            "15 seconds (BOLT)",
        ),
        (
            BreathingSigns(breathing_rate=18),
            ["drill:slow-nasal-breathing", "drill:diaphragmatic-breathing"],
            "18 breaths a minute",
        ),
        (
            BreathingSigns(mouth_breathing=True),
            ["drill:nasal-breathing-practice"],
            "through your mouth at rest",
        ),
    ],
)
def test_breathing_measure_brings_its_drills(
    signs: BreathingSigns, expected: list[str], words: str
) -> None:
    inputs = plan(measures=signs)
    assert keys(inputs, Strand.BREATHING) == expected
    assert words in strand(inputs, Strand.BREATHING)[0].rationale


def test_measures_inside_the_normal_range_bring_no_breathing_work() -> None:
    at_thresholds = BreathingSigns(
        pattern="diaphragmatic", nijmegen_score=22, bolt_seconds=20, breathing_rate=16
    )
    assert keys(plan(measures=at_thresholds), Strand.BREATHING) == []


def test_accessory_muscle_point_adds_its_reason_to_measured_breathing_work() -> None:
    inputs = plan(
        palpated=(palpated(point("Scalenes"), "r"),), measures=BreathingSigns(pattern="upper-chest")
    )
    item = one(inputs, "drill:diaphragmatic-breathing")
    assert item.strand == Strand.BREATHING
    assert "trigger point in your scalenes (right)" in item.rationale
    assert "upper-chest (apical) breathing" in item.rationale


def test_accessory_muscle_point_without_breathing_measures_is_a_prompt_not_an_item() -> None:
    draft = build_plan(plan(palpated=(palpated(point("Scalenes"), "r"),)))
    assert [i for i in draft.items if i.strand == Strand.BREATHING] == []
    assert draft.notes.breathing_not_assessed
    assert any(
        p.startswith("Upper-chest (apical) breathing: trigger points in the scalenes (right)")
        for p in draft.notes.screen_for
    )


def test_breathing_measures_recorded_means_breathing_was_assessed() -> None:
    normal = build_plan(plan(measures=BreathingSigns(pattern="diaphragmatic")))
    assert not normal.notes.breathing_not_assessed
    assert build_plan(plan(measures=BreathingSigns())).notes.breathing_not_assessed


def test_latent_or_non_accessory_trigger_point_brings_no_breathing_work() -> None:
    latent = palpated(point("Scalenes"), active=False, recognised=True)
    elsewhere = palpated(point("Gluteus medius"))
    assert keys(plan(palpated=(latent, elsewhere)), Strand.BREATHING) == []


def test_breathing_drill_of_a_postural_finding_joins_the_breathing_strand() -> None:
    inputs = plan(postural=(ObservedPosture(ELEVATED, "mild"),))
    assert keys(inputs, Strand.POSTURAL) == ["drill:scapular-setting"]
    assert keys(inputs, Strand.BREATHING) == ["drill:diaphragmatic-breathing"]


# --- Local release ------------------------------------------------------------------------------


def test_active_point_gets_a_local_item_with_the_chosen_technique_and_dosage() -> None:
    trap = point()
    [item] = strand(plan(palpated=(palpated(trap, "l", recognised=True),)), Strand.LOCAL)
    assert item.key == f"point:{trap.id}:l"
    assert (item.trigger_point_id, item.side, item.technique_id) == (trap.id, "l", PRESSURE.id)
    assert item.title == "Upper trapezius (left): Pressure release"
    assert item.dosage == "Dose of pressure-release"
    assert item.frequency == "At home every other day, and at each visit"
    assert item.priority == 1 and not item.clinic_only
    assert item.instructions == (
        "How pressure-release is done.\n\nAt home: Tilt your head away and let the shoulder sink."
    )
    assert item.rationale == (
        "The examination found an active trigger point in your upper trapezius (left) that "
        "reproduced your familiar pain when pressed."
    )


def test_latent_point_gets_an_item_only_when_the_patient_recognised_its_pain() -> None:
    unrecognised, recognised = point("Levator scapulae"), point("Infraspinatus")
    inputs = plan(
        palpated=(
            palpated(unrecognised, active=False),
            palpated(recognised, "r", active=False, recognised=True),
        )
    )
    [item] = strand(inputs, Strand.LOCAL)
    assert item.trigger_point_id == recognised.id
    assert "whose referred pain you recognised" in item.rationale


def test_lowest_plan_priority_wins() -> None:
    pt = point(techniques=(SELF_RELEASE, PIR, SPRAY))
    [item] = strand(plan(palpated=(palpated(pt),)), Strand.LOCAL)
    assert item.technique_id == PIR.id


def test_clinician_only_technique_is_never_chosen_and_no_technique_is_invented() -> None:
    with_needling = point(techniques=(NEEDLING, SELF_RELEASE))
    only_needling = point("Tibialis posterior", techniques=(NEEDLING,))
    nothing = point("Levator ani", techniques=())
    draft = build_plan(
        plan(palpated=(palpated(with_needling), palpated(only_needling), palpated(nothing, "m")))
    )
    assert [i.technique_id for i in draft.items] == [SELF_RELEASE.id]
    assert all(NEEDLING.how not in i.instructions for i in draft.items)
    assert all(PRESSURE.how not in i.instructions for i in draft.items)  # no fallback
    assert (
        "Tibialis posterior (left): left out, the catalogue lists no technique the plan may "
        "instruct." in draft.notes.left_out
    )
    assert any(line.startswith("Levator ani: left out") for line in draft.notes.left_out)


def test_no_self_stretch_means_no_invented_home_part() -> None:
    pt = point(self_stretch="")
    [item] = strand(plan(palpated=(palpated(pt),)), Strand.LOCAL)
    assert item.instructions == "How pressure-release is done."


def test_two_points_of_one_muscle_and_side_are_told_apart_by_label() -> None:
    sternal = point("Sternocleidomastoid", label="Sternal division")
    clavicular = point("Sternocleidomastoid", label="Clavicular division")
    inputs = plan(palpated=(palpated(sternal), palpated(clavicular)))
    assert [i.title for i in strand(inputs, Strand.LOCAL)] == [
        "Sternocleidomastoid (left), sternal division: Pressure release",
        "Sternocleidomastoid (left), clavicular division: Pressure release",
    ]


def test_midline_point_names_no_side() -> None:
    [item] = strand(plan(palpated=(palpated(point("Multifidi"), "m"),)), Strand.LOCAL)
    assert item.title == "Multifidi: Pressure release"
    assert item.key.endswith(":m")


def test_recognised_active_points_come_first() -> None:
    plain, recognised = point("Infraspinatus"), point("Temporalis")
    latent = point("Masseter")
    inputs = plan(
        palpated=(
            palpated(latent, active=False, recognised=True),
            palpated(plain),
            palpated(recognised, recognised=True),
        )
    )
    assert [i.trigger_point_id for i in strand(inputs, Strand.LOCAL)] == [
        recognised.id,
        plain.id,
        latent.id,
    ]


# --- Factors of the treated points --------------------------------------------------------------


def test_factors_of_a_local_point_are_screen_for_prompts_not_drills() -> None:
    trap = point(factors=(WORKSTATION, FHP_FACTOR))
    draft = build_plan(plan(palpated=(palpated(trap),)))
    assert [i.strand for i in draft.items] == [Strand.LOCAL]
    assert draft.notes.screen_for[:2] == (
        "Workstation setup: can keep the trigger point in the upper trapezius (left) going; "
        "check for it.",
        "Forward head posture: can keep the trigger point in the upper trapezius (left) going; "
        "check for it.",
    )


def test_forward_head_only_patient_gets_no_hip_or_pelvic_drill_and_gets_prompts() -> None:
    """Regression (issue 9): the upper trapezius is tagged with leg-length inequality; a headache
    patient with only a forward head posture recorded got hip-abduction drills."""
    leg_length = factor("leg-length-inequality", "structural", drills=(BRIDGE, HIP_FLEXOR))
    trap = point(factors=(leg_length, SITTING, FHP_FACTOR))
    draft = build_plan(
        plan(palpated=(palpated(trap),), postural=(ObservedPosture(FORWARD_HEAD, "moderate"),))
    )
    keys_ = [i.key for i in draft.items]
    assert "drill:chin-nod" in keys_
    assert not {"drill:glute-bridge", "drill:hip-flexor-stretch", "drill:dead-bug"} & set(keys_)
    prompts = " ".join(draft.notes.screen_for)
    assert "Leg length inequality: can keep" in prompts and "Prolonged sitting" in prompts
    assert "Forward head posture:" not in prompts  # examined and found: its drill is there


def test_drill_reached_twice_is_one_item_naming_both_reasons() -> None:
    trap = point(factors=(FHP_FACTOR,))
    inputs = plan(
        palpated=(palpated(trap, "r"),),
        postural=(ObservedPosture(FORWARD_HEAD, "marked"), ObservedPosture(UPPER_CROSSED, "mild")),
    )
    items = draft_items(inputs)
    [chin_nod] = [i for i in items if i.key == "drill:chin-nod"]
    assert "Seen on examination: forward head posture (marked)." in chin_nod.rationale
    assert "Seen on examination: upper crossed pattern (mild)." in chin_nod.rationale
    assert len({i.key for i in items}) == len(items)


def test_breathing_drill_reached_by_pattern_and_questionnaire_is_one_item() -> None:
    inputs = plan(measures=BreathingSigns(pattern="upper-chest", nijmegen_score=30))
    items = strand(inputs, Strand.BREATHING)
    assert [i.key for i in items].count("drill:diaphragmatic-breathing") == 1
    diaphragmatic = one(inputs, "drill:diaphragmatic-breathing")
    assert "upper chest" in diaphragmatic.rationale and "score was 30" in diaphragmatic.rationale


def test_marked_and_moderate_findings_come_before_mild_ones() -> None:
    inputs = plan(
        postural=(ObservedPosture(FORWARD_HEAD, "mild"), ObservedPosture(ROUNDED, "marked"))
    )
    assert keys(inputs, Strand.POSTURAL) == [
        "drill:scapular-setting",
        "drill:doorway-pec-stretch",
        "drill:chin-nod",
    ]


# --- Caps ---------------------------------------------------------------------------------------

MANY_POSTURES = (
    ObservedPosture(UPPER_CROSSED, "moderate"),
    ObservedPosture(PELVIC_TILT, "moderate"),
)  # 7 distinct postural drills
# A fourth breathing drill for the cap: bracing seen with mouth breathing (made up for the test).
BREATHING_PLUS = (
    *BREATHING,
    BreathingFindingInfo(
        9, "jaw-bracing", "Jaw bracing", frozenset(), (EXHALE,), ("mouth-breathing",)
    ),
)
ALL_BREATHING = BreathingSigns(pattern="upper-chest", mouth_breathing=True, nijmegen_score=30)


def test_first_plan_has_six_home_items_numbered_in_turn_from_each_strand() -> None:
    inputs = PlanInputs(
        breathing_findings=BREATHING_PLUS,
        intake_factors=INTAKE_FACTORS,
        palpated=tuple(palpated(point(f"Muscle {n}")) for n in range(8)),
        postural=MANY_POSTURES,
        measures=ALL_BREATHING,
        intake=Intake(activities=("desk_work", "phone"), stress=8, self_care=("poor-sleep",)),
    )
    draft = build_plan(inputs)
    assert len(draft.items) == 6
    by_priority = sorted(draft.items, key=lambda i: i.priority)
    assert [i.strand for i in by_priority] == [
        Strand.LOCAL,
        Strand.POSTURAL,
        Strand.BREATHING,
        Strand.SELF_CARE,
        Strand.LOCAL,
        Strand.POSTURAL,
    ]
    assert [i.priority for i in draft.items] == [1, 5, 2, 6, 3, 4]  # shown in strand order
    assert any("beyond this plan's 6 home items" in line for line in draft.notes.left_out)
    later = build_plan(replace(inputs, first_plan=False))
    assert len(later.items) == 8


def test_caps_can_be_set() -> None:
    inputs = plan(postural=MANY_POSTURES, caps=Caps(patient_items=2))
    assert len(strand(inputs, Strand.POSTURAL)) == 2


def test_clinic_only_items_carry_no_priority_and_do_not_count() -> None:
    neck = point(
        "Sternocleidomastoid", techniques=(PRESSURE_SITE,), site_cautions=("carotid-artery",)
    )
    inputs = plan(palpated=(palpated(neck),), caps=Caps(patient_items=1))
    [item] = draft_items(inputs)
    assert item.clinic_only and item.priority is None
    assert item.frequency == "At each visit"


def test_items_come_in_strand_order() -> None:
    inputs = plan(
        palpated=(palpated(point()),),
        postural=(ObservedPosture(FORWARD_HEAD, "mild"),),
        measures=BreathingSigns(mouth_breathing=True),
        intake=Intake(stress=9),
    )
    strands = [i.strand for i in draft_items(inputs)]
    assert strands == sorted(strands, key=list(Strand.values).index)
    assert list(dict.fromkeys(strands)) == [
        Strand.LOCAL,
        Strand.POSTURAL,
        Strand.BREATHING,
        Strand.SELF_CARE,
    ]


# --- Self-care ----------------------------------------------------------------------------------


def test_no_findings_still_gives_intake_self_care_and_nothing_else() -> None:
    inputs = plan(intake=Intake(activities=("desk_work",), stress=7, self_care=("low-fluids",)))
    assert [i.strand for i in draft_items(inputs)] == [Strand.SELF_CARE] * 4
    assert set(keys(inputs, Strand.SELF_CARE)) == {
        "factor:workstation-setup",
        "factor:prolonged-sitting",
        "factor:stress",
        "factor:nutritional-factors",
    }
    stress = one(inputs, "factor:stress")
    assert stress.instructions == "Advice about stress." and stress.factor_id == STRESS.id
    assert stress.rationale == "You rated your stress at 7 out of 10."
    assert "drink little water" in one(inputs, "factor:nutritional-factors").rationale


def test_several_activities_are_named_in_one_sentence() -> None:
    inputs = plan(intake=Intake(activities=("desk_work", "driving")))
    assert one(inputs, "factor:prolonged-sitting").rationale == (
        "Your daily activities include desk or computer work and driving."
    )


@pytest.mark.parametrize(("stress", "brought"), [(5, False), (6, True), (None, False)])
def test_stress_advice_from_the_high_stress_mark(stress: int | None, brought: bool) -> None:
    assert (
        "factor:stress" in keys(plan(intake=Intake(stress=stress)), Strand.SELF_CARE)
    ) is brought


def test_point_factors_never_give_self_care_items() -> None:
    sleep = factor("sleep-position", "sleep")
    trap = point(factors=(sleep,))
    draft = build_plan(plan(palpated=(palpated(trap),)))
    assert [i for i in draft.items if i.strand == Strand.SELF_CARE] == []
    assert draft.notes.screen_for[0].startswith("Sleep position: can keep the trigger point")


def test_intake_self_care_is_an_item_and_not_a_prompt() -> None:
    trap = point(factors=(factor("cold-draughts", "environment"), STRESS))
    draft = build_plan(plan(palpated=(palpated(trap),), intake=Intake(stress=8)))
    assert [i.key for i in draft.items if i.strand == Strand.SELF_CARE] == ["factor:stress"]
    prompted = [p.split(":")[0] for p in draft.notes.screen_for]
    assert "Cold draughts" in prompted and "Stress" not in prompted


def test_self_care_items_carry_their_sources() -> None:
    fluids = FactorInfo(
        id=next(_ids),
        key="low-fluid-intake",
        name="Drinking too little",
        category="habit",
        advice="Drink enough that you rarely feel thirsty.",
        intake_cues=("self-care:low-fluids",),
        sources=("NHS, Water, drinks and your health",),
    )
    inputs = plan(intake_factors=(fluids,), intake=Intake(self_care=("low-fluids",)))
    item = one(inputs, "factor:low-fluid-intake")
    assert item.sources == "NHS, Water, drinks and your health"
    assert "drink little water" in item.rationale


# --- Recurrence and adherence -------------------------------------------------------------------

RETURNED = "was latent on 3 Nov 2026 and active again on 24 Nov 2026"


def test_recurrence_steps_the_drills_up_and_names_the_evidence() -> None:
    trap = point(factors=(FHP_FACTOR,))
    calm = plan(palpated=(palpated(trap),), postural=MANY_POSTURES, measures=ALL_BREATHING)
    came_back = replace(calm, recurring=(RecurringPoint(trap, "l", evidence=RETURNED),))
    assert recurrence_note(calm) == ""
    assert "Stepped up" not in one(calm, "drill:chin-nod").instructions

    why = (
        f"The trigger point in your upper trapezius (left) {RETURNED}: release alone has not "
        "held, so the posture and breathing work is stepped up."
    )
    assert recurrence_note(came_back) == why
    chin_nod = one(came_back, "drill:chin-nod")
    assert "Stepped up: once the starting dose feels comfortable" in chin_nod.instructions
    assert "move on: Chin tucks sitting upright." in chin_nod.instructions
    assert chin_nod.rationale.endswith(why)
    diaphragmatic = one(came_back, "drill:diaphragmatic-breathing")
    assert "move on: Sitting, then standing." in diaphragmatic.instructions
    local = strand(came_back, Strand.LOCAL)[0]
    assert local.rationale.endswith(f"It {RETURNED}.")
    assert "Stepped up" not in local.instructions


def test_recurring_point_no_longer_palpated_brings_prompts_not_drills() -> None:
    scalenes = point("Scalenes", factors=(FHP_FACTOR,))
    draft = build_plan(plan(recurring=(RecurringPoint(scalenes, "r", evidence=RETURNED),)))
    assert draft.notes.recurrence_note.startswith(
        f"The trigger point in your scalenes (right) {RETURNED}"
    )
    assert draft.items == []
    assert draft.notes.screen_for[0].startswith("Forward head posture: can keep")


def test_note_names_at_most_three_points() -> None:
    recurring = tuple(
        RecurringPoint(point(f"Muscle {n}"), "l", evidence=RETURNED) for n in range(5)
    )
    note = recurrence_note(plan(recurring=recurring))
    assert note.count(RETURNED) == 3
    assert "2 other trigger points also keep coming back" in note


@pytest.mark.parametrize("adherence", ["none", "some"])
def test_poor_adherence_gives_a_simpler_plan_not_a_harder_one(adherence: str) -> None:
    trap = point()
    inputs = PlanInputs(
        breathing_findings=BREATHING_PLUS,
        intake_factors=INTAKE_FACTORS,
        palpated=tuple(palpated(point(f"Muscle {n}")) for n in range(8)),
        postural=MANY_POSTURES,
        measures=ALL_BREATHING,
        recurring=(RecurringPoint(trap, "l", evidence=RETURNED),),
        adherence=adherence,
    )
    draft = build_plan(inputs)
    assert len(draft.items) == 4
    assert all("Stepped up" not in i.instructions for i in draft.items)
    assert "poor adherence, so this plan is simpler" in draft.notes.recurrence_note
    assert RETURNED in draft.notes.recurrence_note  # the evidence is still named
    assert "so the posture and breathing work is stepped up" not in draft.notes.recurrence_note


def test_good_adherence_keeps_the_usual_cap() -> None:
    inputs = plan(postural=MANY_POSTURES, adherence="most", caps=Caps())
    assert len(draft_items(inputs)) == 6


# --- The vocabulary the catalogue uses ----------------------------------------------------------


def test_rules_read_every_plan_cue_of_the_vocabulary() -> None:
    assert set(KNOWN_PLAN_CUES) == set(PLAN_CUES)


def test_every_breathing_pattern_but_the_normal_one_has_its_cue() -> None:
    for value in Measures.BreathingPattern.values:
        if value != Measures.BreathingPattern.DIAPHRAGMATIC:
            assert f"pattern:{value}" in PLAN_CUES


def test_every_intake_answer_has_its_cue() -> None:
    for value in Patient.Activity.values:
        assert f"activity:{value}" in INTAKE_CUES
    for value in Assessment.SelfCare.values:
        assert f"self-care:{value}" in INTAKE_CUES
    assert "stress:high" in INTAKE_CUES
    expected = len(Patient.Activity.values) + len(Assessment.SelfCare.values) + 1
    assert len(INTAKE_CUES) == expected  # nothing in the vocabulary that no answer fires


def test_what_the_patient_told_us_comes_before_activity_advice() -> None:
    inputs = plan(
        intake=Intake(
            activities=("desk_work", "phone", "lifting"),
            stress=8,
            self_care=("poor-sleep", "low-fluids"),
        ),
    )
    titles = [item.key for item in strand(inputs, Strand.SELF_CARE)]
    told = {"factor:stress", "factor:poor-sleep", "factor:nutritional-factors"}
    assert told <= set(titles[:3]), titles


def test_feeling_worse_at_the_last_visit_holds_the_step_up_back() -> None:
    trap = point()
    inputs = plan(
        palpated=(palpated(trap),),
        postural=MANY_POSTURES,
        recurring=(RecurringPoint(trap, "l", evidence=RETURNED),),
        response="worse",
    )
    draft = build_plan(inputs)
    assert all("Stepped up" not in i.instructions for i in draft.items)
    assert draft.notes.recurrence_note.endswith(
        "At the last visit the patient felt worse, so nothing is stepped up: review the dose "
        "before progressing."
    )
    assert RETURNED in draft.notes.recurrence_note


# --- Yellow flags pace the plan (red-flag screening, issue 8) ----------------------------------


def test_yellow_flags_bring_pacing_and_education_first_among_self_care() -> None:
    inputs = plan(
        intake=Intake(stress=8, self_care=("poor-sleep",), yellow_flags=("fear-avoidance",))
    )
    self_care = strand(inputs, Strand.SELF_CARE)
    assert self_care[0].key == "pacing:yellow-flags"
    assert self_care[0].title == "Pacing and understanding your pain"
    assert "you worry that moving will do harm" in self_care[0].rationale
    assert "not of damage" in self_care[0].instructions and "Kendall" in self_care[0].sources
    assert "GP" not in self_care[0].instructions  # the mood sentence only for low mood
    low_mood = one(plan(intake=Intake(yellow_flags=("low-mood",))), "pacing:yellow-flags")
    assert "your GP can help" in low_mood.instructions


def test_no_yellow_flags_no_pacing_item() -> None:
    assert "pacing:yellow-flags" not in keys(plan(intake=Intake(stress=8)), Strand.SELF_CARE)


def test_yellow_flags_keep_the_programme_short_and_never_step_it_up() -> None:
    trap = point()
    inputs = PlanInputs(
        breathing_findings=BREATHING_PLUS,
        intake_factors=INTAKE_FACTORS,
        palpated=(palpated(trap),),
        postural=MANY_POSTURES,
        measures=ALL_BREATHING,
        recurring=(RecurringPoint(trap, "l", evidence=RETURNED),),
        intake=Intake(yellow_flags=("catastrophising", "work-worries")),
    )
    draft = build_plan(inputs)
    assert len(draft.items) == 4
    assert all("Stepped up" not in i.instructions for i in draft.items)
    without = build_plan(replace(inputs, intake=Intake()))
    assert len(without.items) == 6
    assert any("Stepped up" in i.instructions for i in without.items)
