"""Benchmark of `import_people` against the goal of at most 2× a raw insert of the same
rows. Not a timed test: it reports ratios.

    .venv/bin/python bench/bench_import.py [--rows 100000] [--rss-rows 10000,1000000]
                                           [--engines sqlite,postgresql]

For each database engine, on a fresh database with the areas loaded and an importing user,
1. writes a synthetic file of N rows (a person and an episode abroad per row), untimed,
2. inserts the same rows raw into the same tables (SQLite: one transaction of executemany;
   PostgreSQL: COPY), timed, then removes them; three times,
3. runs `manage.py import_people FILE --area 18.11 --user …` in the process, timed as a user
   runs it: the file opened and its sheet read, the batch made and the file copied, every row
   parsed, planned and written, the audit, the counters and the error report; then checks the
   counters against a plain GROUP BY,
4. removes what the import wrote and times the raw insert three times more,
and reports rows per second and the ratio import / raw insert, the raw insert being the
median of its six runs: on a machine whose speed drifts from one minute to the next, runs on
both sides of the import measure it in the same conditions as the import.
Then, for 10,000 and 1,000,000 rows (CSV and XLSX, SQLite), it runs `import_people` in a
process of its own and reports that process's peak resident memory (the import alone, none of
the benchmark's setup), that of the reader process it forks, and that of the same command
stopped before reading the file (Django and Lindung loaded): both should stay roughly flat.
Every measurement runs in its own child process on its own database.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RAW_RUNS = 3
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
BENCH_DATABASE = "lindung_bench_import"
HEADER = [
    "NIK",
    "Nama Lengkap",
    "L/P",
    "Tgl Lahir",
    "Desa",
    "Negara Tujuan",
    "Jenis Pekerjaan",
    "Jabatan",
    "P3MI/PT",
    "Tgl Berangkat",
    "Dusun",
    "RT",
]
COUNTRIES = ["Hong Kong", "Taiwan", "Malaysia", "Jepang", "Singapura", "Korea Selatan"]
JOBS = ["Pekerja Rumah Tangga", "Pengasuh (Caregiver)", "Pekerja Pabrik", "Pekerja Perkebunan"]


# --- child side -------------------------------------------------------------------------------


def _setup_django(database_url: str, var_dir: Path) -> None:
    os.environ.update(
        DJANGO_ENV="development",
        DEBUG="false",  # DEBUG keeps every query in memory
        LINDUNG_DEMO="false",
        LINDUNG_VAR_DIR=str(var_dir),
        DATABASE_URL=database_url,
        LOG_LEVEL="ERROR",
    )
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lindung.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from lindung.regions.services import regions_load

    call_command("migrate", verbosity=0, interactive=False)
    regions_load()


def _synthetic_rows(n: int):
    from lindung.lib.nik import encode_nik
    from lindung.regions.models import Area

    villages = list(
        Area.objects.filter(code__startswith="18.11.", level=4).values_list("code", flat=True)
    )
    start = dt.date(1970, 1, 1)
    for i in range(n):
        born = start + dt.timedelta(days=(i * 37) % 10000)
        sex = "F" if i % 3 else "M"
        serial, district = i % 9999 + 1, f"18.11.{(i // 9999) % 99 + 1:02d}"
        nik = encode_nik(district_code=district, birth_date=born, sex=sex, serial=serial)
        departed = dt.date(2020, 1, 1) + dt.timedelta(days=i % 1500)
        yield [
            nik,
            f"Warga Sintetis {i}",
            "P" if sex == "F" else "L",
            born.strftime("%d/%m/%Y"),
            villages[i % len(villages)],
            COUNTRIES[i % len(COUNTRIES)],
            JOBS[i % len(JOBS)],
            "",
            "PT Contoh" if i % 2 else "",
            departed.strftime("%d/%m/%Y"),
            f"Dusun {i % 7}",
            f"{i % 12:03d}",
        ]


def _write_file(path: Path, n: int) -> Path:
    import csv

    if path.suffix == ".csv":
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, delimiter=";")
            writer.writerow(HEADER)
            writer.writerows(_synthetic_rows(n))
    else:
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("Data")
        ws.append(HEADER)
        for row in _synthetic_rows(n):
            ws.append(row)
        wb.save(path)
    return path


def _raw_tuples(path: Path):
    """The rows as they would land in the person and placement tables (prepared, untimed)."""
    from django.db import connection
    from django.utils import timezone

    from lindung.imports.headers import auto_mapping
    from lindung.imports.reading import is_blank_row, open_table
    from lindung.imports.rows import RowParser
    from lindung.imports.run import village_index
    from lindung.imports.services import sheet_header
    from lindung.placements.models import Placement
    from lindung.regions.models import Area
    from lindung.registry.models import Person

    table = open_table(path)
    header_row, headers = sheet_header(table)
    parser = RowParser(
        headers=headers,
        mapping=auto_mapping(headers),
        villages=village_index(Area.objects.get(code="18.11")),
        today=timezone.localdate(),
    )
    now = timezone.now()
    # The columns a writer writes: those the database computes (GeneratedField) are left out.
    person_fields = [f for f in Person._meta.concrete_fields if not f.generated]
    placement_fields = [f for f in Placement._meta.concrete_fields if not f.generated]
    people, placements = [], []
    pk = 0
    for number, values in table.rows():
        if number <= header_row or is_blank_row(values):
            continue
        row = parser.parse(number, values)
        pk += 1
        person = Person(
            id=pk, village_id=row.village, created_at=now, modified_at=now, **row.person
        )
        placement = Placement(
            id=pk,
            person_id=pk,
            village_id=row.village,
            created_at=now,
            modified_at=now,
            status="abroad",
            procedural=False,
            departed_on=row.departed_on,
            **row.placement,
        )
        people.append(
            tuple(f.get_db_prep_save(getattr(person, f.attname), connection) for f in person_fields)
        )
        placements.append(
            tuple(
                f.get_db_prep_save(getattr(placement, f.attname), connection)
                for f in placement_fields
            )
        )
    return (Person, person_fields, people), (Placement, placement_fields, placements)


def _raw_insert(tables) -> float:
    from django.db import connection, transaction

    quote = connection.ops.quote_name
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for model, fields, rows in tables:
            columns = ", ".join(quote(f.column) for f in fields)
            if connection.vendor == "postgresql":
                sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
                with cursor.cursor.copy(sql) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(fields))
                cursor.executemany(
                    f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})",
                    rows,
                )
    elapsed = time.perf_counter() - start
    _clear(tables)
    return elapsed


def _clear(tables) -> None:
    """Empty the person and placement tables after a raw insert."""
    from django.db import connection, transaction

    quote = connection.ops.quote_name
    models = [model for model, _fields, _rows in reversed(tables)]
    with transaction.atomic(), connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"DELETE FROM {quote(model._meta.db_table)}")
    if connection.vendor == "postgresql":
        # The deleted rows' index entries would slow the next insert's unique checks (and
        # autovacuum would remove them at a random moment): gone before the next timing.
        with connection.cursor() as cursor:
            for model in models:
                cursor.execute(f"VACUUM ANALYZE {quote(model._meta.db_table)}")


def _importer() -> str:
    """A Disnaker user of Kabupaten Mesuji, who imports (made untimed, as an operator exists)."""
    from lindung.accounts.models import Role
    from lindung.accounts.services import user_create
    from lindung.regions.models import Area

    user_create(
        actor=None,
        username="disnaker.bench",
        password="bench-password-not-used",  # noqa: S106
        role=Role.DISNAKER,
        jurisdiction=Area.objects.get(code="18.11"),
        first_name="Bench",
    )
    return "disnaker.bench"


def _import(path: Path, user: str) -> tuple[float, dict]:
    """`manage.py import_people` as a user runs it, inside the timer: the file opened and its
    sheet read, the batch made and the file copied, every row parsed, planned and written,
    the audit, the counters and the error report."""
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    start = time.perf_counter()
    call_command(
        "import_people", str(path), "--area", "18.11", "--json", "--user", user, stdout=out
    )
    seconds = time.perf_counter() - start
    report = json.loads(out.getvalue().strip().splitlines()[-1])
    report.pop("errors", None)
    return seconds, report


def _command_rss(path: Path, database_url: str, var_dir: Path, user: str) -> dict:
    """Peak resident memory of `manage.py import_people` in a process of its own (the import
    alone: none of the benchmark's setup), beside that of the same command that stops at
    its first check (Django and Lindung loaded, no file read): the import's own share is the
    difference."""
    env = {
        **os.environ,
        "DJANGO_ENV": "development",
        "DEBUG": "false",
        "LINDUNG_DEMO": "false",
        "LINDUNG_VAR_DIR": str(var_dir),
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "ERROR",
    }
    command = [sys.executable, "-c", _RSS_CHILD, str(ROOT)]
    peaks = {}
    for name, args in (
        ("baseline", [str(path), "--area", "no-such-area", "--user", user]),
        ("import", [str(path), "--area", "18.11", "--json", "--user", user]),
    ):
        output = subprocess.run(
            [*command, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
        ).stdout
        peaks[name] = json.loads(output.strip().splitlines()[-1])
    return {
        "command_peak_rss_mb": peaks["import"]["self"],
        "command_reader_peak_rss_mb": peaks["import"]["children"],
        "django_loaded_rss_mb": peaks["baseline"]["self"],
    }


# Runs manage.py import_people in this process and prints its peak RSS (and that of the reader
# process it forks), in MB.
_RSS_CHILD = """
import json, resource, sys
sys.path.insert(0, sys.argv[1])
import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lindung.settings")
import django
django.setup()
from django.core.management import call_command
from django.core.management.base import CommandError
try:
    call_command("import_people", *sys.argv[2:], stdout=open(os.devnull, "w"))
except CommandError:
    pass
# This process's own high-water mark (VmHWM: a fresh one since exec; ru_maxrss would keep the
# benchmark process's from before the exec); the reader's from the rusage of children.
with open("/proc/self/status") as status:
    hwm = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"self": round(hwm / 1024), "children": round(children / 1024)}))
"""


def child(mode: str, engine: str, rows: int, fmt: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="lindung-bench-") as folder:
        folder = Path(folder)
        if engine == "postgresql":
            url = _fresh_postgres()
        else:
            url = f"sqlite:///{folder / 'bench.sqlite3'}"
        _setup_django(url, folder)
        path = _write_file(folder / f"sintetis.{fmt}", rows)
        report = {"engine": engine, "rows": rows, "format": fmt}
        user = _importer()
        if mode == "rss":
            report.update(_command_rss(path, url, folder, user))
            return report
        tables = _raw_tuples(path)
        # The raw insert is short (ten seconds), so a busy machine shifts it more than the
        # import: it runs three times before the import and three times after, and the
        # ratio takes the median of the six.
        before = [_raw_insert(tables) for _ in range(RAW_RUNS)]
        seconds, counts = _import(path, user)
        from lindung.reports.counters import counters_differences

        report.update(import_seconds=seconds, counts=counts)
        report["rows_per_second"] = round(rows / seconds)
        report["counters_exact"] = counters_differences() == []
        _clear_import()
        after = [_raw_insert(tables) for _ in range(RAW_RUNS)]
        del tables
        raws = sorted(before + after)
        report["raw_runs"] = {
            "before": [round(raw, 2) for raw in before],
            "after": [round(raw, 2) for raw in after],
        }
        report["raw_seconds"] = (raws[len(raws) // 2 - 1] + raws[len(raws) // 2]) / 2
        report["ratio"] = round(seconds / report["raw_seconds"], 2)
        return report


def _clear_import() -> None:
    """Remove everything the import wrote, so the raw inserts after it start as before it."""
    from django.db import connection, transaction

    from lindung.counters.models import Counter
    from lindung.imports.models import ImportBatch, ImportIssue
    from lindung.placements.models import Placement, PlacementEvent, ReadinessCheck
    from lindung.registry.models import Person

    quote = connection.ops.quote_name
    # The audit trail is append-only; its entries do not touch the tables the raw insert fills.
    models = [ImportIssue, ImportBatch, PlacementEvent, ReadinessCheck, Counter]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {quote(Person._meta.db_table)} SET current_placement_id = NULL")
        for model in [*models, Placement, Person]:
            cursor.execute(f"DELETE FROM {quote(model._meta.db_table)}")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (Placement, Person, PlacementEvent):
                cursor.execute(f"VACUUM ANALYZE {quote(model._meta.db_table)}")


def _fresh_postgres() -> str:
    import psycopg

    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{BENCH_DATABASE}"')
    return POSTGRES_URL.rsplit("/", 1)[0] + f"/{BENCH_DATABASE}"


def _postgres_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(POSTGRES_URL, connect_timeout=3):
            return True
    except Exception:
        return False


# --- parent side ------------------------------------------------------------------------------


def _run_child(*args) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--child", *map(str, args)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--rss-rows", default="10000,1000000")
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--format", default="xlsx", choices=["xlsx", "csv"])
    parser.add_argument("--child", nargs=4, metavar=("MODE", "ENGINE", "ROWS", "FORMAT"))
    args = parser.parse_args()
    if args.child:
        mode, engine, rows, fmt = args.child
        print(json.dumps(child(mode, engine, int(rows), fmt)))
        return
    results = []
    for engine in [name for name in args.engines.split(",") if name]:
        if engine == "postgresql" and not _postgres_available():
            print(f"PostgreSQL not reachable at {POSTGRES_URL}: skipped.")
            continue
        report = _run_child("timing", engine, args.rows, args.format)
        results.append(report)
        print(
            f"{engine:<10} {report['rows']:>9,} rows ({report['format']}): import "
            f"{report['import_seconds']:.1f} s = {report['rows_per_second']:,} rows/s; raw insert "
            f"{report['raw_seconds']:.2f} s (median of {report['raw_runs']['before']} before the "
            f"import and {report['raw_runs']['after']} after); "
            f"ratio {report['ratio']}× (goal ≤ 2×); counters "
            f"{'exact' if report['counters_exact'] else 'WRONG'}; {report['counts']}"
        )
    for rows in [int(n) for n in args.rss_rows.split(",") if n]:
        for fmt in ("csv", "xlsx"):
            report = _run_child("rss", "sqlite", rows, fmt)
            results.append(report)
            print(
                f"peak RSS  {rows:>9,} rows ({fmt}, sqlite): import_people "
                f"{report['command_peak_rss_mb']} MB (Django loaded, no file: "
                f"{report['django_loaded_rss_mb']} MB), reader process "
                f"{report['command_reader_peak_rss_mb']} MB"
            )
    print(json.dumps({"bench": "import", "results": results}))


if __name__ == "__main__":
    main()
