"""The counters recomputed from the records: a rebuild, and a check of the table.

`counters_rebuild` recomputes everything from a plain GROUP BY; `counters_differences` says
where the table and the GROUP BY disagree. Both read persons, episodes, events, programme
enrolments, cases and information sessions, so they stand above every writer; the writers
keep the counters with `lindung.counters.keeping`.
"""

from collections import Counter as Tally

from django.db import connection, transaction
from django.db.models import (
    CharField,
    Count,
    DateField,
    Exists,
    F,
    Func,
    OuterRef,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from lindung.cases.models import OPEN_STATUSES, Case, CaseCategory
from lindung.counters.keeping import (
    EMPOWERMENT_KINDS,
    EVENT_METRICS,
    empowerment_enrolments,
    ordinal_day,
    procedural_flag,
    rolled_up,
)
from lindung.counters.models import Counter, Metric
from lindung.counters.trends import trends_roll
from lindung.outreach.models import OutreachSession
from lindung.placements.models import Placement, PlacementEvent, Sector
from lindung.programs.models import Enrollment, Kind, Program
from lindung.programs.selectors import quickwin_placements
from lindung.regions.models import CODE_WIDTHS
from lindung.registry.models import Person


class YearMonth(Func):
    """'YYYY-MM' of a date column, computed by the database (no per-row Python)."""

    output_field = CharField()

    def as_sqlite(self, compiler, conn, **extra):
        return self.as_sql(compiler, conn, template="substr(%(expressions)s, 1, 7)", **extra)

    def as_postgresql(self, compiler, conn, **extra):
        return self.as_sql(compiler, conn, template="to_char(%(expressions)s, 'YYYY-MM')", **extra)


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
            procedural_flag(row["procedural"]) if row["country"] else "",
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
            procedural_flag(row["procedural"]),
            row["month"],
        )
        tally[key] += row["total"]
    tally.update(_enrolments_expected())
    tally.update(_quickwin_expected())
    tally.update(_warnings_expected())
    tally.update(_cases_expected())
    tally.update(_sessions_expected())
    return _roll_up(tally)


def _sessions_expected() -> Tally:
    """The live information sessions by the area they were held for, and the men and women
    they reached (counters.keeping.session_keys), counted through the ORM."""
    tally: Tally = Tally()
    live = OutreachSession.objects.filter(archived_at__isnull=True).order_by().values("area_id")
    sums = live.annotate(
        sessions=Count("id"), men=Sum("attendees_male"), women=Sum("attendees_female")
    )
    for row in sums:
        area, blank = row["area_id"], ("", "", "")
        tally[(area, Metric.OUTREACH.value, "", "", "", *blank)] += row["sessions"]
        for sex in ("M", "F"):
            n = row["men" if sex == "M" else "women"] or 0
            if n:
                tally[(area, Metric.REACHED.value, "", "", sex, *blank)] += n
    return tally


def _cases_expected() -> Tally:
    """The open cases by village, urgency and due day, and by category
    (counters.keeping.case_keys), counted through the ORM."""
    tally: Tally = Tally()
    open_cases = Case.objects.filter(archived_at__isnull=True, status__in=OPEN_STATUSES)
    rows = open_cases.order_by().values_list("village_id", "urgent", "due_on")
    for village, urgent, due_on, total in rows.annotate(total=Count("id")):
        day = "" if due_on is None else ordinal_day(due_on)
        flag = "y" if urgent else "n"
        tally[(village, Metric.CASE_OPEN.value, "", "", "", "", flag, day)] += total
    categories = (
        CaseCategory.objects.filter(case__in=open_cases)
        .order_by()
        .values_list("case__village_id", "code")
        .annotate(total=Count("id"))
    )
    for village, code, total in categories:
        tally[(village, Metric.CASE_CATEGORY.value, "", "", "", code, "", "")] += total
    return tally


def _warnings_expected() -> Tally:
    """The early warnings' items, without their windows, by village and deciding day: the
    episodes and returnees that reports.selectors lists, counted through the ORM."""
    tally: Tally = Tally()
    blank = ("", "", "", "", "")
    live = Placement.objects.filter(
        archived_at__isnull=True,
        person__archived_at__isnull=True,
        person__restricted_at__isnull=True,
    ).order_by()
    abroad = live.filter(status="abroad")
    groups = (
        (Metric.CONTRACT_END, abroad, F("contract_end")),
        (Metric.DOCUMENTS_DUE, live, F("documents_due_on")),
        (Metric.LAST_CONTACT, abroad, Coalesce("last_check_in_on", "departed_on")),
        (Metric.NON_PROCEDURAL, abroad.filter(procedural__in=[False]), Value(None, DateField())),
    )
    for metric, episodes, day in groups:
        rows = episodes.annotate(day=day).values_list("village_id", "day")
        if metric != Metric.NON_PROCEDURAL:
            rows = rows.filter(day__isnull=False)
        for village, on, total in rows.annotate(total=Count("id")):
            month = "" if on is None else ordinal_day(on)
            tally[(village, metric.value, *blank, month)] += total
    empowered = empowerment_enrolments(Enrollment.objects).filter(person_id=OuterRef("id"))
    returnees = (
        Person.objects.filter(
            archived_at__isnull=True,
            restricted_at__isnull=True,
            phase="returned",
            returned_on__isnull=False,
        )
        .filter(~Exists(empowered))
        .order_by()
        .values_list("village_id", "returned_on")
        .annotate(total=Count("id"))
    )
    for village, on, total in returnees:
        tally[(village, Metric.UNEMPOWERED.value, *blank, ordinal_day(on))] += total
    return tally


def _quickwin_expected() -> Tally:
    """Each person counted towards the Quick Win once a year, at the village of their first
    departure that qualifies (`programs.selectors.quickwin_placements`, for every year)."""
    tally: Tally = Tally()
    qualifying = (
        quickwin_placements(area_code=None, year=None)
        .order_by("person_id", "departed_on", "id")
        .values_list("person_id", "departed_on", "village_id")
    )
    seen = set()
    for person_id, departed_on, village in qualifying.iterator(chunk_size=10_000):
        if (person_id, departed_on.year) not in seen:
            seen.add((person_id, departed_on.year))
            key = (village, Metric.QUICKWIN.value, "", "", "", "", "", f"{departed_on.year:04d}")
            tally[key] += 1
    return tally


def _enrolments_expected() -> Tally:
    """Live enrolments by village and status, and those holding a certificate."""
    tally: Tally = Tally()
    blank = ("", "", "", "", "")
    live = Enrollment.objects.filter(archived_at__isnull=True).order_by()
    for village, status, total in live.values_list("village_id", "status").annotate(
        total=Count("id")
    ):
        tally[(village, Metric.ENROLMENT.value, status, *blank)] += total
    certified = live.filter(certificate_date__isnull=False).exclude(certificate_number="")
    for village, total in certified.values_list("village_id").annotate(total=Count("id")):
        tally[(village, Metric.CERTIFIED.value, "", *blank)] += total
    return tally


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


COLUMNS = "village, level, metric, phase, country, sex, job, procedural, month, n"


def _date_text(expression: str, postgresql: str, sqlite: str) -> str:
    """A date in the rebuild's SQL as the counters' text: PostgreSQL's `to_char` pattern, or
    SQLite's template around the ISO text it stores dates as."""
    if connection.vendor == "postgresql":
        return f"to_char({expression}, '{postgresql}')"
    return sqlite.format(expression)


def _quoted(*models) -> list[str]:
    """The models' table names, quoted for the rebuild's SQL."""
    return [connection.ops.quote_name(model._meta.db_table) for model in models]


def _quickwin_firsts_sql() -> str:
    """Each person's departures that the Quick Win counts, numbered within their year: `nth`
    1 is their first procedural formal-sector departure of the year on or after their first
    certified vocational training. The certificates are grouped by person first (a few rows),
    then joined, so no departure looks its person's enrolments up one by one."""
    person, placement, enrollment, programme = _quoted(Person, Placement, Enrollment, Program)
    year = _date_text("pl.departed_on", "YYYY", "substr({}, 1, 4)")
    return (
        f"SELECT pl.village_id, {year} AS year, ROW_NUMBER() OVER ("  # noqa: S608
        f"PARTITION BY pl.person_id, {year} ORDER BY pl.departed_on, pl.id) AS nth "
        f"FROM {placement} pl JOIN {person} p ON p.id = pl.person_id JOIN ("
        f"SELECT en.person_id, MIN(en.certificate_date) AS certified_on "
        f"FROM {enrollment} en JOIN {programme} g ON g.id = en.program_id "
        f"WHERE en.archived_at IS NULL AND en.status = 'completed' "
        f"AND g.kind = '{Kind.VOCATIONAL_TRAINING.value}' AND g.archived_at IS NULL "
        f"AND en.certificate_number <> '' AND en.certificate_date IS NOT NULL "
        f"GROUP BY en.person_id) c ON c.person_id = pl.person_id "
        f"WHERE pl.archived_at IS NULL AND p.archived_at IS NULL AND pl.procedural "
        f"AND pl.sector = '{Sector.FORMAL.value}' AND pl.departed_on >= c.certified_on"
    )


def _warning_statements(counter: str, level: int) -> list[str]:
    """The rebuild's statements of the villages for the early warnings (counters.keeping's
    episode_warning_keys and unempowered_key, in SQL)."""
    person, placement, enrollment, programme = _quoted(Person, Placement, Enrollment, Program)

    def ordinal(day: str) -> str:  # the ISO ordinal date, as counters.keeping.ordinal_day
        return _date_text(day, "YYYYDDD", "strftime('%Y%j', {})")

    contact = "COALESCE(pl.last_check_in_on, pl.departed_on)"
    live = "pl.archived_at IS NULL AND p.archived_at IS NULL AND p.restricted_at IS NULL"
    statements = []
    for metric, day, where in (
        (Metric.CONTRACT_END, "pl.contract_end", "pl.status = 'abroad'"),
        (Metric.DOCUMENTS_DUE, "pl.documents_due_on", "1 = 1"),
        (Metric.LAST_CONTACT, contact, "pl.status = 'abroad'"),
        (Metric.NON_PROCEDURAL, None, "pl.status = 'abroad' AND NOT pl.procedural"),
    ):
        month = "''" if day is None else ordinal(day)
        when = "" if day is None else f"AND {day} IS NOT NULL"
        statements.append(
            f"INSERT INTO {counter} ({COLUMNS}) "  # noqa: S608 (names come from the models)
            f"SELECT pl.village_id, {level}, '{metric.value}', "
            f"'', '', '', '', '', {month}, COUNT(*) "
            f"FROM {placement} pl JOIN {person} p ON p.id = pl.person_id "
            f"WHERE {live} AND {where} {when} "
            f"GROUP BY pl.village_id" + (f", {day}" if day else "")
        )
    kinds = ", ".join(f"'{kind}'" for kind in EMPOWERMENT_KINDS)
    statements.append(
        f"INSERT INTO {counter} ({COLUMNS}) "  # noqa: S608
        f"SELECT p.village_id, {level}, '{Metric.UNEMPOWERED.value}', "
        f"'', '', '', '', '', {ordinal('p.returned_on')}, COUNT(*) FROM {person} p "
        f"WHERE p.archived_at IS NULL AND p.restricted_at IS NULL AND p.phase = 'returned' "
        f"AND p.returned_on IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {enrollment} en "
        f"JOIN {programme} g ON g.id = en.program_id WHERE en.person_id = p.id "
        f"AND en.archived_at IS NULL AND g.kind IN ({kinds})) "
        f"GROUP BY p.village_id, p.returned_on"
    )
    return statements


def _case_statements(counter: str, level: int) -> list[str]:
    """The rebuild's statements of the villages for the open cases (counters.keeping.case_keys,
    in SQL)."""
    case, category = _quoted(Case, CaseCategory)
    day = _date_text("c.due_on", "YYYYDDD", "strftime('%Y%j', {})")
    statuses = ", ".join(f"'{status}'" for status in OPEN_STATUSES)
    live = f"c.archived_at IS NULL AND c.status IN ({statuses})"
    village = "c.village_id"
    return [
        f"INSERT INTO {counter} ({COLUMNS}) "  # noqa: S608 (names come from the models)
        f"SELECT {village}, {level}, '{Metric.CASE_OPEN.value}', '', '', '', '', "
        f"CASE WHEN c.urgent THEN 'y' ELSE 'n' END, COALESCE({day}, ''), COUNT(*) "
        f"FROM {case} c WHERE {live} GROUP BY {village}, c.urgent, c.due_on",
        f"INSERT INTO {counter} ({COLUMNS}) "  # noqa: S608
        f"SELECT {village}, {level}, '{Metric.CASE_CATEGORY.value}', '', '', '', cc.code, '', "
        f"'', COUNT(*) FROM {category} cc JOIN {case} c ON c.id = cc.case_id WHERE {live} "
        f"GROUP BY {village}, cc.code",
    ]


def _session_statements(counter: str, level: int, width: int) -> list[str]:
    """The rebuild's statements of one level for the information sessions
    (counters.keeping.session_keys, in SQL): a session counts at its own area and above, so a
    level's rows hold the sessions whose area is at that level or below."""
    (session,) = _quoted(OutreachSession)
    area = f"substr(s.area_id, 1, {width})"
    live = f"s.archived_at IS NULL AND length(s.area_id) >= {width}"
    statements = [
        f"INSERT INTO {counter} ({COLUMNS}) "  # noqa: S608 (names come from the models)
        f"SELECT {area}, {level}, '{Metric.OUTREACH.value}', '', '', '', '', '', '', COUNT(*) "
        f"FROM {session} s WHERE {live} GROUP BY {area}"
    ]
    for sex, column in (("M", "attendees_male"), ("F", "attendees_female")):
        statements.append(
            f"INSERT INTO {counter} ({COLUMNS}) "  # noqa: S608
            f"SELECT {area}, {level}, '{Metric.REACHED.value}', '', '', '{sex}', '', '', '', "
            f"SUM(s.{column}) FROM {session} s WHERE {live} GROUP BY {area} "
            f"HAVING SUM(s.{column}) > 0"
        )
    return statements


def _stage() -> str:
    """The rebuild's temporary table, named in the temporary schema so that no permanent
    table of that name could ever be written or dropped."""
    schema = "pg_temp" if connection.vendor == "postgresql" else "temp"
    return f"{schema}.lindung_counter_stage"


KEY = "village, metric, phase, country, sex, job, procedural, month"


def _village_statements(counter: str) -> list[str]:
    """INSERT … SELECT … GROUP BY statements that write the villages' counters (level 4) of
    everything counted at a village, into the table `counter`."""
    person, placement, event, enrollment = _quoted(Person, Placement, PlacementEvent, Enrollment)
    month = _date_text("e.occurred_on", "YYYY-MM", "substr({}, 1, 7)")
    flag = "CASE WHEN pl.procedural IS NULL THEN '' WHEN pl.procedural THEN 'y' ELSE 'n' END"
    level = max(CODE_WIDTHS)
    statements = [
        f"INSERT INTO {counter} ({COLUMNS}) "  # noqa: S608 (names come from the models)
        f"SELECT p.village_id, {level}, 'resident', p.phase, "
        f"COALESCE(pl.destination_country, ''), p.sex, COALESCE(pl.job, ''), "
        f"CASE WHEN pl.destination_country IS NULL THEN '' ELSE {flag} END, '', COUNT(*) "
        f"FROM {person} p LEFT JOIN {placement} pl ON pl.id = p.current_placement_id "
        f"WHERE p.archived_at IS NULL "
        f"GROUP BY p.village_id, p.phase, pl.destination_country, p.sex, pl.job, pl.procedural"
    ]
    for kind, metric in EVENT_METRICS.items():
        statements.append(
            f"INSERT INTO {counter} ({COLUMNS}) "  # noqa: S608
            f"SELECT e.village_id, {level}, '{metric.value}', '', "
            f"pl.destination_country, p.sex, pl.job, {flag}, {month}, COUNT(*) "
            f"FROM {event} e JOIN {placement} pl ON pl.id = e.placement_id "
            f"JOIN {person} p ON p.id = e.person_id "
            f"WHERE e.kind = '{kind}' "
            f"AND (p.archived_at IS NULL OR p.anonymised_at IS NOT NULL) "
            f"GROUP BY e.village_id, pl.destination_country, p.sex, "
            f"pl.job, pl.procedural, {month}"
        )
    for metric, status, where in (
        (Metric.ENROLMENT, "en.status", ""),
        (
            Metric.CERTIFIED,
            "''",
            "AND en.certificate_number <> '' AND en.certificate_date IS NOT NULL",
        ),
    ):
        statements.append(
            f"INSERT INTO {counter} ({COLUMNS}) "  # noqa: S608
            f"SELECT en.village_id, {level}, '{metric.value}', {status}, '', '', '', '', '', "
            f"COUNT(*) FROM {enrollment} en WHERE en.archived_at IS NULL {where} "
            f"GROUP BY en.village_id" + (", en.status" if metric == Metric.ENROLMENT else "")
        )
    statements.append(
        f"INSERT INTO {counter} ({COLUMNS}) "  # noqa: S608
        f"SELECT f.village_id, {level}, '{Metric.QUICKWIN.value}', "
        f"'', '', '', '', '', f.year, COUNT(*) FROM ({_quickwin_firsts_sql()}) f "
        f"WHERE f.nth = 1 GROUP BY f.village_id, f.year"
    )
    statements.extend(_warning_statements(counter, level))
    statements.extend(_case_statements(counter, level))
    return statements


# Counted at the area a row names, at any level, so not summed up from the villages.
OWN_AREA_METRICS = (Metric.OUTREACH, Metric.REACHED)


def _rebuild_statements() -> list[str]:
    """The statements that write every level's counters in the database.

    The villages' rows come from plain GROUP BYs over the records; each level above sums the
    level below it (a district its villages, a regency its districts …), so the records are
    read once, not once a level. The information sessions count at their own area and above,
    so each level counts them from the records. Everything is written first to a temporary
    table with no index, then copied into the counters in the order of their unique key, so
    the key's index grows at its end instead of being searched for each row. The check
    compares the result with `counters_expected`, computed independently through the ORM.
    """
    (counter,) = _quoted(Counter)
    stage = _stage()
    own = ", ".join(f"'{metric.value}'" for metric in OWN_AREA_METRICS)
    statements = [
        f"DROP TABLE IF EXISTS {stage}",
        f"CREATE TEMPORARY TABLE {stage} AS SELECT {COLUMNS} FROM {counter} WHERE 1 = 0",  # noqa: S608
        *_village_statements(stage),
    ]
    levels = sorted(CODE_WIDTHS, reverse=True)
    for below, level in zip(levels, levels[1:], strict=False):
        area = f"substr(village, 1, {CODE_WIDTHS[level]})"
        statements.append(
            f"INSERT INTO {stage} ({COLUMNS}) "  # noqa: S608
            f"SELECT {area}, {level}, metric, phase, country, sex, job, procedural, month, "
            f"SUM(n) FROM {stage} WHERE level = {below} AND metric NOT IN ({own}) "
            f"GROUP BY {area}, metric, phase, country, sex, job, procedural, month"
        )
    for level, width in CODE_WIDTHS.items():
        statements.extend(_session_statements(stage, level, width))
    statements += [
        f"INSERT INTO {counter} ({COLUMNS}) SELECT {COLUMNS} FROM {stage} ORDER BY {KEY}",  # noqa: S608
        f"DROP TABLE {stage}",
    ]
    return statements


@transaction.atomic
def counters_rebuild() -> int:
    """Recompute every counter from the records, and the villages' trends from them; returns
    the number of counter rows."""
    Counter.objects.all().delete()
    with connection.cursor() as cursor:
        for sql in _rebuild_statements():
            cursor.execute(sql)
    trends_roll(force=True)
    return Counter.objects.count()
