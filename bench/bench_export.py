"""`export_people` of the whole nation against a raw SELECT written to CSV, in one run.

For each engine and size, a database of synthetic persons (made once by generate_synthetic,
then reused) is exported three ways, each in its own child process, alternating over rounds:

- raw: the export's SELECT (same columns, joins, filter and order) run on a cursor, each
  tuple written by csv.writer to a file: the floor any export pays;
- csv / xlsx: `call_command("export_people", format=…)` without --area, as the command runs.

Inside each timer: the query, reading every row, formatting and writing the file (for XLSX
also saving the workbook and copying it to the output). Outside: Django's start-up. Printed:
the median seconds (min–max) of the rounds, rows per second, the speed of each export as a
share of raw, and the peak RSS growth of the child during its timer (flat memory: it must
not grow with the size).

  LINDUNG_BENCH_SIZES    sizes to measure (default 100000)
  LINDUNG_BENCH_ENGINES  sqlite,postgresql (default both; PostgreSQL skipped when no server)
  LINDUNG_BENCH_PG       the PostgreSQL server (default postgres://postgres@127.0.0.1:5432)
  LINDUNG_BENCH_ROUNDS   rounds (default 3)
"""

import csv
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
MODES = ("raw", "csv", "xlsx")


def database_url(engine: str, size: int, server: str) -> str:
    if engine == "sqlite":
        return f"sqlite:///{VAR / f'bench-export-{size}.sqlite3'}"
    return f"{server}/lindung_bench_export_{size}"


def child_env(url: str) -> dict:
    return {**os.environ, "DATABASE_URL": url, "DEBUG": "false"}


def prepare(engine: str, size: int, server: str) -> None:
    """Make the database once; a marker file says it is complete."""
    marker = VAR / f"bench-export-{engine}-{size}.done"
    if marker.exists():
        return
    url = database_url(engine, size, server)
    if engine == "postgresql":
        name = urlparse(url).path.lstrip("/")
        admin = f"{server}/postgres"
        script = (
            "import psycopg,sys;c=psycopg.connect(sys.argv[1],autocommit=True);"
            "c.execute(f'DROP DATABASE IF EXISTS {sys.argv[2]}');"
            "c.execute(f'CREATE DATABASE {sys.argv[2]}')"
        )
        subprocess.run([sys.executable, "-c", script, admin, name], check=True)
    else:
        VAR.mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(urlparse(url).path + suffix).unlink(missing_ok=True)
    env = child_env(url)
    manage = [sys.executable, "manage.py"]
    for args in (
        ["migrate", "-v0"],
        ["load_regions"],
        ["generate_synthetic", "--people", str(size)],
    ):
        subprocess.run(manage + args, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    marker.write_text(json.dumps({"size": size}))


def rss_kib() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def measure(mode: str) -> dict:
    """Runs in a child whose DATABASE_URL names the bench database."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lindung.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from lindung.accounts.scoping import code_q
    from lindung.imports.exports import PEOPLE_VALUES
    from lindung.registry.models import Person

    people = Person.objects.filter(code_q(None, "village"), archived_at__isnull=True)
    people = people.order_by("village_id", "name_key", "id")
    with tempfile.TemporaryDirectory() as tmp:
        output = Path(tmp) / f"export.{'csv' if mode == 'raw' else mode}"
        connection.ensure_connection()
        before = rss_kib()
        started = time.perf_counter()
        if mode == "raw":
            sql, params = people.values_list(*PEOPLE_VALUES).query.sql_with_params()
            rows = 0
            with open(output, "w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle)
                with connection.chunked_cursor() as cursor:
                    cursor.execute(sql, params)
                    while batch := cursor.fetchmany(2000):
                        writer.writerows(batch)
                        rows += len(batch)
        else:
            call_command("export_people", format=mode, output=str(output), stdout=StringIO())
            rows = people.count()
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"seconds": seconds, "rows": rows, "rss_growth_mib": max(peak - before, 0) / 1024}


def run_child(mode: str, url: str) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, "--measure", mode],
        cwd=ROOT,
        env=child_env(url),
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def postgres_answers(server: str) -> bool:
    parsed = urlparse(server)
    try:
        socket.create_connection((parsed.hostname, parsed.port or 5432), 3).close()
    except OSError:
        return False
    return True


def main() -> int:
    sizes = [int(s) for s in os.environ.get("LINDUNG_BENCH_SIZES", "100000").split(",")]
    engines = os.environ.get("LINDUNG_BENCH_ENGINES", "sqlite,postgresql").split(",")
    server = os.environ.get("LINDUNG_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    rounds = int(os.environ.get("LINDUNG_BENCH_ROUNDS", "3"))
    for engine in engines:
        if engine == "postgresql" and not postgres_answers(server):
            print(f"PostgreSQL skipped: no server answers on {server}.")
            continue
        for size in sizes:
            prepare(engine, size, server)
            url = database_url(engine, size, server)
            results = {mode: [] for mode in MODES}
            for _ in range(rounds):
                for mode in MODES:
                    results[mode].append(run_child(mode, url))
            raw = statistics.median(r["seconds"] for r in results["raw"])
            print(f"{engine}, {size} persons, median of {rounds} rounds:")
            for mode in MODES:
                seconds = [r["seconds"] for r in results[mode]]
                median = statistics.median(seconds)
                rows = results[mode][0]["rows"]
                growth = max(r["rss_growth_mib"] for r in results[mode])
                print(
                    f"  {mode:4}  {median:7.1f} s ({min(seconds):.1f}–{max(seconds):.1f})  "
                    f"{rows / median:8.0f} rows/s  {raw / median:6.1%} of raw  "
                    f"peak RSS growth {growth:.0f} MiB"
                )
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--measure":
        sys.path.insert(0, str(ROOT))
        print(json.dumps(measure(sys.argv[2])))
        sys.exit(0)
    sys.exit(main())
