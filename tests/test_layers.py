"""Imports run one way: triggerpoints ← patients ← plans ← portal, records, demo. An earlier
app never imports a later one, nor includes its templates; later apps add to earlier pages
through common.slots and patients.dashboard.add_section."""

import ast
import re
from pathlib import Path

import pytest

from common import slots

ROOT = Path(__file__).resolve().parent.parent
# Each app, and the apps it must never import.
LATER = {
    "common": {"triggerpoints", "patients", "plans", "portal", "records", "demo"},
    "triggerpoints": {"patients", "plans", "portal", "records", "demo"},
    "patients": {"plans", "portal", "records", "demo"},
    "plans": {"portal", "records", "demo"},
}


def imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("app", sorted(LATER))
def test_an_app_never_imports_a_later_one(app: str) -> None:
    wrong = {
        str(path.relative_to(ROOT)): sorted(imported_apps(path) & LATER[app])
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
    }
    assert {path: apps for path, apps in wrong.items() if apps} == {}


@pytest.mark.parametrize("app", ["triggerpoints", "patients", "plans"])
def test_an_app_never_includes_a_later_apps_template(app: str) -> None:
    include = re.compile(r"""{%\s*include\s+["'](\w+)/""")
    wrong = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates" / app).rglob("*.html")
        if set(include.findall(path.read_text())) & LATER[app]
    ]
    assert wrong == []


def test_a_slot_holds_each_template_once_and_merges_the_additions_context() -> None:
    slot = "test-slot"
    slots.register(slot, template="a.html", context=lambda n: {"a": n})
    slots.register(slot, template="a.html", context=lambda n: {"a": -n})  # ready() run twice
    slots.register(slot, template="b.html", context=lambda n: {"b": n * 2})
    assert slots.fill(slot, 3) == {"a": 3, "b": 6, "test-slot_includes": ["a.html", "b.html"]}
    assert slots.fill("empty-slot") == {"empty-slot_includes": []}


def test_a_slot_says_when_the_first_of_its_parts_changes_by_itself() -> None:
    import datetime

    soon, later = datetime.datetime(2026, 12, 1, 9), datetime.datetime(2026, 12, 1, 10)
    slot = "until-slot"
    slots.register(slot, template="a.html", context=lambda: {slots.KEEP_UNTIL: later})
    slots.register(slot, template="b.html", context=lambda: {slots.KEEP_UNTIL: None})
    slots.register(slot, template="c.html", context=lambda: {slots.KEEP_UNTIL: soon})
    assert slots.fill(slot)[slots.KEEP_UNTIL] == soon


def test_the_later_apps_fill_the_earlier_pages() -> None:
    from patients.dashboard import SECTIONS, pain_not_improving
    from plans.dashboard import plans_due

    assert SECTIONS.index(plans_due) == SECTIONS.index(pain_not_improving) - 1
    from django.contrib.auth.models import AnonymousUser

    assert slots.fill("home", AnonymousUser()) == {
        "portal_prompts": [],
        "home_includes": ["portal/_dashboard_prompts.html"],
    }
