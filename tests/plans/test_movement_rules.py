"""The plan rules with measured findings (issue 17), on hand-built inputs, no database: an
abnormal test brings its drills first and the item names the result; a normalised test keeps
its drills at a maintenance dose and its strand steps down; precautions still apply to the
drills; a breathing test counts as breathing assessed."""

from dataclasses import replace

from patients.movement import Reading, TestSpec
from plans.models import Strand
from plans.rules import (
    MAINTENANCE_DOSAGE,
    BreathingSigns,
    DrillInfo,
    MeasuredTest,
    ObservedPosture,
    PlanInputs,
    PosturalFindingInfo,
    Precautions,
    build_plan,
)

from ..factories import CCFT, PEC_MINOR

_ids = iter(range(5000, 6000))


def drill(key: str, kind: str = "postural", **extra: object) -> DrillInfo:
    return DrillInfo(
        id=next(_ids),
        key=key,
        name=key.replace("-", " ").capitalize(),
        kind=kind,
        instructions=f"How to do {key}.",
        dosage=f"Dosage of {key}",
        progression=f"Harder {key}.",
        **extra,
    )


BRIDGE_DRILL = drill(
    "glute-bridge",
    softened_by=frozenset({"cardiovascular-disease"}),
    safer_variant="Bridge breathing out, no holding.",
)
CHIN_NOD = drill("chin-nod")
DOORWAY = drill("doorway-pec-stretch")
EXHALE = drill("exhale-on-effort", "breathing")

BRIDGE = TestSpec(
    key="single-leg-bridge",
    name="Single-leg bridge hold",
    sided=True,
    unit="s",
    value_max=300,
    normal_min=30,
    asymmetry_percent=20,
)
BREATH = TestSpec(
    key="breath-under-load",
    name="Breathing during a loaded task",
    strand="breathing",
    scoring="ordinal",
    anchors=("low", "chest", "held"),
    value_max=2,
    normal_max=0,
)


def measured(spec: TestSpec, first: Reading, *drills: DrillInfo, latest: Reading | None = None):  # noqa: ANN201
    return MeasuredTest(spec=spec, first=first, drills=drills, latest=latest)


def items_by_key(inputs: PlanInputs) -> dict:
    return {item.key: item for item in build_plan(inputs).items}


def test_abnormal_test_brings_its_drill_and_the_item_names_the_result():
    inputs = PlanInputs(movement=(measured(BRIDGE, Reading(left=12, right=35), BRIDGE_DRILL),))
    item = items_by_key(inputs)["drill:glute-bridge"]
    assert item.strand == Strand.POSTURAL
    assert item.rationale.startswith(
        "Measured: Single-leg bridge hold: left 12 s (normal 30 s or more)."
    )
    assert item.dosage == "Dosage of glute-bridge"


def test_normal_test_brings_nothing():
    inputs = PlanInputs(movement=(measured(BRIDGE, Reading(left=40, right=42), BRIDGE_DRILL),))
    assert "drill:glute-bridge" not in items_by_key(inputs)


def test_measured_findings_come_before_observations():
    rounded = PosturalFindingInfo(
        id=1, key="rounded-shoulders", name="Rounded shoulders", drills=(DOORWAY,)
    )
    inputs = PlanInputs(
        postural=(ObservedPosture(rounded, "marked"),),
        movement=(measured(CCFT, Reading(value=22), CHIN_NOD),),
    )
    postural = [i.key for i in build_plan(inputs).items if i.strand == Strand.POSTURAL]
    assert postural == ["drill:chin-nod", "drill:doorway-pec-stretch"]


def test_observed_drill_also_measured_names_the_measured_result_first():
    rounded = PosturalFindingInfo(
        id=2, key="rounded-shoulders", name="Rounded shoulders", drills=(DOORWAY,)
    )
    inputs = PlanInputs(
        postural=(ObservedPosture(rounded, "mild"),),
        movement=(measured(PEC_MINOR, Reading(left=3.5, right=2.0), DOORWAY),),
    )
    item = items_by_key(inputs)["drill:doorway-pec-stretch"]
    assert item.rationale == (
        "Measured: Pectoralis minor length: left 3.5 cm (normal 2.5 cm or less). "
        "Seen on examination: rounded shoulders (mild)."
    )


def test_retest_still_abnormal_names_before_and_now():
    test = measured(
        BRIDGE, Reading(left=12, right=35), BRIDGE_DRILL, latest=Reading(left=22, right=36)
    )
    item = items_by_key(PlanInputs(movement=(test,)))["drill:glute-bridge"]
    assert "Measured: Single-leg bridge hold: left 12 s → 22 s (normal 30 s or more)." in (
        item.rationale
    )


def test_normalised_test_keeps_its_drill_at_maintenance_and_the_strand_steps_down():
    test = measured(
        BRIDGE, Reading(left=12, right=35), BRIDGE_DRILL, latest=Reading(left=34, right=36)
    )
    plan = build_plan(PlanInputs(movement=(test,)))
    (item,) = [i for i in plan.items if i.key == "drill:glute-bridge"]
    assert item.dosage == MAINTENANCE_DOSAGE
    assert "Harder" not in item.instructions  # no progression at maintenance
    assert item.rationale.startswith("Single-leg bridge hold is normal now: left 12 s → 34 s")
    assert plan.notes.stepped_down == (
        "The postural strand steps down: single-leg bridge hold is normal now, so their drills "
        "are kept at a maintenance dose."
    )


def test_strand_does_not_step_down_while_another_test_is_abnormal():
    normalised = measured(
        BRIDGE, Reading(left=12, right=35), BRIDGE_DRILL, latest=Reading(left=34, right=36)
    )
    still = measured(CCFT, Reading(value=22), CHIN_NOD, latest=Reading(value=24))
    plan = build_plan(PlanInputs(movement=(normalised, still)))
    assert plan.notes.stepped_down == ""
    keys = [i.key for i in plan.items if i.strand == Strand.POSTURAL]
    assert keys == ["drill:chin-nod", "drill:glute-bridge"]  # maintenance last


def test_a_drill_both_normalised_and_still_needed_stays_live():
    normalised = measured(
        BRIDGE, Reading(left=12, right=35), BRIDGE_DRILL, latest=Reading(left=34, right=36)
    )
    still = measured(BREATH, Reading(value=2), BRIDGE_DRILL)  # a second reason for the drill
    item = items_by_key(PlanInputs(movement=(normalised, still)))["drill:glute-bridge"]
    assert item.dosage == "Dosage of glute-bridge"
    assert item.rationale.startswith("Measured: Breathing during a loaded task: score 2")


def test_precautions_still_change_a_measured_drill():
    inputs = PlanInputs(
        movement=(measured(BRIDGE, Reading(left=12, right=35), BRIDGE_DRILL),),
        precautions=Precautions(keys=frozenset({"cardiovascular-disease"})),
    )
    item = items_by_key(inputs)["drill:glute-bridge"]
    assert item.instructions.startswith("Bridge breathing out, no holding.")
    assert "cardiovascular-disease" in item.precaution_note


def test_breathing_test_drives_the_breathing_strand_without_other_measures():
    inputs = PlanInputs(movement=(measured(BREATH, Reading(value=2), EXHALE),), measures=None)
    plan = build_plan(inputs)
    assert not plan.notes.breathing_not_assessed
    (item,) = [i for i in plan.items if i.strand == Strand.BREATHING]
    assert item.key == "drill:exhale-on-effort"
    assert item.rationale.startswith(
        "Measured: Breathing during a loaded task: score 2 (normal score 0)."
    )


def test_breathing_measures_still_count_when_tests_exist():
    inputs = PlanInputs(
        movement=(measured(BREATH, Reading(value=0), EXHALE),),
        measures=BreathingSigns(pattern="upper-chest"),
    )
    assert not build_plan(inputs).notes.breathing_not_assessed
    assert not any(i.key == "drill:exhale-on-effort" for i in build_plan(inputs).items)


def test_fever_builds_nothing_even_with_abnormal_tests():
    inputs = PlanInputs(
        movement=(measured(CCFT, Reading(value=22), CHIN_NOD),),
        precautions=Precautions(keys=frozenset({"infection-or-fever"})),
    )
    assert build_plan(inputs).items == []
    assert replace(inputs, precautions=Precautions()).movement  # the inputs were there
