"""Every catalogue row's fields as plain data, to compare loads across changes to the loader.

`catalogue_snapshot.json` beside this file was taken from the loader before issue 16 rebuilt it
(commit 7b77a76); test_catalogue_snapshot checks the shipped files still load to the same rows.
One deliberate change since: the four midline regions store side "m", not "" (one Side enum).
"""

import json
from pathlib import Path
from typing import Any

from django.db import models

from triggerpoints.catalogue_files import POINTS, TABLES
from triggerpoints.models import BodyArea, BodyRegion, ReferralZone, TriggerPoint

SNAPSHOT = Path(__file__).with_name("catalogue_snapshot.json")
MODELS = (BodyArea, BodyRegion, ReferralZone, POINTS.model, *(table.model for table in TABLES))
SKIPPED = {"id", "updated_at"}


def _natural(row: models.Model) -> str:
    """A row named by what the files call it, never by its id."""
    if isinstance(row, TriggerPoint):
        return f"{row.muscle.name}: {row.label}"
    if isinstance(row, ReferralZone):
        return f"{_natural(row.trigger_point)} @ {row.area.code}"
    for name in ("key", "code", "name"):
        if hasattr(row, name):
            return str(getattr(row, name))
    raise AssertionError(row)


def _row(row: models.Model) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for field in row._meta.get_fields():
        if field.name in SKIPPED or field.auto_created and not field.concrete:
            continue
        if field.many_to_many:
            values[field.name] = sorted(_natural(o) for o in getattr(row, field.name).all())
        elif field.many_to_one:
            values[field.name] = _natural(getattr(row, field.name))
        else:
            values[field.name] = getattr(row, field.name)
    return values


def catalogue_rows() -> dict[str, dict[str, dict[str, Any]]]:
    """Model name -> natural key -> field values, for every catalogue row in the database."""
    return {
        model.__name__: {_natural(row): _row(row) for row in model.objects.all()}
        for model in MODELS
    }


def saved_snapshot() -> dict[str, dict[str, dict[str, Any]]]:
    return json.loads(SNAPSHOT.read_text())


def write_snapshot() -> None:
    SNAPSHOT.write_text(json.dumps(catalogue_rows(), indent=1, sort_keys=True, ensure_ascii=False))
