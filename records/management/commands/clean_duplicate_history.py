"""Guard on django-simple-history's `clean_duplicate_history`: clinical records keep every
history row (see clean_old_history)."""

from simple_history.management.commands import clean_duplicate_history

from .clean_old_history import refuse_clinical


class Command(clean_duplicate_history.Command):
    help = "Remove duplicate history rows, for catalogue models only."

    def handle(self, *args: object, **options: object) -> None:
        refuse_clinical(args, options)
        super().handle(*args, **options)
