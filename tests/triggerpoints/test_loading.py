"""Loading the catalogue into the database: idempotent, and refusals leave rows as they were."""

from http import HTTPStatus
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from triggerpoints.models import (
    BodyArea,
    BodyRegion,
    BreathingFinding,
    Drill,
    Muscle,
    PerpetuatingFactor,
    PosturalFinding,
    ReferralZone,
    ReleaseTechnique,
    TriggerPoint,
)
from triggerpoints.services import catalogue_load

from .test_catalogue_files import add_muscle, edit_muscle

pytestmark = pytest.mark.django_db


@pytest.fixture
def empty_catalogue() -> None:
    """Start from nothing (inside the test's transaction, so the session's catalogue returns)."""
    for model in (ReferralZone, TriggerPoint, PerpetuatingFactor, PosturalFinding, Muscle, Drill):
        model.objects.all().delete()


def test_load_into_empty_database_creates_everything(empty_catalogue: None) -> None:
    report = catalogue_load()
    assert not report.refused
    assert len(report.created["muscles"]) == Muscle.objects.count() == 94
    assert len(report.created["trigger points"]) == TriggerPoint.objects.count()
    assert BodyRegion.objects.count() == 90
    assert PosturalFinding.objects.get(key="forward-head").drills.filter(key="chin-nod").exists()
    trap = TriggerPoint.objects.filter(muscle__name="Upper trapezius").first()
    temple = trap.zones.get(area__code="lat.head.temple")
    assert (temple.kind, temple.laterality) == ("essential", "same")


def test_reload_of_unchanged_files_changes_nothing(django_assert_max_num_queries) -> None:  # noqa: ANN001
    before = {m.pk: m.updated_at for m in Muscle.objects.all()}
    report = catalogue_load()
    assert not report.changed
    assert report.unchanged["muscles"] == 94
    assert {m.pk: m.updated_at for m in Muscle.objects.all()} == before


def test_changed_entry_is_updated_and_reported(data_dir: Path) -> None:
    edit_muscle(
        data_dir,
        "Splenius capitis",
        'essential = ["post.head.vertex"]',
        'essential = ["post.head.vertex", "ant.face.x"]',
    )
    report = catalogue_load(data_dir=data_dir)
    assert report.updated["trigger points"] == ["Splenius capitis: Central trigger points"]
    assert not report.created["trigger points"] and not report.updated["muscles"]
    point = TriggerPoint.objects.get(muscle__name="Splenius capitis")
    essential = {z.area.code for z in point.zones.filter(kind="essential")}
    assert essential == {"post.head.vertex", "ant.face"}


def test_bad_entry_is_refused_and_its_rows_left_as_they_were(data_dir: Path) -> None:
    point = TriggerPoint.objects.get(muscle__name="Splenius capitis")
    zones_before = sorted((z.area_id, z.kind) for z in point.zones.all())
    edit_muscle(
        data_dir,
        "Splenius capitis",
        'essential = ["post.head.vertex"]',
        'essential = ["post.head.crown"]',
    )
    report = catalogue_load(data_dir=data_dir)
    # Only the bad entry is refused: findings naming Splenius capitis keep the stored version.
    assert [str(r) for r in report.refused] == [
        'muscles/02_neck.toml, muscle "Splenius capitis": trigger point "Central trigger '
        "points\": unknown region code 'post.head.crown'"
    ]
    point.refresh_from_db()
    assert sorted((z.area_id, z.kind) for z in point.zones.all()) == zones_before
    assert PosturalFinding.objects.filter(
        key="forward-head", short_muscles__name="Splenius capitis"
    ).exists()


def test_command_reports_counts_and_fails_on_refusal(data_dir: Path) -> None:
    out = StringIO()
    call_command("load_catalogue", stdout=out)
    assert "muscles: 0 created, 0 updated, 94 unchanged" in out.getvalue()
    assert "Catalogue already up to date." in out.getvalue()

    add_muscle(data_dir, "Upper trapezious")
    out = StringIO()
    with pytest.raises(CommandError, match="1 entry was refused"):
        call_command("load_catalogue", "--data-dir", str(data_dir), stdout=out)
    assert 'REFUSED muscles/02_neck.toml, muscle "Upper trapezious"' in out.getvalue()


def test_command_refuses_to_load_from_unreadable_files(data_dir: Path) -> None:
    (data_dir / "regions.toml").unlink()
    with pytest.raises(CommandError, match="Nothing was loaded: regions.toml: file not found"):
        call_command("load_catalogue", "--data-dir", str(data_dir), stdout=StringIO())


def test_rows_added_in_admin_are_kept_and_listed(data_dir: Path) -> None:
    Drill.objects.create(
        key="clinic-favourite",
        name="Clinic favourite",
        kind="postural",
        instructions="1. Do it.",
        dosage="Once",
        confidence="U",
        sources="Us",
    )
    report = catalogue_load(data_dir=data_dir)
    assert Drill.objects.filter(key="clinic-favourite").exists()
    assert report.untouched["drills"] == ["clinic-favourite"]


# --- The plan mappings --------------------------------------------------------------------------


def test_load_stores_the_plan_mappings() -> None:
    priorities = dict(ReleaseTechnique.objects.values_list("key", "plan_priority"))
    assert priorities["pressure-release"] < priorities["pir"] < priorities["self-release"]
    assert ReleaseTechnique.objects.get(key="dry-needling").clinician_only
    upper_chest = BreathingFinding.objects.get(key="upper-chest")
    assert upper_chest.plan_cues == ["pattern:upper-chest", "accessory-trigger-point"]
    sitting = PerpetuatingFactor.objects.get(key="prolonged-sitting")
    assert sitting.intake_cues == ["activity:desk_work", "activity:driving"]
    assert PerpetuatingFactor.objects.get(key="cold-draughts").intake_cues == []


def test_changed_cues_and_priority_are_updated_then_left_alone(data_dir: Path) -> None:
    for file, old, new in [
        ("techniques.toml", "plan_priority = 20", "plan_priority = 5"),
        ("perpetuating_factors.toml", 'intake_cues = ["stress:high"]', "intake_cues = []"),
        ("breathing_findings.toml", 'plan_cues = ["mouth-breathing"]', "plan_cues = []"),
    ]:
        path = data_dir / file
        path.write_text(path.read_text().replace(old, new, 1))
    report = catalogue_load(data_dir=data_dir)
    assert report.updated["techniques"] == ["pir"]
    assert report.updated["perpetuating factors"] == ["stress"]
    assert report.updated["breathing findings"] == ["mouth-breathing"]
    assert ReleaseTechnique.objects.get(key="pir").plan_priority == 5
    assert PerpetuatingFactor.objects.get(key="stress").intake_cues == []
    assert not catalogue_load(data_dir=data_dir).changed


def test_admin_refuses_an_unknown_cue_like_the_loader(admin_client: Client) -> None:
    factor = PerpetuatingFactor.objects.get(key="stress")
    url = reverse("admin:triggerpoints_perpetuatingfactor_change", args=[factor.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {k: v for k, v in data.items() if v is not None}
    data["intake_cues"] = '["stress:hihg"]'
    response = admin_client.post(url, data)
    assert response.status_code == HTTPStatus.OK  # re-rendered with the error
    assert "Unknown cue(s): stress:hihg" in response.content.decode()
    factor.refresh_from_db()
    assert factor.intake_cues == ["stress:high"]

    data["intake_cues"] = '["stress:high", "self-care:poor-sleep"]'
    assert admin_client.post(url, data).status_code == HTTPStatus.FOUND
    factor.refresh_from_db()
    assert factor.intake_cues == ["stress:high", "self-care:poor-sleep"]


def test_a_point_the_files_retire_is_kept_for_records_but_never_ranked_or_offered() -> None:

    from patients.forms.sessions import treated_choices
    from triggerpoints.ranking import rank_candidates

    trapezius = Muscle.objects.get(name="Upper trapezius")
    old = TriggerPoint.objects.create(
        muscle=trapezius,
        label="Upper free border (TrP1 and TrP2)",
        location="The merged entry of an older catalogue.",
        location_area=BodyArea.objects.get(code="post.shoulder.top"),
        confidence="M",
        sources="older catalogue",
    )
    report = catalogue_load()
    old.refresh_from_db()
    assert old.retired
    assert (
        "Upper trapezius: Upper free border (TrP1 and TrP2) (retired)"
        in report.updated["trigger points"]
    )
    assert (
        "Upper trapezius: Upper free border (TrP1 and TrP2)"
        not in report.untouched["trigger points"]
    )
    ranked = rank_candidates(["post.shoulder.top.l", "post.neck.upper.l"], limit=20)
    assert all(old.pk not in {p.trigger_point_id for p in c.points} for c in ranked)
    offered = {pk for _, group in treated_choices().points for pk, _ in group}
    assert old.pk not in offered and trapezius.trigger_points.filter(retired=False).exists()


def test_the_symptom_file_refuses_bad_entries_by_name(tmp_path: Path) -> None:
    from triggerpoints.catalogue_files import SYMPTOMS, read_one

    (tmp_path / "symptoms.toml").write_text(
        """
[[symptom]]
key = "tinnitus"
label = "Ringing in one ear"
muscles = ["Masseter"]
confidence = "M"
sources = ["T&S"]

[[symptom]]
key = "Bad Key"
label = "Not a slug"
muscles = ["Masseter"]
confidence = "M"
sources = ["T&S"]

[[symptom]]
key = "made-up-muscle"
label = "Unknown muscle"
muscles = ["Masseterus"]
confidence = "M"
sources = ["T&S"]

[[symptom]]
key = "tinnitus"
label = "Twice"
muscles = ["Masseter"]
confidence = "M"
sources = ["T&S"]
"""
    )
    catalogue = read_one(SYMPTOMS, tmp_path)
    accepted, refused = catalogue.symptoms, catalogue.refusals
    assert list(accepted) == ["tinnitus"]
    reasons = " ".join(str(r) for r in refused)
    assert "lowercase slug" in reasons
    assert "unknown muscle name(s): Masseterus" in reasons
    assert "used twice" in reasons
