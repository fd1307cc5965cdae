"""The plan rules on hand-built inputs: no database, every finding brings its drills, nothing
twice, caps hold, recurrence steps the global strands up."""

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
    draft_items,
    recurrence_note,
)
from triggerpoints.catalogue_files import INTAKE_CUES, PLAN_CUES

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


def technique(key: str, priority: int, by: str = "either", only: bool = False) -> TechniqueInfo:
    return TechniqueInfo(
        id=next(_ids),
        key=key,
        name=key.replace("-", " ").capitalize(),
        how=f"How {key} is done.",
        dosage=f"Dose of {key}",
        performed_by=by,
        clinician_only=only,
        plan_priority=priority,
    )


PRESSURE = technique("pressure-release", 10)
PIR = technique("pir", 20)
SELF_RELEASE = technique("self-release", 40, by="self")
SPRAY = technique("spray-and-stretch", 50, by="clinician")
NEEDLING = technique("dry-needling", 0, by="clinician", only=True)  # lowest number, never chosen


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
) -> PointInfo:
    return PointInfo(
        id=next(_ids),
        muscle=muscle,
        label=label,
        self_stretch=self_stretch,
        techniques=techniques,
        factors=factors,
    )


def palpated(
    pt: PointInfo, side: str = "l", *, active: bool = True, recognised: bool = False
) -> PalpatedPoint:
    return PalpatedPoint(point=pt, side=side, active=active, referral_recognised=recognised)


def plan(**kwargs: object) -> PlanInputs:
    defaults = {
        "breathing_findings": BREATHING,
        "intake_factors": INTAKE_FACTORS,
        "fallback_technique": PRESSURE,
        "self_release": SELF_RELEASE,
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


def test_active_trigger_point_in_an_accessory_muscle_brings_breathing_work() -> None:
    inputs = plan(palpated=(palpated(point("Scalenes"), "r"),))
    item = one(inputs, "drill:diaphragmatic-breathing")
    assert item.strand == Strand.BREATHING
    assert "active trigger point in your scalenes (right)" in item.rationale
    assert "upper-chest (apical) breathing" in item.rationale


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
    assert item.frequency == "At each visit; at home every other day"
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


def test_clinician_only_technique_is_never_chosen() -> None:
    with_needling = point(techniques=(NEEDLING, SELF_RELEASE))
    only_needling = point("Tibialis posterior", techniques=(NEEDLING,))
    inputs = plan(palpated=(palpated(with_needling), palpated(only_needling)))
    chosen = [i.technique_id for i in strand(inputs, Strand.LOCAL)]
    assert chosen == [SELF_RELEASE.id, PRESSURE.id]  # the fallback when nothing else is left
    assert all(NEEDLING.how not in i.instructions for i in draft_items(inputs))


def test_self_release_is_the_home_part_when_there_is_no_self_stretch() -> None:
    pt = point(self_stretch="")
    [item] = strand(plan(palpated=(palpated(pt),)), Strand.LOCAL)
    assert item.instructions.endswith(f"At home: {SELF_RELEASE.how}")


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


def test_factor_of_a_local_point_brings_its_postural_drills_but_not_breathing_ones() -> None:
    trap = point(factors=(WORKSTATION, STRESS))
    inputs = plan(palpated=(palpated(trap),))
    # workstation -> forward head and elevated shoulders -> chin nod, scapular setting (and
    # diaphragmatic breathing, which is breathing kind: not from a factor); stress -> slow nasal
    assert keys(inputs, Strand.POSTURAL) == ["drill:chin-nod", "drill:scapular-setting"]
    assert "drill:slow-nasal-breathing" not in keys(inputs, Strand.BREATHING)
    assert one(inputs, "drill:chin-nod").rationale == (
        "Workstation setup can keep the trigger point in your upper trapezius (left) going."
    )


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
    assert (
        "Forward head posture can keep the trigger point in your upper trapezius (right) going."
        in chin_nod.rationale
    )
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


def test_caps_hold_in_every_strand() -> None:
    inputs = plan(
        palpated=tuple(palpated(point(f"Muscle {n}")) for n in range(8)),
        postural=MANY_POSTURES,
        measures=ALL_BREATHING,
        breathing_findings=BREATHING_PLUS,
        intake=Intake(
            activities=("desk_work", "phone", "lifting"),
            stress=8,
            self_care=("poor-sleep", "low-fluids"),
        ),
    )
    counts = {s: len(strand(inputs, s)) for s in Strand.values}
    assert counts == {"local": 6, "postural": 4, "breathing": 3, "self_care": 5}


def test_caps_can_be_set() -> None:
    inputs = plan(postural=MANY_POSTURES, caps=Caps(postural=2))
    assert len(strand(inputs, Strand.POSTURAL)) == 2


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


def test_point_factors_give_self_care_only_in_the_education_categories() -> None:
    sleep = factor("sleep-position", "sleep")
    silent = factor("satellite-trigger-points", "structural")
    no_advice = FactorInfo(id=next(_ids), key="cold", name="Cold", category="environment")
    trap = point(factors=(sleep, silent, no_advice, FHP_FACTOR))
    inputs = plan(palpated=(palpated(trap),))
    assert keys(inputs, Strand.SELF_CARE) == ["factor:sleep-position"]
    assert one(inputs, "factor:sleep-position").rationale == (
        "Sleep position can keep the trigger point in your upper trapezius (left) going."
    )


def test_intake_self_care_comes_before_point_factors_and_is_not_repeated() -> None:
    trap = point(factors=(factor("cold-draughts", "environment"), STRESS))
    inputs = plan(palpated=(palpated(trap),), intake=Intake(stress=8))
    assert keys(inputs, Strand.SELF_CARE) == ["factor:stress", "factor:cold-draughts"]
    assert one(inputs, "factor:stress").rationale == (
        "You rated your stress at 8 out of 10. Stress can keep the trigger point in your upper "
        "trapezius (left) going."
    )


# --- Recurrence ---------------------------------------------------------------------------------


def test_recurrence_raises_the_caps_adds_progression_and_says_why() -> None:
    trap = point(factors=(FHP_FACTOR,))
    calm = plan(palpated=(palpated(trap),), postural=MANY_POSTURES, measures=ALL_BREATHING)
    came_back = plan(
        palpated=(palpated(trap),),
        postural=MANY_POSTURES,
        measures=ALL_BREATHING,
        breathing_findings=BREATHING_PLUS,
        recurring=(RecurringPoint(trap, "l", sessions_treated=3, visits=3),),
    )
    assert recurrence_note(calm) == ""
    assert len(strand(calm, Strand.POSTURAL)) == 4
    assert len(strand(came_back, Strand.POSTURAL)) == 6
    assert len(strand(came_back, Strand.BREATHING)) == 4  # every candidate: 3 + 2 allowed

    why = (
        "Upper trapezius (left) came back in 3 sessions: release alone has not held, so the "
        "posture and breathing work is stepped up."
    )
    assert recurrence_note(came_back) == why
    chin_nod = one(came_back, "drill:chin-nod")
    assert "Stepped up: once the starting dose feels comfortable" in chin_nod.instructions
    assert "move on: Chin tucks sitting upright." in chin_nod.instructions
    assert chin_nod.rationale.endswith(why)
    diaphragmatic = one(came_back, "drill:diaphragmatic-breathing")
    assert "move on: Sitting, then standing." in diaphragmatic.instructions
    local = strand(came_back, Strand.LOCAL)[0]
    assert local.rationale.endswith("It came back in 3 sessions.")
    assert "Stepped up" not in local.instructions


def test_recurring_point_no_longer_palpated_still_raises_the_strands() -> None:
    scalenes = point("Scalenes", factors=(FHP_FACTOR,))
    inputs = plan(recurring=(RecurringPoint(scalenes, "r", sessions_treated=1, visits=2),))
    assert recurrence_note(inputs).startswith("Scalenes (right) was found again on 2 separate days")
    assert strand(inputs, Strand.LOCAL) == []
    # Its factors and its accessory muscle still bring work, stepped up.
    assert keys(inputs, Strand.POSTURAL) == ["drill:chin-nod"]
    assert keys(inputs, Strand.BREATHING) == ["drill:diaphragmatic-breathing"]
    assert "Stepped up" in one(inputs, "drill:chin-nod").instructions
    assert (
        "scalenes (right) keeps coming back"
        in one(inputs, "drill:diaphragmatic-breathing").rationale
    )


def test_note_names_at_most_three_points() -> None:
    recurring = tuple(
        RecurringPoint(point(f"Muscle {n}"), "l", sessions_treated=2, visits=2) for n in range(5)
    )
    note = recurrence_note(plan(recurring=recurring))
    assert note.count("came back in 2 sessions") == 3
    assert "2 other trigger points also keep coming back" in note


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
