from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from patients.backup import BackupError, digest, restore


class Command(BaseCommand):
    help = (
        "Replace the database's contents with a backup made by `backup`, then check the rows "
        "against the digest saved with it. Needs --yes: everything saved since is replaced."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--yes", action="store_true", help="Confirm: replace the current data with the backup."
        )

    def handle(self, *args: object, path: Path, yes: bool = False, **options: object) -> None:
        if not yes:
            now = digest()
            raise CommandError(
                f"This replaces all {now.rows} rows now in the database with the backup at "
                f"{path}. Take a backup of the current data first, then run again with --yes."
            )
        try:
            after, expected = restore(path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored {after.rows} rows in {len(after.counts)} tables from {path}")
        if expected is None:
            self.stdout.write("No digest was saved with this backup, so nothing was checked.")
        elif after.sha256 != expected.sha256:
            raise CommandError(
                "The restored rows do not match the digest saved with the backup "
                f"({after.sha256} != {expected.sha256}). Do not use this database."
            )
        else:
            self.stdout.write(f"Checked: every row matches the backup's digest ({after.sha256}).")
