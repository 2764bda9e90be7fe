"""Reads of information sessions and announcements, and the public village page."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from lindung.accounts.scoping import below_q, code_q, reach_q
from lindung.counters.keeping import NATION
from lindung.counters.models import Counter, Metric
from lindung.lib.filters import filter_chosen
from lindung.outreach.models import Announcement, AnnouncementKind, Material, OutreachSession
from lindung.regions.models import Area, Level, ancestor_codes, level_of_code


def session_list(*, user, filters: dict | None = None) -> QuerySet[OutreachSession]:
    """Sessions held in the user's area, or above it, newest first."""
    filters = filters or {}
    qs = OutreachSession.objects.filter(reach_q(user, "area"), archived_at__isnull=True)
    qs = filter_chosen(qs, filters, channel="channel", since="held_on__gte")
    if filters.get("topic"):
        # A LIKE on the JSON text: JSON containment is not available on SQLite.
        qs = qs.filter(topics__icontains=f'"{filters["topic"]}"')
    if filters.get("area"):
        qs = qs.filter(
            code_q(filters["area"], "area") | code_q(filters["area"], "villages")
        ).distinct()
    return qs.select_related("area")


def session_get(*, user, pk) -> OutreachSession | None:
    """One session, if held in the user's area or above it."""
    qs = OutreachSession.objects.filter(reach_q(user, "area"), pk=pk)
    return qs.select_related("area", "created_by").prefetch_related("villages").first()


def material_get(*, user, pk) -> Material | None:
    """One material, if its session is in reach."""
    qs = Material.objects.filter(reach_q(user, "session__area"), pk=pk, archived_at__isnull=True)
    return qs.select_related("session").first()


def announcement_list(*, user, current_only: bool = False) -> QuerySet[Announcement]:
    """Announcements for the user's area, above it (and national), or below it."""
    qs = Announcement.objects.filter(
        reach_q(user, "area", nationwide=True), archived_at__isnull=True
    )
    if current_only:
        qs = qs.filter(_current_q())
    return qs.select_related("area").order_by("-valid_from", "-id")


def announcement_get(*, user, pk) -> Announcement | None:
    """One announcement in reach."""
    qs = Announcement.objects.filter(reach_q(user, "area", nationwide=True), pk=pk)
    return qs.select_related("area").first()


def _current_q() -> Q:
    today = timezone.localdate()
    return Q(valid_from__lte=today) & (Q(valid_until__isnull=True) | Q(valid_until__gte=today))


def public_village(*, code: str) -> Area | None:
    """A village (desa/kelurahan) by code, for the public page."""
    return Area.objects.filter(code=code, level=Level.VILLAGE).select_related("parent").first()


def public_announcements(*, village: Area) -> dict:
    """The announcements valid today for a village: its own, its regency's, province's and
    national ones, split into hotlines and the rest. Only public fields are read."""
    qs = (
        Announcement.objects.filter(
            Q(area_id__in=ancestor_codes(village.code)) | Q(area__isnull=True),
            archived_at__isnull=True,
        )
        .filter(_current_q())
        .select_related("area")
        .only(
            "kind",
            "title",
            "body",
            "source",
            "valid_from",
            "valid_until",
            "area__name",
            "area__level",
        )
        .order_by("-valid_from", "-id")
    )
    rows = list(qs)
    return {
        "notices": [a for a in rows if a.kind != AnnouncementKind.HOTLINE],
        "hotlines": sorted(
            (a for a in rows if a.kind == AnnouncementKind.HOTLINE),
            key=lambda a: -(a.area.level if a.area else 0),
        ),
    }


def public_village_search(*, query: str, limit: int = 20) -> list[Area]:
    """Villages whose name contains the query, for the public page's search box."""
    key = " ".join(query.lower().split())
    if len(key) < 3:
        return []
    qs = Area.objects.filter(level=Level.VILLAGE, name_key__contains=key)
    return list(qs.select_related("parent__parent").order_by("name", "code")[:limit])


def villages_with_outreach(*, area_code: str | None, since=None) -> set[str]:
    """Codes of the villages under the area that held or were reached by a session."""
    sessions = OutreachSession.objects.filter(archived_at__isnull=True)
    if since is not None:
        sessions = sessions.filter(held_on__gte=since)
    held = sessions.filter(code_q(area_code, "area"), area__level=Level.VILLAGE).values_list(
        "area_id", flat=True
    )
    reached = OutreachSession.villages.through.objects.filter(
        code_q(area_code, "area_id"), outreachsession__archived_at__isnull=True
    )
    if since is not None:
        reached = reached.filter(outreachsession__held_on__gte=since)
    return set(held) | set(reached.values_list("area_id", flat=True))


REACH_METRICS = (Metric.OUTREACH.value, Metric.REACHED.value)


def _reach(rows) -> dict[str, dict]:
    """{area code: sessions, men, women, total} of the sessions' counter rows."""
    result: dict[str, dict] = {}
    for code, metric, sex, n in rows.filter(metric__in=REACH_METRICS).values_list(
        "village", "metric", "sex", "n"
    ):
        cell = result.setdefault(code, {"sessions": 0, "men": 0, "women": 0})
        if metric == Metric.OUTREACH.value:
            cell["sessions"] += n
        else:
            cell["men" if sex == "M" else "women"] += n
    for cell in result.values():
        cell["total"] = cell["men"] + cell["women"]
    return result


NO_REACH = {"sessions": 0, "men": 0, "women": 0, "total": 0}


def reach_totals(*, area_code: str | None) -> dict:
    """People reached by sessions held in the area: men, women, total and sessions.

    Read from the area's counter rows (decision record 23), a few rows at any size."""
    code = area_code or NATION
    return _reach(Counter.objects.filter(village=code)).get(code, dict(NO_REACH))


def reach_by_child(*, area_code: str | None) -> list[dict]:
    """People reached per area one level below (per district for a regency), by sex.

    Sessions held for the whole area itself (a regency radio spot) are shown on a row of their
    own, so totals add up: what the area's counters hold beyond its children's.
    """
    if level_of_code(area_code) >= Level.VILLAGE:
        return []
    level = level_of_code(area_code) + 1
    rows = Counter.objects.filter(level=level)
    # village > "" for the nation: not `exclude`, which SQLite reads by a skip-scan.
    rows = (
        rows.filter(village__gt=NATION)
        if area_code is None
        else rows.filter(below_q(area_code, "village"))
    )
    by_code = _reach(rows)
    children = (
        Area.objects.filter(level=1)
        if area_code is None
        else Area.objects.filter(parent_id=area_code)
    )
    result = [{"area": child, **by_code.get(child.code, NO_REACH)} for child in children]
    if area_code is not None:
        own = reach_totals(area_code=area_code)
        held_here = {key: own[key] - sum(r[key] for r in by_code.values()) for key in own}
        if held_here["sessions"]:
            result.append({"area": None, **held_here})
    return sorted(result, key=lambda r: (-r["total"], r["area"].code if r["area"] else "~"))


def dashboard_panel(*, user, area_code: str | None) -> dict:
    """Outreach reach for an area page: people reached by sex, per district, and the link to
    the village's public page."""
    area = Area.objects.filter(code=area_code).first() if area_code else None
    is_village = area is not None and area.level == Level.VILLAGE
    return {
        "area_code": area_code,
        "totals": reach_totals(area_code=area_code),
        "children": [] if is_village else reach_by_child(area_code=area_code),
        "public_code": area_code if is_village else None,
        "announcements": announcement_list(user=user, current_only=True)
        .filter(code_q(area_code, "area"))
        .count()
        if area_code
        else Announcement.objects.filter(archived_at__isnull=True).filter(_current_q()).count(),
    }
