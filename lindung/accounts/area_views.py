"""The area pages (/wilayah/, names regions:…): an area's page kept to the user's area, the
area search and the picker's suggestions. Above accounts, as they read areas by user
(lindung/accounts/areas.py); the templates are the regions app's."""

import time
from collections import OrderedDict
from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render

from lindung.accounts import areas
from lindung.regions import selectors

# What the area page shows besides its path and the areas below: an app above accounts that
# has something to show for an area (the reports app: figures, warnings, panels) registers a
# function here in its AppConfig.ready. Each takes (request, area, children), the area being
# one the user may open, and returns template context.
AREA_PAGE_SECTIONS: list[Callable[..., dict]] = []


@login_required
def national(request):
    if not request.user.is_national:
        return redirect("home")
    return _render_area(request, None)


@login_required
def area_detail(request, code):
    area = areas.area_get(user=request.user, code=code)
    if area is None:
        raise Http404
    return _render_area(request, area)


# The area tree changes only when load_regions runs; each process keeps the path and children
# of the areas it has shown for an hour, so a dashboard view does not query (or, for the
# nation, scan) the areas, nor unpickle them from a cache. At most AREA_TREE_ENTRIES areas are
# kept (the least recently shown leave first), so a process that is walked through all 91,599
# areas keeps a bounded memory.
AREA_TREE_SECONDS = 3600
AREA_TREE_ENTRIES = 2048
_area_trees: OrderedDict[str, tuple[float, list, list]] = OrderedDict()


def _area_tree(area):
    key = area.code if area else ""
    now = time.monotonic()
    found = _area_trees.get(key)
    if found is None or found[0] < now:
        path = selectors.area_path(area=area) if area else []
        found = (now + AREA_TREE_SECONDS, path, list(selectors.area_children(area=area)))
        _area_trees[key] = found
        while len(_area_trees) > AREA_TREE_ENTRIES:
            _area_trees.popitem(last=False)
    _area_trees.move_to_end(key)
    return found[1], found[2]


def _render_area(request, area):
    path, children = _area_tree(area)
    context = {
        "area": area,
        "path": path,
        # Areas above the user's own are named but not linked: opening them is not allowed.
        "crumbs": [(a, areas.area_reachable(user=request.user, area=a)) for a in path],
        "children": children,
    }
    for section in AREA_PAGE_SECTIONS:
        context.update(section(request, area, children))
    return render(request, "regions/area_detail.html", context)


@login_required
def area_search(request):
    query = request.GET.get("q", "").strip()
    results = areas.area_search(user=request.user, query=query)
    return render(request, "regions/area_search.html", {"query": query, "results": results})


@login_required
def area_pick(request):
    """Areas for the type-to-search area picker (JSON for its script; a plain list without
    it). ?level=4 limits to villages; ?any=1 looks beyond the user's reach (names only)."""
    query = request.GET.get("q", "").strip()[:80]
    levels = [int(x) for x in request.GET.getlist("level") if x in ("1", "2", "3", "4")]
    results = areas.area_pick(
        user=request.user, query=query, levels=levels, anywhere=request.GET.get("any") == "1"
    )
    if request.GET.get("format") == "json":
        return JsonResponse(
            {
                "results": [
                    {"code": a.code, "name": a.name, "label": selectors.area_label(a)}
                    for a in results
                ]
            }
        )
    labelled = [(a, selectors.area_label(a)) for a in results]
    return render(request, "regions/area_pick.html", {"query": query, "results": labelled})
