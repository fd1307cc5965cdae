"""Back up and restore the whole database, and a digest to prove a restore is faithful.

SQLite uses its online backup API (a consistent copy while the app runs); PostgreSQL uses
`pg_dump --format=custom` and `pg_restore --clean --single-transaction`, the tools that come with
it. Each backup has a JSON sidecar with the row count of every table and a SHA-256 digest of every
row, which `restore` checks after restoring.
"""

import hashlib
import json
import os
import sqlite3
import subprocess
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection


class BackupError(Exception):
    """The backup or restore could not be made; the message says why."""


@dataclass(frozen=True)
class Digest:
    counts: dict[str, int]
    sha256: str

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


def digest() -> Digest:
    """Every row of every table the project's models know, in primary-key order, hashed."""
    counts = {}
    hashed = hashlib.sha256()
    for model in sorted(apps.get_models(), key=lambda m: m._meta.db_table):
        if not model._meta.managed or model._meta.proxy:
            continue
        rows = model._base_manager.order_by("pk").values_list()
        count = 0
        hashed.update(model._meta.db_table.encode())
        for row in rows.iterator(chunk_size=2000):
            hashed.update(repr(row).encode())
            count += 1
        counts[model._meta.db_table] = count
    return Digest(counts=counts, sha256=hashed.hexdigest())


def _pg_env() -> dict[str, str]:
    db = settings.DATABASES["default"]
    env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
    return env


def _pg_args() -> list[str]:
    db = settings.DATABASES["default"]
    args = ["--host", str(db.get("HOST") or "127.0.0.1"), "--username", str(db.get("USER") or "")]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    return args


def _run(command: list[str]) -> None:
    try:
        subprocess.run(command, env=_pg_env(), check=True, capture_output=True, text=True)
    except FileNotFoundError as error:
        raise BackupError(f"{command[0]} is not installed (Debian: postgresql-client).") from error
    except subprocess.CalledProcessError as error:
        raise BackupError(f"{command[0]} failed: {error.stderr.strip()}") from error


def default_path(folder: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    suffix = ".sqlite3" if connection.vendor == "sqlite" else ".dump"
    return folder / f"myoplan-{stamp}{suffix}"


def backup(path: Path) -> Digest:
    """Write a consistent copy of the database to `path` and its digest beside it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        raise BackupError(f"{path} exists already; choose another name.")
    before = digest()
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    elif connection.vendor == "postgresql":
        name = connection.settings_dict["NAME"]
        _run(["pg_dump", *_pg_args(), "--format=custom", "--no-owner", "--file", str(path), name])
    else:
        raise BackupError(f"No backup method for {connection.vendor}.")
    sidecar(path).write_text(json.dumps(asdict(before), indent=1, sort_keys=True))
    return before


def sidecar(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def restore(path: Path) -> tuple[Digest, Digest | None]:
    """Replace the database's contents with the backup at `path`. Returns the digest after the
    restore and the one recorded with the backup (None when the sidecar is missing)."""
    if not path.is_file():
        raise BackupError(f"No backup at {path}.")
    expected = None
    if sidecar(path).is_file():
        data = json.loads(sidecar(path).read_text())
        expected = Digest(counts=data["counts"], sha256=data["sha256"])
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(path)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    elif connection.vendor == "postgresql":
        name = connection.settings_dict["NAME"]
        connection.close()
        _run(
            [
                "pg_restore",
                *_pg_args(),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--dbname",
                name,
                str(path),
            ]
        )
    else:
        raise BackupError(f"No restore method for {connection.vendor}.")
    return digest(), expected
