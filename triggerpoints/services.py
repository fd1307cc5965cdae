"""Writes to the catalogue that span several models."""

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import models, transaction
from django.utils.text import slugify

from .cache import catalogue_changed
from .catalogue_files import (
    DATA_DIR,
    BreathingFindingSpec,
    Catalogue,
    Existing,
    PosturalFindingSpec,
    Refusal,
    read_catalogue,
)
from .models import (
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
from .movement_tests import load_movement_tests
from .symptoms import load_symptoms


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


def _upsert(
    obj: models.Model | None,
    model: type[models.Model],
    lookup: dict[str, Any],
    values: dict[str, Any],
    m2m: dict[str, set[int]] | None = None,
) -> tuple[models.Model, str]:
    """Create or update one row so it matches the files, saving only what differs.
    Returns the row and "created", "updated" or "unchanged"."""
    status = "unchanged"
    if obj is None:
        obj = model(**lookup, **values)
        obj.save()
        status = "created"
    else:
        changed = {k: v for k, v in values.items() if getattr(obj, k) != v}
        if changed:
            for attr, value in changed.items():
                setattr(obj, attr, value)
            obj.save()
            status = "updated"
    for attr, ids in (m2m or {}).items():
        manager = getattr(obj, attr)
        current = set() if status == "created" else {o.pk for o in manager.all()}
        if current != ids:
            manager.set(ids)
            status = "updated" if status == "unchanged" else status
    return obj, status


def _sources(items: tuple[str, ...]) -> str:
    return "\n".join(items)


def _finding_values(spec: PosturalFindingSpec | BreathingFindingSpec) -> dict[str, str]:
    """The plain fields postural and breathing findings share."""
    return {
        "name": spec.name,
        "detection": spec.detection,
        "complaints": spec.complaints,
        "notes": spec.notes,
        "confidence": spec.confidence,
        "sources": _sources(spec.sources),
    }


@transaction.atomic
def catalogue_load(*, data_dir: Path = DATA_DIR) -> LoadReport:
    """Make the catalogue tables match the data files.

    Every entry is validated before anything is written; refused entries are left in the
    database exactly as they were. Rows that exist only in the database (added in admin) are
    left alone and listed. Running it again on unchanged files changes nothing.
    """
    catalogue: Catalogue = read_catalogue(data_dir, existing=_existing_keys())
    report = LoadReport(refused=list(catalogue.refusals))

    areas = _load_regions(report, catalogue)
    techniques = _load_keyed(
        report,
        "techniques",
        ReleaseTechnique,
        catalogue.techniques,
        lambda s: {
            "name": s.name,
            "how": s.how,
            "dosage": s.dosage,
            "performed_by": s.performed_by,
            "clinician_only": s.clinician_only,
            "plan_priority": s.plan_priority,
            "applies_pressure": s.applies_pressure,
            "excluded_by": list(s.excluded_by),
            "softened_by": list(s.softened_by),
            "clinic_only_with": list(s.clinic_only_with),
            "safer_variant": s.safer_variant,
            "confidence": s.confidence,
            "sources": _sources(s.sources),
        },
    )
    drills = _load_keyed(
        report,
        "drills",
        Drill,
        catalogue.drills,
        lambda s: {
            "name": s.name,
            "kind": s.kind,
            "instructions": s.instructions,
            "dosage": s.dosage,
            "progression": s.progression,
            "cautions": s.cautions,
            "supine": s.supine,
            "excluded_by": list(s.excluded_by),
            "softened_by": list(s.softened_by),
            "safer_variant": s.safer_variant,
            "confidence": s.confidence,
            "sources": _sources(s.sources),
        },
    )
    muscles, points, statuses = _load_muscles(report, catalogue, areas, techniques)
    postural = _load_keyed(
        report,
        "postural findings",
        PosturalFinding,
        catalogue.postural_findings,
        _finding_values,
        lambda s: {
            "short_muscles": {muscles[n].pk for n in s.short_muscles},
            "long_muscles": {muscles[n].pk for n in s.long_muscles},
            "drills": {drills[k].pk for k in s.drills},
        },
    )
    breathing = _load_keyed(
        report,
        "breathing findings",
        BreathingFinding,
        catalogue.breathing_findings,
        lambda s: {**_finding_values(s), "plan_cues": list(s.plan_cues)},
        lambda s: {
            "muscles": {muscles[n].pk for n in s.muscles},
            "drills": {drills[k].pk for k in s.drills},
        },
    )
    factors = _load_keyed(
        report,
        "perpetuating factors",
        PerpetuatingFactor,
        catalogue.factors,
        lambda s: {
            "name": s.name,
            "category": s.category,
            "description": s.description,
            "advice": s.advice,
            "intake_cues": list(s.intake_cues),
            "sources": _sources(s.sources),
        },
        lambda s: {
            "postural_findings": {postural[k].pk for k in s.postural_findings},
            "breathing_findings": {breathing[k].pk for k in s.breathing_findings},
            "drills": {drills[k].pk for k in s.drills},
        },
    )
    # Trigger points refer to factors, which are written after them; link them now.
    for (muscle_name, label), point in points.items():
        spec = next(p for p in catalogue.muscles[muscle_name].trigger_points if p.label == label)
        wanted = {factors[k].pk for k in spec.perpetuating}
        status = statuses[(muscle_name, label)]
        current = set() if status == "created" else {f.pk for f in point.perpetuating_factors.all()}
        if current != wanted:
            point.perpetuating_factors.set(wanted)
            status = "updated" if status == "unchanged" else status
        report.record("trigger points", f"{muscle_name}: {label}", status)
    load_symptoms(report, data_dir)
    load_movement_tests(report, data_dir)

    catalogue_changed()  # bulk writes send no signals: every process reads it again
    return report


def _existing_keys() -> Existing:
    def keys(model: type[models.Model], field: str = "key") -> frozenset[str]:
        return frozenset(model.objects.values_list(field, flat=True))

    return Existing(
        muscles=keys(Muscle, "name"),
        techniques=keys(ReleaseTechnique),
        drills=keys(Drill),
        postural_findings=keys(PosturalFinding),
        breathing_findings=keys(BreathingFinding),
        factors=keys(PerpetuatingFactor),
    )


def _load_regions(report: LoadReport, catalogue: Catalogue) -> dict[str, BodyArea]:
    existing = {a.code: a for a in BodyArea.objects.all()}
    areas: dict[str, BodyArea] = {}
    for order, spec in enumerate(catalogue.areas.values()):
        areas[spec.code], status = _upsert(
            existing.get(spec.code),
            BodyArea,
            {"code": spec.code},
            {
                "label": spec.label,
                "description": spec.description,
                "view": spec.view,
                "group": spec.group,
                "sided": spec.sided,
                "sort_order": order,
            },
        )
        report.record("body areas", spec.code, status)
    existing_regions = {r.code: r for r in BodyRegion.objects.all()}
    for spec in catalogue.areas.values():
        for side in ("l", "r") if spec.sided else ("",):
            code = f"{spec.code}.{side}" if side else spec.code
            _, status = _upsert(
                existing_regions.get(code),
                BodyRegion,
                {"code": code},
                {"area_id": areas[spec.code].pk, "side": side},
            )
            report.record("body regions", code, status)
    _note_untouched(report, "body areas", existing, catalogue.areas)
    return areas


def _load_keyed(
    report: LoadReport,
    kind: str,
    model: type[models.Model],
    specs: dict[str, Any],
    values: Any,
    m2m: Any = None,
) -> dict[str, Any]:
    query = model.objects.all()
    if m2m and specs:
        query = query.prefetch_related(*m2m(next(iter(specs.values()))).keys())
    existing = {obj.key: obj for obj in query}
    rows = {}
    for key, spec in specs.items():
        rows[key], status = _upsert(
            existing.get(key), model, {"key": key}, values(spec), m2m(spec) if m2m else None
        )
        report.record(kind, key, status)
    _note_untouched(report, kind, existing, specs)
    # Refused entries still exist in the database as they were; later entries may refer to them.
    return {**existing, **rows}


def _load_muscles(
    report: LoadReport,
    catalogue: Catalogue,
    areas: dict[str, BodyArea],
    techniques: dict[str, ReleaseTechnique],
) -> tuple[dict[str, Muscle], dict[tuple[str, str], TriggerPoint], dict[tuple[str, str], str]]:
    existing = {m.name: m for m in Muscle.objects.all()}
    existing_points = {
        (p.muscle.name, p.label): p
        for p in TriggerPoint.objects.select_related("muscle").prefetch_related(
            "techniques", "perpetuating_factors", "zones"
        )
    }
    muscles: dict[str, Muscle] = {}
    points: dict[tuple[str, str], TriggerPoint] = {}
    statuses: dict[tuple[str, str], str] = {}
    for order, spec in enumerate(catalogue.muscles.values()):
        muscle, status = _upsert(
            existing.get(spec.name),
            Muscle,
            {"name": spec.name},
            {
                "slug": slugify(spec.name),
                "aliases": "\n".join(spec.aliases),
                "group": spec.group,
                "commonly_involved": spec.commonly_involved,
                "notes": spec.notes,
                "sort_order": order,
            },
        )
        report.record("muscles", spec.name, status)
        muscles[spec.name] = muscle
        for point_order, tp in enumerate(spec.trigger_points):
            key = (spec.name, tp.label)
            point, status = _upsert(
                existing_points.get(key),
                TriggerPoint,
                {"muscle_id": muscle.pk, "label": tp.label},
                {
                    "location": tp.location,
                    "location_area_id": areas[tp.location_area].pk,
                    "palpation": tp.palpation,
                    "symptoms": tp.symptoms,
                    "mimics": tp.mimics,
                    "perpetuating_notes": tp.perpetuating_notes,
                    "release_notes": tp.release_notes,
                    "self_stretch": tp.self_stretch,
                    "site_cautions": list(tp.site_cautions),
                    "confidence": tp.confidence,
                    "sources": _sources(tp.sources),
                    "sort_order": point_order,
                    "retired": False,
                },
                {"techniques": {techniques[k].pk for k in tp.techniques}},
            )
            wanted = {(areas[z.area].pk, z.laterality, z.kind) for z in tp.zones}
            current = (
                set()
                if status == "created"
                else {(z.area_id, z.laterality, z.kind) for z in point.zones.all()}
            )
            if wanted != current:
                point.zones.all().delete()
                ReferralZone.objects.bulk_create(
                    ReferralZone(trigger_point=point, area_id=a, laterality=lat, kind=kind)
                    for a, lat, kind in sorted(wanted)
                )
                status = "updated" if status == "unchanged" else status
            statuses[key] = status
            points[key] = point
    _note_untouched(report, "muscles", existing, catalogue.muscles)
    retired = {(m.name, label) for m in catalogue.muscles.values() for label in m.retired_points}
    for key in sorted(retired & set(existing_points)):
        point = existing_points[key]
        if not point.retired:
            point.retired = True
            point.save(update_fields=["retired", "updated_at"])
            report.record("trigger points", f"{key[0]}: {key[1]} (retired)", "updated")
    known = {(m.name, p.label) for m in catalogue.muscles.values() for p in m.trigger_points}
    known |= retired
    refused_muscles = set(existing) - set(catalogue.muscles)
    report.untouched["trigger points"] = [
        f"{m}: {label}"
        for (m, label) in existing_points
        if (m, label) not in known and m not in refused_muscles
    ]
    return {**existing, **muscles}, points, statuses


def _note_untouched(
    report: LoadReport, kind: str, existing: dict[Any, Any], specs: dict[Any, Any]
) -> None:
    refused_labels = {r.entry for r in report.refused}
    for key in existing:
        if key not in specs and not any(f'"{key}"' in label for label in refused_labels):
            report.untouched[kind].append(str(key))
