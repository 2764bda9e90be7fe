"""Every report, declared once: id, title, who may run it, for which level of area, and its
sections (columns and query). Each is shown as a page, a print-ready A4 view and an XLSX file.

A report is built for the user who runs it: every row it reads passes through that user's
scope (`scope_within`), on top of the form's check that the area is within reach."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from lindung.accounts.models import Role
from lindung.accounts.scoping import scope_within
from lindung.cases.models import Case
from lindung.counters.keeping import NATION
from lindung.counters.models import Counter, Metric
from lindung.placements.models import Placement, PlacementEvent
from lindung.regions.models import Area, Level
from lindung.reports.figures import country_name, label


@dataclass(frozen=True)
class Column:
    key: str
    title: object
    numeric: bool = False


@dataclass
class Section:
    title: object
    columns: list[Column]
    rows: list[dict]
    totals: dict | None = None

    def table(self) -> list[list[dict]]:
        """The rows as cells in column order, for the templates."""
        return [
            [
                {
                    "value": row.get(c.key),
                    "numeric": c.numeric,
                    "title": c.title,
                    "link": row.get("code") if c.key == "area" else None,
                }
                for c in self.columns
            ]
            for row in self.rows
        ]

    def total_cells(self) -> list:
        return [self.totals.get(c.key, "") for c in self.columns[1:]] if self.totals else []


@dataclass(frozen=True)
class ReportSpec:
    id: str
    title: object
    description: object
    roles: frozenset
    level: int  # the level of the area it is run for
    build: Callable[..., list[Section]]  # (area, first, last, *, user) -> sections


def month_bounds(month: str) -> tuple[date, date]:
    """First and last day of a 'YYYY-MM' month; ValueError when malformed."""
    year, number = (int(p) for p in month.split("-"))
    first = date(year, number, 1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return first, last


def _events(user, area: Area, kind: str, first: date, last: date):
    events = PlacementEvent.objects.filter(
        kind=kind, occurred_on__gte=first, occurred_on__lte=last, person__archived_at__isnull=True
    )
    return (
        scope_within(events, user, area.code)
        .select_related("person", "placement")
        .order_by("occurred_on", "id")
    )


def _event_section(user, area: Area, kind: str, first: date, last: date, title, columns, extra):
    """A section of the month's events of one kind: date and name, then `columns`, whose
    values `extra(event)` gives (the country is always among them)."""
    rows = [
        {
            "date": e.occurred_on,
            "name": e.person.full_name,
            "country": country_name(e.placement.destination_country),
            **extra(e),
        }
        for e in _events(user, area, kind, first, last)
    ]
    return Section(title, [Column("date", _("Date")), Column("name", _("Name")), *columns], rows)


def _abroad_section(user, area: Area, last: date) -> Section:
    placements = scope_within(
        Placement.objects.filter(
            status="abroad",
            archived_at__isnull=True,
            person__archived_at__isnull=True,
            departed_on__lte=last,
        ),
        user,
        area.code,
    )
    rows = [
        {
            "name": p.person.full_name,
            "country": country_name(p.destination_country),
            "job": p.get_job_display(),
            "departed": p.departed_on,
            "contract_end": p.contract_end,
        }
        for p in placements.select_related("person").order_by("contract_end", "id")
    ]
    columns = [
        Column("name", _("Name")),
        Column("country", _("Country")),
        Column("job", _("Job")),
        Column("departed", _("Departed")),
        Column("contract_end", _("Contract ends")),
    ]
    return Section(_("Residents abroad"), columns, rows)


def _village_monthly(area: Area, first: date, last: date, *, user) -> list[Section]:
    country = Column("country", _("Country"))
    return [
        _event_section(
            user,
            area,
            "departed",
            first,
            last,
            _("Departures in the month"),
            [
                Column("sex", _("Sex")),
                country,
                Column("job", _("Job")),
                Column("procedural", _("Procedural")),
            ],
            lambda e: {
                "sex": e.person.get_sex_display(),
                "job": e.placement.get_job_display(),
                "procedural": label("procedural", "y" if e.placement.procedural else "n"),
            },
        ),
        _event_section(
            user,
            area,
            "returned",
            first,
            last,
            _("Returns in the month"),
            [country, Column("reason", _("Return reason"))],
            lambda e: {"reason": e.get_return_reason_display()},
        ),
        _event_section(
            user,
            area,
            "check_in",
            first,
            last,
            _("Family check-ins in the month"),
            [country, Column("result", _("Result"))],
            lambda e: {"result": e.get_check_in_result_display()},
        ),
        Section(
            _("New cases in the month"),
            [
                Column("date", _("Reported on")),
                Column("categories", _("Category")),
                Column("status", _("Status")),
            ],
            _new_cases(user, area, first, last),
        ),
        _abroad_section(user, area, last),
    ]


def _new_cases(user, area: Area, first: date, last: date) -> list[dict]:
    """Cases reported in the month (categories and status only)."""
    cases = Case.objects.filter(reported_on__gte=first, reported_on__lte=last)
    cases = (
        scope_within(cases, user, area.code)
        .prefetch_related("categories")
        .order_by("reported_on", "id")
    )
    return [
        {
            "date": c.reported_on,
            "categories": ", ".join(str(cat.get_code_display()) for cat in c.categories.all()),
            "status": c.get_status_display(),
        }
        for c in cases
    ]


RECAP_COLUMNS = [
    ("candidate", _("Calon PMI")),
    ("abroad", _("Abroad")),
    ("returned", _("Purna PMI")),
    ("women", _("Women")),
    ("men", _("Men")),
    ("non_procedural", _("Abroad non-procedurally")),
    ("departures", _("Departures in the month")),
    ("returns", _("Returns in the month")),
    ("departures_year", _("Departures, 12 months")),
]


def _recap_values(user, level: int, prefix: str | None, first: date) -> dict[str, dict[str, int]]:
    """Recap figures of every area of `level` under `prefix` (None: the nation), from the
    counters."""
    month = first.strftime("%Y-%m")
    year_start = (first - timedelta(days=335)).strftime("%Y-%m")
    rows = Counter.objects.filter(level=level, village__gt=NATION)
    rows = scope_within(rows, user, prefix)
    rows = rows.filter(
        Q(metric=Metric.RESIDENT)
        | Q(
            metric__in=[Metric.DEPARTURE, Metric.RETURN],
            month__gte=year_start,
            month__lte=month,
        )
    )
    values: dict[str, dict[str, int]] = {}
    data = (
        rows.values("village", "metric", "phase", "sex", "procedural", "month")
        .annotate(n=Sum("n"))
        .order_by()
    )
    for r in data:
        v = values.setdefault(r["village"], dict.fromkeys([k for k, _ in RECAP_COLUMNS], 0))
        n = r["n"]
        if r["metric"] == Metric.RESIDENT:
            if r["phase"] in ("candidate", "abroad", "returned"):
                v[r["phase"]] += n
                v["women" if r["sex"] == "F" else "men"] += n
            if r["phase"] == "abroad" and r["procedural"] == "n":
                v["non_procedural"] += n
        elif r["metric"] == Metric.DEPARTURE:
            v["departures_year"] += n
            if r["month"] == month:
                v["departures"] += n
        elif r["metric"] == Metric.RETURN and r["month"] == month:
            v["returns"] += n
    return values


def _recap_columns(first_title) -> list[Column]:
    return [Column("area", first_title)] + [
        Column(key, title, numeric=True) for key, title in RECAP_COLUMNS
    ]


def _sum(rows: list[dict]) -> dict:
    totals = {key: sum(r.get(key, 0) for r in rows) for key, _ in RECAP_COLUMNS}
    return {"area": _("Total"), **totals}


def _regency_recap(area: Area, first: date, last: date, *, user) -> list[Section]:
    districts = list(Area.objects.filter(parent=area).order_by("code"))
    by_village = _recap_values(user, Level.VILLAGE, area.code, first)
    by_district = _recap_values(user, Level.DISTRICT, area.code, first)
    empty = dict.fromkeys([k for k, _ in RECAP_COLUMNS], 0)
    district_rows = [
        {"area": d.title, "code": d.code, **by_district.get(d.code, empty)} for d in districts
    ]
    sections = [
        Section(_("By district"), _recap_columns(_("District")), district_rows, _sum(district_rows))
    ]
    villages = Area.objects.filter(parent__in=districts).order_by("code")
    village_rows = []
    for v in villages:
        village_rows.append(
            {
                "area": v.title,
                "code": v.code,
                "district": v.parent_id,
                **by_village.get(v.code, empty),
            }
        )
    sections.append(
        Section(_("By village"), _recap_columns(_("Village")), village_rows, _sum(village_rows))
    )
    return sections


def _province_recap(area: Area, first: date, last: date, *, user) -> list[Section]:
    regencies = Area.objects.filter(parent=area).order_by("code")
    values = _recap_values(user, Level.REGENCY, area.code, first)
    empty = dict.fromkeys([k for k, _ in RECAP_COLUMNS], 0)
    rows = [{"area": r.title, "code": r.code, **values.get(r.code, empty)} for r in regencies]
    return [Section(_("By regency"), _recap_columns(_("Regency/City")), rows, _sum(rows))]


def _national_recap(area: Area, first: date, last: date, *, user) -> list[Section]:
    provinces = Area.objects.filter(level=Level.PROVINCE).order_by("code")
    values = _recap_values(user, Level.PROVINCE, None, first)
    empty = dict.fromkeys([k for k, _ in RECAP_COLUMNS], 0)
    rows = [{"area": p.title, "code": p.code, **values.get(p.code, empty)} for p in provinces]
    return [Section(_("By province"), _recap_columns(_("Province")), rows, _sum(rows))]


def nation() -> Area:
    """The nation as the area of a national report: code "" (as the national counters), level 0;
    never saved."""
    return Area(code=NATION, level=0, name=str(_("Indonesia")))


EVERYONE = frozenset(
    {Role.VILLAGE_OPERATOR, Role.VILLAGE_HEAD, Role.DISNAKER, Role.OPD, Role.BP3MI, Role.KP2MI}
)
REGENCY_UP = frozenset({Role.DISNAKER, Role.OPD, Role.BP3MI, Role.KP2MI})

REPORTS: dict[str, ReportSpec] = {
    r.id: r
    for r in (
        ReportSpec(
            "village-monthly",
            _("Monthly village report"),
            _(
                "Departures, returns, family check-ins and new cases in the month, and the "
                "residents abroad with their country and contract end."
            ),
            EVERYONE,
            Level.VILLAGE,
            _village_monthly,
        ),
        ReportSpec(
            "regency-recap",
            _("Regency recap"),
            _("Residents by phase, women and men, and movements, by district and by village."),
            REGENCY_UP,
            Level.REGENCY,
            _regency_recap,
        ),
        ReportSpec(
            "province-recap",
            _("BP3MI provincial recap"),
            _("The same figures for each regency and city of the province."),
            frozenset({Role.BP3MI, Role.KP2MI}),
            Level.PROVINCE,
            _province_recap,
        ),
        ReportSpec(
            "national-recap",
            _("KP2MI national recap"),
            _("The same figures for each province."),
            frozenset({Role.KP2MI}),
            0,
            _national_recap,
        ),
    )
}


def reports_for(user) -> list[ReportSpec]:
    """The reports this user's role may run."""
    return [r for r in REPORTS.values() if user.role in r.roles]
