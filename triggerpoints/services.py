"""Writes to the catalogue that span several models: the data files loaded into the tables."""

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import models, transaction

from .cache import catalogue_changed
from .catalogue_files import (
    AREAS,
    DATA_DIR,
    MUSCLES,
    POINTS,
    TABLE_OF,
    TABLES,
    Catalogue,
    Entry,
    Refusal,
    Table,
    read_catalogue,
)
from .models import BodyArea, BodyRegion, ReferralZone, Side, TriggerPoint

REGIONS = Table("body region", BodyRegion, AREAS.file, identity="code")


@dataclass
class LoadReport:
    created: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    updated: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    unchanged: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    untouched: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    refused: list[Refusal] = field(default_factory=list)

    KINDS = (
        "body areas",
        "body regions",
        "techniques",
        "drills",
        "muscles",
        "trigger points",
        "postural findings",
        "breathing findings",
        "perpetuating factors",
        "symptoms",
        "movement tests",
    )

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or any(self.updated.values())

    def record(self, kind: str, name: str, status: str) -> None:
        if status == "created":
            self.created[kind].append(name)
        elif status == "updated":
            self.updated[kind].append(name)
        else:
            self.unchanged[kind] += 1

    def lines(self, *, verbose: bool = False) -> list[str]:
        out = []
        for kind in self.KINDS:
            created, updated = self.created[kind], self.updated[kind]
            out.append(
                f"{kind}: {len(created)} created, {len(updated)} updated, "
                f"{self.unchanged[kind]} unchanged"
            )
            if verbose or len(created) + len(updated) <= 10:
                out.extend(f"  created {name}" for name in created)
                out.extend(f"  updated {name}" for name in updated)
            if self.untouched[kind]:
                names = ", ".join(self.untouched[kind])
                out.append(f"  in the database but not in the files (left as they are): {names}")
        out.append(f"refused: {len(self.refused)}")
        out.extend(f"  REFUSED {refusal}" for refusal in self.refused)
        return out


@dataclass
class _Written:
    """A row written to match its entry, waiting for its links (every row exists first)."""

    row: models.Model
    entry: Entry
    table: Table
    status: str
    name: str


@transaction.atomic
def catalogue_load(*, data_dir: Path = DATA_DIR) -> LoadReport:
    """Make the catalogue tables match the data files.

    Every entry is validated before anything is written; refused entries are left in the
    database exactly as they were. Rows that exist only in the database (added in admin) are
    left alone and listed. Running it again on unchanged files changes nothing.
    """
    existing = {
        t.kind: {getattr(row, t.identity): row for row in t.model.objects.all()} for t in TABLES
    }
    catalogue = read_catalogue(
        data_dir, existing={kind: frozenset(rows) for kind, rows in existing.items()}
    )
    report = LoadReport(refused=list(catalogue.refusals))
    areas = _load_regions(report, catalogue)
    written: list[_Written] = []
    points = {(p.muscle_id, p.label): p for p in TriggerPoint.objects.all()}
    zones = defaultdict(set)
    for z in ReferralZone.objects.values_list("trigger_point_id", "area_id", "laterality", "kind"):
        zones[z[0]].add(z[1:])
    for table in TABLES:
        for order, (key, entry) in enumerate(catalogue.entries[table.kind].items()):
            row, status = _upsert(existing[table.kind].get(key), table, entry, order=order)
            existing[table.kind][key] = row  # refused entries keep their stored row
            written.append(_Written(row, entry, table, status, key))
            if table is MUSCLES:
                written += _load_points(row, entry, areas, points, zones)
        _note_untouched(report, table.plural, existing[table.kind], catalogue.entries[table.kind])
    _retire_points(report, catalogue, existing[MUSCLES.kind])
    # Link every row once all exist (trigger points name factors, which are written later).
    links = _current_links({w.table for w in written})
    for w in written:
        for f in w.table.model._meta.many_to_many:
            target = existing[TABLE_OF[f.related_model].kind]
            wanted = {target[key].pk for key in w.entry[f.name]}
            if links[f].get(w.row.pk, set()) != wanted:
                getattr(w.row, f.name).set(wanted)
                w.status = "updated" if w.status == "unchanged" else w.status
        report.record(w.table.plural, w.name, w.status)

    catalogue_changed()  # bulk writes send no signals: every process reads it again
    return report


def _upsert(
    row: models.Model | None, table: Table, entry: Entry, *, order: int, **values: Any
) -> tuple[models.Model, str]:
    """Create or update one row so its plain fields match the entry, saving only what differs.
    Returns the row and "created", "updated" or "unchanged"."""
    for f in table.model._meta.concrete_fields:
        if f.name in entry and not f.many_to_one:
            value = entry[f.name]
            values[f.name] = list(value) if isinstance(f, models.JSONField) else value
        elif f.name == "sort_order":
            values[f.name] = order
    if row is None:
        row = table.model.objects.create(**values)
        return row, "created"
    changed = {name: value for name, value in values.items() if getattr(row, name) != value}
    if not changed:
        return row, "unchanged"
    for name, value in changed.items():
        setattr(row, name, value)
    row.save()
    return row, "updated"


def _current_links(tables: set[Table]) -> dict[models.Field, dict[int, set[int]]]:
    """Each many-to-many field's links as they are stored: owner id -> target ids."""
    links: dict[models.Field, dict[int, set[int]]] = {}
    for table in tables:
        for f in table.model._meta.many_to_many:
            through = f.remote_field.through.objects
            columns = f"{f.m2m_field_name()}_id", f"{f.m2m_reverse_field_name()}_id"
            pairs = through.values_list(*columns)
            links[f] = defaultdict(set)
            for owner, target in pairs:
                links[f][owner].add(target)
    return links


def _load_regions(report: LoadReport, catalogue: Catalogue) -> dict[str, BodyArea]:
    existing = {a.code: a for a in BodyArea.objects.all()}
    areas = {}
    for order, (code, entry) in enumerate(catalogue.areas.items()):
        areas[code], status = _upsert(existing.get(code), AREAS, entry, order=order)
        report.record("body areas", code, status)
    regions = {r.code: r for r in BodyRegion.objects.all()}
    for code, area in areas.items():
        for side in (Side.LEFT, Side.RIGHT) if area.sided else (Side.MIDLINE,):
            region = f"{code}.{side}" if area.sided else code
            entry = Entry(code=region, side=side)
            _, status = _upsert(regions.get(region), REGIONS, entry, order=0, area_id=area.pk)
            report.record("body regions", region, status)
    _note_untouched(report, "body areas", existing, catalogue.areas)
    return areas


def _load_points(
    muscle: models.Model,
    entry: Entry,
    areas: dict[str, BodyArea],
    stored: dict[tuple[int, str], TriggerPoint],
    zones: dict[int, set[tuple[int, str, str]]],
) -> list[_Written]:
    """The muscle's trigger points and their referral zones (links come later)."""
    written = []
    for order, point in enumerate(entry.trigger_points):
        row, status = _upsert(
            stored.get((muscle.pk, point.label)),
            POINTS,
            point,
            order=order,
            muscle_id=muscle.pk,
            location_area_id=areas[point.location_area].pk,
            retired=False,
        )
        wanted = {(areas[z.area].pk, z.laterality, z.kind) for z in point.zones}
        if wanted != zones[row.pk]:
            row.zones.all().delete()
            ReferralZone.objects.bulk_create(
                ReferralZone(trigger_point=row, area_id=a, laterality=lat, kind=kind)
                for a, lat, kind in sorted(wanted)
            )
            status = "updated" if status == "unchanged" else status
        written.append(_Written(row, point, POINTS, status, f"{muscle.name}: {point.label}"))
    return written


def _retire_points(report: LoadReport, catalogue: Catalogue, muscles: dict[str, Any]) -> None:
    """Points the files retire are kept for the records that name them, marked retired; points
    only the database has are listed (unless their muscle was refused)."""
    entries = catalogue.entries[MUSCLES.kind]
    retired = {(m, label) for m, e in entries.items() for label in e.retired_points}
    known = {(m, p.label) for m, e in entries.items() for p in e.trigger_points} | retired
    for point in TriggerPoint.objects.select_related("muscle").order_by("muscle__name", "label"):
        key = (point.muscle.name, point.label)
        if key in retired and not point.retired:
            point.retired = True
            point.save(update_fields=["retired", "updated_at"])
            report.record("trigger points", f"{key[0]}: {key[1]} (retired)", "updated")
        elif key not in known and key[0] in entries:
            report.untouched["trigger points"].append(f"{key[0]}: {key[1]}")


def _note_untouched(
    report: LoadReport, kind: str, existing: dict[Any, Any], entries: dict[Any, Any]
) -> None:
    refused_labels = {r.entry for r in report.refused}
    for key in existing:
        if key not in entries and not any(f'"{key}"' in label for label in refused_labels):
            report.untouched[kind].append(str(key))
