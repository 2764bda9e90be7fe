"""Real databases for the operations tests: a fresh SQLite file, or a fresh PostgreSQL database
named after the suite's own (so checkouts testing at once keep theirs), driven through
manage.py in subprocesses as an operator would."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[3]


def suite_postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def fresh_database(var_dir: Path, suffix: str) -> str:
    """The URL of a new, empty database on the suite's engine."""
    url = suite_postgres_url()
    if url is None:
        return f"sqlite:///{var_dir / f'{suffix}.sqlite3'}"
    import psycopg

    parts = urlsplit(url)
    name = f"{parts.path.strip('/') or 'lindung'}_{suffix}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def drop_database(url: str) -> None:
    if url.startswith("sqlite"):
        return
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{parts.path.strip("/")}" WITH (FORCE)')


def env_for(database_url: str, var_dir: Path, **extra) -> dict:
    env = {**os.environ}
    for name in ("DJANGO_SETTINGS_MODULE", "SECRET_KEY", "ALLOWED_HOSTS", "DEBUG"):
        env.pop(name, None)
    env.update(
        {
            "DJANGO_ENV": "development",
            "LINDUNG_VAR_DIR": str(var_dir),
            "MEDIA_ROOT": str(var_dir / "media"),
            "DATABASE_URL": database_url,
            "PYTHONUNBUFFERED": "1",
            **extra,
        }
    )
    return env


def manage(env: dict, *args, check=True, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        **kwargs,
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
        )
    return result


def _rows_per_table(connection, list_tables: str) -> dict[str, int]:
    """COUNT(*) of each table the query `list_tables` names, on a DB-API connection (sqlite3's
    or psycopg's)."""
    tables = [name for (name,) in connection.execute(list_tables)]
    return {
        table: connection.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608
        for table in sorted(tables)
    }


def table_counts(database_url: str) -> dict[str, int]:
    """Rows in every table of the database (straight from the engine, not through Django)."""
    if database_url.startswith("sqlite"):
        path = database_url.removeprefix("sqlite:///")
        path = "/" + path if not path.startswith("/") else path
        with sqlite3.connect(path) as connection:
            return _rows_per_table(
                connection,
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'",
            )
    import psycopg

    with psycopg.connect(database_url) as connection:
        return _rows_per_table(
            connection, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        )


def as_json(text: str):
    return json.loads(text.strip().splitlines()[-1])
