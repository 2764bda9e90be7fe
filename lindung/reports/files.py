"""Report files: a report as XLSX or as its print page, made in the request for small areas and
by a task worker for large ones.

`report_output` is the one function that turns a declared report into a file; the report page
calls it for an immediate download, and the `report_file_make` task calls it for an area of
REPORTS_BACKGROUND_LEVEL or above (provinces and the nation by default), whose sections may take
longer than a proxy waits. Such a request makes a ReportFile for the user who asked, and its
page says whether the file waits for a worker, is being made, is ready or failed (with the
error); only that user may open the page or download the file, and only while the report is
still in their reach. The workers are the same bounded pool that runs imports. Making a file
only reads, so a failure of the database or the disk is retried (TASK_RETRIES attempts); a
failed file (also one whose worker died) can be asked for again from its page. The scheduled
`report_files_purge_job` deletes files and their records REPORT_FILES_KEEP_DAYS after they were
asked for.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import DatabaseError, transaction
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django_tasks import task

from lindung.accounts.scoping import code_in_scope, user_area_code
from lindung.regions.models import Area
from lindung.reports.declared import REPORTS, ReportSpec, month_bounds, nation
from lindung.reports.export import XLSX_TYPE, xlsx_bytes
from lindung.reports.figures import month_label
from lindung.reports.models import ReportFile

logger = logging.getLogger("lindung.tasks")

OUTPUTS = ("xlsx", "print")
RETRY_AFTER = timedelta(seconds=30)


@dataclass(frozen=True)
class ReportOutput:
    content: bytes
    content_type: str
    filename: str


def report_context(*, spec: ReportSpec, area: Area, month: str, sections) -> dict:
    """What the report's page and its print view show."""
    from urllib.parse import urlencode

    return {
        "spec": spec,
        "area": area,
        "month": month,
        "month_label": month_label(month),
        "sections": sections,
        "query": urlencode({"area": area.code, "month": month}),
        "generated": timezone.localtime(),
    }


def report_output(
    *, spec: ReportSpec, area: Area, month: str, output: str, sections=None, user=None
):
    """The report as a file: the XLSX workbook or the print page (A4), in the active language.
    `sections` may be given when the caller has built them already; else they are built for
    `user` (no user reads nothing)."""
    if sections is None:
        first, last = month_bounds(month)
        sections = spec.build(area, first, last, user=user)
    stem = f"{spec.id}-{slugify(area.name)}-{month}"
    if output == "xlsx":
        content = xlsx_bytes(spec=spec, area=area, month=month, sections=sections)
        return ReportOutput(content, XLSX_TYPE, f"{stem}.xlsx")
    html = render_to_string(
        "reports/report_print.html",
        report_context(spec=spec, area=area, month=month, sections=sections),
    )
    return ReportOutput(html.encode(), "text/html; charset=utf-8", f"{stem}.html")


def report_in_background(area: Area) -> bool:
    """Whether a file of this area's report is made by a worker (a large area)."""
    return area.level <= settings.REPORTS_BACKGROUND_LEVEL


def _may_run(user, report: str, area_code: str) -> bool:
    spec = REPORTS.get(report)
    if spec is None or not user.is_active or user.role not in spec.roles:
        return False
    if area_code == "":
        return user_area_code(user) is None
    return code_in_scope(user, area_code)


def report_file_request(*, user, spec: ReportSpec, area: Area, month: str, output: str):
    """Ask a worker for the file; the same request still waiting or running is reused."""
    request = {
        "requested_by": user,
        "report": spec.id,
        "area_code": area.code,
        "month": month,
        "output": output,
        "language": translation.get_language(),
    }
    waiting = [ReportFile.Status.QUEUED, ReportFile.Status.RUNNING]
    pending = ReportFile.objects.filter(**request, status__in=waiting).first()
    if pending is not None:
        return pending
    report_file = ReportFile.objects.create(**request)
    _enqueue(report_file)
    return report_file


def _enqueue(report_file: ReportFile, *, run_after=None) -> None:
    def send():
        backend = report_file_make.using(run_after=run_after) if run_after else report_file_make
        result = backend.enqueue(report_file_id=str(report_file.pk))
        ReportFile.objects.filter(pk=report_file.pk).update(task_id=str(result.id))

    transaction.on_commit(send)


def report_file_for(*, user, pk) -> ReportFile:
    """The user's own report file, while the report is still in their reach; else 404."""
    report_file = ReportFile.objects.filter(pk=pk, requested_by=user).first()
    if report_file is None or not _may_run(user, report_file.report, report_file.area_code):
        raise Http404
    return report_file_state(report_file)


def report_file_state(report_file: ReportFile) -> ReportFile:
    """The file with its state brought up to date: a file whose task failed outside the task's
    own bookkeeping (its worker died and was reaped) is failed, with the task's error."""
    if report_file.status in (ReportFile.Status.QUEUED, ReportFile.Status.RUNNING):
        from django_tasks_db.models import DBTaskResult

        result = DBTaskResult.objects.filter(pk=report_file.task_id or None).first()
        if result is not None and result.status == "FAILED":
            error = (result.traceback.strip().splitlines() or [result.exception_class_path])[-1]
            ReportFile.objects.filter(pk=report_file.pk, status=report_file.status).update(
                status=ReportFile.Status.FAILED, error=error, finished_at=timezone.now()
            )
            report_file.refresh_from_db()
    return report_file


def report_file_retry(report_file: ReportFile) -> bool:
    """Ask again for a failed file; False when it has not failed."""
    updated = ReportFile.objects.filter(pk=report_file.pk, status=ReportFile.Status.FAILED).update(
        status=ReportFile.Status.QUEUED, error="", attempts=0, finished_at=None
    )
    if updated:
        _enqueue(report_file)
    return bool(updated)


@task()
def report_file_make(report_file_id: str) -> dict:
    """Make a requested report file (the worker's side of report_file_request)."""
    claimed = ReportFile.objects.filter(pk=report_file_id, status=ReportFile.Status.QUEUED).update(
        status=ReportFile.Status.RUNNING
    )
    if not claimed:  # done, failed, purged or taken by another worker
        return {"report_file": report_file_id, "status": "skipped"}
    report_file = ReportFile.objects.select_related("requested_by").get(pk=report_file_id)
    report_file.attempts += 1
    user = report_file.requested_by
    try:
        if not _may_run(user, report_file.report, report_file.area_code):
            raise PermissionError("the report is no longer in the reach of the user who asked")
        spec = REPORTS[report_file.report]
        area = Area.objects.get(code=report_file.area_code) if report_file.area_code else nation()
        with translation.override(report_file.language):
            output = report_output(
                user=user, spec=spec, area=area, month=report_file.month, output=report_file.output
            )
    except (DatabaseError, OSError) as error:
        # Making a file only reads: a database or disk failure may safely be tried again.
        if report_file.attempts < settings.TASK_RETRIES:
            ReportFile.objects.filter(pk=report_file.pk).update(
                status=ReportFile.Status.QUEUED, attempts=report_file.attempts, error=str(error)
            )
            _enqueue(report_file, run_after=timezone.now() + RETRY_AFTER)
            logger.warning("report file retried", extra={"report_file": report_file_id})
            return {"report_file": report_file_id, "status": "retried"}
        _fail(report_file, error)
        raise
    except Exception as error:
        _fail(report_file, error)
        raise
    report_file.file.save(output.filename, ContentFile(output.content), save=False)
    report_file.filename = output.filename
    report_file.status = ReportFile.Status.DONE
    report_file.error = ""
    report_file.finished_at = timezone.now()
    report_file.save()
    return {"report_file": report_file_id, "status": "done", "bytes": len(output.content)}


def _fail(report_file: ReportFile, error: BaseException) -> None:
    ReportFile.objects.filter(pk=report_file.pk).update(
        status=ReportFile.Status.FAILED,
        attempts=report_file.attempts,
        error=f"{type(error).__name__}: {error}",
        finished_at=timezone.now(),
    )


def report_files_purge(now=None) -> int:
    """Delete the report files (and their records) asked for more than
    REPORT_FILES_KEEP_DAYS ago; returns how many."""
    now = now or timezone.now()
    old = ReportFile.objects.filter(
        created_at__lt=now - timedelta(days=settings.REPORT_FILES_KEEP_DAYS)
    )
    purged = 0
    for report_file in old.iterator():
        if report_file.file:
            report_file.file.delete(save=False)
        report_file.delete()
        purged += 1
    return purged
