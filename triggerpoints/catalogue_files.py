"""Read and validate the catalogue data files (see data/README.md).

The schema is the models'. Each entry is checked field by field against the model it loads into:
its fields, their types, required unless `blank`, `max_length`, `choices`, slugs, the fields'
validators (the vocabularies of triggerpoints.vocabulary), then the model's own `clean()`. What
no model field holds is checked here: the referral zones on the 90-region vocabulary, the keys
by which entries name each other, and the muscles' canonical names.

Pure Python, no database: `read_catalogue(data_dir)` returns every valid entry as its model's
field values and every bad one as a `Refusal` naming its file, entry and reason. An entry that
refers to a refused or unknown entry is refused too, so what is accepted is consistent on its own.
"""

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils.text import slugify

from .models import (
    BodyArea,
    BodyGroup,
    BreathingFinding,
    Drill,
    MovementTest,
    Muscle,
    PerpetuatingFactor,
    PosturalFinding,
    ReferralZone,
    ReleaseTechnique,
    Symptom,
    TriggerPoint,
)
from .vocabulary import CANONICAL_MUSCLES, KeyList

DATA_DIR = Path(__file__).resolve().parent / "data"
KEY_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
LINES = {"sources", "aliases"}  # a list in the files, one line each in the model's text field
SET_BY_LOADER = {"sort_order", "slug", "retired"}  # file order, the name's slug, retirement


class CatalogueFileError(Exception):
    """A file that cannot be read at all (missing, not TOML, or a broken region vocabulary)."""


class EntryError(Exception):
    """One entry is invalid; the message says why."""


@dataclass(frozen=True)
class Refusal:
    file: str
    entry: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}, {self.entry}: {self.reason}"


class Entry(dict):
    """One entry as its model's field values (links as the keys they name); fields read as
    attributes too (`entry.plan_priority`)."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


@dataclass(frozen=True)
class Table:
    """One kind of entry: the model it loads into, where it is written, and what of the file is
    read by special code (`extra`) or names a model field differently (`names`: file -> model)."""

    kind: str  # how messages name an entry: drill "chin-nod"
    model: type[models.Model]
    file: str
    array: str = ""  # the [[array]] holding the entries
    identity: str = "key"
    extra: frozenset[str] = frozenset()
    names: tuple[tuple[str, str], ...] = ()
    needs: frozenset[str] = frozenset()  # lists that need at least one item
    derived: frozenset[str] = frozenset()  # set by the loader, never written in an entry

    @property
    def plural(self) -> str:
        return f"{self.kind}s"

    def fields(self) -> dict[str, models.Field]:
        """The fields an entry may give, by their name in the files."""
        renamed = {model: file for file, model in self.names}
        return {
            renamed.get(f.name, f.name): f
            for f in self.model._meta.get_fields()
            if not f.auto_created
            and not f.many_to_one
            and not getattr(f, "auto_now", False)
            and f.name not in SET_BY_LOADER | self.derived
        }


AREAS = Table("area", BodyArea, "regions.toml", "area", identity="code")
TECHNIQUES = Table("technique", ReleaseTechnique, "techniques.toml", "technique")
DRILLS = Table("drill", Drill, "drills.toml", "drill")
POSTURAL = Table("postural finding", PosturalFinding, "postural_findings.toml", "finding")
BREATHING = Table("breathing finding", BreathingFinding, "breathing_findings.toml", "finding")
FACTORS = Table("perpetuating factor", PerpetuatingFactor, "perpetuating_factors.toml", "factor")
MUSCLES = Table(
    "muscle",
    Muscle,
    "muscles/",
    "muscle",
    identity="name",
    extra=frozenset({"trigger_points", "retired_points"}),
    derived=frozenset({"group"}),  # the file's
)
POINTS = Table(
    "trigger point",
    TriggerPoint,
    "muscles/",
    identity="label",
    extra=frozenset({"location_area", "essential", "spillover"}),
    names=(("perpetuating", "perpetuating_factors"),),
)
SYMPTOMS = Table("symptom", Symptom, "symptoms.toml", "symptom")
MOVEMENT_TESTS = Table(
    "movement test", MovementTest, "movement_tests.toml", "test", needs=frozenset({"drills"})
)
# In the order they are read and written: an entry names only entries of the tables before it,
# except trigger points, which name perpetuating factors (linked once every row exists).
TABLES = (TECHNIQUES, DRILLS, POSTURAL, BREATHING, FACTORS, MUSCLES, SYMPTOMS, MOVEMENT_TESTS)
TABLE_OF = {table.model: table for table in (*TABLES, POINTS)}
OPTIONAL_FILES = {SYMPTOMS.file, MOVEMENT_TESTS.file}


@dataclass
class Catalogue:
    """Everything accepted from the files, by kind and then identity, in file order."""

    areas: dict[str, Entry] = field(default_factory=dict)
    entries: dict[str, dict[str, Entry]] = field(
        default_factory=lambda: {table.kind: {} for table in TABLES}
    )
    refusals: list[Refusal] = field(default_factory=list)
    # Where each accepted entry came from: (kind, identity) -> (file, entry label)
    origins: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)

    def __getattr__(self, name: str) -> dict[str, Entry]:
        """`catalogue.drills`, `catalogue.factors`: one kind's entries."""
        kind = FACTORS.kind if name == "factors" else name[:-1].replace("_", " ")
        try:
            return self.__dict__["entries"][kind]
        except KeyError:
            raise AttributeError(name) from None


# --- Field values -------------------------------------------------------------------------------


def _texts(name: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise EntryError(f"{name} must be a list of text")
    items = tuple(v.strip() for v in value if v.strip())
    duplicates = sorted({v for v in items if items.count(v) > 1})
    if duplicates:
        raise EntryError(f"{name} lists {', '.join(duplicates)} more than once")
    return items


def _list(name: str, f: models.Field, value: Any, *, needed: bool) -> tuple[str, ...]:
    items = _texts(name, [] if value is None else value)
    if needed and not items:
        raise EntryError(f"{name} needs at least one item")
    for validator in f.validators:
        if isinstance(validator, KeyList) and (unknown := validator.unknown(items)):
            known = "cues" if validator.what == "cue" else "ones"
            raise EntryError(
                f"{name}: unknown {validator.what}(s) {', '.join(repr(k) for k in unknown)}; "
                f"the known {known} are {', '.join(validator.allowed)}"
            )
    if f.many_to_many and f.related_model is Muscle:
        _canonical(items)
    return items


def _number(name: str, f: models.Field, value: Any) -> int | float | None:
    whole = isinstance(f, models.IntegerField)
    if value is None:
        if f.has_default():
            return f.get_default()
        if f.null:
            return None
        raise EntryError(f"{name} is required")
    if isinstance(value, bool) or not isinstance(value, int if whole else int | float):
        raise EntryError(f"{name} must be a {'whole number' if whole else 'number'}")
    if whole:  # the portable range of the field's type (SQLite's own is wider)
        low, high = BaseDatabaseOperations.integer_field_ranges[f.get_internal_type()]
        if not low <= value <= high:
            raise EntryError(f"{name} must be from {low} to {high}")
    return value if whole else float(value)


def _text(name: str, f: models.Field, value: Any) -> str:
    if not isinstance(value, str):
        raise EntryError(f"{name} must be text")
    value = value.strip()
    if not value and not f.blank:
        raise EntryError(f"{name} is required")
    if f.max_length and len(value) > f.max_length:
        raise EntryError(f"{name} is longer than {f.max_length} characters")
    if value and f.choices and value not in (allowed := {str(c) for c, _ in f.choices}):
        raise EntryError(f"{name} {value!r} is not one of {', '.join(sorted(allowed))}")
    if isinstance(f, models.SlugField) and not KEY_RE.match(value):
        raise EntryError(f"{name} {value!r} must be a lowercase slug like 'forward-head'")
    return value


def _value(table: Table, name: str, f: models.Field, raw: dict[str, Any]) -> Any:
    value = raw.get(name)
    if f.many_to_many or isinstance(f, models.JSONField):
        return _list(name, f, value, needed=name in table.needs)
    if name in LINES:
        items = _list(name, f, value, needed=not f.blank)
        return "\n".join(items)
    if isinstance(f, models.BooleanField):
        value = (f.default if f.has_default() else False) if value is None else value
        if not isinstance(value, bool):
            raise EntryError(f"{name} must be true or false")
        return value
    if isinstance(f, models.IntegerField | models.FloatField):
        return _number(name, f, value)
    return _text(name, f, "" if value is None else value)


def parse_entry(table: Table, raw: Any) -> Entry:
    """One entry of `table` as its model's field values, checked against the model's fields
    and its `clean()`; raises EntryError saying what is wrong."""
    if not isinstance(raw, dict):
        raise EntryError("must be a table of fields")
    fields = table.fields()
    unknown = sorted(set(raw) - set(fields) - table.extra)
    if unknown:
        raise EntryError(f"unknown field(s): {', '.join(unknown)}")
    entry = Entry({f.name: _value(table, name, f, raw) for name, f in fields.items()})
    plain = {f.name: entry[f.name] for f in fields.values() if not f.many_to_many}
    try:
        table.model(**{k: list(v) if isinstance(v, tuple) else v for k, v in plain.items()}).clean()
    except ValidationError as error:
        raise EntryError("; ".join(_said(error))) from error
    return entry


def _said(error: ValidationError) -> list[str]:
    return [
        message if name == NON_FIELD_ERRORS else f"{name}: {message[0].lower()}{message[1:]}"
        for name, messages in error.message_dict.items()
        for message in messages
    ]


def _canonical(names: tuple[str, ...]) -> None:
    unknown = [n for n in names if n not in CANONICAL_MUSCLES]
    if unknown:
        raise EntryError(f"unknown muscle name(s): {', '.join(unknown)}")


# --- Files --------------------------------------------------------------------------------------


def _load_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as exc:
        raise CatalogueFileError(f"{path.name}: file not found") from exc
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueFileError(f"{path.name}: not valid TOML ({exc})") from exc


def _entries(document: dict, array: str, file: str, also: frozenset = frozenset()) -> list:
    unknown = sorted(set(document) - {array} - also)
    if unknown:
        raise CatalogueFileError(f"{file}: unknown top-level key(s): {', '.join(unknown)}")
    entries = document.get(array, [])
    if not isinstance(entries, list):
        raise CatalogueFileError(f"{file}: [[{array}]] must be an array of tables")
    return entries


def _label(table: Table, raw: Any, index: int) -> str:
    name = raw.get(table.identity) if isinstance(raw, dict) else None
    named = isinstance(name, str) and name
    return f'{table.kind} "{name}"' if named else f"{table.kind} #{index + 1}"


def read_table(
    catalogue: Catalogue, table: Table, path: Path, *, file: str = "", also: dict | None = None
) -> None:
    """Add the valid entries of one file to `catalogue`, and a refusal for each bad one."""
    file = file or table.file
    if table.file in OPTIONAL_FILES and not path.exists():
        return
    document = _load_toml(path)
    accepted = catalogue.entries[table.kind]
    for index, raw in enumerate(_entries(document, table.array, file, frozenset(also or {}))):
        label = _label(table, raw, index)
        try:
            entry = parse_entry(table, raw)
            key = entry[table.identity]
            if key in accepted:
                first = catalogue.origins[(table.kind, key)][0]
                raise EntryError(
                    f"{table.identity} {key!r} is used twice: duplicate of the entry in {first}"
                )
            if table is MUSCLES:
                _read_points(entry, raw, catalogue.areas)
            accepted[key] = Entry(entry, **(also or {}))
            catalogue.origins[(table.kind, key)] = (file, label)
        except EntryError as exc:
            catalogue.refusals.append(Refusal(file, label, str(exc)))


def read_one(table: Table, data_dir: Path = DATA_DIR) -> Catalogue:
    """One file's entries on their own, their references not resolved."""
    catalogue = Catalogue()
    read_table(catalogue, table, data_dir / table.file)
    return catalogue


def read_areas(path: Path) -> dict[str, Entry]:
    """The region vocabulary; any error here stops the whole load, since everything uses it."""
    areas: dict[str, Entry] = {}
    for index, raw in enumerate(_entries(_load_toml(path), AREAS.array, path.name)):
        try:
            area = parse_entry(AREAS, raw)
            if area.code in areas:
                raise EntryError("duplicate code")
            if area.code.endswith((".l", ".r", ".x", ".b")):
                raise EntryError("area codes carry no side suffix")
            areas[area.code] = area
        except EntryError as exc:
            raise CatalogueFileError(f"{path.name}, {_label(AREAS, raw, index)}: {exc}") from exc
    if not areas:
        raise CatalogueFileError(f"{path.name}: no areas")
    return areas


def region_codes(areas: dict[str, Entry]) -> list[str]:
    codes: list[str] = []
    for area in areas.values():
        codes.extend([f"{area.code}.l", f"{area.code}.r"] if area.sided else [area.code])
    return codes


# --- Muscles, trigger points and their zones ----------------------------------------------------


def zone_from_code(code: str, areas: dict[str, Entry]) -> tuple[str, str]:
    """Parse a side-relative zone code ('lat.head.temple.x', 'post.back.mid.b',
    'ant.head.forehead') into (area code, laterality)."""
    same, both, midline = ReferralZone.Laterality.values
    if code.endswith((".x", ".b")):
        area_code, suffix = code[:-2], code[-1]
        area = areas.get(area_code)
        if area is None:
            raise EntryError(f"unknown region code {code!r}")
        if not area.sided:
            raise EntryError(f"{code!r}: {area_code} is a midline area and takes no .x or .b")
        return area_code, same if suffix == "x" else both
    area = areas.get(code)
    if area is None:
        if code.endswith((".l", ".r")):
            raise EntryError(f"{code!r}: write zones relative to the trigger point (.x or .b)")
        raise EntryError(f"unknown region code {code!r}")
    if area.sided:
        raise EntryError(f"{code!r} has a left and a right side: add .x (same side) or .b (both)")
    return code, midline


def _read_points(muscle: Entry, raw: dict[str, Any], areas: dict[str, Entry]) -> None:
    if muscle.name not in CANONICAL_MUSCLES:
        raise EntryError(f"{muscle.name!r} is not a canonical muscle name")
    raw_points = raw.get("trigger_points")
    if not isinstance(raw_points, list) or not raw_points:
        raise EntryError("needs at least one [[muscle.trigger_points]]")
    points = [_read_point(point, areas) for point in raw_points]
    labels = [p.label for p in points]
    if len(set(labels)) != len(labels):
        raise EntryError("two trigger points share a label")
    retired = _texts("retired_points", raw.get("retired_points", []))
    if set(retired) & set(labels):
        raise EntryError("a retired point's label is still in use")
    muscle.update(slug=slugify(muscle.name), trigger_points=points, retired_points=retired)


def _read_point(raw: Any, areas: dict[str, Entry]) -> Entry:
    label = raw.get("label", "") if isinstance(raw, dict) else ""
    try:
        point = parse_entry(POINTS, raw)
        code = raw.get("location_area")
        if not isinstance(code, str) or not code.strip():
            raise EntryError("location_area is required")
        location_area, laterality = zone_from_code(code.strip(), areas)
        if laterality == ReferralZone.Laterality.BOTH:
            raise EntryError("location_area is one place: use .x, not .b")
        zones, seen = [], {}
        for kind in ReferralZone.Kind.values:
            codes = _texts(kind, raw.get(kind, []))
            if kind == ReferralZone.Kind.ESSENTIAL and not codes:
                raise EntryError(f"{kind} needs at least one item")
            for code in codes:
                area, lat = zone_from_code(code, areas)
                if area in seen:
                    raise EntryError(f"{area} is listed as {seen[area]} and as {kind}")
                seen[area] = kind
                zones.append(Entry(area=area, laterality=lat, kind=kind))
        return Entry(point, location_area=location_area, zones=tuple(zones))
    except EntryError as exc:
        raise EntryError(f'trigger point "{label}": {exc}') from exc


# --- References between entries -----------------------------------------------------------------


def references(table: Table, entry: Entry) -> list[tuple[str, str]]:
    """(kind, identity) of every entry this one names, in field order."""
    links = [
        (TABLE_OF[f.related_model].kind, key)
        for f in table.model._meta.many_to_many
        for key in entry.get(f.name, ())
    ]
    for point in entry.get("trigger_points", ()):
        links += references(POINTS, point)
    return links


def _resolve_references(catalogue: Catalogue, existing: dict[str, frozenset[str]]) -> None:
    """Refuse entries that name unknown or refused entries, until nothing changes (a refusal
    can leave another entry's reference dangling). An entry the database keeps resolves even
    when this load refuses its new version."""
    changed = True
    while changed:
        changed = False
        for table in TABLES:
            accepted = catalogue.entries[table.kind]
            for key, entry in list(accepted.items()):
                missing = [
                    f"{kind} {name!r}"
                    for kind, name in references(table, entry)
                    if name not in catalogue.entries[kind] and name not in existing.get(kind, ())
                ]
                if missing:
                    del accepted[key]
                    file, label = catalogue.origins.pop((table.kind, key))
                    reason = f"refers to unknown or refused {', '.join(dict.fromkeys(missing))}"
                    catalogue.refusals.append(Refusal(file, label, reason))
                    changed = True


def read_catalogue(
    data_dir: Path = DATA_DIR, *, existing: dict[str, frozenset[str]] | None = None
) -> Catalogue:
    """Read every data file. Raises CatalogueFileError only when a file cannot be read at all;
    bad entries come back as refusals. References resolve against the accepted entries and the
    identities `existing` in the database, by kind."""
    catalogue = Catalogue(areas=read_areas(data_dir / AREAS.file))
    for table in TABLES:
        if table is not MUSCLES:
            read_table(catalogue, table, data_dir / table.file)
            continue
        muscle_files = sorted((data_dir / "muscles").glob("*.toml"))
        if not muscle_files:
            raise CatalogueFileError("muscles/: no muscle files")
        for path in muscle_files:
            group = _load_toml(path).get("group")
            file = f"muscles/{path.name}"
            if group not in BodyGroup.values:
                raise CatalogueFileError(
                    f"{file}: group {group!r} is not one of {', '.join(sorted(BodyGroup.values))}"
                )
            read_table(catalogue, table, path, file=file, also={"group": group})
    _resolve_references(catalogue, existing or {})
    return catalogue
