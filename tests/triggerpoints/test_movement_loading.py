"""Loading the movement tests (issue 17): created with their links, idempotent, a change is
reported, a bad entry refused with its row left as it was; editors curate them in admin."""

from http import HTTPStatus
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from triggerpoints.models import MovementTest
from triggerpoints.services import catalogue_load

pytestmark = pytest.mark.django_db


def _edit(data_dir: Path, old: str, new: str) -> None:
    path = data_dir / "movement_tests.toml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_shipped_tests_are_loaded_with_their_links() -> None:
    bridge = MovementTest.objects.get(key="single-leg-bridge")
    assert (bridge.scoring, bridge.unit, bridge.normal_min, bridge.sided) == (
        "numeric",
        "s",
        30,
        True,
    )
    assert list(bridge.drills.values_list("key", flat=True)) == ["glute-bridge"]
    assert "Gluteus maximus" in bridge.muscles.values_list("name", flat=True)
    assert bridge.excluded_by == ["cardiovascular-disease"]
    assert MovementTest.objects.get(key="prone-hip-extension").position == "prone"


def test_reload_of_unchanged_file_changes_nothing() -> None:
    report = catalogue_load()
    assert report.unchanged["movement tests"] == MovementTest.objects.count() >= 18
    assert not report.created["movement tests"] and not report.updated["movement tests"]


def test_changed_threshold_is_updated_and_reported(data_dir: Path) -> None:
    _edit(data_dir, "normal_min = 26", "normal_min = 24")
    report = catalogue_load(data_dir=data_dir)
    assert report.updated["movement tests"] == ["craniocervical-flexion"]
    assert MovementTest.objects.get(key="craniocervical-flexion").normal_min == 24


def test_unknown_drill_is_refused_and_the_row_left_as_it_was(data_dir: Path) -> None:
    _edit(
        data_dir,
        'drills = ["glute-bridge"]\nexcluded_by',
        'drills = ["no-such-drill"]\nexcluded_by',
    )
    report = catalogue_load(data_dir=data_dir)
    assert any("no-such-drill" in str(r) for r in report.refused)
    bridge = MovementTest.objects.get(key="single-leg-bridge")
    assert list(bridge.drills.values_list("key", flat=True)) == ["glute-bridge"]


def test_catalogue_editor_curates_tests_in_admin(editor_client: Client) -> None:
    test = MovementTest.objects.get(key="jaw-opening")
    page = editor_client.get(reverse("admin:triggerpoints_movementtest_change", args=[test.pk]))
    assert page.status_code == HTTPStatus.OK
    assert "Reliability" in page.content.decode() or "reliability" in page.content.decode()
