"""Reads for dashboards, early warnings and reports; every one within the user's reach."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from lindung.accounts.scoping import (
    NOWHERE,
    below_q,
    code_in_scope,
    code_q,
    narrowest_area,
    scope_within,
)
from lindung.cases import selectors as cases_selectors
from lindung.counters.keeping import NATION, empowerment_enrolments, ordinal_day
from lindung.counters.models import Counter, Metric, VillageTrend
from lindung.counters.trends import trends_roll
from lindung.lib.ages import latest_birth_date
from lindung.lib.dates import month_list
from lindung.lib.keyset import capped_count
from lindung.outreach import selectors as outreach_selectors
from lindung.placements.models import Placement
from lindung.placements.readiness import MINIMUM_AGE, REQUIRED_ITEMS
from lindung.programs import selectors as programs_selectors
from lindung.programs.eligibility import EMPOWERMENT_WINDOW_DAYS
from lindung.programs.models import Enrollment
from lindung.regions.models import Area
from lindung.registry.models import Person
from lindung.regulations import selectors as regulations_selectors

MONTHS_SHOWN = 24
PANEL_APPS = {
    "cases": cases_selectors,
    "programs": programs_selectors,
    "outreach": outreach_selectors,
    "regulations": regulations_selectors,
}
# The figures a drill-down table can split by, and the counter dimension behind each.
SPLITS = ("phase", "sex", "country", "job", "procedural", "movement")


def _own_rows(area: Area | None) -> QuerySet[Counter]:
    """Counters of the area itself (for the nation, its own rows: as few as a province's)."""
    if area is None:
        return Counter.objects.filter(village=NATION)
    return Counter.objects.filter(level=area.level, village=area.code)


def _child_rows(area: Area | None) -> QuerySet[Counter]:
    """Counters of the areas one level below."""
    if area is None:
        # village > "": not `exclude`, whose NOT (village = "") sends SQLite to a skip-scan of
        # the unique index (1.1 s at a million persons instead of 10 ms).
        return Counter.objects.filter(level=1, village__gt=NATION)
    return Counter.objects.filter(below_q(area.code, "village"), level=area.level + 1)


def _tally(rows, key: str) -> dict[str, int]:
    result: dict[str, int] = {}
    for row in rows:
        if row["n"]:
            result[row[key]] = result.get(row[key], 0) + row["n"]
    return result


@dataclass
class Dashboard:
    area: Area | None
    phases: dict[str, int]
    abroad_by_country: dict[str, int]
    abroad_by_job: dict[str, int]
    residents_by_sex: dict[str, int]
    abroad_by_sex: dict[str, int]
    abroad_by_procedural: dict[str, int]
    months: list[str]
    departures: dict[str, int]
    returns: dict[str, int]
    non_procedural_departures: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.phases.values())


def dashboard_figures(*, area: Area | None, today: date | None = None) -> Dashboard:
    """The area's figures from the counters (the caller has checked the user may see it)."""
    today = today or timezone.localdate()
    months = month_list(today, MONTHS_SHOWN)
    residents = list(
        _own_rows(area)
        .filter(metric=Metric.RESIDENT)
        .values("phase", "country", "sex", "job", "procedural")
        .annotate(n=Sum("n"))
        .order_by()
    )
    abroad = [r for r in residents if r["phase"] == "abroad"]
    events = list(
        _own_rows(area)
        .filter(metric__in=[Metric.DEPARTURE, Metric.RETURN], month__gte=months[0])
        .values("metric", "month", "procedural")
        .annotate(n=Sum("n"))
        .order_by()
    )
    departures = [e for e in events if e["metric"] == Metric.DEPARTURE]
    return Dashboard(
        area=area,
        phases=_tally(residents, "phase"),
        abroad_by_country=_tally(abroad, "country"),
        abroad_by_job=_tally(abroad, "job"),
        residents_by_sex=_tally([r for r in residents if r["phase"] != "none"], "sex"),
        abroad_by_sex=_tally(abroad, "sex"),
        abroad_by_procedural=_tally(abroad, "procedural"),
        months=months,
        departures=_tally(departures, "month"),
        returns=_tally([e for e in events if e["metric"] == Metric.RETURN], "month"),
        non_procedural_departures=_tally(
            [e for e in departures if e["procedural"] == "n"], "month"
        ),
    )


def dashboard_split(*, area: Area | None, split: str, today: date | None = None) -> dict:
    """{child code: {value: n}} of one figure for each area one level below."""
    rows = _child_rows(area)
    if split == "movement":
        months = month_list(today or timezone.localdate(), MONTHS_SHOWN)
        data = (
            rows.filter(metric__in=[Metric.DEPARTURE, Metric.RETURN], month__gte=months[0])
            .values("village", value=F("metric"))
            .annotate(n=Sum("n"))
            .order_by()
        )
    else:
        rows = rows.filter(metric=Metric.RESIDENT)
        if split == "phase":
            pass
        elif split == "sex":
            rows = rows.exclude(phase="none")
        else:
            rows = rows.filter(phase="abroad")
        data = rows.values("village", value=F(split)).annotate(n=Sum("n")).order_by()
    result: dict[str, dict[str, int]] = {}
    for row in data:
        if row["n"]:
            cell = result.setdefault(row["village"], {})
            cell[row["value"]] = cell.get(row["value"], 0) + row["n"]
    return result


def dashboard_panels(*, user, area_code: str | None) -> list[tuple[str, dict]]:
    """(template, context) of each other app's dashboard panel."""
    return [
        (f"{label}/dashboard_panel.html", module.dashboard_panel(user=user, area_code=area_code))
        for label, module in PANEL_APPS.items()
    ]


# Early warnings ---------------------------------------------------------------------------

CONTRACT_DAYS = 60
DOCUMENT_DAYS = 183
CHECK_IN_DAYS = 183
# Each list's order, its last field unique: the warning pages go on from the last row shown
# (keyset pages), and the indexes of placements and persons serve these orders.
WARNING_ORDER = {
    "contract_ending": ("contract_end", "id"),
    "documents_expiring": ("documents_due_on", "id"),
    "no_check_in": ("last_check_in_on", "departed_on", "id"),
    "non_procedural": ("-departed_on", "id"),
    "minor_candidates": ("birth_date", "id"),
    "returned_not_empowered": ("-returned_on", "id"),
    "rising_non_procedural": ("-rise", "village_id"),
}


def _placements(user, area_code: str | None) -> QuerySet[Placement]:
    qs = Placement.objects.filter(archived_at__isnull=True)
    qs = scope_within(qs, user, area_code, regency_led=True)
    qs = qs.filter(person__archived_at__isnull=True, person__restricted_at__isnull=True)
    return qs.select_related("person", "village")


def _persons(user, area_code: str | None, *, province_led=False) -> QuerySet[Person]:
    qs = Person.objects.filter(archived_at__isnull=True, restricted_at__isnull=True)
    qs = scope_within(qs, user, area_code, regency_led=True, province_led=province_led)
    return qs.select_related("village", "current_placement")


def warning_contract_ending(user, area_code, today):
    """Abroad, with the contract ending within 60 days."""
    return (
        _placements(user, area_code)
        .filter(
            status="abroad",
            contract_end__gte=today,
            contract_end__lte=today + timedelta(days=CONTRACT_DAYS),
        )
        .order_by(*WARNING_ORDER["contract_ending"])
    )


def warning_documents_expiring(user, area_code, today):
    """Preparing or abroad, with a passport or visa that expires within 6 months (or has),
    the soonest first. `documents_due_on` is empty for every other status."""
    return (
        _placements(user, area_code)
        .filter(documents_due_on__lte=today + timedelta(days=DOCUMENT_DAYS))
        .order_by(*WARNING_ORDER["documents_expiring"])
    )


def warning_no_check_in(user, area_code, today):
    """Abroad, and the family has not been contacted for 6 months (or ever, since departure)."""
    cutoff = today - timedelta(days=CHECK_IN_DAYS)
    return (
        _placements(user, area_code)
        .filter(status="abroad")
        .filter(
            Q(last_check_in_on__lt=cutoff)
            | Q(last_check_in_on__isnull=True, departed_on__lt=cutoff)
        )
        .order_by(*WARNING_ORDER["no_check_in"])
    )


def warning_non_procedural(user, area_code, today):
    """Abroad after a departure recorded with an incomplete checklist."""
    return (
        _placements(user, area_code)
        # procedural IN (false), not procedural = false: Django writes the latter "NOT
        # procedural", which no SQLite index serves.
        .filter(status="abroad", procedural__in=[False])
        .order_by(*WARNING_ORDER["non_procedural"])
    )


def warning_minor_candidates(user, area_code, today):
    """Calon PMI younger than the minimum age (18, placements.readiness) today."""
    return (
        # A province too reads its minors by its code (decision record 24).
        _persons(user, area_code, province_led=True)
        .filter(phase="candidate", birth_date__gt=latest_birth_date(MINIMUM_AGE, today))
        .order_by(*WARNING_ORDER["minor_candidates"])
    )


def warning_returned_not_empowered(user, area_code, today):
    """Returned in the last 12 months and not enrolled in any empowerment programme.

    Read by the return date kept on the person (placements.phase.return_date_of_person): the
    nation and a regency walk their own index in the list's order and stop after a page."""
    qs = _persons(user, area_code).filter(
        phase="returned",
        returned_on__gte=today - timedelta(days=EMPOWERMENT_WINDOW_DAYS),
    )
    # NOT EXISTS, not NOT IN: looked up person by person through the enrolments' person
    # index, where NOT IN hashes every empowerment enrolment of the nation first.
    qs = qs.filter(
        ~Exists(empowerment_enrolments(Enrollment.objects).filter(person_id=OuterRef("id")))
    )
    return qs.order_by(*WARNING_ORDER["returned_not_empowered"])


def warning_rising_non_procedural(user, area_code, today) -> QuerySet[VillageTrend]:
    """Villages whose non-procedural departures rose in the last 3 months against the 3 before
    (`lindung.counters.trends`), read from their kept sums, the steepest rise first."""
    trends_roll(today)  # nothing to do unless the month has changed since the last roll
    rows = VillageTrend.objects.filter(rise__gt=0).select_related("village__parent__parent")
    return scope_within(rows, user, area_code).order_by(*WARNING_ORDER["rising_non_procedural"])


@dataclass(frozen=True)
class Warning:
    id: str
    query: object
    subject: str  # "placement", "person" or "village"


WARNINGS: dict[str, Warning] = {
    w.id: w
    for w in (
        Warning("contract_ending", warning_contract_ending, "placement"),
        Warning("documents_expiring", warning_documents_expiring, "placement"),
        Warning("no_check_in", warning_no_check_in, "placement"),
        Warning("non_procedural", warning_non_procedural, "placement"),
        Warning("minor_candidates", warning_minor_candidates, "person"),
        Warning("returned_not_empowered", warning_returned_not_empowered, "person"),
        Warning("rising_non_procedural", warning_rising_non_procedural, "village"),
    )
}


def warning_items(*, user, warning_id: str, area_code: str | None = None, today=None):
    """The queryset (or list) behind one warning, within the user's reach."""
    if area_code and not code_in_scope(user, area_code):
        return Placement.objects.none()
    return WARNINGS[warning_id].query(user, area_code, today or timezone.localdate())


# The warnings whose counts the counters keep (exact); the others are counted from their list.
COUNTED_WARNINGS = frozenset(
    {
        "contract_ending",
        "documents_expiring",
        "no_check_in",
        "non_procedural",
        "returned_not_empowered",
    }
)


def _counted_windows(today) -> dict[str, tuple[Metric, Q]]:
    """The warnings read from the counters: their metric and the days (counters' `month`,
    "YYYYDDD") whose items they list today, the same windows as the lists above."""
    cutoff = today - timedelta(days=CHECK_IN_DAYS)
    return {
        "contract_ending": (
            Metric.CONTRACT_END,
            Q(
                month__gte=ordinal_day(today),
                month__lte=ordinal_day(today + timedelta(days=CONTRACT_DAYS)),
            ),
        ),
        "documents_expiring": (
            Metric.DOCUMENTS_DUE,
            Q(month__lte=ordinal_day(today + timedelta(days=DOCUMENT_DAYS))),
        ),
        "no_check_in": (Metric.LAST_CONTACT, Q(month__lt=ordinal_day(cutoff))),
        "non_procedural": (Metric.NON_PROCEDURAL, Q()),
        "returned_not_empowered": (
            Metric.UNEMPOWERED,
            Q(month__gte=ordinal_day(today - timedelta(days=EMPOWERMENT_WINDOW_DAYS))),
        ),
    }


def _counted_warnings(user, area_code, today) -> dict[str, int]:
    """The counts of the warnings kept in the counters: one query over the rows of the one
    area `scope_within` would select, however many episodes and persons it holds."""
    windows = _counted_windows(today)
    area = narrowest_area(user, area_code)
    if area == NOWHERE:
        return dict.fromkeys(windows, 0)
    sums = {
        warning_id: Coalesce(Sum("n", filter=Q(metric=metric.value) & days), 0)
        for warning_id, (metric, days) in windows.items()
    }
    rows = Counter.objects.filter(
        village=area or NATION, metric__in=[metric.value for metric, _days in windows.values()]
    )
    return rows.aggregate(**sums)


def counted_warning(*, user, warning_id: str, area_code: str | None = None, today=None):
    """The count of one warning kept in the counters, exact (None for the warnings counted
    from their list)."""
    if warning_id not in COUNTED_WARNINGS:
        return None
    today = today or timezone.localdate()
    if area_code and not code_in_scope(user, area_code):
        return 0
    return _counted_warnings(user, area_code, today)[warning_id]


def warning_counts(
    *, user, area_code: str | None = None, today=None, cap: int | None = None
) -> dict[str, int]:
    """How many items each warning lists for the user (under `area_code` when given).

    Those of COUNTED_WARNINGS come from the counters (`_counted_windows`), exact and at the
    same cost at any registry size. The others are counted from their list; with `cap`,
    counting stops after cap + 1 items, so their count above `cap` means "more than cap"."""
    today = today or timezone.localdate()
    if area_code and not code_in_scope(user, area_code):
        return dict.fromkeys(WARNINGS, 0)
    counted = _counted_warnings(user, area_code, today)
    counts = {}
    for warning_id in WARNINGS:
        if warning_id in counted:
            counts[warning_id] = counted[warning_id]
            continue
        items = warning_items(user=user, warning_id=warning_id, area_code=area_code, today=today)
        if cap is None:
            counts[warning_id] = items.count()
        else:
            n, capped = capped_count(items, cap)
            counts[warning_id] = cap + 1 if capped else n
    return counts


def village_count(*, area: Area | None) -> int:
    """How many villages lie in the area."""
    qs = Area.objects.filter(level=4)
    if area is not None:
        qs = qs.filter(code_q(area.code, "code"))
    return qs.aggregate(n=Count("code"))["n"]


# The home page's work lists ---------------------------------------------------------------

HOME_LIST_LIMIT = 8


def home_candidates_waiting(*, user, area_code: str | None = None) -> QuerySet[Placement]:
    """Calon PMI whose Pasal 5/13 checklist still lacks documents, oldest episode first."""
    return (
        _placements(user, area_code)
        .filter(status="planned")
        .annotate(done=Count("checks", filter=Q(checks__item__in=REQUIRED_ITEMS)))
        .filter(done__lt=len(REQUIRED_ITEMS))
        .order_by("created_at", "id")
    )


def home_returned_this_month(*, user, area_code: str | None = None, today=None):
    """Episodes that ended with a return home in the current month, latest first."""
    today = today or timezone.localdate()
    return (
        _placements(user, area_code)
        .filter(status="returned", returned_on__gte=today.replace(day=1), returned_on__lte=today)
        .order_by("-returned_on", "id")
    )
