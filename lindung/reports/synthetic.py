"""Synthetic persons, episodes and events at national scale, for demos and benchmarks.

Nothing here is real personal data: names are drawn from lists of common given names, NIKs are
built from a real district code, the birth date and sex with a serial of 5000 or more (far
above the serials a district hands out in one day), and every row is marked synthetic by having
no creator (`created_by` is NULL) plus one audit event per batch.

Rows are written straight to the database in big batches (executemany on SQLite, COPY on
PostgreSQL), not through the per-row services; the counters are rebuilt once at the end. The
same seed and the same `today` give the same data.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from itertools import accumulate

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from lindung.audit.models import Action, AuditEvent
from lindung.audit.services import audit_record
from lindung.cases.models import (
    Case,
    CaseCategory,
    CaseHandlingUnit,
    CaseStep,
)
from lindung.counters.models import Counter, CounterVersion
from lindung.lib.bulkload import secondary_indexes_deferred, sqlite_rollback_journal
from lindung.outreach.models import OutreachSession
from lindung.placements.models import Placement, PlacementEvent
from lindung.programs.models import Enrollment, Program
from lindung.regions.models import Area, Level
from lindung.registry.models import FamilyMember, Person
from lindung.reports.counters import counters_rebuild
from lindung.reports.synthetic_draw import (
    AUDIT,
    CASE,
    CASE_CATEGORY,
    CASE_STEP,
    ENROLMENT,
    EVENT,
    FAMILY,
    HANDLING_UNIT,
    PERSON,
    PLACEMENT,
    PROGRAMME,
    SESSION,
    Generator,
    Village,
)
from lindung.reports.synthetic_shares import (
    OTHER_PROVINCE_WEIGHT,
    PERSONS_PER_SESSION,
    PROVINCE_WEIGHTS,
)

BATCH = 20_000  # persons generated, then written, at a time


@dataclass
class Totals:
    persons: int = 0
    placements: int = 0
    events: int = 0
    family: int = 0
    cases: int = 0
    programmes: int = 0
    enrolments: int = 0
    sessions: int = 0
    audit: int = 0
    seconds: dict = field(default_factory=dict)
    bytes_written: int = 0
    bytes_total: int = 0


class _Table:
    """A model's table written in bulk: the columns a generator sets, in its order, then every
    other column with its default (`tail`, the same for every row)."""

    def __init__(self, model: type[models.Model], columns: tuple[str, ...], now):
        self.model = model
        fields = {f.attname: f for f in model._meta.concrete_fields if not f.generated}
        unknown = set(columns) - set(fields)
        if unknown:
            raise ValueError(f"{model.__name__} has no column {sorted(unknown)}")
        rest = [f for name, f in fields.items() if name not in columns]
        tail = []
        for f in rest:
            if isinstance(f, models.DateTimeField) and (
                f.auto_now or f.auto_now_add or f.has_default()
            ):
                tail.append(now)
            elif isinstance(f, models.JSONField):
                tail.append(json.dumps(f.get_default()))
            else:
                tail.append(f.get_default())
        self.tail = tuple(tail)
        self.columns = [fields[name].column for name in columns] + [f.column for f in rest]
        self.table = model._meta.db_table
        self.rows: list[tuple] = []
        self.next_id = (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
        self.written = 0

    def take_id(self) -> int:
        pk = self.next_id
        self.next_id += 1
        return pk

    def flush(self) -> None:
        rows, self.rows = self.rows, []
        if not rows:
            return
        self.written += len(rows)
        name = connection.ops.quote_name(self.table)
        columns = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {name} ({columns}) FROM STDIN") as copy:
                    write = copy.write_row
                    for row in rows:
                        write(row)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                # Table and column names come from the model, never from input.
                sql = f"INSERT INTO {name} ({columns}) VALUES ({marks})"  # noqa: S608
                cursor.executemany(sql, rows)


def _villages(area: str | None) -> tuple[list[Village], list[float]]:
    regencies = dict(Area.objects.filter(level=Level.REGENCY).values_list("code", "name"))
    qs = Area.objects.filter(level=Level.VILLAGE)
    if area:
        qs = qs.filter(models.Q(code=area) | models.Q(code__startswith=area + "."))
    villages, weights = [], []
    for code in qs.order_by("code").values_list("code", flat=True):
        regency = regencies.get(code[:5], "")
        for prefix in ("Kabupaten ", "Kota "):
            regency = regency.removeprefix(prefix)
        villages.append(
            Village(code=code, district=code[:8], regency=code[:5], regency_name=regency)
        )
        weights.append(PROVINCE_WEIGHTS.get(code[:2], OTHER_PROVINCE_WEIGHT))
    return villages, list(accumulate(weights))


def _size_on_disk() -> int:
    """Bytes the database's tables and indexes take."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT COALESCE(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'm')"
            )
            return int(cursor.fetchone()[0])
        cursor.execute("PRAGMA page_count")
        pages = cursor.fetchone()[0]
        cursor.execute("PRAGMA freelist_count")
        pages -= cursor.fetchone()[0]
        cursor.execute("PRAGMA page_size")
        return pages * cursor.fetchone()[0]


def _counters_rebuilt_in_bulk() -> None:
    """counters_rebuild with the counter table's indexes (on PostgreSQL its unique constraint
    too: each key comes from one GROUP BY) built after its rows, and its version triggers
    lifted meanwhile; every regency's version is bumped once after."""
    table = Counter._meta.db_table
    with secondary_indexes_deferred([table], triggers=True, unique=True):
        counters_rebuild()
    # Every regency's version is bumped: the rows are read from the areas (514), not from the
    # millions of counter rows.
    versions = CounterVersion._meta.db_table
    regencies = list(Area.objects.filter(level=Level.REGENCY).values_list("code", flat=True))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.executemany(
                f"INSERT INTO {versions} (area, n, token) "  # noqa: S608
                f"VALUES (%s, 0, (random() * 1e9)::bigint) ON CONFLICT (area) DO NOTHING",
                [(code,) for code in regencies],
            )
            cursor.execute(f"UPDATE {versions} SET n = n + 1, tx = txid_current()")  # noqa: S608
        else:
            cursor.executemany(
                f"INSERT OR IGNORE INTO {versions} (area, n, token) "  # noqa: S608
                f"VALUES (%s, 0, abs(random() %% 1000000000))",
                [(code,) for code in regencies],
            )
            cursor.execute(f"UPDATE {versions} SET n = n + 1")  # noqa: S608


# Each table the generator fills: its model and the row layout it appends in.
TABLES = {
    "persons": (Person, PERSON),
    "placements": (Placement, PLACEMENT),
    "events": (PlacementEvent, EVENT),
    "family_members": (FamilyMember, FAMILY),
    "programmes": (Program, PROGRAMME),
    "enrolments": (Enrollment, ENROLMENT),
    "cases": (Case, CASE),
    "case_categories": (CaseCategory, CASE_CATEGORY),
    "case_steps": (CaseStep, CASE_STEP),
    "handling_units": (CaseHandlingUnit, HANDLING_UNIT),
    "sessions": (OutreachSession, SESSION),
    "audit_events": (AuditEvent, AUDIT),
}


def _write_people(gen, tables: dict[str, _Table], people: int, log) -> None:
    """Draw and write `people` persons a batch at a time, with an outreach session for every
    hundred. Programmes are written last: enrolments point at them (checked at commit)."""
    clock = time.monotonic()
    done = 0
    while done < people:
        size = min(BATCH, people - done)
        for _ in range(size):
            gen.person()
        for _ in range(size // PERSONS_PER_SESSION):
            gen.session()
        for name, table in tables.items():
            if name != "programmes":
                table.flush()
        done += size
        if log:
            log(f"{done} persons written ({time.monotonic() - clock:.0f} s)")
    tables["programmes"].flush()


def synthetic_generate(
    *, people: int, seed: int = 1, area: str | None = None, today: date | None = None, log=None
) -> Totals:
    """Write `people` synthetic persons (with episodes, events, family, cases, programmes,
    outreach sessions and their audit rows), then rebuild the counters; on a SQLite file,
    through a rollback journal (`lib.bulkload.sqlite_rollback_journal`)."""
    with sqlite_rollback_journal():
        return _generate(people=people, seed=seed, area=area, today=today, log=log)


def _generate(*, people: int, seed: int, area: str | None, today: date | None, log) -> Totals:
    today = today or timezone.localdate()
    villages, cum = _villages(area)
    if not villages:
        raise ValueError(f"No village lies in area {area!r}.")
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    totals = Totals()
    clock = time.monotonic()
    size_before = _size_on_disk()
    # SQLite: with its foreign keys on, a row whose parent is written later leaves a pending
    # violation, and every later parent row then scans its children (no index during the
    # load): quadratic. They are checked once, table by table, before the commit instead.
    with connection.constraint_checks_disabled(), transaction.atomic():
        tables = {name: _Table(model, layout, now) for name, (model, layout) in TABLES.items()}
        gen = Generator(
            seed=seed,
            today=today,
            villages=villages,
            cum_weights=cum,
            taken_niks=set(Person.objects.values_list("nik", flat=True)),
            tables=tables,
            now=now,
        )
        with secondary_indexes_deferred(t.table for t in tables.values()):
            totals.seconds["setup"] = time.monotonic() - clock
            clock = time.monotonic()
            _write_people(gen, tables, people, log)
            totals.seconds["rows"] = time.monotonic() - clock
            clock = time.monotonic()
        if connection.vendor != "postgresql":
            connection.check_constraints(table_names=[t.table for t in tables.values()])
        totals.seconds["indexes"] = time.monotonic() - clock
        clock = time.monotonic()
        # Statistics before the counters' GROUP BYs join these tables: a planner that still
        # believes them nearly empty joins them by nested loops (quadratic; minutes at 100k).
        _analyze(t.table for t in tables.values())
        analyzed = time.monotonic() - clock
        clock = time.monotonic()
        _reset_sequences([t.model for t in tables.values()])
        audit_record(
            actor=None,
            action=Action.IMPORT,
            object_type="synthetic",
            object_repr=f"Synthetic persons (seed {seed})",
            area_code=area or "",
            changes={
                "synthetic": True,
                "seed": seed,
                **{name: t.written for name, t in tables.items()},
            },
        )
        _counters_rebuilt_in_bulk()
        totals.seconds["counters"] = time.monotonic() - clock
        clock = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # the counters too, and what the run read
    totals.seconds["analyze"] = analyzed + time.monotonic() - clock
    written = {name: table.written for name, table in tables.items()}
    totals.persons, totals.placements = written["persons"], written["placements"]
    totals.events, totals.family = written["events"], written["family_members"]
    totals.cases, totals.programmes = written["cases"], written["programmes"]
    totals.enrolments, totals.sessions = written["enrolments"], written["sessions"]
    totals.audit = written["audit_events"] + 1  # and the run's own entry
    totals.bytes_total = _size_on_disk()
    totals.bytes_written = totals.bytes_total - size_before
    return totals


def _analyze(tables: Iterable[str]) -> None:
    """Fresh planner statistics of the tables (ANALYZE runs inside a transaction on both
    engines)."""
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def _reset_sequences(model_list: Iterable[type[models.Model]]) -> None:
    """Move PostgreSQL's id sequences past the ids written here (SQLite needs nothing)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(model_list))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
