"""Reads of regulations and their coverage: which villages have an enacted Perdes."""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, QuerySet, Sum
from django.db.models.functions import Substr

from lindung.accounts.scoping import code_q, reach_q
from lindung.counters.models import Counter, Metric
from lindung.lib.filters import filter_chosen
from lindung.outreach.selectors import villages_with_outreach
from lindung.regions.models import Area, Level, ancestor_codes, child_code_width, level_of_code
from lindung.regulations.models import REGENCY_KINDS, Regulation, RegulationKind


def regulation_list(*, user, filters: dict | None = None) -> QuerySet[Regulation]:
    """Regulations of the user's area, below it, and those above that bind it."""
    filters = filters or {}
    qs = Regulation.objects.filter(reach_q(user, "area"), archived_at__isnull=True)
    qs = filter_chosen(qs, filters, kind="kind", status="status")
    if filters.get("area"):
        qs = qs.filter(code_q(filters["area"], "area"))
    return qs.select_related("area__parent").order_by("kind", "area_id")


def regulation_get(*, user, pk) -> Regulation | None:
    """One regulation in reach."""
    qs = Regulation.objects.filter(reach_q(user, "area"), pk=pk)
    return qs.select_related("area", "created_by", "modified_by").first()


def regency_regulations(*, code: str) -> list[Regulation]:
    """The Perbup/Perda recorded for the regency a code lies in."""
    if level_of_code(code) < Level.REGENCY:
        return []
    return list(
        Regulation.objects.filter(
            area_id=code[:5], kind__in=list(REGENCY_KINDS), archived_at__isnull=True
        ).select_related("area")
    )


@dataclass
class Coverage:
    area: Area | None
    villages: int = 0
    by_status: dict = field(default_factory=dict)

    @property
    def enacted(self) -> int:
        return self.by_status.get("enacted", 0)

    @property
    def discussed(self) -> int:
        return self.by_status.get("discussed", 0)

    @property
    def draft(self) -> int:
        return self.by_status.get("draft", 0)

    @property
    def none(self) -> int:
        return self.villages - self.enacted - self.discussed - self.draft

    @property
    def share(self) -> float:
        return 100.0 * self.enacted / self.villages if self.villages else 0.0

    @property
    def bar_width(self) -> str:
        return f"{self.share:.1f}%"


def coverage_of(*, area_code: str | None) -> Coverage:
    """How many villages under the area have a Perdes, by status."""
    villages = Area.objects.filter(code_q(area_code, "code"), level=Level.VILLAGE).count()
    statuses = dict(
        Regulation.objects.filter(
            code_q(area_code, "area"), kind=RegulationKind.PERDES, archived_at__isnull=True
        )
        .values("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    area = Area.objects.filter(code=area_code).first() if area_code else None
    return Coverage(area, villages, statuses)


def coverage_by_child(*, area_code: str | None) -> list[Coverage]:
    """Perdes coverage of each area one level below, ranked by share enacted."""
    if level_of_code(area_code) >= Level.DISTRICT:
        return []
    width = child_code_width(area_code)
    villages = dict(
        Area.objects.filter(code_q(area_code, "code"), level=Level.VILLAGE)
        .annotate(child=Substr("code", 1, width))
        .values("child")
        .annotate(n=Count("code"))
        .values_list("child", "n")
    )
    statuses: dict[str, dict] = {}
    rows = (
        Regulation.objects.filter(
            code_q(area_code, "area"), kind=RegulationKind.PERDES, archived_at__isnull=True
        )
        .annotate(child=Substr("area_id", 1, width))
        .values("child", "status")
        .annotate(n=Count("id"))
    )
    for row in rows:
        statuses.setdefault(row["child"], {})[row["status"]] = row["n"]
    children = (
        Area.objects.filter(level=1)
        if area_code is None
        else Area.objects.filter(parent_id=area_code)
    )
    result = [Coverage(c, villages.get(c.code, 0), statuses.get(c.code, {})) for c in children]
    return sorted(result, key=lambda c: (-c.share, -c.enacted, c.area.code))


def coverage_levels(*, area_code: str | None) -> list[Coverage]:
    """Coverage of the area and of each area above it up to the province."""
    if area_code is None:
        return [coverage_of(area_code=None)]
    codes = [c for c in ancestor_codes(area_code) if level_of_code(c) < Level.VILLAGE]
    return [coverage_of(area_code=c) for c in codes]


def villages_without_draft(*, area_code: str) -> QuerySet[Area]:
    """Villages under the area with no Perdes yet, not even a draft: the regency's to-do list."""
    started = Regulation.objects.filter(
        area=OuterRef("code"), kind=RegulationKind.PERDES, archived_at__isnull=True
    ).exclude(status="none")
    return (
        Area.objects.filter(code_q(area_code, "code"), level=Level.VILLAGE)
        .filter(~Exists(started))
        .select_related("parent")
        .order_by("code")
    )


def village_perdes(*, codes) -> dict[str, Regulation]:
    """The live Perdes of each of these villages, by village code."""
    return {
        r.area_id: r
        for r in Regulation.objects.filter(
            area_id__in=list(codes), kind=RegulationKind.PERDES, archived_at__isnull=True
        )
    }


@dataclass
class Group:
    perdes: bool
    outreach: bool
    villages: int = 0
    departures: int = 0
    non_procedural: int = 0

    @property
    def share(self) -> float | None:
        return 100.0 * self.non_procedural / self.departures if self.departures else None


def side_by_side(*, area_code: str) -> list[Group]:
    """Villages grouped by (enacted Perdes, any outreach) against their departures and the
    share of those that were non-procedural. For a regency or a district."""
    codes = list(
        Area.objects.filter(code_q(area_code, "code"), level=Level.VILLAGE).values_list(
            "code", flat=True
        )
    )
    enacted = set(
        Regulation.objects.filter(
            code_q(area_code, "area"),
            kind=RegulationKind.PERDES,
            status="enacted",
            archived_at__isnull=True,
        ).values_list("area_id", flat=True)
    )
    reached = villages_with_outreach(area_code=area_code)
    departures: dict[str, list[int]] = {}
    rows = (
        Counter.objects.filter(
            code_q(area_code, "village"), level=Level.VILLAGE, metric=Metric.DEPARTURE
        )
        .values("village", "procedural")
        .annotate(n=Sum("n"))
    )
    for row in rows:
        total = departures.setdefault(row["village"], [0, 0])
        total[0] += row["n"]
        if row["procedural"] == "n":
            total[1] += row["n"]
    groups = {(p, o): Group(p, o) for p in (True, False) for o in (True, False)}
    for code in codes:
        group = groups[(code in enacted, code in reached)]
        group.villages += 1
        total, non = departures.get(code, (0, 0))
        group.departures += total
        group.non_procedural += non
    return list(groups.values())


def dashboard_panel(*, user, area_code: str | None) -> dict:
    """Regulation coverage for an area page: the regency's Perbup and the villages' Perdes."""
    area = Area.objects.filter(code=area_code).first() if area_code else None
    is_village = area is not None and area.level == Level.VILLAGE
    return {
        "area_code": area_code,
        "is_village": is_village,
        "perdes": village_perdes(codes=[area_code]).get(area_code) if is_village else None,
        "regency_regulations": regency_regulations(code=area_code) if area_code else [],
        "coverage": None if is_village else coverage_of(area_code=area_code),
    }
