"""The catalogue-editor role: a group that may edit the catalogue in admin and nothing else."""

from typing import Any

CATALOGUE_EDITORS = "Catalogue editors"

# Region vocabulary rows are fixed (the 90 codes); editors may only view them.
EDITABLE_MODELS = (
    "muscle",
    "triggerpoint",
    "referralzone",
    "releasetechnique",
    "drill",
    "posturalfinding",
    "breathingfinding",
    "perpetuatingfactor",
    "movementtest",
)
VIEW_ONLY_MODELS = ("bodyarea", "bodyregion")


def ensure_catalogue_editors_group(**kwargs: Any) -> None:
    """Create the group and give it exactly the catalogue permissions. Runs after migrate."""
    from django.contrib.auth.models import Group, Permission

    wanted = [
        f"{action}_{model}"
        for model in EDITABLE_MODELS
        for action in ("add", "change", "delete", "view")
    ]
    wanted += [f"view_{model}" for model in VIEW_ONLY_MODELS]
    permissions = Permission.objects.filter(
        content_type__app_label="triggerpoints", codename__in=wanted
    )
    group, _ = Group.objects.get_or_create(name=CATALOGUE_EDITORS)
    group.permissions.set(permissions)
