"""Guard on django-simple-history's `clean_duplicate_history`: clinical records keep every
history row (see clean_old_history)."""

from django.core.management.base import CommandError
from simple_history.management.commands import clean_duplicate_history

from .clean_old_history import clinical


class Command(clean_duplicate_history.Command):
    help = "Remove duplicate history rows, for catalogue models only."

    def handle(self, *args: object, **options: object) -> None:
        refused = clinical(list(options.get("models") or args), bool(options.get("auto")))
        if refused:
            raise CommandError(
                "Refused: the change history of clinical records ("
                + ", ".join(refused)
                + ") is part of the record and is kept."
            )
        super().handle(*args, **options)
