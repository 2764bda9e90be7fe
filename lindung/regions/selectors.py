"""Reads of areas, always within the reach of the user asking."""

from django.db.models import QuerySet

from lindung.accounts.scoping import scope, user_area_code
from lindung.regions.models import Area, ancestor_codes


def area_get(*, user, code: str) -> Area | None:
    """The area with this code if the user may open it, else None."""
    area = Area.objects.filter(code=code).first()
    if area is None or not area_reachable(user=user, area=area):
        return None
    return area


def area_reachable(*, user, area: Area) -> bool:
    """Whether the area is the user's jurisdiction or inside it.

    Users see the names of the areas above their own in the breadcrumb, but cannot open them.
    """
    own = user_area_code(user)
    if own is None:
        return True
    return area.code == own or area.code.startswith(own + ".")


def area_path(*, area: Area) -> list[Area]:
    """The areas from the province down to this one."""
    codes = ancestor_codes(area.code)
    by_code = {a.code: a for a in Area.objects.filter(code__in=codes)}
    return [by_code[c] for c in codes if c in by_code]


def area_children(*, area: Area | None) -> QuerySet[Area]:
    """The areas one level below (the provinces when `area` is None, the national level)."""
    if area is None:
        return Area.objects.filter(level=1)
    return Area.objects.filter(parent=area)


def area_search(*, user, query: str, limit: int = 20) -> list[Area]:
    """Areas whose name contains the query, within the user's reach, most general first."""
    key = " ".join(query.lower().split())
    if len(key) < 2:
        return []
    qs = scope(Area.objects.filter(name_key__contains=key), user, field="code")
    return list(qs.select_related("parent__parent").order_by("level", "name")[:limit])
