"""Keeping the counters in step with persons and events.

Services call `counters_person_changed` and `counters_event_recorded` (or take
`counters_for_person` before and after a change and `counters_apply` the difference) inside the
transaction that changes the record, so a dashboard never sees a count that disagrees with the
rows. Keys name a village; each is counted at the village, at every area above it and for the
nation (code "").
`counters_rebuild` recomputes everything from a plain GROUP BY; `counters_differences` says
where the table and the GROUP BY disagree.
"""

from collections import Counter as Tally

from django.db import IntegrityError, connection, transaction
from django.db.models import CharField, Count, F, Func, Q

from lindung.placements.models import Placement, PlacementEvent
from lindung.regions.models import ancestor_codes
from lindung.registry.models import Person
from lindung.reports.models import Counter, CounterVersion, Metric

NATION = ""  # the code of the national counter rows
EVENT_METRICS = {"departed": Metric.DEPARTURE, "returned": Metric.RETURN}


def _flag(value: bool | None) -> str:
    return "" if value is None else ("y" if value else "n")


def person_key(person) -> tuple | None:
    """The counter dimensions a person counts under now (None when not counted)."""
    if person.archived_at is not None:
        return None
    placement = person.current_placement
    return (
        person.village_id,
        Metric.RESIDENT.value,
        person.phase,
        placement.destination_country if placement else "",
        person.sex,
        placement.job if placement else "",
        _flag(placement.procedural) if placement else "",
        "",
    )


def event_key(event, placement, person) -> tuple | None:
    """The counter dimensions of a departure or return event (None for other events)."""
    metric = EVENT_METRICS.get(event.kind)
    if metric is None:
        return None
    return (
        event.village_id,
        metric.value,
        "",
        placement.destination_country,
        person.sex,
        placement.job,
        _flag(placement.procedural),
        event.occurred_on.isoformat()[:7],  # "YYYY-MM", six times faster than strftime
    )


class YearMonth(Func):
    """'YYYY-MM' of a date column, computed by the database (no per-row Python)."""

    output_field = CharField()

    def as_sqlite(self, compiler, conn, **extra):
        return self.as_sql(compiler, conn, template="substr(%(expressions)s, 1, 7)", **extra)

    def as_postgresql(self, compiler, conn, **extra):
        return self.as_sql(compiler, conn, template="to_char(%(expressions)s, 'YYYY-MM')", **extra)


def counter_level(code: str) -> int:
    """The level of a counter row's code: 0 for the nation, 1 province … 4 village."""
    return code.count(".") + 1 if code else 0


def rolled_up(key: tuple) -> list[tuple]:
    """The key of a village and the same key for each area above it, the nation first.

    Always top-down, so concurrent writers lock shared rows in the same order.
    """
    return [(code, *key[1:]) for code in (NATION, *ancestor_codes(key[0]))]


def _add_one(key: tuple, delta: int) -> None:
    dims = dict(zip(Counter.DIMENSIONS, key, strict=True))
    if Counter.objects.filter(**dims).update(n=F("n") + delta):
        return
    try:
        with transaction.atomic():
            Counter.objects.create(n=delta, level=counter_level(key[0]), **dims)
    except IntegrityError:
        # Another transaction created the row between our update and insert.
        Counter.objects.filter(**dims).update(n=F("n") + delta)


def _add(key: tuple, delta: int) -> None:
    for level_key in rolled_up(key):
        _add_one(level_key, delta)


def counters_person_changed(*, before: tuple | None, after: tuple | None) -> None:
    """Move a person from the counter of their old state to that of their new one."""
    if before == after:
        return
    if before is not None:
        _add(before, -1)
    if after is not None:
        _add(after, 1)


def counters_event_recorded(*, event, placement, person, delta: int = 1) -> None:
    """Count a departure or return event (others are ignored)."""
    key = event_key(event, placement, person)
    if key is not None:
        _add(key, delta)


def counters_expected() -> Tally:
    """The counters as a plain GROUP BY over persons and events computes them."""
    tally: Tally = Tally()
    persons = (
        Person.objects.filter(archived_at__isnull=True)
        .values(
            "village_id",
            "phase",
            "sex",
            country=F("current_placement__destination_country"),
            job=F("current_placement__job"),
            procedural=F("current_placement__procedural"),
        )
        .annotate(total=Count("id"))
        .order_by()
    )
    for row in persons:
        key = (
            row["village_id"],
            Metric.RESIDENT.value,
            row["phase"],
            row["country"] or "",
            row["sex"],
            row["job"] or "",
            _flag(row["procedural"]) if row["country"] else "",
            "",
        )
        tally[key] += row["total"]
    events = (
        PlacementEvent.objects.filter(kind__in=list(EVENT_METRICS))
        .filter(Q(person__archived_at__isnull=True) | Q(person__anonymised_at__isnull=False))
        .values(
            "village_id",
            "kind",
            sex=F("person__sex"),
            country=F("placement__destination_country"),
            job=F("placement__job"),
            procedural=F("placement__procedural"),
            month=YearMonth("occurred_on"),
        )
        .annotate(total=Count("id"))
        .order_by()
    )
    for row in events:
        key = (
            row["village_id"],
            EVENT_METRICS[row["kind"]].value,
            "",
            row["country"],
            row["sex"],
            row["job"],
            _flag(row["procedural"]),
            row["month"],
        )
        tally[key] += row["total"]
    return _roll_up(tally)


def _roll_up(tally: Tally) -> Tally:
    """Add every village's counts to the district, regency, province and nation above it."""
    result: Tally = Tally()
    for key, n in tally.items():
        for level_key in rolled_up(key):
            result[level_key] += n
    return result


def counters_actual() -> Tally:
    """The counters table, as a tally with zero rows left out."""
    tally: Tally = Tally()
    for row in Counter.objects.exclude(n=0).values_list(*Counter.DIMENSIONS, "n"):
        tally[tuple(row[:-1])] += row[-1]
    return tally


def counters_differences() -> list[tuple[tuple, int, int]]:
    """(dimensions, in the table, from the GROUP BY) wherever the two disagree."""
    expected, actual = counters_expected(), counters_actual()
    keys = sorted(set(expected) | set(actual))
    return [(k, actual.get(k, 0), expected.get(k, 0)) for k in keys if actual[k] != expected[k]]


# Code length of each level: "", "18", "18.11", "18.11.01", "18.11.01.2001".
LEVEL_WIDTHS = {0: 0, 1: 2, 2: 5, 3: 8, 4: 13}


def _rebuild_statements() -> list[str]:
    """INSERT … SELECT … GROUP BY statements that write every level's counters in the database.

    A plain SQL GROUP BY, so a rebuild of millions of persons takes seconds; the check compares
    the result with `counters_expected`, computed independently through the ORM.
    """
    q = connection.ops.quote_name
    counter, person = q(Counter._meta.db_table), q(Person._meta.db_table)
    placement, event = q(Placement._meta.db_table), q(PlacementEvent._meta.db_table)
    if connection.vendor == "postgresql":
        month = "to_char(e.occurred_on, 'YYYY-MM')"
    else:
        month = "substr(e.occurred_on, 1, 7)"
    flag = "CASE WHEN pl.procedural IS NULL THEN '' WHEN pl.procedural THEN 'y' ELSE 'n' END"
    columns = "village, level, metric, phase, country, sex, job, procedural, month, n"
    statements = []
    for level, width in LEVEL_WIDTHS.items():
        statements.append(
            f"INSERT INTO {counter} ({columns}) "  # noqa: S608 (names come from the models)
            f"SELECT substr(p.village_id, 1, {width}), {level}, 'resident', p.phase, "
            f"COALESCE(pl.destination_country, ''), p.sex, COALESCE(pl.job, ''), "
            f"CASE WHEN pl.destination_country IS NULL THEN '' ELSE {flag} END, '', COUNT(*) "
            f"FROM {person} p LEFT JOIN {placement} pl ON pl.id = p.current_placement_id "
            f"WHERE p.archived_at IS NULL "
            f"GROUP BY substr(p.village_id, 1, {width}), p.phase, pl.destination_country, "
            f"p.sex, pl.job, pl.procedural"
        )
        for kind, metric in EVENT_METRICS.items():
            statements.append(
                f"INSERT INTO {counter} ({columns}) "  # noqa: S608
                f"SELECT substr(e.village_id, 1, {width}), {level}, '{metric.value}', '', "
                f"pl.destination_country, p.sex, pl.job, {flag}, {month}, COUNT(*) "
                f"FROM {event} e JOIN {placement} pl ON pl.id = e.placement_id "
                f"JOIN {person} p ON p.id = e.person_id "
                f"WHERE e.kind = '{kind}' "
                f"AND (p.archived_at IS NULL OR p.anonymised_at IS NOT NULL) "
                f"GROUP BY substr(e.village_id, 1, {width}), pl.destination_country, p.sex, "
                f"pl.job, pl.procedural, {month}"
            )
    return statements


@transaction.atomic
def counters_rebuild() -> int:
    """Recompute every counter from the records; returns the number of counter rows."""
    Counter.objects.all().delete()
    with connection.cursor() as cursor:
        for sql in _rebuild_statements():
            cursor.execute(sql)
    return Counter.objects.count()


def counters_for_person(person) -> Tally:
    """Every counter key a person contributes to now: their state and their departures and
    returns. Services take this before and after a change and apply the difference, so any
    change (village, sex, country, merge, archive) keeps the counters exact.

    An anonymised record (archived by the retention job) no longer counts as a resident, but
    its departures and returns stay counted: the statistics of past years do not change."""
    tally: Tally = Tally()
    if person.pk is None or (person.archived_at is not None and person.anonymised_at is None):
        return tally
    key = person_key(person)
    if key is not None:
        tally[key] += 1

    events = PlacementEvent.objects.filter(person=person, kind__in=list(EVENT_METRICS))
    for event in events.select_related("placement"):
        tally[event_key(event, event.placement, person)] += 1
    return tally


def counters_apply(*, before: Tally, after: Tally) -> None:
    """Apply the difference between two tallies of counter keys."""
    # Sorted, so two transactions that touch the same rows lock them in the same order.
    for key in sorted(set(before) | set(after)):
        delta = after.get(key, 0) - before.get(key, 0)
        if delta:
            _add(key, delta)


def counters_version(area_code: str | None) -> tuple[int, int, bool]:
    """(number, token, dirty): the first two change whenever a counter of the area (None: the
    nation) changes; dirty is true when the current transaction itself has changed one.

    Read it before the counters: the triggers bump it in the transaction that changes them.
    A dirty reader sees its own uncommitted counters and must not cache what it renders.
    """
    table = connection.ops.quote_name(CounterVersion._meta.db_table)
    where, params = "", []
    if area_code is not None and len(area_code) >= 5:
        where, params = "WHERE area = %s", [area_code[:5]]
    elif area_code is not None:
        where = "WHERE area = %s OR (area >= %s AND area < %s)"
        params = [area_code, area_code + ".", area_code + "/"]
    if connection.vendor == "postgresql":
        # Bumped once per transaction (see migration 0003), so a transaction that has bumped
        # it can change the counters again under the same number.
        dirty = "COALESCE(BOOL_OR(tx = txid_current_if_assigned()), false)"
    else:
        dirty = "0"  # every change bumps the number, inside a transaction too
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COALESCE(SUM(n), 0), COALESCE(SUM(token), 0), {dirty} "  # noqa: S608
            f"FROM {table} {where}",
            params,
        )
        n, token, is_dirty = cursor.fetchone()
    return int(n), int(token), bool(is_dirty)
