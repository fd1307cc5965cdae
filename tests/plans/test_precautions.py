"""Each patient precaution and site caution of facts §12 changes the plan as the table says:
one test per row at least, on hand-built inputs (no database). The techniques and drills here
carry the rules the shipped catalogue gives them (triggerpoints/data)."""

from dataclasses import replace

import pytest

from plans.models import Strand
from plans.rules import (
    DraftItem,
    DraftPlan,
    DrillInfo,
    ObservedPosture,
    PlanInputs,
    PointInfo,
    PosturalFindingInfo,
    Precautions,
    TechniqueInfo,
    build_plan,
)
from triggerpoints.precautions import PRECAUTION_KEYS, PRECAUTIONS, SITE_CAUTION_KEYS

from .test_rules import BREATHING, palpated

_ids = iter(range(5000, 9000))

PRESSURE = TechniqueInfo(
    id=next(_ids),
    key="pressure-release",
    name="Pressure release (ischaemic compression)",
    how="Press firmly, about 7 out of 10, with a ball or hooked cane.",
    dosage="30–90 s",
    performed_by="either",
    plan_priority=10,
    applies_pressure=True,
    softened_by=frozenset({"anticoagulants", "fragile-skin", "cancer"}),
    clinic_only_with=frozenset({"reduced-sensation"}),
    safer_variant="Gentle pressure only, with the flat of the fingers and no tool.",
    sources=("Travell & Simons Vol 1",),
)
PIR = TechniqueInfo(
    id=next(_ids),
    key="pir",
    name="Post-isometric relaxation",
    how="Contract gently, relax, take up the slack.",
    dosage="3–5 cycles",
    performed_by="either",
    plan_priority=20,
    softened_by=frozenset({"hypermobility"}),
    safer_variant="Only to the first feeling of tightness; do not take up the slack.",
)
STRIPPING = TechniqueInfo(
    id=next(_ids),
    key="stripping",
    name="Deep stroking (stripping) massage",
    how="Glide firmly along the band.",
    dosage="6–12 strokes",
    performed_by="either",
    plan_priority=30,
    applies_pressure=True,
    excluded_by=frozenset({"anticoagulants", "fragile-skin", "cancer", "dvt-history"}),
)
SELF_RELEASE = TechniqueInfo(
    id=next(_ids),
    key="self-release",
    name="Self-myofascial release (ball or foam roller)",
    how="Rest the point on a ball.",
    dosage="60–90 s",
    performed_by="self",
    plan_priority=40,
    applies_pressure=True,
    excluded_by=frozenset({"anticoagulants", "fragile-skin", "reduced-sensation", "cancer"}),
)
ALL = (PRESSURE, PIR, STRIPPING, SELF_RELEASE)


def drill(key: str, *, kind: str = "postural", **rules: object) -> DrillInfo:
    return DrillInfo(
        id=next(_ids),
        key=key,
        name=key.replace("-", " ").capitalize(),
        kind=kind,
        instructions=f"As written: {key}.",
        dosage="10 × 10 s",
        progression=f"Harder {key}.",
        **rules,
    )


BRIDGE = drill(
    "glute-bridge",
    supine=True,
    softened_by=frozenset({"cardiovascular-disease"}),
    safer_variant="Standing hip extension at a support; breathe out as you lift.",
)
DEAD_BUG = drill(
    "dead-bug",
    supine=True,
    softened_by=frozenset({"cardiovascular-disease"}),
    safer_variant="Bird dog only, on all fours.",
)
CHIN_NOD = drill("chin-nod", supine=True, safer_variant="Sitting, head against a high chair back.")
THORACIC = drill(
    "thoracic-extension",
    supine=True,
    excluded_by=frozenset({"osteoporosis"}),
    safer_variant="Open-book turns lying on your side.",
)
DOORWAY = drill(
    "doorway-pec-stretch",
    softened_by=frozenset({"hypermobility"}),
    safer_variant="Low arm position only, to the first pull.",
)
ROLL_FLAT = drill("floor-roll", supine=True)  # supine, and no side-lying version
SLOW_NASAL = drill(
    "slow-nasal-breathing",
    kind="breathing",
    softened_by=frozenset({"pregnancy", "cardiovascular-disease", "panic-or-epilepsy"}),
    safer_variant="Slow breathing, no air hunger and no breath-holding.",
)


def finding(key: str, *drills: DrillInfo) -> ObservedPosture:
    return ObservedPosture(PosturalFindingInfo(next(_ids), key, key, drills), "moderate")


POSTURES = (
    finding("pelvic-tilt", BRIDGE, DEAD_BUG),
    finding("upper-crossed", CHIN_NOD, THORACIC, DOORWAY),
    finding("made-up", ROLL_FLAT),
)
OVER_BREATHING = (
    replace(BREATHING[3], drills=(SLOW_NASAL,)),
)  # over-breathing, with the drill above


def point(
    muscle: str = "Upper trapezius",
    group: str = "neck",
    *,
    techniques: tuple[TechniqueInfo, ...] = ALL,
    site_cautions: tuple[str, ...] = (),
    self_stretch: str = "Stretch gently at home.",
) -> PointInfo:
    return PointInfo(
        id=next(_ids),
        muscle=muscle,
        label="Central trigger points",
        self_stretch=self_stretch,
        techniques=techniques,
        group=group,
        site_cautions=site_cautions,
    )


def build(
    *keys: str,
    points: tuple[tuple[PointInfo, str], ...] = (),
    postures: tuple[ObservedPosture, ...] = (),
    weeks: int | None = None,
    **profile: str,
) -> DraftPlan:
    from plans.rules import BreathingSigns, Caps

    return build_plan(
        PlanInputs(
            palpated=tuple(palpated(p, side) for p, side in points),
            postural=postures,
            breathing_findings=OVER_BREATHING,
            measures=BreathingSigns(nijmegen_score=30),
            precautions=Precautions(frozenset(keys), weeks, **profile),
            caps=Caps(patient_items=30, later_patient_items=30),
        )
    )


def item(draft: DraftPlan, key_start: str) -> DraftItem:
    [found] = [i for i in draft.items if i.key.startswith(key_start)]
    return found


def local(draft: DraftPlan) -> DraftItem:
    [found] = [i for i in draft.items if i.strand == Strand.LOCAL]
    return found


# --- The vocabulary -----------------------------------------------------------------------------


def test_vocabulary_is_the_facts_file_keys() -> None:
    assert PRECAUTION_KEYS == (
        "pregnancy",
        "anticoagulants",
        "osteoporosis",
        "recent-surgery-or-fracture",
        "cancer",
        "lymphoedema",
        "dvt-history",
        "reduced-sensation",
        "fragile-skin",
        "cardiovascular-disease",
        "panic-or-epilepsy",
        "hypermobility",
        "implanted-device",
        "inflammatory-flare",
        "infection-or-fever",
    )
    assert SITE_CAUTION_KEYS == (
        "carotid-artery",
        "brachial-plexus",
        "temporal-artery",
        "femoral-triangle",
        "popliteal-fossa",
        "fibular-nerve",
        "sciatic-nerve",
        "abdominal-organs",
        "internal-approach",
    )
    assert all(p.ask and p.changes for p in PRECAUTIONS)


def test_no_precautions_leave_the_plan_as_written() -> None:
    draft = build(points=((point(), "l"),), postures=POSTURES)
    assert local(draft).technique_id == PRESSURE.id and not local(draft).clinic_only
    assert item(draft, "drill:glute-bridge").instructions.startswith("As written")
    assert draft.notes.left_out == () and draft.notes.precautions == ""


# --- §12.1, one row at a time -------------------------------------------------------------------


def test_pregnancy_no_deep_abdominal_pressure_at_home() -> None:
    abdomen = point(
        "Rectus abdominis",
        "chest-trunk",
        techniques=(PRESSURE, SELF_RELEASE),
        site_cautions=("abdominal-organs",),
    )
    draft = build("pregnancy", weeks=12, points=((abdomen, "m"),))
    found = local(draft)
    assert found.clinic_only and found.technique_id == PRESSURE.id
    assert "pregnancy: gentle pressure only, in the clinic" in found.precaution_note
    assert "gentle pressure only" in found.instructions


def test_pregnancy_no_deep_medial_calf_pressure_at_home() -> None:
    calf = point("Gastrocnemius", "leg-foot", techniques=(PRESSURE, SELF_RELEASE))
    found = local(build("pregnancy", weeks=30, points=((calf, "l"),)))
    assert found.clinic_only and "pregnancy" in found.precaution_note


@pytest.mark.parametrize(("weeks", "side_lying"), [(19, False), (20, True), (34, True)])
def test_pregnancy_from_20_weeks_no_lying_flat(weeks: int, side_lying: bool) -> None:
    draft = build("pregnancy", weeks=weeks, postures=POSTURES)
    bridge = item(draft, "drill:glute-bridge")
    assert bridge.instructions.startswith("Standing hip extension") is side_lying
    if side_lying:
        assert f"pregnancy ({weeks} weeks): side-lying or seated" in bridge.precaution_note
        assert "Harder" not in bridge.instructions  # no progression back onto the back
        assert "drill:floor-roll" not in [i.key for i in draft.items]
        assert any(
            line.startswith("Floor roll: left out, pregnancy") for line in draft.notes.left_out
        )


def test_pregnancy_no_air_hunger_drills() -> None:
    slow = item(build("pregnancy", weeks=8), "drill:slow-nasal-breathing")
    assert slow.instructions.startswith("Slow breathing, no air hunger")
    assert "pregnancy" in slow.precaution_note


def test_anticoagulants_gentle_pressure_no_stripping_no_tools() -> None:
    only_rough = point("Infraspinatus", techniques=(STRIPPING, SELF_RELEASE))
    draft = build("anticoagulants", points=((point(), "l"), (only_rough, "r")))
    trap = item(draft, "point:")
    assert trap.instructions.startswith("Gentle pressure only, with the flat of the fingers")
    assert "cane" not in trap.instructions and "7 out of 10" not in trap.instructions
    assert trap.precaution_note.startswith("anticoagulants: Pressure release")
    assert any(
        "ruled out by anticoagulants" in line and line.startswith("Infraspinatus")
        for line in draft.notes.left_out
    )


def test_osteoporosis_no_firm_pressure_over_the_spine_no_roller() -> None:
    spine = point("Multifidi", "back-pelvic-floor", techniques=(PRESSURE, SELF_RELEASE))
    draft = build("osteoporosis", points=((spine, "m"),), postures=POSTURES)
    assert local(draft).clinic_only and "osteoporosis" in local(draft).precaution_note
    assert "drill:thoracic-extension" not in [i.key for i in draft.items]
    assert "Thoracic extension: left out, osteoporosis rules it out." in draft.notes.left_out


def test_recent_surgery_no_local_work_on_that_area() -> None:
    neck, hip = point("Scalenes", "neck"), point("Gluteus medius", "hip-buttock")
    draft = build(
        "recent-surgery-or-fracture", surgery_area="neck", points=((neck, "l"), (hip, "r"))
    )
    assert [i.trigger_point_id for i in draft.items if i.strand == Strand.LOCAL] == [hip.id]
    assert draft.notes.left_out[0].startswith(
        "Scalenes (left): recent-surgery-or-fracture (neck): no local work on that area"
    )


def test_cancer_gentle_pressure_no_tools_and_clearance_first() -> None:
    draft = build("cancer", points=((point(), "l"),))
    found = local(draft)
    assert found.instructions.startswith("Gentle pressure only")
    assert "cancer" in found.precaution_note
    assert draft.notes.screen_for[0].startswith("Cancer: get medical clearance first")


def test_lymphoedema_no_deep_pressure_in_that_limb() -> None:
    left_arm = point("Extensor digitorum", "upper-limb", techniques=(PRESSURE, SELF_RELEASE))
    draft = build(
        "lymphoedema", lymphoedema_limb="arm-l", points=((left_arm, "l"), (left_arm, "r"))
    )
    by_side = {i.side: i for i in draft.items if i.strand == Strand.LOCAL}
    assert by_side["l"].clinic_only and "lymphoedema" in by_side["l"].precaution_note
    assert not by_side["r"].clinic_only


def test_dvt_history_no_deep_calf_pressure_no_stripping() -> None:
    calf = point("Soleus", "leg-foot", techniques=(STRIPPING, PRESSURE))
    found = local(build("dvt-history", points=((calf, "r"),)))
    assert found.technique_id == PRESSURE.id  # stripping is ruled out
    assert found.clinic_only and "dvt-history: gentle pressure only" in found.precaution_note


def test_reduced_sensation_no_self_pressure_at_home() -> None:
    draft = build("reduced-sensation", points=((point(), "l"),))
    found = local(draft)
    assert found.technique_id == PIR.id and not found.clinic_only  # PIR presses on nothing
    pressure_only = point(techniques=(PRESSURE, SELF_RELEASE))
    found = local(build("reduced-sensation", points=((pressure_only, "l"),)))
    assert found.clinic_only and "reduced-sensation" in found.precaution_note


def test_fragile_skin_gentle_contact_no_stripping() -> None:
    rough = point(techniques=(STRIPPING,))
    draft = build("fragile-skin", points=((point(), "l"), (rough, "r")))
    assert item(draft, "point:").instructions.startswith("Gentle pressure only")
    assert any("ruled out by fragile-skin" in line for line in draft.notes.left_out)


def test_cardiovascular_disease_no_air_hunger_no_straining() -> None:
    draft = build("cardiovascular-disease", postures=POSTURES)
    assert item(draft, "drill:slow-nasal").instructions.startswith("Slow breathing, no air")
    assert item(draft, "drill:glute-bridge").instructions.startswith("Standing hip extension")
    assert item(draft, "drill:dead-bug").instructions == "Bird dog only, on all fours."


def test_panic_or_epilepsy_no_air_hunger() -> None:
    slow = item(build("panic-or-epilepsy"), "drill:slow-nasal")
    assert slow.instructions.startswith("Slow breathing") and "panic-or-epilepsy" in (
        slow.precaution_note
    )


def test_hypermobility_no_end_range_stretching() -> None:
    draft = build("hypermobility", points=((point(techniques=(PIR,)), "l"),), postures=POSTURES)
    assert local(draft).instructions.startswith("Only to the first feeling of tightness")
    assert "At home: Stretch gently at home.\n\nBecause your joints are very flexible" in (
        local(draft).instructions
    )
    assert "the self-stretch stops short of end range" in local(draft).precaution_note
    assert item(draft, "drill:doorway").instructions.startswith("Low arm position only")


def test_implanted_device_no_pressure_over_it() -> None:
    found = local(build("implanted-device", points=((point(), "l"),)))
    assert "Never press over your implanted device" in found.cautions
    assert "implanted-device" in found.precaution_note


def test_inflammatory_flare_no_pressure_over_hot_joints() -> None:
    found = local(build("inflammatory-flare", points=((point(), "l"),)))
    assert "hot or swollen" in found.cautions


def test_infection_or_fever_no_treatment_today() -> None:
    draft = build("infection-or-fever", points=((point(), "l"),), postures=POSTURES)
    assert draft.items == []
    assert draft.notes.left_out[0].startswith("Everything: feverish or unwell today")


def test_every_precaution_is_named_in_the_summary() -> None:
    draft = build("pregnancy", "anticoagulants", weeks=24)
    assert draft.notes.precautions == "pregnancy (24 weeks), anticoagulants"


# --- §12.2 site cautions ------------------------------------------------------------------------


def test_site_caution_is_printed_on_the_patient_item() -> None:
    temple = point("Temporalis", "head-jaw", site_cautions=("temporal-artery",))
    found = local(build(points=((temple, "l"),)))
    assert not found.clinic_only
    assert found.cautions.startswith("Near the temple artery: press beside the pulse")


def test_carotid_site_keeps_pressure_out_of_home_and_chooses_a_safe_home_technique() -> None:
    scm = point("Sternocleidomastoid", site_cautions=("carotid-artery",))
    found = local(build(points=((scm, "l"),)))
    assert found.technique_id == PIR.id and not found.clinic_only
    assert "main neck artery" in found.cautions


@pytest.mark.parametrize("site", ["carotid-artery", "femoral-triangle", "abdominal-organs"])
def test_point_without_a_safe_home_technique_never_yields_a_home_item(site: str) -> None:
    only_pressure = point(techniques=(PRESSURE, SELF_RELEASE), site_cautions=(site,))
    found = local(build(points=((only_pressure, "l"),)))
    assert found.clinic_only and found.priority is None
    assert found.frequency == "At each visit"
    assert "At home" not in found.instructions  # no self-stretch on a clinic-only item
    assert PRESSURE.how not in found.instructions  # no how-to for a clinic-only item
    assert f"site caution {site}: no pressure here at home" in found.precaution_note


def test_internal_approach_with_a_self_only_technique_is_left_out_with_why() -> None:
    levator_ani = point(
        "Levator ani",
        "back-pelvic-floor",
        techniques=(SELF_RELEASE,),
        site_cautions=("internal-approach",),
    )
    draft = build(points=((levator_ani, "m"),))
    assert [i for i in draft.items if i.strand == Strand.LOCAL] == []
    assert draft.notes.left_out[0].startswith("Levator ani: left out, no safe home technique")


# --- Regressions (issue 9) ----------------------------------------------------------------------


def test_24_weeks_pregnant_on_enoxaparin() -> None:
    """Was: deep quadratus lumborum and gluteal pressure plus bridges and dead bugs on her back."""
    ql = point(
        "Quadratus lumborum",
        "back-pelvic-floor",
        techniques=ALL,
        site_cautions=("abdominal-organs",),
    )
    glute = point("Gluteus medius", "hip-buttock", techniques=ALL)
    draft = build(
        "pregnancy",
        "anticoagulants",
        weeks=24,
        points=((ql, "l"), (glute, "r")),
        postures=POSTURES,
    )
    texts = " ".join(i.instructions for i in draft.items)
    assert "7 out of 10" not in texts and "cane" not in texts and "ball" not in texts
    ql_item = item(draft, f"point:{ql.id}")
    assert ql_item.technique_id == PIR.id  # no pressure on the QL at home
    assert "deep pressure only by your therapist" in ql_item.cautions
    pressure_only_ql = replace(ql, id=next(_ids), techniques=(PRESSURE, SELF_RELEASE))
    clinic = local(
        build("pregnancy", "anticoagulants", weeks=24, points=((pressure_only_ql, "l"),))
    )
    assert clinic.clinic_only
    assert "anticoagulants" in clinic.precaution_note and "pregnancy" in clinic.precaution_note
    glute_item = item(draft, f"point:{glute.id}")
    assert glute_item.instructions.startswith("Gentle pressure only")
    assert item(draft, "drill:glute-bridge").instructions.startswith("Standing hip extension")
    assert item(draft, "drill:dead-bug").instructions == "Bird dog only, on all fours."
    assert "As written: chin-nod" not in texts  # the supine chin nod is done sitting
    assert all(
        i.precaution_note
        for i in draft.items
        if i.strand != Strand.LOCAL
        and i.key in ("drill:glute-bridge", "drill:dead-bug", "drill:chin-nod")
    )


def test_72_year_old_on_warfarin_gets_no_neck_pressure_at_home() -> None:
    """Was: pressure on the scalenes and SCM at home."""
    scalenes = point("Scalenes", site_cautions=("carotid-artery", "brachial-plexus"))
    scm = point(
        "Sternocleidomastoid",
        techniques=(PRESSURE, STRIPPING, SELF_RELEASE),
        site_cautions=("carotid-artery",),
    )
    draft = build("anticoagulants", points=((scalenes, "l"), (scm, "l")))
    scalene_item, scm_item = (item(draft, f"point:{p.id}") for p in (scalenes, scm))
    assert scalene_item.technique_id == PIR.id and not scalene_item.clinic_only
    assert scm_item.clinic_only
    assert scm_item.instructions.startswith("Your therapist treats this trigger point at your")
    assert "don't press on it yourself at home" in scm_item.instructions
    assert "anticoagulants" in scm_item.precaution_note
    assert "main neck artery" in scm_item.cautions


@pytest.mark.parametrize("key", ["pregnancy", "cardiovascular-disease", "panic-or-epilepsy"])
def test_bolt_is_not_used_when_breath_holds_are_ruled_out(key: str) -> None:
    from plans.rules import BreathingSigns

    inputs = PlanInputs(
        breathing_findings=OVER_BREATHING,
        measures=BreathingSigns(bolt_seconds=12),
        precautions=Precautions(frozenset({key}), 10 if key == "pregnancy" else None),
    )
    draft = build_plan(inputs)
    assert draft.items == []  # the low BOLT was the only reason for breathing work
    assert draft.notes.left_out == (
        f"BOLT result not used: {key} rules out breath-hold tests; don't repeat it.",
    )
    assert [i.key for i in build_plan(replace(inputs, precautions=Precautions())).items] == [
        "drill:slow-nasal-breathing"
    ]
