"""The movement and loading screen's tests (issue 17), loaded from data/movement_tests.toml.

Read with the catalogue's field checks (unknown fields, keys that are not slugs, repeated keys,
unknown muscle names, drills and precautions are refused, naming the entry), then made to match
the database by `load_movement_tests`, which `catalogue_load` calls last.
"""

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .catalogue_files import DATA_DIR, KEY_RE, EntryError, Fields, Refusal, _load_toml
from .models import Drill, MovementTest, Muscle
from .precautions import PRECAUTION_KEYS
from .vocabulary import CANONICAL_MUSCLES

if TYPE_CHECKING:
    from .services import LoadReport

FILE = "movement_tests.toml"
FIELDS = {
    "key",
    "name",
    "group",
    "strand",
    "position",
    "sided",
    "how",
    "scoring",
    "unit",
    "anchors",
    "value_min",
    "value_max",
    "normal_min",
    "normal_max",
    "asymmetry_max",
    "asymmetry_percent",
    "normal_text",
    "meaningful_change",
    "meaningful_change_source",
    "reliability",
    "reliability_source",
    "muscles",
    "drills",
    "excluded_by",
    "confidence",
    "sources",
}
GROUPS = set(MovementTest.Group.values)
POSITIONS = set(MovementTest.Position.values)
SCORINGS = set(MovementTest.Scoring.values)
STRANDS = set(Drill.Kind.values)


def _number(table: dict[str, Any], name: str, *, required: bool = False) -> float | None:
    value = table.get(name)
    if value is None:
        if required:
            raise EntryError(f"{name} is required")
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise EntryError(f"{name} must be a number")
    return float(value)


def parse_test(raw: Any) -> dict[str, Any]:
    """One entry as the model's field values (muscles and drills as names and keys)."""
    f = Fields(raw, FIELDS)
    key = f.key()
    scoring = f.choice("scoring", SCORINGS)
    sided = f.flag("sided")
    anchors = list(f.texts("anchors"))
    value_min = _number(raw, "value_min", required=True)
    value_max = _number(raw, "value_max", required=True)
    if value_max <= value_min:
        raise EntryError("value_max must be above value_min")
    normal_min, normal_max = _number(raw, "normal_min"), _number(raw, "normal_max")
    if normal_min is None and normal_max is None:
        raise EntryError("give normal_min, normal_max or both")
    if scoring == "ordinal":
        if len(anchors) < 2:
            raise EntryError("an ordinal test needs at least two anchors")
        if value_min != 0 or value_max != len(anchors) - 1:
            raise EntryError(f"an ordinal test scores 0 to {len(anchors) - 1} (one per anchor)")
    elif anchors:
        raise EntryError("anchors are for ordinal tests only")
    asymmetry = (_number(raw, "asymmetry_max"), _number(raw, "asymmetry_percent"))
    if not sided and any(a is not None for a in asymmetry):
        raise EntryError("a side-to-side rule needs a sided test")
    muscles = f.texts("muscles")
    unknown = [m for m in muscles if m not in CANONICAL_MUSCLES]
    if unknown:
        raise EntryError(f"unknown muscle name(s): {', '.join(unknown)}")
    drills = f.texts("drills", required=True)
    bad = [d for d in drills if not KEY_RE.match(d)]
    if bad:
        raise EntryError(f"drill keys must be slugs: {', '.join(bad)}")
    return {
        "key": key,
        "name": f.text("name"),
        "group": f.choice("group", GROUPS),
        "strand": f.choice("strand", STRANDS),
        "position": f.choice("position", POSITIONS),
        "sided": sided,
        "how": f.text("how"),
        "scoring": scoring,
        "unit": f.text("unit", required=scoring == "numeric"),
        "anchors": anchors,
        "value_min": value_min,
        "value_max": value_max,
        "normal_min": normal_min,
        "normal_max": normal_max,
        "asymmetry_max": asymmetry[0],
        "asymmetry_percent": asymmetry[1],
        "normal_text": f.text("normal_text"),
        "meaningful_change": _number(raw, "meaningful_change"),
        "meaningful_change_source": f.text(
            "meaningful_change_source", required=_number(raw, "meaningful_change") is not None
        ),
        "reliability": f.text("reliability"),
        "reliability_source": f.text("reliability_source"),
        "excluded_by": list(f.keys("excluded_by", PRECAUTION_KEYS, "precaution(s)")),
        "confidence": f.confidence(),
        "sources": "\n".join(f.sources()),
        "muscles": muscles,
        "drills": drills,
    }


def read_movement_tests(data_dir: Path = DATA_DIR) -> tuple[dict[str, dict], list[Refusal]]:
    """The accepted entries by key, in file order, and the refused ones."""
    accepted: dict[str, dict] = {}
    refused: list[Refusal] = []
    path = data_dir / FILE
    if not path.exists():
        return accepted, refused
    for index, raw in enumerate(_load_toml(path).get("test", []), start=1):
        label = raw.get("key", f"entry {index}") if isinstance(raw, dict) else f"entry {index}"
        try:
            entry = parse_test(raw)
            if entry["key"] in accepted:
                raise EntryError(f"key {entry['key']!r} is used twice")
            accepted[entry["key"]] = entry
        except EntryError as error:
            refused.append(Refusal(FILE, f"test {label}", str(error)))
    return accepted, refused


def load_movement_tests(report: "LoadReport", data_dir: Path = DATA_DIR) -> None:
    """Make the MovementTest rows match the file (report counts as the catalogue loader does).
    An entry naming a drill or muscle the catalogue lacks is refused and left as it was."""
    from .services import _note_untouched, _upsert

    accepted, refused = read_movement_tests(data_dir)
    report.refused.extend(refused)
    muscles = dict(Muscle.objects.values_list("name", "pk"))
    drills = dict(Drill.objects.values_list("key", "pk"))
    existing = {t.key: t for t in MovementTest.objects.prefetch_related("muscles", "drills")}
    for order, (key, entry) in enumerate(accepted.items()):
        missing = [f"drill {d!r}" for d in entry["drills"] if d not in drills] + [
            f"muscle {m!r}" for m in entry["muscles"] if m not in muscles
        ]
        if missing:
            report.refused.append(
                Refusal(FILE, f"test {key}", f"refers to unknown {', '.join(missing)}")
            )
            continue
        values = {k: v for k, v in entry.items() if k not in ("key", "muscles", "drills")}
        _, status = _upsert(
            existing.get(key),
            MovementTest,
            {"key": key},
            values | {"sort_order": order},
            {
                "muscles": {muscles[m] for m in entry["muscles"]},
                "drills": {drills[d] for d in entry["drills"]},
            },
        )
        report.record("movement tests", key, status)
    _note_untouched(report, "movement tests", existing, accepted)
