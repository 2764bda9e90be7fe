"""Reads of areas by user, always within the reach of the user asking: the area pages, the
area search and the pickers. The area tree itself is read in lindung/regions/selectors.py."""

import re

from lindung.accounts.scoping import code_in_scope, code_q, scope
from lindung.regions.models import Area
from lindung.regions.selectors import CODE_RE


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
    return code_in_scope(user, area.code)


def area_search(*, user, query: str, limit: int = 20) -> list[Area]:
    """Areas whose name contains the query, within the user's reach, most general first."""
    key = " ".join(query.lower().split())
    if len(key) < 2:
        return []
    qs = scope(Area.objects.filter(name_key__contains=key), user, field="code")
    return list(qs.select_related("parent__parent").order_by("level", "name")[:limit])


def area_pick(
    *, user, query: str, levels=None, anywhere: bool = False, limit: int = 12
) -> list[Area]:
    """Areas for a picker: by code prefix when the query is a code, else by name; within the
    user's reach unless `anywhere` (area names and codes are public reference data)."""
    query = " ".join(query.split())
    qs = Area.objects.all()
    if not anywhere:
        qs = scope(qs, user, field="code")
    if levels:
        qs = qs.filter(level__in=levels)
    if CODE_RE.fullmatch(query):
        qs = qs.filter(code_q(query, "code"))
        order = ("level", "code")
    elif len(query) >= 2:
        qs = qs.filter(name_key__contains=query.lower())
        order = ("level", "name")
    else:
        return []
    return list(qs.select_related("parent__parent").order_by(*order)[:limit])


def area_resolve(*, user, text: str, levels=None) -> tuple[Area | None, list[Area]]:
    """The area a picker's text names, and the candidates when it names none or several: a
    code, a picker label ending in "(code)", or a name that only one area in reach has."""
    text = " ".join((text or "").split())
    labelled = re.search(r"\((" + CODE_RE.pattern + r")\)$", text)
    code = labelled.group(1) if labelled else (text if CODE_RE.fullmatch(text) else "")
    if code:
        area = Area.objects.select_related("parent__parent").filter(code=code).first()
        return (area, []) if area is not None else (None, [])
    found = area_pick(user=user, query=text, levels=levels, limit=6)
    exact = [a for a in found if a.name_key == text.lower() or a.title.lower() == text.lower()]
    if len(exact) == 1:
        return exact[0], []
    if len(found) == 1:
        return found[0], []
    return None, found
