"""Guard on django-simple-history's `clean_old_history`: clinical records keep their history.

The change history of patient records is part of the clinical record (who changed what, and
when), so deleting it by age is refused for the patients and plans apps. Catalogue history may
still be cleaned by naming its models.
"""

from django.core.management.base import CommandError
from simple_history.management.commands import clean_old_history
from simple_history.models import registered_models

CLINICAL_APPS = {"patients", "plans", "portal", "records"}


def refuse_clinical(args: tuple, options: dict, *, hint: str = "") -> None:
    """Refuse a history command that would touch a clinical model's history."""
    named = list(options.get("models") or args)
    if options.get("auto"):
        named = [f"{m._meta.app_label}.{m.__name__}" for m in registered_models.values()]
    refused = sorted({n for n in named if n.split(".")[0].lower() in CLINICAL_APPS})
    if refused:
        raise CommandError(
            f"Refused: the change history of clinical records ({', '.join(refused)}) is part of "
            f"the record and is kept.{hint}"
        )


class Command(clean_old_history.Command):
    help = (
        "Delete history older than --days, for catalogue models only: the history of clinical "
        "records (patients, plans) is never deleted."
    )

    def handle(self, *args: object, **options: object) -> None:
        refuse_clinical(args, options, hint=" Name catalogue models only.")
        super().handle(*args, **options)
