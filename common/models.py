"""Model helpers shared by every app's services."""

from typing import Any, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


def model_update(*, instance: M, data: dict[str, Any]) -> M:
    """Set `data` on one row, validate it as the model does (full_clean) and save it. The one
    way services write a form's fields onto a model; the caller claims the version first."""
    for field, value in data.items():
        setattr(instance, field, value)
    instance.full_clean()
    instance.save()
    return instance
