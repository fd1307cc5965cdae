from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from triggerpoints.catalogue_files import DATA_DIR, CatalogueFileError
from triggerpoints.services import catalogue_load


class Command(BaseCommand):
    help = (
        "Load the trigger-point catalogue from the data files: creates and updates entries to "
        "match, refuses invalid ones (naming file and entry), and changes nothing on reload."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--data-dir", type=Path, default=DATA_DIR, help="Folder holding the data files."
        )

    def handle(self, *args: Any, data_dir: Path, verbosity: int, **options: Any) -> None:
        try:
            report = catalogue_load(data_dir=data_dir)
        except CatalogueFileError as exc:
            raise CommandError(f"Nothing was loaded: {exc}") from exc
        for line in report.lines(verbose=verbosity > 1):
            style = self.style.ERROR if line.lstrip().startswith("REFUSED") else str
            self.stdout.write(style(line))
        if report.refused:
            raise CommandError(
                f"{len(report.refused)} entr{'y was' if len(report.refused) == 1 else 'ies were'} "
                "refused and left as they were in the database; fix the file(s) named above."
            )
        summary = "Catalogue updated." if report.changed else "Catalogue already up to date."
        self.stdout.write(self.style.SUCCESS(summary))
