"""Read and validate the catalogue data files (see data/README.md) into plain specs.

Pure Python, no database: `read_catalogue(data_dir)` returns every valid entry as a spec and every
bad one as a `Refusal` naming its file, entry and reason. An entry that refers to a refused or
unknown entry is refused too, so what is accepted is always consistent on its own.
"""

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .models import BodyGroup, Confidence, Drill, PerpetuatingFactor, ReleaseTechnique, View
from .precautions import PRECAUTION_KEYS, SITE_CAUTION_KEYS
from .vocabulary import CANONICAL_MUSCLES

DATA_DIR = Path(__file__).resolve().parent / "data"

# The vocabularies are the models' choices, written once there.
CONFIDENCES = set(Confidence.values)
VIEWS = set(View.values)
BODY_GROUPS = set(BodyGroup.values)
PERFORMED_BY = set(ReleaseTechnique.PerformedBy.values)
DRILL_KINDS = set(Drill.Kind.values)
FACTOR_CATEGORIES = set(PerpetuatingFactor.Category.values)
KEY_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

# --- Plan cues ----------------------------------------------------------------------------------
# The words the catalogue uses to say when a plan draws on an entry (plans.rules reads them).
# Defined here once; triggerpoints does not import patients, so the intake values are spelt out,
# and a test in tests/plans checks they match the patient record's choices.

# Examination results that bring a breathing finding's drills into a plan.
PLAN_CUES: tuple[str, ...] = (
    "pattern:upper-chest",  # breathing pattern observed as upper-chest (apical)
    "pattern:paradoxical",  # breathing pattern observed as paradoxical
    "mouth-breathing",  # breathes through the mouth at rest
    "nijmegen:positive",  # Nijmegen Questionnaire 23 or more
    "bolt:low",  # BOLT under 20 s
    "rate:high",  # resting breathing rate over 16 a minute
    "accessory-trigger-point",  # an active trigger point in one of the finding's muscles
)
# patients.models.Patient.Activity values and Assessment.SelfCare values.
INTAKE_ACTIVITIES: tuple[str, ...] = (
    "desk_work",
    "driving",
    "lifting",
    "manual_work",
    "standing",
    "sport",
    "phone",
    "instrument",
    "childcare",
)
INTAKE_SELF_CARE: tuple[str, ...] = ("poor-sleep", "low-fluids", "diet")
# Intake answers that bring a perpetuating factor's advice into a plan.
INTAKE_CUES: tuple[str, ...] = (
    *(f"activity:{value}" for value in INTAKE_ACTIVITIES),
    "stress:high",  # stress at or above Assessment.HIGH_STRESS
    *(f"self-care:{value}" for value in INTAKE_SELF_CARE),
)
PLAN_PRIORITY_DEFAULT = 50  # ReleaseTechnique.plan_priority's default
PLAN_PRIORITY_MAX = 32767  # a PositiveSmallIntegerField


class CatalogueFileError(Exception):
    """A file that cannot be read at all (missing, not TOML, or a broken region vocabulary)."""


class EntryError(Exception):
    """One entry is invalid; the message says why."""


# --- Specs --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaSpec:
    code: str
    label: str
    description: str
    view: str
    group: str
    sided: bool


@dataclass(frozen=True)
class ZoneSpec:
    area: str
    laterality: str  # "same", "both" or "midline"
    kind: str  # "essential" or "spillover"


@dataclass(frozen=True)
class TriggerPointSpec:
    label: str
    location: str
    location_area: str
    palpation: str
    zones: tuple[ZoneSpec, ...]
    symptoms: str
    mimics: str
    perpetuating: tuple[str, ...]
    perpetuating_notes: str
    techniques: tuple[str, ...]
    release_notes: str
    self_stretch: str
    confidence: str
    sources: tuple[str, ...]
    site_cautions: tuple[str, ...] = ()  # triggerpoints.precautions.SITE_CAUTION_KEYS


@dataclass(frozen=True)
class MuscleSpec:
    name: str
    aliases: tuple[str, ...]
    group: str
    commonly_involved: bool
    notes: str
    trigger_points: tuple[TriggerPointSpec, ...]
    # Labels of trigger points this entry no longer has (split or corrected): kept in the
    # database for the patient records that name them, marked retired, never offered again.
    retired_points: tuple[str, ...] = ()


@dataclass(frozen=True)
class TechniqueSpec:
    key: str
    name: str
    how: str
    dosage: str
    performed_by: str
    clinician_only: bool
    confidence: str
    sources: tuple[str, ...]
    plan_priority: int = PLAN_PRIORITY_DEFAULT
    applies_pressure: bool = False
    excluded_by: tuple[str, ...] = ()  # precaution keys that rule it out
    softened_by: tuple[str, ...] = ()  # precaution keys that switch to the safer variant
    clinic_only_with: tuple[str, ...] = ()  # precaution keys that keep it in the clinic
    safer_variant: str = ""


@dataclass(frozen=True)
class DrillSpec:
    key: str
    name: str
    kind: str
    instructions: str
    dosage: str
    progression: str
    cautions: str
    confidence: str
    sources: tuple[str, ...]
    supine: bool = False  # done lying flat on the back
    excluded_by: tuple[str, ...] = ()
    softened_by: tuple[str, ...] = ()
    safer_variant: str = ""


@dataclass(frozen=True)
class PosturalFindingSpec:
    key: str
    name: str
    detection: str
    short_muscles: tuple[str, ...]
    long_muscles: tuple[str, ...]
    drills: tuple[str, ...]
    complaints: str
    notes: str
    confidence: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class BreathingFindingSpec:
    key: str
    name: str
    detection: str
    muscles: tuple[str, ...]
    drills: tuple[str, ...]
    complaints: str
    notes: str
    confidence: str
    sources: tuple[str, ...]
    plan_cues: tuple[str, ...] = ()


@dataclass(frozen=True)
class FactorSpec:
    key: str
    name: str
    category: str
    description: str
    advice: str
    postural_findings: tuple[str, ...]
    breathing_findings: tuple[str, ...]
    drills: tuple[str, ...]
    sources: tuple[str, ...]
    intake_cues: tuple[str, ...] = ()


@dataclass(frozen=True)
class Refusal:
    file: str
    entry: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}, {self.entry}: {self.reason}"


@dataclass
class Catalogue:
    """Everything accepted from the files, keyed by its identity, in file order."""

    areas: dict[str, AreaSpec] = field(default_factory=dict)
    techniques: dict[str, TechniqueSpec] = field(default_factory=dict)
    drills: dict[str, DrillSpec] = field(default_factory=dict)
    postural_findings: dict[str, PosturalFindingSpec] = field(default_factory=dict)
    breathing_findings: dict[str, BreathingFindingSpec] = field(default_factory=dict)
    factors: dict[str, FactorSpec] = field(default_factory=dict)
    muscles: dict[str, MuscleSpec] = field(default_factory=dict)
    refusals: list[Refusal] = field(default_factory=list)
    # Where each accepted entry came from, for messages: (kind, key) -> (file, entry label)
    origins: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)


# --- Field reading ------------------------------------------------------------------------------


class Fields:
    """Typed access to one entry's table that rejects missing, mistyped and unknown fields."""

    def __init__(self, table: Any, allowed: set[str]) -> None:
        if not isinstance(table, dict):
            raise EntryError("must be a table of fields")
        unknown = sorted(set(table) - allowed)
        if unknown:
            raise EntryError(f"unknown field(s): {', '.join(unknown)}")
        self.table = table

    def text(self, name: str, *, required: bool = True) -> str:
        value = self.table.get(name, "")
        if not isinstance(value, str):
            raise EntryError(f"{name} must be text")
        value = value.strip()
        if required and not value:
            raise EntryError(f"{name} is required")
        return value

    def flag(self, name: str, *, default: bool = False) -> bool:
        value = self.table.get(name, default)
        if not isinstance(value, bool):
            raise EntryError(f"{name} must be true or false")
        return value

    def texts(self, name: str, *, required: bool = False) -> tuple[str, ...]:
        value = self.table.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise EntryError(f"{name} must be a list of text")
        items = tuple(v.strip() for v in value if v.strip())
        if required and not items:
            raise EntryError(f"{name} needs at least one item")
        duplicates = sorted({v for v in items if items.count(v) > 1})
        if duplicates:
            raise EntryError(f"{name} lists {', '.join(duplicates)} more than once")
        return items

    def integer(self, name: str, *, default: int, minimum: int, maximum: int) -> int:
        value = self.table.get(name, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise EntryError(f"{name} must be a whole number")
        if not minimum <= value <= maximum:
            raise EntryError(f"{name} must be from {minimum} to {maximum}")
        return value

    def cues(self, name: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
        """A list of cue words, each from `allowed`; an unknown one is refused by name."""
        cues = self.texts(name)
        unknown = [cue for cue in cues if cue not in allowed]
        if unknown:
            raise EntryError(
                f"{name}: unknown cue(s) {', '.join(repr(c) for c in unknown)}; "
                f"the known cues are {', '.join(allowed)}"
            )
        return cues

    def keys(self, name: str, allowed: tuple[str, ...], what: str) -> tuple[str, ...]:
        """A list of vocabulary keys (precautions, site cautions); an unknown one is refused."""
        keys = self.texts(name)
        unknown = [key for key in keys if key not in allowed]
        if unknown:
            raise EntryError(
                f"{name}: unknown {what} {', '.join(repr(k) for k in unknown)}; "
                f"the known ones are {', '.join(allowed)}"
            )
        return keys

    def choice(self, name: str, allowed: set[str]) -> str:
        value = self.text(name)
        if value not in allowed:
            raise EntryError(f"{name} {value!r} is not one of {', '.join(sorted(allowed))}")
        return value

    def key(self) -> str:
        value = self.text("key")
        if not KEY_RE.match(value):
            raise EntryError(f"key {value!r} must be a lowercase slug like 'forward-head'")
        return value

    def confidence(self) -> str:
        return self.choice("confidence", CONFIDENCES)

    def sources(self, *, required: bool = True) -> tuple[str, ...]:
        return self.texts("sources", required=required)


def _load_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as exc:
        raise CatalogueFileError(f"{path.name}: file not found") from exc
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueFileError(f"{path.name}: not valid TOML ({exc})") from exc


def _entries(
    document: dict[str, Any], table: str, file: str, *, also: frozenset[str] = frozenset()
) -> list[Any]:
    unknown = sorted(set(document) - {table} - also)
    if unknown:
        raise CatalogueFileError(f"{file}: unknown top-level key(s): {', '.join(unknown)}")
    entries = document.get(table, [])
    if not isinstance(entries, list):
        raise CatalogueFileError(f"{file}: [[{table}]] must be an array of tables")
    return entries


def _entry_label(kind: str, raw: Any, index: int, name_field: str = "key") -> str:
    if isinstance(raw, dict) and isinstance(raw.get(name_field), str) and raw[name_field]:
        return f'{kind} "{raw[name_field]}"'
    return f"{kind} #{index + 1}"


# --- Region codes -------------------------------------------------------------------------------


def zone_from_code(code: str, areas: dict[str, AreaSpec]) -> tuple[str, str]:
    """Parse a side-relative zone code ('lat.head.temple.x', 'post.back.mid.b',
    'ant.head.forehead') into (area code, laterality)."""
    if code.endswith((".x", ".b")):
        area_code, suffix = code[:-2], code[-1]
        area = areas.get(area_code)
        if area is None:
            raise EntryError(f"unknown region code {code!r}")
        if not area.sided:
            raise EntryError(f"{code!r}: {area_code} is a midline area and takes no .x or .b")
        return area_code, "same" if suffix == "x" else "both"
    area = areas.get(code)
    if area is None:
        if code.endswith((".l", ".r")):
            raise EntryError(f"{code!r}: write zones relative to the trigger point (.x or .b)")
        raise EntryError(f"unknown region code {code!r}")
    if area.sided:
        raise EntryError(f"{code!r} has a left and a right side: add .x (same side) or .b (both)")
    return code, "midline"


def region_codes(areas: dict[str, AreaSpec]) -> list[str]:
    codes: list[str] = []
    for area in areas.values():
        codes.extend([f"{area.code}.l", f"{area.code}.r"] if area.sided else [area.code])
    return codes


# --- Readers per file ---------------------------------------------------------------------------


def read_areas(path: Path) -> dict[str, AreaSpec]:
    """The region vocabulary; any error here stops the whole load, since everything uses it."""
    file = path.name
    areas: dict[str, AreaSpec] = {}
    for index, raw in enumerate(_entries(_load_toml(path), "area", file)):
        label = _entry_label("area", raw, index, "code")
        try:
            f = Fields(raw, {"code", "label", "description", "view", "group", "sided"})
            code = f.text("code")
            if code in areas:
                raise EntryError("duplicate code")
            if code.endswith((".l", ".r", ".x", ".b")):
                raise EntryError("area codes carry no side suffix")
            areas[code] = AreaSpec(
                code=code,
                label=f.text("label"),
                description=f.text("description"),
                view=f.choice("view", VIEWS),
                group=f.text("group"),
                sided=f.flag("sided"),
            )
        except EntryError as exc:
            raise CatalogueFileError(f"{file}, {label}: {exc}") from exc
    if not areas:
        raise CatalogueFileError(f"{file}: no areas")
    return areas


def _read_simple(
    catalogue: Catalogue, path: Path, table: str, kind: str, parse: Any, target: dict[str, Any]
) -> None:
    file = path.name
    for index, raw in enumerate(_entries(_load_toml(path), table, file)):
        label = _entry_label(kind, raw, index)
        try:
            spec = parse(raw)
            if spec.key in target:
                first = catalogue.origins[(kind, spec.key)]
                raise EntryError(f"duplicate of the entry in {first[0]}")
            target[spec.key] = spec
            catalogue.origins[(kind, spec.key)] = (file, label)
        except EntryError as exc:
            catalogue.refusals.append(Refusal(file, label, str(exc)))


def _parse_technique(raw: Any) -> TechniqueSpec:
    f = Fields(
        raw,
        {
            "key",
            "name",
            "how",
            "dosage",
            "performed_by",
            "clinician_only",
            "plan_priority",
            "applies_pressure",
            "excluded_by",
            "softened_by",
            "clinic_only_with",
            "safer_variant",
            "confidence",
            "sources",
        },
    )
    softened_by = f.keys("softened_by", PRECAUTION_KEYS, "precaution(s)")
    safer_variant = f.text("safer_variant", required=bool(softened_by))
    return TechniqueSpec(
        key=f.key(),
        name=f.text("name"),
        how=f.text("how"),
        dosage=f.text("dosage"),
        performed_by=f.choice("performed_by", PERFORMED_BY),
        clinician_only=f.flag("clinician_only"),
        confidence=f.confidence(),
        sources=f.sources(),
        plan_priority=f.integer(
            "plan_priority", default=PLAN_PRIORITY_DEFAULT, minimum=0, maximum=PLAN_PRIORITY_MAX
        ),
        applies_pressure=f.flag("applies_pressure"),
        excluded_by=f.keys("excluded_by", PRECAUTION_KEYS, "precaution(s)"),
        softened_by=softened_by,
        clinic_only_with=f.keys("clinic_only_with", PRECAUTION_KEYS, "precaution(s)"),
        safer_variant=safer_variant,
    )


def _parse_drill(raw: Any) -> DrillSpec:
    f = Fields(
        raw,
        {
            "key",
            "name",
            "kind",
            "instructions",
            "dosage",
            "progression",
            "cautions",
            "supine",
            "excluded_by",
            "softened_by",
            "safer_variant",
            "confidence",
            "sources",
        },
    )
    softened_by = f.keys("softened_by", PRECAUTION_KEYS, "precaution(s)")
    supine = f.flag("supine")
    return DrillSpec(
        key=f.key(),
        name=f.text("name"),
        kind=f.choice("kind", DRILL_KINDS),
        instructions=f.text("instructions"),
        dosage=f.text("dosage"),
        progression=f.text("progression", required=False),
        cautions=f.text("cautions", required=False),
        confidence=f.confidence(),
        sources=f.sources(),
        supine=supine,
        excluded_by=f.keys("excluded_by", PRECAUTION_KEYS, "precaution(s)"),
        softened_by=softened_by,
        # A safer variant is needed wherever a precaution softens the drill; a supine drill's
        # variant is its side-lying or seated version (pregnancy from 20 weeks), when it has one.
        safer_variant=f.text("safer_variant", required=bool(softened_by)),
    )


def _parse_postural(raw: Any) -> PosturalFindingSpec:
    f = Fields(
        raw,
        {
            "key",
            "name",
            "detection",
            "short_muscles",
            "long_muscles",
            "drills",
            "complaints",
            "notes",
            "confidence",
            "sources",
        },
    )
    return PosturalFindingSpec(
        key=f.key(),
        name=f.text("name"),
        detection=f.text("detection"),
        short_muscles=_muscle_names(f.texts("short_muscles")),
        long_muscles=_muscle_names(f.texts("long_muscles")),
        drills=f.texts("drills"),
        complaints=f.text("complaints", required=False),
        notes=f.text("notes", required=False),
        confidence=f.confidence(),
        sources=f.sources(),
    )


def _parse_breathing(raw: Any) -> BreathingFindingSpec:
    f = Fields(
        raw,
        {
            "key",
            "name",
            "detection",
            "muscles",
            "drills",
            "plan_cues",
            "complaints",
            "notes",
            "confidence",
            "sources",
        },
    )
    return BreathingFindingSpec(
        key=f.key(),
        name=f.text("name"),
        detection=f.text("detection"),
        muscles=_muscle_names(f.texts("muscles")),
        drills=f.texts("drills"),
        complaints=f.text("complaints", required=False),
        notes=f.text("notes", required=False),
        confidence=f.confidence(),
        sources=f.sources(),
        plan_cues=f.cues("plan_cues", PLAN_CUES),
    )


def _parse_factor(raw: Any) -> FactorSpec:
    f = Fields(
        raw,
        {
            "key",
            "name",
            "category",
            "description",
            "advice",
            "postural_findings",
            "breathing_findings",
            "drills",
            "intake_cues",
            "sources",
        },
    )
    return FactorSpec(
        key=f.key(),
        name=f.text("name"),
        category=f.choice("category", FACTOR_CATEGORIES),
        description=f.text("description"),
        advice=f.text("advice", required=False),
        postural_findings=f.texts("postural_findings"),
        breathing_findings=f.texts("breathing_findings"),
        drills=f.texts("drills"),
        sources=f.sources(required=False),
        intake_cues=f.cues("intake_cues", INTAKE_CUES),
    )


def _muscle_names(names: tuple[str, ...]) -> tuple[str, ...]:
    unknown = [n for n in names if n not in CANONICAL_MUSCLES]
    if unknown:
        raise EntryError(f"unknown muscle name(s): {', '.join(unknown)}")
    return names


TRIGGER_POINT_FIELDS = {
    "label",
    "location",
    "location_area",
    "palpation",
    "essential",
    "spillover",
    "symptoms",
    "mimics",
    "perpetuating",
    "perpetuating_notes",
    "techniques",
    "release_notes",
    "self_stretch",
    "site_cautions",
    "confidence",
    "sources",
}


def _parse_trigger_point(raw: Any, areas: dict[str, AreaSpec]) -> TriggerPointSpec:
    f = Fields(raw, TRIGGER_POINT_FIELDS)
    label = f.text("label")
    try:
        location_area, laterality = zone_from_code(f.text("location_area"), areas)
        if laterality == "both":
            raise EntryError("location_area is one place: use .x, not .b")
        zones: list[ZoneSpec] = []
        seen: dict[str, str] = {}
        for kind in ("essential", "spillover"):
            for code in f.texts(kind, required=kind == "essential"):
                area, lat = zone_from_code(code, areas)
                if area in seen:
                    raise EntryError(f"{area} is listed as {seen[area]} and as {kind}")
                seen[area] = kind
                zones.append(ZoneSpec(area=area, laterality=lat, kind=kind))
        return TriggerPointSpec(
            label=label,
            location=f.text("location"),
            location_area=location_area,
            palpation=f.text("palpation", required=False),
            zones=tuple(zones),
            symptoms=f.text("symptoms", required=False),
            mimics=f.text("mimics", required=False),
            perpetuating=f.texts("perpetuating"),
            perpetuating_notes=f.text("perpetuating_notes", required=False),
            techniques=f.texts("techniques"),
            release_notes=f.text("release_notes", required=False),
            self_stretch=f.text("self_stretch", required=False),
            confidence=f.confidence(),
            sources=f.sources(),
            site_cautions=f.keys("site_cautions", SITE_CAUTION_KEYS, "site caution(s)"),
        )
    except EntryError as exc:
        raise EntryError(f'trigger point "{label}": {exc}') from exc


def _read_muscles(catalogue: Catalogue, path: Path) -> None:
    file = f"muscles/{path.name}"
    document = _load_toml(path)
    group = document.get("group")
    if group not in BODY_GROUPS:
        raise CatalogueFileError(
            f"{file}: group {group!r} is not one of {', '.join(sorted(BODY_GROUPS))}"
        )
    for index, raw in enumerate(_entries(document, "muscle", file, also=frozenset({"group"}))):
        label = _entry_label("muscle", raw, index, "name")
        try:
            f = Fields(
                raw,
                {
                    "name",
                    "aliases",
                    "commonly_involved",
                    "notes",
                    "trigger_points",
                    "retired_points",
                },
            )
            name = f.text("name")
            if name not in CANONICAL_MUSCLES:
                raise EntryError(f"{name!r} is not a canonical muscle name")
            if name in catalogue.muscles:
                first = catalogue.origins[("muscle", name)]
                raise EntryError(f"duplicate of the entry in {first[0]}")
            raw_points = raw.get("trigger_points")
            if not isinstance(raw_points, list) or not raw_points:
                raise EntryError("needs at least one [[muscle.trigger_points]]")
            points = tuple(_parse_trigger_point(p, catalogue.areas) for p in raw_points)
            labels = [p.label for p in points]
            if len(set(labels)) != len(labels):
                raise EntryError("two trigger points share a label")
            retired = f.texts("retired_points")
            if set(retired) & set(labels):
                raise EntryError("a retired point's label is still in use")
            catalogue.muscles[name] = MuscleSpec(
                name=name,
                aliases=f.texts("aliases"),
                group=group,
                commonly_involved=f.flag("commonly_involved"),
                notes=f.text("notes", required=False),
                trigger_points=points,
                retired_points=retired,
            )
            catalogue.origins[("muscle", name)] = (file, label)
        except EntryError as exc:
            catalogue.refusals.append(Refusal(file, label, str(exc)))


# --- Cross-references ---------------------------------------------------------------------------


def _refuse(catalogue: Catalogue, kind: str, key: str, target: dict[str, Any], reason: str) -> None:
    file, label = catalogue.origins.pop((kind, key))
    del target[key]
    catalogue.refusals.append(Refusal(file, label, reason))


@dataclass(frozen=True)
class Existing:
    """Keys of entries already in the database. A reference to one of them resolves even when
    this load refuses the entry's new version, since the database keeps the old one."""

    muscles: frozenset[str] = frozenset()
    techniques: frozenset[str] = frozenset()
    drills: frozenset[str] = frozenset()
    postural_findings: frozenset[str] = frozenset()
    breathing_findings: frozenset[str] = frozenset()
    factors: frozenset[str] = frozenset()


def _resolve_references(catalogue: Catalogue, existing: Existing) -> None:
    """Refuse entries that refer to unknown or refused entries, until nothing changes (a refusal
    can make another entry's reference dangling)."""
    c = catalogue

    def _missing(keys: tuple[str, ...], kind: str) -> list[str]:
        accepted, in_database = getattr(c, kind), getattr(existing, kind)
        return [k for k in keys if k not in accepted and k not in in_database]

    changed = True
    while changed:
        changed = False
        checks: list[tuple[str, dict[str, Any], Any]] = [
            (
                "muscle",
                c.muscles,
                lambda m: [
                    *(
                        f"perpetuating factor {k!r}"
                        for p in m.trigger_points
                        for k in _missing(p.perpetuating, "factors")
                    ),
                    *(
                        f"technique {k!r}"
                        for p in m.trigger_points
                        for k in _missing(p.techniques, "techniques")
                    ),
                ],
            ),
            (
                "postural finding",
                c.postural_findings,
                lambda s: [
                    *(
                        f"muscle {k!r}"
                        for k in _missing(s.short_muscles + s.long_muscles, "muscles")
                    ),
                    *(f"drill {k!r}" for k in _missing(s.drills, "drills")),
                ],
            ),
            (
                "breathing finding",
                c.breathing_findings,
                lambda s: [
                    *(f"muscle {k!r}" for k in _missing(s.muscles, "muscles")),
                    *(f"drill {k!r}" for k in _missing(s.drills, "drills")),
                ],
            ),
            (
                "perpetuating factor",
                c.factors,
                lambda s: [
                    *(
                        f"postural finding {k!r}"
                        for k in _missing(s.postural_findings, "postural_findings")
                    ),
                    *(
                        f"breathing finding {k!r}"
                        for k in _missing(s.breathing_findings, "breathing_findings")
                    ),
                    *(f"drill {k!r}" for k in _missing(s.drills, "drills")),
                ],
            ),
        ]
        for kind, target, dangling in checks:
            for key, spec in list(target.items()):
                missing = dangling(spec)
                if missing:
                    unique = list(dict.fromkeys(missing))
                    _refuse(
                        c, kind, key, target, f"refers to unknown or refused {', '.join(unique)}"
                    )
                    changed = True


def read_catalogue(data_dir: Path = DATA_DIR, *, existing: Existing | None = None) -> Catalogue:
    """Read every data file. Raises CatalogueFileError only when a file cannot be read at all;
    bad entries come back as refusals. References resolve against the accepted entries and,
    when given, the entries `existing` in the database."""
    catalogue = Catalogue(areas=read_areas(data_dir / "regions.toml"))
    simple = [
        ("techniques.toml", "technique", "technique", _parse_technique, catalogue.techniques),
        ("drills.toml", "drill", "drill", _parse_drill, catalogue.drills),
        (
            "postural_findings.toml",
            "finding",
            "postural finding",
            _parse_postural,
            catalogue.postural_findings,
        ),
        (
            "breathing_findings.toml",
            "finding",
            "breathing finding",
            _parse_breathing,
            catalogue.breathing_findings,
        ),
        (
            "perpetuating_factors.toml",
            "factor",
            "perpetuating factor",
            _parse_factor,
            catalogue.factors,
        ),
    ]
    for filename, table, kind, parse, target in simple:
        _read_simple(catalogue, data_dir / filename, table, kind, parse, target)
    muscle_files = sorted((data_dir / "muscles").glob("*.toml"))
    if not muscle_files:
        raise CatalogueFileError("muscles/: no muscle files")
    for path in muscle_files:
        _read_muscles(catalogue, path)
    _resolve_references(catalogue, existing or Existing())
    return catalogue
