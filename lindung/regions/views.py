import time

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render

from lindung.accounts.scoping import user_area_code
from lindung.regions import selectors


@login_required
def home(request):
    """Each user lands on the page of their own jurisdiction."""
    code = user_area_code(request.user)
    if code is None:
        return redirect("regions:national")
    return redirect("regions:area_detail", code=code)


@login_required
def national(request):
    if user_area_code(request.user) is not None:
        return redirect("home")
    return _render_area(request, None)


@login_required
def area_detail(request, code):
    area = selectors.area_get(user=request.user, code=code)
    if area is None:
        raise Http404
    return _render_area(request, area)


# The area tree changes only when load_regions runs; each process keeps the path and children
# of the areas it has shown for an hour, so a dashboard view does not query (or, for the
# nation, scan) the areas, nor unpickle them from a cache.
AREA_TREE_SECONDS = 3600
_area_trees: dict[str, tuple[float, list, list]] = {}


def _area_tree(area):
    key = area.code if area else ""
    now = time.monotonic()
    found = _area_trees.get(key)
    if found is None or found[0] < now:
        path = selectors.area_path(area=area) if area else []
        found = (now + AREA_TREE_SECONDS, path, list(selectors.area_children(area=area)))
        _area_trees[key] = found
    return found[1], found[2]


def _render_area(request, area):
    from lindung.reports.views import dashboard_context

    path, children = _area_tree(area)
    context = {
        "area": area,
        "path": path,
        # Areas above the user's own are named but not linked: opening them is not allowed.
        "crumbs": [(a, selectors.area_reachable(user=request.user, area=a)) for a in path],
        "children": children,
        # The figures, drill-down, warnings and panels are the reports app's (its dashboard).
        **dashboard_context(request, area, children),
    }
    return render(request, "regions/area_detail.html", context)


@login_required
def area_search(request):
    query = request.GET.get("q", "").strip()
    results = selectors.area_search(user=request.user, query=query)
    return render(request, "regions/area_search.html", {"query": query, "results": results})
