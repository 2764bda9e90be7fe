from datetime import timedelta
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lindung.accounts.scoping import code_in_scope, user_area_code
from lindung.audit.models import Action
from lindung.audit.services import audit_record
from lindung.regions.models import Area
from lindung.reports import figures, selectors
from lindung.reports.counters import counters_version
from lindung.reports.declared import REPORTS, month_bounds, reports_for
from lindung.reports.export import xlsx_response
from lindung.reports.figures import month_label
from lindung.reports.forms import ReportForm
from lindung.reports.warnings import WARNING_TEXTS, warning_rows

# The rendered figures are cached under the counters' version (see counters_version), so a
# cached fragment always shows the counters as they are; the timeout only frees memory.
FIGURES_CACHE_SECONDS = 3600
# Part of every figures key: a deploy that changes the fragment's template or its inputs
# bumps it, so a shared cache never serves a fragment of the previous release.
FIGURES_FRAGMENT = 2
# The warning counts and the other apps' panels count live rows, which grows with the registry;
# the dashboard shows them from a short-lived cache (the warning lists themselves are live).
COUNTS_CACHE_SECONDS = 300


def dashboard_context(request, area: Area | None, children) -> dict:
    """What the area page shows: figures, drill-down, warnings and other apps' panels, each
    as rendered HTML from a cache that cannot show stale figures.

    The caller (the area page) has already checked that the user may open `area`. The figures
    are the same for everyone who may open the area, so they are cached per area, split,
    language and day under the counters' version; warnings and panels depend on the user and
    are cached per user for a few minutes, as the page says.
    """
    today = timezone.localdate()
    split = request.GET.get("split", "phase")
    if split not in selectors.SPLITS:
        split = "phase"
    return {
        "figures_html": _figures_html(area, children, split, today),
        "counts_html": _counts_html(request, area, today),
    }


def _figures_html(area: Area | None, children, split: str, today) -> str:
    code = area.code if area else None
    version, token, dirty = counters_version(code)  # before the counters: see counters_version
    if dirty:  # this transaction changed the counters: render them, cache nothing
        return mark_safe(_render_figures(area, children, split, today))  # noqa: S308
    key = (
        f"reports:figures:{FIGURES_FRAGMENT}:{code or '-'}:{split}:{get_language()}:{today}:"
        f"{version}:{token}"
    )
    html = cache.get(key)
    if html is None:
        html = _render_figures(area, children, split, today)
        _cache_on_commit(key, html, FIGURES_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 (our own template's output, escaped when rendered)


def _render_figures(area, children, split, today) -> str:
    return render_to_string(
        "reports/dashboard_figures.html", figures_context(area, children, split, today)
    )


def _cache_on_commit(key: str, html: str, seconds: int) -> None:
    """Cache once the current transaction commits (at once outside one): a render inside a
    transaction that later rolls back must never be served."""
    transaction.on_commit(lambda: cache.set(key, html, seconds))


def figures_context(area: Area | None, children, split: str, today) -> dict:
    """Everything the figures fragment shows, labelled and formatted in Python."""
    data = selectors.dashboard_figures(area=area, today=today)
    phase_rows = figures.bar_rows(
        {k: v for k, v in data.phases.items() if k != "none"}, "phase", figures.SPLIT_ORDER["phase"]
    )
    departures_total = sum(data.departures.values())
    context = {
        "area": area,
        "dashboard": data,
        "stats": [
            *((row["n"], row["label"]) for row in phase_rows),
            (departures_total, _("Departures, 24 months")),
            (sum(data.non_procedural_departures.values()), _("of which non-procedural")),
        ],
        "bar_figures": [
            ("fig-phase", _("By phase"), phase_rows),
            (
                "fig-sex",
                _("Women and men (all phases)"),
                figures.bar_rows(data.residents_by_sex, "sex", ["F", "M"]),
            ),
            (
                "fig-country",
                _("Abroad now, by country"),
                figures.bar_rows(data.abroad_by_country, "country"),
            ),
            ("fig-job", _("Abroad now, by job"), figures.bar_rows(data.abroad_by_job, "job")),
            (
                "fig-procedural",
                _("Abroad now: procedural or not"),
                figures.bar_rows(data.abroad_by_procedural, "procedural", ["y", "n"]),
            ),
        ],
        "month_chart": figures.month_chart(
            data.months, {"departure": data.departures, "return": data.returns}
        ),
        "departures_total": departures_total,
        "returns_total": sum(data.returns.values()),
        "split": split,
        "splits": [(s, figures.SPLIT_LABELS[s]) for s in selectors.SPLITS],
    }
    if area is None or area.level < 4:
        context["split_table"] = figures.split_table(
            list(children), split, selectors.dashboard_split(area=area, split=split, today=today)
        )
        context["drill_title"] = DRILL_TITLES[area.level if area else 0]
    return context


DRILL_TITLES = {
    0: _("By province"),
    1: _("By regency"),
    2: _("By district"),
    3: _("By village"),
}


def _counts_html(request, area: Area | None, today) -> str:
    user = request.user
    code = area.code if area else None
    # Per user and sign-in, role and jurisdiction: a change of role or a new sign-in never
    # shows another reach's counts.
    login = user.last_login.timestamp() if user.last_login else 0
    key = (
        f"reports:dashboard-counts:{user.pk}:{login}:{user.role}:{user.jurisdiction_id}:"
        f"{code}:{today}:{get_language()}"
    )
    html = cache.get(key)
    if html is None:
        counts = selectors.warning_counts(user=user, area_code=code, today=today)
        context = {
            "area": area,
            "warnings": [{"id": w, "count": n, **WARNING_TEXTS[w]} for w, n in counts.items()],
            "panels": selectors.dashboard_panels(user=user, area_code=code),
            "counts_cache_minutes": COUNTS_CACHE_SECONDS // 60,
        }
        html = render_to_string("reports/dashboard_counts.html", context, request=request)
        _cache_on_commit(key, html, COUNTS_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 (our own templates' output, escaped when rendered)


def _area_param(request) -> str | None:
    """The `area` query parameter if the user may see it, None for 'all of my reach'."""
    code = request.GET.get("area", "").strip()
    if not code:
        return None
    if not code_in_scope(request.user, code) or not Area.objects.filter(code=code).exists():
        raise Http404
    return code


@login_required
def warning_list(request):
    """Every early warning with its count, for the user's reach or one area in it."""
    area_code = _area_param(request)
    counts = selectors.warning_counts(user=request.user, area_code=area_code)
    items = [{"id": w, "count": n, **WARNING_TEXTS[w]} for w, n in counts.items()]
    area = Area.objects.filter(code=area_code or user_area_code(request.user) or "").first()
    return render(
        request,
        "reports/warning_list.html",
        {"warnings": items, "area": area, "area_code": area_code},
    )


@login_required
def warning_detail(request, warning_id):
    """The people (or villages) one warning lists, to act on."""
    if warning_id not in selectors.WARNINGS:
        raise Http404
    area_code = _area_param(request)
    today = timezone.localdate()
    items = selectors.warning_items(
        user=request.user, warning_id=warning_id, area_code=area_code, today=today
    )
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    warning = selectors.WARNINGS[warning_id]
    area = Area.objects.filter(code=area_code or user_area_code(request.user) or "").first()
    return render(
        request,
        "reports/warning_detail.html",
        {
            "warning": {"id": warning_id, "subject": warning.subject, **WARNING_TEXTS[warning_id]},
            "page": page,
            "rows": warning_rows(warning_id, page.object_list, today),
            "area": area,
            "area_code": area_code,
            "query": f"area={area_code}" if area_code else "",
        },
    )


def _default_month(today) -> str:
    """The last full month: monthly reports are made after the month has ended."""
    first = today.replace(day=1) - timedelta(days=1)
    return first.strftime("%Y-%m")


@login_required
def report_list(request):
    """The reports this user may run, each with its area and month."""
    today = timezone.localdate()
    own = user_area_code(request.user)
    items = []
    for spec in reports_for(request.user):
        initial = {"month": _default_month(today)}
        if own and own.count(".") + 1 == spec.level:
            initial["area"] = own
        items.append(
            {"spec": spec, "form": ReportForm(user=request.user, spec=spec, initial=initial)}
        )
    return render(request, "reports/report_list.html", {"reports": items})


@login_required
def report_run(request, report_id):
    """A report as a page, a print-ready A4 view (format=print) or an XLSX file (format=xlsx)."""
    spec = REPORTS.get(report_id)
    if spec is None or request.user.role not in spec.roles:
        raise Http404
    form = ReportForm(request.GET or None, user=request.user, spec=spec)
    if not form.is_valid():
        return render(
            request,
            "reports/report_form.html",
            {"spec": spec, "form": form},
            status=400 if request.GET else 200,
        )
    area, month = form.cleaned_data["area"], form.cleaned_data["month"]
    output = request.GET.get("format", "html")
    if output not in ("html", "print", "xlsx"):
        output = "html"
    first, last = month_bounds(month)
    sections = spec.build(area, first, last)
    audit_record(
        actor=request.user,
        action=Action.REPORT,
        object_type="report",
        object_id=spec.id,
        object_repr=f"{spec.title} · {area.title} · {month}",
        area_code=area.code,
        changes={"month": month, "format": output},
    )
    context = {
        "spec": spec,
        "area": area,
        "month": month,
        "month_label": month_label(month),
        "sections": sections,
        "query": urlencode({"area": area.code, "month": month}),
        "generated": timezone.localtime(),
    }
    if output == "xlsx":
        return xlsx_response(spec=spec, area=area, month=month, sections=sections)
    template = "reports/report_print.html" if output == "print" else "reports/report_detail.html"
    return render(request, template, context)
