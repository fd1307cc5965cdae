"""Model helpers shared by every app's services."""

import dataclasses
from typing import Any, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)
Record = TypeVar("Record")


def model_update(*, instance: M, data: dict[str, Any]) -> M:
    """Set `data` on one row, validate it as the model does (full_clean) and save it. The one
    way services write a form's fields onto a model; the caller claims the version first."""
    for field, value in data.items():
        setattr(instance, field, value)
    instance.full_clean()
    instance.save()
    return instance


def plain_record(record: type[Record], row: models.Model) -> Record:
    """A row as a frozen dataclass of plain data for the pure rules (DrillInfo, TestSpec): the
    fields named alike on both, `id` from the row's key, a JSON list as the record's tuple or
    frozenset, and `sources` (one per line) as a tuple. Fields the row lacks keep their
    defaults."""
    values: dict[str, Any] = {}
    for field in dataclasses.fields(record):
        if field.name == "id":
            values["id"] = row.pk
        elif hasattr(row, field.name):
            value = getattr(row, field.name)
            if field.name == "sources" and isinstance(value, str):
                value = tuple(line.strip() for line in value.splitlines() if line.strip())
            elif isinstance(value, list):
                kind = frozenset if str(field.type).startswith("frozenset") else tuple
                value = kind(v for v in value if isinstance(v, str))
            values[field.name] = value
    return record(**values)
