"""The monthly placement statistics feed: departures and returns per month, regency and
destination country, split by sex, in the shape the ministry publishes its placement tables.

Read from the regency rows of the counters (the same numbers as the dashboards), within the
user's reach: a regency sees its own rows, a province its regencies, the nation all."""

from dataclasses import dataclass

from django.db.models import Sum

from lindung.accounts.scoping import code_q, scope
from lindung.counters.models import Counter, Metric
from lindung.regions.models import Area, Level


@dataclass
class StatisticsRow:
    month: str
    regency: str
    country: str
    departures_male: int = 0
    departures_female: int = 0
    departures_non_procedural: int = 0
    returns_male: int = 0
    returns_female: int = 0


def placement_statistics(
    *, user, month_from: str, month_to: str, area_code: str | None = None
) -> list[StatisticsRow]:
    """Rows per (month, regency, country) with any departure or return, ordered so."""
    rows = Counter.objects.filter(
        level=Level.REGENCY,
        metric__in=[Metric.DEPARTURE, Metric.RETURN],
        month__gte=month_from,
        month__lte=month_to,
    )
    rows = scope(rows, user, field="village")
    if area_code:
        rows = rows.filter(code_q(area_code, "village"))
    table: dict[tuple, StatisticsRow] = {}
    values = rows.values("month", "village", "country", "metric", "sex", "procedural")
    for row in values.annotate(n=Sum("n")).order_by():
        if not row["n"]:
            continue
        key = (row["month"], row["village"], row["country"])
        line = table.get(key) or table.setdefault(key, StatisticsRow(*key))
        female = row["sex"] == "F"
        if row["metric"] == Metric.DEPARTURE:
            if female:
                line.departures_female += row["n"]
            else:
                line.departures_male += row["n"]
            if row["procedural"] == "n":
                line.departures_non_procedural += row["n"]
        elif female:
            line.returns_female += row["n"]
        else:
            line.returns_male += row["n"]
    return [table[key] for key in sorted(table)]


def regency_names(codes) -> dict[str, tuple[str, str, str]]:
    """{regency code: (regency name, province code, province name)}."""
    regencies = Area.objects.filter(code__in=set(codes)).select_related("parent")
    return {
        a.code: (a.name, a.parent_id or "", a.parent.name if a.parent else "") for a in regencies
    }
