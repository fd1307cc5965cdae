"""Backup and restore round trip: backup, wipe, restore, the same rows (counts and digest)."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from patients.backup import digest
from patients.models import Patient, Screening

from ..factories import AssessmentFactory, screen_red_flags

pytestmark = pytest.mark.django_db(transaction=True)


def test_backup_wipe_restore_gives_back_the_same_rows(tmp_path: Path) -> None:
    assessment = AssessmentFactory()
    screen_red_flags(assessment, yes=("fever",))
    before = digest()
    target = tmp_path / "backup.db"
    out = StringIO()
    call_command("backup", str(target), stdout=out)
    assert target.is_file() and before.sha256 in out.getvalue()

    Screening.objects.all().update(decision_note="changed after the backup")
    call_command("flush", interactive=False)
    assert not Patient.objects.exists()

    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(target))
    out = StringIO()
    call_command("restore", str(target), "--yes", stdout=out)
    after = digest()
    assert after.counts == before.counts and after.sha256 == before.sha256
    assert "every row matches" in out.getvalue()
    assert Screening.objects.get().holds_back


def test_restore_refuses_a_backup_whose_rows_do_not_match_its_digest(tmp_path: Path) -> None:
    AssessmentFactory()
    target = tmp_path / "backup.db"
    call_command("backup", str(target), stdout=StringIO())
    sidecar = target.with_name(target.name + ".json")
    sidecar.write_text(sidecar.read_text().replace('"sha256": "', '"sha256": "0'))
    with pytest.raises(CommandError, match="do not match"):
        call_command("restore", str(target), "--yes", stdout=StringIO())


def test_backup_never_overwrites_a_file(tmp_path: Path) -> None:
    target = tmp_path / "backup.db"
    target.write_text("precious")
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", str(target), stdout=StringIO())
    assert target.read_text() == "precious"
