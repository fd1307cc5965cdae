from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from patients.backup import BackupError, backup, default_path


class Command(BaseCommand):
    help = (
        "Back up the whole database to a file (SQLite: online backup; PostgreSQL: pg_dump), "
        "with a JSON digest beside it that `restore` checks."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path",
            nargs="?",
            type=Path,
            help="Where to write it. Default: backups/myoplan-<date>-<time>.<sqlite3|dump>.",
        )

    def handle(self, *args: object, path: Path | None = None, **options: object) -> None:
        path = path or default_path(Path(settings.BASE_DIR) / "backups")
        try:
            result = backup(path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backed up {result.rows} rows in {len(result.counts)} tables to {path}")
        self.stdout.write(f"Digest (sha256): {result.sha256}")
