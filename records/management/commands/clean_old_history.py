"""Guard on django-simple-history's `clean_old_history`: clinical records keep their history.

The change history of patient records is part of the clinical record (who changed what, and
when), so deleting it by age is refused for the patients and plans apps. Catalogue history may
still be cleaned by naming its models.
"""

from django.core.management.base import CommandError
from simple_history.management.commands import clean_old_history
from simple_history.models import registered_models

CLINICAL_APPS = {"patients", "plans", "portal", "records"}


def clinical(named: list[str], auto: bool) -> list[str]:
    """The clinical models a history command would touch."""
    if auto:
        named = [f"{m._meta.app_label}.{m.__name__}" for m in registered_models.values()]
    return sorted({n for n in named if n.split(".")[0].lower() in CLINICAL_APPS})


class Command(clean_old_history.Command):
    help = (
        "Delete history older than --days, for catalogue models only: the history of clinical "
        "records (patients, plans) is never deleted."
    )

    def handle(self, *args: object, **options: object) -> None:
        refused = clinical(list(options.get("models") or args), bool(options.get("auto")))
        if refused:
            raise CommandError(
                "Refused: the change history of clinical records ("
                + ", ".join(refused)
                + ") is part of the record and is kept. Name catalogue models only."
            )
        super().handle(*args, **options)
