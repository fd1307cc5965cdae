"""Reading and validating the catalogue data files, without the database."""

from pathlib import Path

import pytest

from triggerpoints.catalogue_files import (
    CatalogueFileError,
    read_catalogue,
    region_codes,
)
from triggerpoints.vocabulary import CANONICAL_MUSCLES, INTAKE_CUES

GOOD_POINT = """
[[muscle.trigger_points]]
label = "Central trigger points"
location = "Mid-belly."
location_area = "post.neck.lower.x"
essential = {essential}
spillover = {spillover}
confidence = "M"
sources = ["A textbook"]
"""


def add_muscle(
    data_dir: Path,
    name: str,
    *,
    essential: str = '["lat.head.temple.x"]',
    spillover: str = "[]",
    file: str = "02_neck.toml",
) -> None:
    point = GOOD_POINT.format(essential=essential, spillover=spillover)
    with (data_dir / "muscles" / file).open("a") as handle:
        handle.write(f'\n[[muscle]]\nname = "{name}"\n{point}')


def _muscle_block(data_dir: Path, name: str) -> tuple[Path, str, int, int]:
    """The file holding a muscle's entry, its text, and where the entry starts and ends."""
    for path in (data_dir / "muscles").glob("*.toml"):
        text = path.read_text()
        marker = f'[[muscle]]\nname = "{name}"'
        if marker in text:
            start = text.index(marker)
            end = text.find("\n[[muscle]]\n", start + 1)
            return path, text, start, len(text) if end == -1 else end + 1
    raise AssertionError(f"{name} not found")


def edit_muscle(data_dir: Path, name: str, old: str, new: str) -> None:
    """Replace text inside one muscle's entry, leaving its place in the file."""
    path, text, start, end = _muscle_block(data_dir, name)
    block = text[start:end]
    assert old in block, f"{old!r} not in {name}"
    path.write_text(text[:start] + block.replace(old, new, 1) + text[end:])


def remove_muscle(data_dir: Path, name: str) -> None:
    """Drop a shipped muscle so a test can add its own version."""
    path, text, start, end = _muscle_block(data_dir, name)
    path.write_text(text[:start] + text[end:])


def test_shipped_files_are_complete_and_valid() -> None:
    catalogue = read_catalogue()
    assert catalogue.refusals == []
    assert sorted(catalogue.muscles) == sorted(CANONICAL_MUSCLES)
    assert len(region_codes(catalogue.areas)) == 90
    every_point = [p for m in catalogue.muscles.values() for p in m.trigger_points]
    assert all(any(z.kind == "essential" for z in p.zones) for p in every_point)
    assert all(p.sources for p in every_point)


def test_unknown_region_code_is_refused_naming_file_and_entry(data_dir: Path) -> None:
    remove_muscle(data_dir, "Opponens pollicis")
    add_muscle(data_dir, "Opponens pollicis", essential='["lat.head.tempel.x"]')
    catalogue = read_catalogue(data_dir)
    [refusal] = catalogue.refusals
    assert refusal.file == "muscles/02_neck.toml"
    assert refusal.entry == 'muscle "Opponens pollicis"'
    assert "unknown region code 'lat.head.tempel.x'" in refusal.reason
    assert "Opponens pollicis" not in catalogue.muscles


def test_side_suffix_rules_are_enforced(data_dir: Path) -> None:
    for name in ("Supinator", "Brachialis", "Sternalis"):
        remove_muscle(data_dir, name)
    add_muscle(data_dir, "Supinator", essential='["post.head.vertex.x"]')
    add_muscle(data_dir, "Brachialis", essential='["lat.head.temple"]')
    add_muscle(data_dir, "Sternalis", essential='["lat.head.temple.l"]')
    reasons = {r.entry: r.reason for r in read_catalogue(data_dir).refusals}
    assert len(reasons) == 3
    assert "midline area and takes no .x or .b" in reasons['muscle "Supinator"']
    assert "add .x (same side) or .b (both)" in reasons['muscle "Brachialis"']
    assert "relative to the trigger point" in reasons['muscle "Sternalis"']


def test_unknown_muscle_name_is_refused(data_dir: Path) -> None:
    add_muscle(data_dir, "Upper trapezious")
    [refusal] = read_catalogue(data_dir).refusals
    assert refusal.entry == 'muscle "Upper trapezious"'
    assert "not a canonical muscle name" in refusal.reason


def test_duplicate_muscle_is_refused_and_the_first_kept(data_dir: Path) -> None:
    add_muscle(data_dir, "Temporalis", file="09_leg_foot.toml")
    catalogue = read_catalogue(data_dir)
    [refusal] = catalogue.refusals
    assert refusal.file == "muscles/09_leg_foot.toml"
    assert "duplicate of the entry in muscles/01_head_jaw.toml" in refusal.reason
    assert catalogue.muscles["Temporalis"].group == "head-jaw"


def test_zone_listed_as_essential_and_spillover_is_refused(data_dir: Path) -> None:
    remove_muscle(data_dir, "Supinator")
    add_muscle(
        data_dir, "Supinator", essential='["post.head.vertex"]', spillover='["post.head.vertex"]'
    )
    [refusal] = read_catalogue(data_dir).refusals
    assert "listed as essential and as spillover" in refusal.reason


def test_misspelt_field_is_refused_rather_than_ignored(data_dir: Path) -> None:
    path = data_dir / "drills.toml"
    path.write_text(path.read_text().replace("progression =", "progresion =", 1))
    refusals = read_catalogue(data_dir).refusals
    assert refusals[0].file == "drills.toml"
    assert "unknown field(s): progresion" in refusals[0].reason
    # Entries that name the refused drill are refused in turn, never loaded half-linked.
    assert refusals[1].reason == "refers to unknown or refused drill 'diaphragmatic-breathing'"
    assert all("refers to unknown or refused" in r.reason for r in refusals[1:])


def test_references_to_entries_kept_in_the_database_still_resolve(data_dir: Path) -> None:
    remove_muscle(data_dir, "Scalenes")
    add_muscle(data_dir, "Scalenes", essential='["nowhere.x"]')
    catalogue = read_catalogue(data_dir, existing={"muscle": frozenset({"Scalenes"})})
    assert [r.entry for r in catalogue.refusals] == ['muscle "Scalenes"']
    assert "Scalenes" in catalogue.breathing_findings["upper-chest"].muscles


def test_refusal_cascades_to_entries_that_refer_to_it(data_dir: Path) -> None:
    remove_muscle(data_dir, "Scalenes")
    add_muscle(data_dir, "Scalenes", essential='["nowhere.x"]')
    catalogue = read_catalogue(data_dir)
    refused = {r.entry for r in catalogue.refusals}
    assert 'muscle "Scalenes"' in refused
    # Findings naming the scalenes refer to a refused muscle, so they are refused too.
    assert 'breathing finding "upper-chest"' in refused
    assert "upper-chest" not in catalogue.breathing_findings
    # ...and factors linking those findings, and muscles using those factors, in turn.
    assert 'perpetuating factor "upper-chest-breathing"' in refused
    assert 'muscle "Sternocleidomastoid"' in refused


def test_unreadable_file_stops_everything(data_dir: Path) -> None:
    (data_dir / "techniques.toml").write_text("[[technique]\nkey = ")
    with pytest.raises(CatalogueFileError, match="techniques.toml: not valid TOML"):
        read_catalogue(data_dir)


def test_broken_region_vocabulary_stops_everything(data_dir: Path) -> None:
    path = data_dir / "regions.toml"
    path.write_text(path.read_text().replace('view = "front"', 'view = "side"', 1))
    with pytest.raises(CatalogueFileError, match='regions.toml, area "ant.head.forehead"'):
        read_catalogue(data_dir)


# --- The plan mappings: technique priority, breathing plan cues, intake cues --------------------


def replace_in(data_dir: Path, file: str, old: str, new: str) -> None:
    path = data_dir / file
    text = path.read_text()
    assert old in text, f"{old!r} not in {file}"
    path.write_text(text.replace(old, new, 1))


def test_shipped_plan_mappings() -> None:
    catalogue = read_catalogue()
    techniques = catalogue.techniques
    order = sorted(
        (t for t in techniques.values() if not t.clinician_only), key=lambda t: t.plan_priority
    )
    assert [t.key for t in order] == [
        "pressure-release",
        "pir",
        "stripping",
        "self-release",
        "spray-and-stretch",
    ]
    assert techniques["dry-needling"].clinician_only
    cues = {k: f.plan_cues for k, f in catalogue.breathing_findings.items()}
    assert cues["upper-chest"] == ("pattern:upper-chest", "accessory-trigger-point")
    assert cues["paradoxical"] == ("pattern:paradoxical",)
    assert cues["mouth-breathing"] == ("mouth-breathing",)
    assert cues["over-breathing"] == ("nijmegen:positive", "bolt:low", "rate:high")
    # The accessory breathing muscles of facts §4 are the upper-chest finding's muscles.
    assert {"Scalenes", "Sternocleidomastoid", "Upper trapezius", "Pectoralis minor"} <= set(
        catalogue.breathing_findings["upper-chest"].muscles
    )
    intake = {k: f.intake_cues for k, f in catalogue.factors.items() if f.intake_cues}
    assert intake["workstation-setup"] == ("activity:desk_work",)
    assert intake["prolonged-sitting"] == ("activity:desk_work", "activity:driving")
    assert intake["stress"] == ("stress:high",)
    assert intake["poor-sleep"] == ("self-care:poor-sleep",)
    assert intake["nutritional-factors"] == ("self-care:diet",)
    # Fluids were the concern: fluids advice, not "Low vitamin or mineral levels" (issue 9).
    assert intake["low-fluid-intake"] == ("self-care:low-fluids",)
    assert intake["diet-and-minerals"] == ("self-care:diet",)
    # Every intake answer brings some advice.
    assert {cue for cues in intake.values() for cue in cues} == set(INTAKE_CUES)


def test_unknown_plan_cue_is_refused_by_name(data_dir: Path) -> None:
    replace_in(
        data_dir,
        "breathing_findings.toml",
        'plan_cues = ["pattern:paradoxical"]',
        'plan_cues = ["pattern:paradoxal"]',
    )
    refusals = read_catalogue(data_dir).refusals
    assert (refusals[0].file, refusals[0].entry) == (
        "breathing_findings.toml",
        'breathing finding "paradoxical"',
    )
    assert "plan_cues: unknown cue(s) 'pattern:paradoxal'" in refusals[0].reason
    assert "pattern:paradoxical" in refusals[0].reason  # the known cues are listed


def test_unknown_intake_cue_is_refused_by_name(data_dir: Path) -> None:
    replace_in(
        data_dir,
        "perpetuating_factors.toml",
        'intake_cues = ["stress:high"]',
        'intake_cues = ["stress:hihg", "activity:knitting"]',
    )
    catalogue = read_catalogue(data_dir)
    [refusal] = [r for r in catalogue.refusals if r.entry == 'perpetuating factor "stress"']
    assert "intake_cues: unknown cue(s) 'stress:hihg', 'activity:knitting'" in refusal.reason
    assert "stress" not in catalogue.factors


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ('"first"', "must be a whole number"),
        ("-1", "must be from 0 to 32767"),
        ("true", "must be a whole number"),
    ],
)
def test_plan_priority_must_be_a_small_whole_number(
    data_dir: Path, value: str, reason: str
) -> None:
    replace_in(data_dir, "techniques.toml", "plan_priority = 20", f"plan_priority = {value}")
    refusals = read_catalogue(data_dir).refusals
    assert refusals[0].entry == 'technique "pir"'
    assert f"plan_priority {reason}" in refusals[0].reason


def test_the_model_fields_maxima_and_rules_hold_for_the_files(data_dir: Path) -> None:
    """The files are held to the models' fields and clean(): a name longer than the model's
    max_length, a text required by the model left out, a rule between fields broken."""
    replace_in(data_dir, "drills.toml", 'name = "Chin nod', f'name = "{"x" * 120}Chin nod')
    replace_in(data_dir, "techniques.toml", 'dosage = "', 'dosage_note = "')
    replace_in(data_dir, "movement_tests.toml", 'unit = "s"', 'unit = ""')
    reasons = {r.entry: r.reason for r in read_catalogue(data_dir).refusals}
    assert reasons['drill "chin-nod"'] == "name is longer than 120 characters"
    assert reasons['technique "pressure-release"'] == "unknown field(s): dosage_note"
    assert reasons['movement test "single-leg-bridge"'] == "unit: a numeric test needs its unit."


def test_plan_priority_and_cues_may_be_left_out(data_dir: Path) -> None:
    replace_in(data_dir, "techniques.toml", "plan_priority = 20\n", "")
    replace_in(data_dir, "breathing_findings.toml", 'plan_cues = ["mouth-breathing"]\n', "")
    catalogue = read_catalogue(data_dir)
    assert catalogue.refusals == []
    assert catalogue.techniques["pir"].plan_priority == 50
    assert catalogue.breathing_findings["mouth-breathing"].plan_cues == ()
    assert catalogue.factors["cold-draughts"].intake_cues == ()


# --- Precautions and site cautions (facts §12) ---------------------------------------------------


def test_unknown_precaution_key_is_refused_by_name(data_dir: Path) -> None:
    replace_in(
        data_dir,
        "techniques.toml",
        'clinic_only_with = ["reduced-sensation"]\nsafer_variant',
        'clinic_only_with = ["numbness"]\nsafer_variant',
    )
    refusals = read_catalogue(data_dir).refusals
    assert (refusals[0].file, refusals[0].entry) == (
        "techniques.toml",
        'technique "pressure-release"',
    )
    assert "clinic_only_with: unknown precaution(s) 'numbness'" in refusals[0].reason
    assert "reduced-sensation" in refusals[0].reason  # the known keys are listed


def test_unknown_site_caution_is_refused_by_name(data_dir: Path) -> None:
    replace_in(
        data_dir,
        "muscles/02_neck.toml",
        'site_cautions = ["carotid-artery"]',
        'site_cautions = ["jugular-vein"]',
    )
    refusals = read_catalogue(data_dir).refusals
    assert refusals[0].entry == 'muscle "Sternocleidomastoid"'
    assert "site_cautions: unknown site caution(s) 'jugular-vein'" in refusals[0].reason


def test_a_softening_precaution_needs_a_safer_variant(data_dir: Path) -> None:
    replace_in(
        data_dir,
        "drills.toml",
        'safer_variant = "Standing hip extension',
        'safer_variant = "" # "Standing hip extension',
    )
    refusal = read_catalogue(data_dir).refusals[0]  # then the findings that name the drill
    assert refusal.entry == 'drill "glute-bridge"'
    assert refusal.reason == (
        "safer_variant: needed when a precaution softens it (softened_by names one)."
    )


def test_shipped_precaution_data() -> None:
    catalogue = read_catalogue()
    techniques, drills = catalogue.techniques, catalogue.drills
    assert "anticoagulants" in techniques["pressure-release"].softened_by
    assert "anticoagulants" in techniques["stripping"].excluded_by
    assert "anticoagulants" in techniques["self-release"].excluded_by
    assert techniques["pressure-release"].applies_pressure
    assert not techniques["pir"].applies_pressure
    supine = {k for k, d in drills.items() if d.supine}
    assert {"glute-bridge", "dead-bug", "chin-nod", "diaphragmatic-breathing"} <= supine
    assert all(drills[k].safer_variant for k in supine - {"thoracic-extension"})
    assert "pregnancy" in drills["slow-nasal-breathing"].softened_by
    points = {
        (m.name, p.label): p.site_cautions
        for m in catalogue.muscles.values()
        for p in m.trigger_points
    }
    scm = [c for (muscle, _), c in points.items() if muscle == "Sternocleidomastoid"]
    assert all("carotid-artery" in c for c in scm)
    levator = [c for (muscle, _), c in points.items() if muscle == "Levator ani"]
    assert levator == [("internal-approach",)]


def test_admin_edits_refuse_unknown_precaution_and_site_caution_keys() -> None:
    from django.core.exceptions import ValidationError

    from triggerpoints.models import Drill, ReleaseTechnique, TriggerPoint

    def check(model: type, name: str, value: object) -> None:
        model._meta.get_field(name).run_validators(value)

    with pytest.raises(ValidationError, match=r"Unknown site caution\(s\): jugular-vein"):
        check(TriggerPoint, "site_cautions", ["jugular-vein"])
    with pytest.raises(ValidationError, match=r"Unknown precaution\(s\): flu"):
        check(ReleaseTechnique, "excluded_by", ["flu"])
    with pytest.raises(ValidationError, match="Write a list of precaution keys"):
        check(Drill, "excluded_by", "pregnancy")
    check(TriggerPoint, "site_cautions", ["carotid-artery"])
    # The rules between fields are the model's, so admin holds them as the loader does.
    with pytest.raises(ValidationError, match="Needed when a precaution softens it"):
        Drill(softened_by=["pregnancy"], safer_variant=" ").clean()
