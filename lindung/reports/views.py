from datetime import timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from lindung.accounts.models import Role
from lindung.accounts.scoping import code_in_scope, user_area_code
from lindung.audit.models import Action
from lindung.audit.services import audit_record
from lindung.counters.keeping import counters_version
from lindung.lib.keyset import COUNT_CAP, keyset_page
from lindung.placements.readiness import REQUIRED_ITEMS
from lindung.regions.models import Area, level_of_code
from lindung.regions.selectors import area_children
from lindung.registry.selectors import person_can_edit, person_list, verification_queue
from lindung.reports import figures, selectors
from lindung.reports.declared import REPORTS, month_bounds, nation, reports_for
from lindung.reports.export import XLSX_TYPE
from lindung.reports.figures import month_label
from lindung.reports.files import (
    OUTPUTS,
    report_context,
    report_file_for,
    report_file_request,
    report_file_retry,
    report_in_background,
    report_output,
)
from lindung.reports.forms import ReportForm
from lindung.reports.models import ReportFile
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
WARNING_PAGE = 50


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


def figures_warm(*, area: Area | None) -> None:
    """Render the area's figures into the shared cache in every split and language (the
    scheduled `figures_warm_job` does it for the nation and the provinces)."""
    from django.conf import settings
    from django.utils import translation

    children = list(area_children(area=area))
    today = timezone.localdate()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for split in selectors.SPLITS:
                _figures_html(area, children, split, today)


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


def _counts_html(request, area: Area | None, today, *, only_panels=None) -> str:
    user = request.user
    code = area.code if area else None
    # Per user and sign-in, role and jurisdiction: a change of role or a new sign-in never
    # shows another reach's counts.
    login = user.last_login.timestamp() if user.last_login else 0
    key = (
        f"reports:dashboard-counts:{user.pk}:{login}:{user.role}:{user.jurisdiction_id}:"
        f"{code}:{today}:{get_language()}:{','.join(only_panels or ())}"
    )
    html = cache.get(key)
    if html is None:
        counts = selectors.warning_counts(user=user, area_code=code, today=today, cap=COUNT_CAP)
        context = {
            "area": area,
            "warnings": _warning_cards(counts),
            "panels": [
                (template, panel)
                for template, panel in selectors.dashboard_panels(user=user, area_code=code)
                if only_panels is None or template.split("/")[0] in only_panels
            ],
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


def _warning_cards(counts: dict[str, int]) -> list[dict]:
    """Each warning's texts and count; a count stopped at the cap reads "more than 1,000"
    (those the counters keep are exact)."""
    cards = []
    for w, n in counts.items():
        more = w not in selectors.COUNTED_WARNINGS and n > COUNT_CAP
        cards.append({"id": w, "count": COUNT_CAP if more else n, "more": more, **WARNING_TEXTS[w]})
    return cards


@login_required
def warning_list(request):
    """Every early warning with its count, for the user's reach or one area in it."""
    area_code = _area_param(request)
    counts = selectors.warning_counts(user=request.user, area_code=area_code, cap=COUNT_CAP)
    items = _warning_cards(counts)
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
    after = request.GET.get("after")
    counted = selectors.counted_warning(
        user=request.user, warning_id=warning_id, area_code=area_code, today=today
    )
    page = keyset_page(
        items,
        order=selectors.WARNING_ORDER[warning_id],
        after=after,
        size=WARNING_PAGE,
        count=counted is None,  # the counters know the count of most warnings
    )
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
            "count": _listed_count(page, counted),
            "count_more": counted is None and page.count_capped,
        },
    )


def _listed_count(page, counted: int | None) -> int:
    """How many items the warning lists: from the counters, or counted with the page."""
    return page.count if counted is None else counted


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
        if own and level_of_code(own) == spec.level:
            initial["area"] = own
        items.append(
            {"spec": spec, "form": ReportForm(user=request.user, spec=spec, initial=initial)}
        )
    files = [
        {"file": f, "title": REPORTS[f.report].title if f.report in REPORTS else f.report}
        for f in ReportFile.objects.filter(requested_by=request.user).order_by("-created_at")[:10]
    ]
    return render(request, "reports/report_list.html", {"reports": items, "files": files})


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
    if output not in ("html", *OUTPUTS):
        output = "html"
    audit_record(
        actor=request.user,
        action=Action.REPORT,
        object_type="report",
        object_id=spec.id,
        object_repr=f"{spec.title} · {area.title} · {month}",
        area_code=area.code,
        changes={"month": month, "format": output},
    )
    if output in OUTPUTS and report_in_background(area):
        # A large area: a worker makes the file, the user waits on its page.
        report_file = report_file_request(
            user=request.user, spec=spec, area=area, month=month, output=output
        )
        return redirect("reports:report_file", report_file.pk)
    first, last = month_bounds(month)
    sections = spec.build(area, first, last, user=request.user)
    if output in OUTPUTS:
        made = report_output(spec=spec, area=area, month=month, output=output, sections=sections)
        if output == "print":
            return HttpResponse(made.content, content_type=made.content_type)
        response = HttpResponse(made.content, content_type=made.content_type)
        response["Content-Disposition"] = f'attachment; filename="{made.filename}"'
        return response
    context = report_context(spec=spec, area=area, month=month, sections=sections)
    context["background"] = report_in_background(area)
    return render(request, "reports/report_detail.html", context)


def _report_file_context(report_file: ReportFile) -> dict:
    spec = REPORTS[report_file.report]
    area = (
        Area.objects.filter(code=report_file.area_code).first()
        if report_file.area_code
        else nation()
    )
    return {
        "report_file": report_file,
        "spec": spec,
        "area": area,
        "month_label": month_label(report_file.month),
        "pending": report_file.status in (ReportFile.Status.QUEUED, ReportFile.Status.RUNNING),
        "keep_days": settings.REPORT_FILES_KEEP_DAYS,
    }


@login_required
def report_file(request, pk):
    """A report file a worker makes: waiting, being made, ready (to download) or failed."""
    found = report_file_for(user=request.user, pk=pk)
    return render(request, "reports/report_file.html", _report_file_context(found))


@login_required
def report_file_download(request, pk):
    """The ready file, for the user who asked for it only."""
    found = report_file_for(user=request.user, pk=pk)
    if found.status != ReportFile.Status.DONE or not found.file:
        raise Http404
    if found.output == "print":
        return FileResponse(found.file.open("rb"), content_type="text/html; charset=utf-8")
    return FileResponse(
        found.file.open("rb"), as_attachment=True, filename=found.filename, content_type=XLSX_TYPE
    )


@login_required
@require_POST
def report_file_retry_view(request, pk):
    """Ask again for a file that failed (also one whose worker stopped)."""
    found = report_file_for(user=request.user, pk=pk)
    report_file_retry(found)
    return redirect("reports:report_file", found.pk)


# The home: a to-do list for the role ------------------------------------------------------

HOME_RESULTS = 10


def _home_search(request) -> dict:
    """The residents whose name or NIK matches ?q=, for the results under the home's box."""
    query = request.GET.get("q", "").strip()[:100]
    if not query:
        return {"query": "", "results": [], "more": False}
    found = person_list(user=request.user, filters={"q": query})
    results = list(found[: HOME_RESULTS + 1])
    return {"query": query, "results": results[:HOME_RESULTS], "more": len(results) > HOME_RESULTS}


def _work_list(list_id, title, items, today, detail) -> dict:
    rows = list(items[: selectors.HOME_LIST_LIMIT + 1])
    return {
        "id": list_id,
        "title": title,
        "count": items.count() if len(rows) > selectors.HOME_LIST_LIMIT else len(rows),
        "rows": [
            {
                "name": p.person.full_name,
                "url": reverse("registry:person_detail", args=[p.person_id]),
                "detail": detail(p),
            }
            for p in rows[: selectors.HOME_LIST_LIMIT]
        ],
    }


def _village_work_lists(user, today) -> list[dict]:
    waiting = selectors.home_candidates_waiting(user=user)
    silent = selectors.warning_items(user=user, warning_id="no_check_in", today=today)
    returned = selectors.home_returned_this_month(user=user, today=today)
    return [
        _work_list(
            "waiting",
            _("Calon PMI waiting for documents"),
            waiting,
            today,
            lambda p: (
                ngettext(
                    "%(n)s document missing",
                    "%(n)s documents missing",
                    len(REQUIRED_ITEMS) - p.done,
                )
                % {"n": len(REQUIRED_ITEMS) - p.done}
            ),
        ),
        _work_list(
            "no-check-in",
            _("Abroad, no family check-in for 6 months"),
            silent,
            today,
            lambda p: (
                _("Last check-in: %(when)s") % {"when": date_format(p.last_check_in_on, "j M Y")}
                if p.last_check_in_on
                else _("Departed %(when)s, never checked in")
                % {"when": date_format(p.departed_on, "j M Y")}
            ),
        ),
        _work_list(
            "returned",
            _("Returned this month"),
            returned,
            today,
            lambda p: f"{date_format(p.returned_on, 'j M')} · {p.get_return_reason_display()}",
        ),
    ]


@login_required
def home(request):
    """Each user lands on a to-do list for the role: find a resident, the village's work lists
    (or an office's warnings and cases) first, the figures after or a tap away."""
    user = request.user
    code = user_area_code(user)
    if user.is_admin:  # administrators keep users and reference data, not residents
        if code is None:
            return redirect("regions:national")
        return redirect("regions:area_detail", code)
    search = _home_search(request)
    if request.GET.get("partial"):
        return render(request, "reports/home_results.html", search)
    area = Area.objects.filter(code=code).first() if code else None
    today = timezone.localdate()
    context = {
        **search,
        "area": area,
        "can_create": person_can_edit(user=user),
        "dashboard_url": reverse("regions:area_detail", args=[code])
        if code
        else reverse("regions:national"),
    }
    if user.is_village_user:
        context["work_lists"] = _village_work_lists(user, today)
        if user.role == Role.VILLAGE_HEAD:
            context["to_verify"] = verification_queue(user=user).count()
        context["figures_html"] = _figures_html(area, [], "phase", today)
    else:
        # The work queues: warnings and cases; the other panels are on the dashboard.
        context["counts_html"] = _counts_html(request, area, today, only_panels=("cases",))
    return render(request, "reports/home.html", context)
