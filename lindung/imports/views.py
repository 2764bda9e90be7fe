import tempfile
from pathlib import Path
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lindung.audit.models import Action
from lindung.audit.services import audit_record
from lindung.imports import exports, selectors, services
from lindung.imports.forms import MappingForm, SheetForm, UploadForm
from lindung.imports.jobs import TASK_LABELS, import_launch, import_tasks
from lindung.imports.models import ImportStatus, IssueKind
from lindung.imports.workbooks import template_workbook, xlsform_workbook
from lindung.lib.errors import ApplicationError
from lindung.lib.forms import add_service_error
from lindung.lib.xlsx_writer import SheetFull
from lindung.placements.selectors import placement_list
from lindung.registry.selectors import person_list

ISSUES_PER_PAGE = 100


def _upload_form(request, data=None, files=None):
    areas = selectors.import_areas(user=request.user)
    if not areas or not services.can_import(request.user):
        return None
    return UploadForm(data, files, areas=areas)


@login_required
def import_list(request):
    page = Paginator(selectors.import_list(user=request.user), 30).get_page(request.GET.get("page"))
    context = {"page": page, "form": _upload_form(request)}
    return render(request, "imports/import_list.html", context)


@login_required
@require_POST
def import_upload(request):
    form = _upload_form(request, request.POST, request.FILES)
    if form is None:
        raise Http404
    if form.is_valid():
        try:
            batch = services.import_upload(
                actor=request.user,
                upload=form.cleaned_data["file"],
                area=form.cleaned_data["area"],
                language=get_language() or "id",
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            return redirect("imports:import_detail", pk=batch.pk)
    page = Paginator(selectors.import_list(user=request.user), 30).get_page(1)
    return render(request, "imports/import_list.html", {"page": page, "form": form}, status=400)


def _get(request, pk):
    batch = selectors.import_get(user=request.user, pk=pk)
    if batch is None:
        raise Http404
    return batch


@login_required
def import_detail(request, pk):
    batch = _get(request, pk)
    editable = (
        services.can_import(request.user)
        and batch.status
        in (
            ImportStatus.UPLOADED,
            ImportStatus.CHECKED,
            ImportStatus.FAILED,
        )
        and not batch.applied_rows
    )
    mapping_form = MappingForm(
        request.POST if request.POST.get("action") == "mapping" else None,
        headers=batch.headers,
        mapping=batch.mapping,
    )
    sheet_form = SheetForm(initial={"sheet": batch.sheet_name}, sheets=batch.sheet_names)
    if request.method == "POST":
        if not services.can_import(request.user):
            raise Http404
        action = request.POST.get("action")
        try:
            if action == "sheet":
                sheet_form = SheetForm(request.POST, sheets=batch.sheet_names)
                if sheet_form.is_valid():
                    services.import_choose_sheet(
                        actor=request.user, batch=batch, sheet=sheet_form.cleaned_data["sheet"]
                    )
                    return redirect("imports:import_detail", pk=batch.pk)
            elif action == "mapping":
                if mapping_form.is_valid():
                    services.import_set_mapping(
                        actor=request.user,
                        batch=batch,
                        mapping=mapping_form.mapping(),
                        save_as=mapping_form.cleaned_data["save_as"],
                    )
                    batch = services.import_start(actor=request.user, batch=batch, apply=False)
                    import_launch(batch)
                    return redirect("imports:import_detail", pk=batch.pk)
            elif action in ("apply", "resume"):
                batch = services.import_start(actor=request.user, batch=batch, apply=True)
                import_launch(batch)
                return redirect("imports:import_detail", pk=batch.pk)
            else:
                messages.error(request, _("Unknown action."))
        except ApplicationError as error:
            if action == "mapping":
                add_service_error(mapping_form, error)
            else:
                messages.error(request, str(error.message))
                return redirect("imports:import_detail", pk=batch.pk)
    kind = request.GET.get("show") or IssueKind.REJECTED
    if kind not in IssueKind.values:
        kind = IssueKind.REJECTED
    issues = Paginator(selectors.import_issues(batch=batch, kind=kind), ISSUES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    tasks = import_tasks(batch)
    for task in tasks:  # the exception's last line: the page shows no traceback
        task.label = TASK_LABELS.get(task.status, task.status)
        task.error_line = (task.traceback.strip().splitlines() or [""])[-1][:300]
    context = {
        "batch": batch,
        "tasks": tasks,
        "editable": editable,
        "can_import": services.can_import(request.user),
        "mapping_form": mapping_form,
        "sheet_form": sheet_form,
        "issues": issues,
        "issue_counts": selectors.import_issue_counts(batch=batch),
        "show": kind,
        "query": f"show={kind}",
    }
    return render(request, "imports/import_detail.html", context)


@login_required
def import_status(request, pk):
    batch = _get(request, pk)
    return JsonResponse(
        {
            "status": batch.status,
            "status_label": str(batch.get_status_display()),
            "running": batch.is_running and not batch.is_stalled,
            "stalled": batch.is_stalled,
            "done": batch.progress_done,
            "total": batch.progress_total,
            "percent": batch.percent,
            "rows": batch.rows_total,
            **batch.counts,
        }
    )


@login_required
def import_error_report(request, pk):
    batch = _get(request, pk)
    if not batch.error_report:
        raise Http404
    audit_record(
        actor=request.user,
        action=Action.EXPORT,
        obj=batch,
        area_code=batch.area_id,
        changes={"error_report": batch.error_report.name},
    )
    name = f"{Path(batch.file_name).stem}-ditolak.xlsx"
    return FileResponse(batch.error_report.open("rb"), as_attachment=True, filename=name)


@login_required
def template_download(request):
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115 - closed by the response
    template_workbook(Path(handle.name))
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename="templat-pendataan-pmi.xlsx")


@login_required
def xlsform_download(request):
    areas = selectors.import_areas(user=request.user)
    if not areas:
        raise Http404
    area = areas[0]
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115 - closed by the response
    xlsform_workbook(
        Path(handle.name),
        villages=selectors.village_choices(area=area),
        title=_("Door-to-door PMI data collection: %(area)s") % {"area": area.title},
        area_code=area.code,
    )
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename="xlsform-pendataan-pmi.xlsx")


def _filters(request, names) -> dict:
    return {k: request.GET[k].strip() for k in names if request.GET.get(k, "").strip()}


def _export(request, *, kind: str, queryset, rows):
    fmt = request.GET.get("format", "xlsx")
    if fmt not in ("xlsx", "csv"):
        raise Http404
    filters = _filters(
        request, exports.PERSON_FILTERS if kind == "people" else exports.PLACEMENT_FILTERS
    )
    audit_record(
        actor=request.user,
        action=Action.EXPORT,
        object_type=f"imports.export_{kind}",
        object_repr=_("Export of residents") if kind == "people" else _("Export of episodes"),
        area_code=request.user.jurisdiction_id or "",
        changes={"format": fmt, "filters": filters},
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"{'penduduk' if kind == 'people' else 'penempatan'}-{stamp}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(
            exports.csv_stream(rows(queryset)), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    try:
        handle = exports.xlsx_file(rows(queryset))
    except SheetFull:
        messages.error(
            request,
            _(
                "This list has more rows than a spreadsheet sheet holds (1,048,575). Download "
                "it as CSV, or narrow it with the filters first."
            ),
        )
        query = urlencode(filters)
        return redirect(reverse("registry:person_list") + (f"?{query}" if query else ""))
    return FileResponse(handle, as_attachment=True, filename=name)


@login_required
def export_people(request):
    queryset = person_list(user=request.user, filters=_filters(request, exports.PERSON_FILTERS))
    return _export(request, kind="people", queryset=queryset, rows=exports.people_rows)


@login_required
def export_placements(request):
    queryset = placement_list(
        user=request.user, filters=_filters(request, exports.PLACEMENT_FILTERS)
    )
    return _export(request, kind="placements", queryset=queryset, rows=exports.placement_rows)
