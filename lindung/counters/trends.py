"""Villages whose non-procedural departures are rising: more in the last TREND_MONTHS months
(this month included) than in the TREND_MONTHS months before. One of the early warnings a
village head and the regency watch departures with (UU 18/2017 Pasal 42).

The sums live in `VillageTrend`, one row per village with a non-procedural departure in the
window that `TrendWindow` names, so a list of rising villages reads an index instead of summing
six months of counters for every village in reach:

- every writer of the counters (`counters_apply`, the import's upsert) calls `trends_refresh`
  with the villages whose departure counters it changed, in the same transaction: it locks
  their rows, then sums their counters again (so two writers of one village cannot undo each
  other's sums);
- `trends_roll` moves the window on when the month changes, recomputing every row in one
  statement. The scheduler runs it every hour, `counters_rebuild` after each rebuild, and a
  reader whose month is not the window's runs it before reading, so a list is never read
  from another month's window;
- `trends_differences` compares the table with the counters (`check_counters`).
"""

from datetime import date

from django.db import connection, transaction
from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from lindung.counters.models import Counter, Metric, TrendWindow, VillageTrend
from lindung.lib.dates import month_list
from lindung.regions.models import Level, level_of_code

TREND_MONTHS = 3


def trend_window(today: date) -> tuple[str, str, str]:
    """(first month before, first recent month, last recent month) of the window that
    `today` falls in, as 'YYYY-MM'."""
    months = month_list(today, TREND_MONTHS * 2)
    return months[0], months[TREND_MONTHS], months[-1]


def trend_sums(month: str, villages: list[str] | None = None) -> QuerySet:
    """Each village's non-procedural departures in the window ending with `month` ('YYYY-MM'):
    rows of (village, recent, before), summed by the database from the village counters."""
    year, number = int(month[:4]), int(month[5:7])
    first, recent_from, last = trend_window(date(year, number, 1))
    rows = Counter.objects.filter(
        level=Level.VILLAGE,
        metric=Metric.DEPARTURE,
        procedural="n",
        month__gte=first,
        month__lte=last,
    )
    if villages is not None:
        rows = rows.filter(village__in=villages)
    return (
        rows.values("village")
        .annotate(
            recent=Coalesce(Sum("n", filter=Q(month__gte=recent_from)), 0),
            before=Coalesce(Sum("n", filter=Q(month__lt=recent_from)), 0),
        )
        .filter(Q(recent__gt=0) | Q(before__gt=0))
        .order_by()
    )


def trend_villages(keys) -> set[str]:
    """The villages among counter keys (village level or rolled up) whose trend they change."""
    return {
        key[0]
        for key in keys
        if key[1] == Metric.DEPARTURE.value
        and key[6] == "n"
        and level_of_code(key[0]) == Level.VILLAGE
    }


def _window_month() -> str | None:
    return TrendWindow.objects.filter(pk=1).values_list("month", flat=True).first()


def _names() -> tuple[str, list[str]]:
    """The trend table's name and its written columns (village, recent, before), quoted."""
    quote = connection.ops.quote_name
    columns = [quote(c) for c in ("village_id", "recent", "before")]
    return quote(VillageTrend._meta.db_table), columns


def _lock_rows(villages: list[str]) -> None:
    """Make sure each village has a row and lock them all, in code order, until the
    transaction ends: a second writer of the same village waits here and then sums what the
    first committed."""
    table, columns = _names()
    village, recent, _before = columns
    # PostgreSQL wants the table's name on the existing row's column; SQLite takes it bare.
    current = f"{table}.{recent}" if connection.vendor == "postgresql" else recent
    values = ", ".join(["(%s, 0, 0)"] * len(villages))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES {values} "  # noqa: S608
            f"ON CONFLICT ({village}) DO UPDATE SET {recent} = {current}",
            villages,
        )


def trends_refresh(villages) -> None:
    """Sum the window's departures again for these villages (their counters changed in this
    transaction). Nothing to do before the first window is made: `trends_roll` makes it."""
    villages = sorted(set(villages))
    if not villages or _window_month() is None:
        return
    with transaction.atomic():
        _lock_rows(villages)
        month = _window_month()  # read again once the rows are ours: a roll may have committed
        sums = {row["village"]: row for row in trend_sums(month, villages)}
        rows = [
            VillageTrend(
                village_id=code,
                recent=sums.get(code, {}).get("recent", 0),
                before=sums.get(code, {}).get("before", 0),
            )
            for code in villages
        ]
        VillageTrend.objects.bulk_update(rows, ["recent", "before"])


def trends_roll(today: date | None = None, *, force: bool = False) -> bool:
    """Make the window the one `today` falls in, recomputing every village's sums, unless it
    already is (or always, with `force`: after a rebuild of the counters). Returns whether it
    recomputed."""
    month = trend_window(today or timezone.localdate())[2]
    if not force and _window_month() == month:
        return False
    with transaction.atomic():
        TrendWindow.objects.get_or_create(pk=1, defaults={"month": ""})
        window = TrendWindow.objects.select_for_update().get(pk=1)
        if not force and window.month == month:
            return False  # another process rolled it while this one waited
        VillageTrend.objects.all().delete()
        sql, params = trend_sums(month).query.sql_with_params()
        table, columns = _names()
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) {sql}",  # noqa: S608
                params,
            )
        window.month = month
        window.save(update_fields=["month"])
    return True


def trends_differences() -> list[tuple[str, tuple[int, int], tuple[int, int]]]:
    """(village, (recent, before) in the table, the same from the counters) wherever they
    disagree, for the window the table holds (none before the first window is made)."""
    month = _window_month()
    if month is None:
        return []
    expected = {row["village"]: (row["recent"], row["before"]) for row in trend_sums(month)}
    actual = {
        code: (recent, before)
        for code, recent, before in VillageTrend.objects.values_list(
            "village_id", "recent", "before"
        )
        if recent or before
    }
    return [
        (code, actual.get(code, (0, 0)), expected.get(code, (0, 0)))
        for code in sorted(set(expected) | set(actual))
        if actual.get(code) != expected.get(code)
    ]
