"""Backups that restore: one tar file with a consistent snapshot of the database and the
uploaded files, taken while Lindung runs.

- SQLite: the online backup API copies the database page by page into a snapshot that is
  consistent as of one moment, while readers and writers go on (a writer that commits during
  the copy makes SQLite restart it, so a busy database takes longer, never a torn copy).
- PostgreSQL: `pg_dump --format=custom` in one repeatable-read transaction (a consistent
  snapshot without blocking writers); `pg_restore` restores it.
- Uploaded files (MEDIA_ROOT) are copied after the database snapshot, so every file a record of
  the snapshot names is there (a file uploaded later is an unused extra).

The tar holds `manifest.json` (engine, time, Lindung's latest migrations), `database.sqlite3`
or `database.pgdump`, and `media/`.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone


class BackupError(Exception):
    pass


def _engine(alias=DEFAULT_DB_ALIAS) -> str:
    return connections[alias].vendor  # "sqlite" or "postgresql"


def _pg_env_and_args(alias=DEFAULT_DB_ALIAS) -> tuple[dict, list[str]]:
    db = connections[alias].settings_dict
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    return env, [*args, "--no-password", "--dbname", str(db["NAME"])]


def _sqlite_snapshot(target: Path, alias=DEFAULT_DB_ALIAS) -> None:
    source = sqlite3.connect(connections[alias].settings_dict["NAME"], timeout=30)
    destination = sqlite3.connect(target)
    try:
        with destination:
            source.backup(destination)
    finally:
        destination.close()
        source.close()


def _pg_dump(target: Path, alias=DEFAULT_DB_ALIAS) -> None:
    env, args = _pg_env_and_args(alias)
    result = subprocess.run(  # noqa: S603
        ["pg_dump", "--format=custom", "--no-owner", "--file", str(target), *args],  # noqa: S607
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")


def backup_create(*, output: Path, alias=DEFAULT_DB_ALIAS) -> dict:
    """Write the backup tar to `output` (atomically: a partial file never has that name)."""
    engine = _engine(alias)
    if engine not in ("sqlite", "postgresql"):
        raise BackupError(f"No backup for the {engine} engine.")
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(dir=output.parent) as work:
        work = Path(work)
        if engine == "sqlite":
            database = work / "database.sqlite3"
            _sqlite_snapshot(database, alias)
        else:
            database = work / "database.pgdump"
            _pg_dump(database, alias)
        recorder = MigrationRecorder(connections[alias])
        latest = {}
        for app, name in recorder.applied_migrations():
            latest[app] = max(latest.get(app, ""), name)
        manifest = {
            "format": 1,
            "engine": engine,
            "created_at": timezone.now().isoformat(),
            "migrations": dict(sorted(latest.items())),
            "database": database.name,
        }
        (work / "manifest.json").write_text(json.dumps(manifest, indent=2))
        partial = work / "backup.tar"
        with tarfile.open(partial, "w") as tar:
            tar.add(work / "manifest.json", arcname="manifest.json")
            tar.add(database, arcname=database.name)
            if media.is_dir():
                tar.add(media, arcname="media")
        os.replace(partial, output)
    return manifest


def database_is_empty(alias=DEFAULT_DB_ALIAS) -> bool:
    """True when the database has no tables at all (a fresh `createdb` or a new SQLite file)."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor)


def _safe_members(tar: tarfile.TarFile):
    for member in tar.getmembers():
        path = Path(member.name)
        if path.is_absolute() or ".." in path.parts or not (member.isfile() or member.isdir()):
            raise BackupError(f"Unexpected entry in the backup: {member.name}")
        yield member


def backup_restore(*, path: Path, force: bool = False, alias=DEFAULT_DB_ALIAS) -> dict:
    """Restore a backup into this database (which must be empty unless `force`) and MEDIA_ROOT."""
    engine = _engine(alias)
    if not force and not database_is_empty(alias):
        raise BackupError(
            "The database is not empty. Restore into a new, empty database, or pass --force "
            "to replace everything in it."
        )
    with tempfile.TemporaryDirectory() as work, tarfile.open(path) as tar:
        work = Path(work)
        tar.extractall(work, members=list(_safe_members(tar)))  # noqa: S202 - checked above
        manifest = json.loads((work / "manifest.json").read_text())
        if manifest.get("engine") != engine:
            raise BackupError(
                f"This backup is of a {manifest.get('engine')} database; this one is {engine}."
            )
        connection = connections[alias]
        if engine == "sqlite":
            connection.close()
            source = sqlite3.connect(work / manifest["database"])
            destination = sqlite3.connect(connection.settings_dict["NAME"], timeout=30)
            try:
                source.backup(destination)  # replaces every page of the destination
            finally:
                destination.close()
                source.close()
        else:
            connection.close()
            env, args = _pg_env_and_args(alias)
            options = ["--clean", "--if-exists"] if force else []
            result = subprocess.run(  # noqa: S603
                [  # noqa: S607
                    "pg_restore",
                    "--no-owner",
                    "--exit-on-error",
                    "--single-transaction",
                    *options,
                    *args,
                    str(work / manifest["database"]),
                ],
                env=env,
                capture_output=True,
                text=True,
            )
            if result.returncode != 0:
                raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
        media = Path(settings.MEDIA_ROOT)
        if (work / "media").is_dir():
            media.mkdir(parents=True, exist_ok=True)
            shutil.copytree(work / "media", media, dirs_exist_ok=True)
    return manifest
