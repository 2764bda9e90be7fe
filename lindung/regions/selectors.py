"""Reads of the area tree: paths, children, how a picker names an area. They know no user;
the reads of areas by user (within the user's reach) are in lindung/accounts/areas.py."""

import re

from django.db.models import QuerySet

from lindung.regions.models import Area, ancestor_codes


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


CODE_RE = re.compile(r"\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?")


def area_label(area: Area) -> str:
    """How a picker shows an area: its name, the areas above it, and its code."""
    above = []
    parent = area.parent if area.level > 1 else None
    while parent is not None and len(above) < 2:
        above.append(parent.name)
        parent = parent.parent if parent.level > 1 else None
    where = f", {', '.join(above)}" if above else ""
    return f"{area.title}{where} ({area.code})"
