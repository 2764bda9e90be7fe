"""Writes of the imports app: upload a file, confirm its columns, check it, apply it."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lindung.accounts.scoping import code_in_scope
from lindung.audit.models import Action
from lindung.audit.services import audit_record
from lindung.audit.tracking import tracked_create, tracked_update
from lindung.imports.headers import (
    FIELD_BY_KEY,
    REQUIRED_FIELDS,
    auto_mapping,
    detect_header,
    header_label,
    mapping_from_names,
)
from lindung.imports.messages import FIELD_LABELS, FILE_MESSAGES
from lindung.imports.models import (
    ImportBatch,
    ImportIssue,
    ImportStatus,
    SavedMapping,
    count_fields,
)
from lindung.imports.reading import FileProblem, Table, open_table
from lindung.imports.run import count_data_rows, run_import
from lindung.lib.errors import ApplicationError
from lindung.regions.models import Area
from lindung.registry.selectors import EDITOR_ROLES

log = logging.getLogger(__name__)


def can_import(user) -> bool:
    """Whoever may record residents in the interface may import them (the registry's editors)."""
    return getattr(user, "is_authenticated", False) and user.role in EDITOR_ROLES


def file_problem_message(problem: FileProblem) -> str:
    """The translated sentence for a file that cannot be read."""
    params = {"limit": settings.UPLOAD_MAX_BYTES // (1024 * 1024), **problem.params}
    return str(FILE_MESSAGES[problem.code]) % params


def _hash_file(handle) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    for chunk in (
        handle.chunks() if hasattr(handle, "chunks") else iter(lambda: handle.read(1 << 20), b"")
    ):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _head_rows(table: Table, limit: int = 40) -> list[tuple[int, list]]:
    rows = []
    for number, values in table.rows():
        rows.append((number, values))
        if len(rows) >= limit:
            break
    return rows


def sheet_header(table: Table) -> tuple[int, list]:
    """(sheet row number, header cells) of the table's header row, or FileProblem."""
    head = _head_rows(table)
    index = detect_header([values for _number, values in head])
    if index is None:
        raise FileProblem("no_header")
    number, values = head[index]
    headers = [str(v).strip() if v not in (None, "") else "" for v in values]
    while headers and not headers[-1]:
        headers.pop()
    return number, headers


def _initial_mapping(area: Area, headers: list) -> dict[str, int]:
    for saved in SavedMapping.objects.filter(area=area, archived_at__isnull=True)[:20]:
        mapping = mapping_from_names(headers, saved.columns)
        if mapping is not None:
            return mapping
    return auto_mapping(headers)


@dataclass(frozen=True)
class SheetLayout:
    """A table opened for an import, its header row and the columns proposed for its fields."""

    table: Table
    header_row: int
    headers: list
    mapping: dict[str, int]


def sheet_layout(path: Path | str, area: Area, sheet: str = "") -> SheetLayout:
    """Open a file for an import into `area`: its header row, and the columns of the area's
    saved mapping that fits it (else those guessed from the headers). FileProblem when the
    file cannot be read."""
    table = open_table(path, sheet)
    header_row, headers = sheet_header(table)
    return SheetLayout(table, header_row, headers, _initial_mapping(area, headers))


def missing_fields(mapping: dict) -> list[str]:
    """The required fields no column is mapped to."""
    return [key for key in REQUIRED_FIELDS if key not in mapping]


def missing_fields_message(missing: list[str]) -> str:
    """The translated sentence naming the required fields no column is mapped to."""
    names = ", ".join(str(FIELD_LABELS[key]) for key in missing)
    return FILE_MESSAGES["missing_required"] % {"fields": names}


def layout_run(layout: SheetLayout, *, path: Path | str, area: Area, actor, apply: bool):
    """One pass of an import over the layout's table with the columns as proposed (the
    import_people command's, the OpenSID push's): what it did, row by row and in total."""
    return run_import(
        path=path,
        sheet=layout.table.sheet,
        header_row=layout.header_row,
        headers=layout.headers,
        mapping=layout.mapping,
        area=area,
        actor=actor,
        apply=apply,
        table=layout.table,
    )


@transaction.atomic
def import_upload(*, actor, upload, area: Area, language: str = "id") -> ImportBatch:
    """Keep an uploaded file, find its sheets, header row and columns (nothing is read yet)."""
    if not can_import(actor):
        raise ApplicationError(_("Your role cannot import records."))
    if area is None or not code_in_scope(actor, area.code):
        raise ApplicationError(_("This area is outside your area of work."), field="area")
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise ApplicationError(file_problem_message(FileProblem("too_big")), field="file")
    if upload.size == 0:
        raise ApplicationError(file_problem_message(FileProblem("empty_file")), field="file")
    sha, size = _hash_file(upload)
    upload.seek(0)
    batch = ImportBatch(
        area=area,
        file_name=Path(upload.name or "upload").name[:255],
        file_sha256=sha,
        file_size=size,
        language=language[:8],
    )
    batch.file.save(f"{sha[:16]}{Path(batch.file_name).suffix[:8]}", upload, save=False)
    try:
        layout = sheet_layout(batch.file.path, area)
    except FileProblem as problem:
        batch.file.delete(save=False)
        raise ApplicationError(file_problem_message(problem), field="file") from None
    batch.file_format = layout.table.format
    batch.sheet_names = layout.table.sheet_names
    batch.sheet_name = layout.table.sheet
    batch.header_row = layout.header_row
    batch.headers = layout.headers
    batch.mapping = layout.mapping
    return tracked_create(batch, actor=actor, area_code=area.code)


@transaction.atomic
def import_choose_sheet(*, actor, batch: ImportBatch, sheet: str) -> ImportBatch:
    """Read another sheet of the workbook: its header row and a fresh column proposal."""
    _check_editable(actor, batch)
    try:
        layout = sheet_layout(batch.file.path, batch.area, sheet)
    except FileProblem as problem:
        raise ApplicationError(file_problem_message(problem), field="sheet") from None
    data = {
        "sheet_name": sheet,
        "header_row": layout.header_row,
        "headers": layout.headers,
        "mapping": layout.mapping,
        "status": ImportStatus.UPLOADED,
    }
    tracked_update(batch, actor=actor, data=data, area_code=batch.area_id, validate=False)
    return batch


def _check_editable(actor, batch: ImportBatch) -> None:
    if not can_import(actor) or not code_in_scope(actor, batch.area_id):
        raise ApplicationError(_("This import is outside your area of work."))
    if batch.status in (ImportStatus.APPLIED, ImportStatus.APPLYING, ImportStatus.CHECKING):
        raise ApplicationError(_("This import is running or already applied."))
    if batch.applied_rows:
        raise ApplicationError(_("Part of this import is applied; resume it instead."))


@transaction.atomic
def import_set_mapping(
    *, actor, batch: ImportBatch, mapping: dict[str, int], save_as: str = ""
) -> ImportBatch:
    """Confirm which column holds which field; optionally remember it for the next upload."""
    _check_editable(actor, batch)
    clean = {
        key: int(index)
        for key, index in mapping.items()
        if key in FIELD_BY_KEY and index is not None and 0 <= int(index) < len(batch.headers)
    }
    missing = missing_fields(clean)
    if missing:
        raise ApplicationError(missing_fields_message(missing))
    tracked_update(
        batch,
        actor=actor,
        data={"mapping": clean, "status": ImportStatus.UPLOADED},
        area_code=batch.area_id,
        validate=False,
    )
    if save_as.strip():
        columns = {key: header_label(batch.headers, index) for key, index in clean.items()}
        saved = SavedMapping.objects.filter(area=batch.area, name=save_as.strip()).first()
        if saved is None:
            tracked_create(
                SavedMapping(area=batch.area, name=save_as.strip()[:100], columns=columns),
                actor=actor,
                area_code=batch.area_id,
            )
        else:
            tracked_update(saved, actor=actor, data={"columns": columns}, area_code=batch.area_id)
    return batch


@transaction.atomic
def import_start(*, actor, batch: ImportBatch, apply: bool) -> ImportBatch:
    """Mark the import as checking or applying; the caller then runs `import_execute`."""
    if not can_import(actor) or not code_in_scope(actor, batch.area_id):
        raise ApplicationError(_("This import is outside your area of work."))
    locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if locked.status in (ImportStatus.CHECKING, ImportStatus.APPLYING) and not locked.is_stalled:
        raise ApplicationError(_("This import is already running."))
    if locked.status == ImportStatus.APPLIED:
        raise ApplicationError(_("This import is already applied."))
    if apply and locked.status not in (
        ImportStatus.CHECKED,
        ImportStatus.INTERRUPTED,
        ImportStatus.APPLYING,
    ):
        raise ApplicationError(_("Check the file first (dry run), then apply it."))
    if not apply and locked.applied_rows:
        raise ApplicationError(_("Part of this import is applied; resume it instead."))
    status = ImportStatus.APPLYING if apply else ImportStatus.CHECKING
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=status,
        modified_by=actor,
        modified_at=timezone.now(),
        heartbeat_at=timezone.now(),
        progress_done=0 if not locked.applied_rows else locked.applied_rows,
        message="",
    )
    batch.refresh_from_db()
    return batch


def import_worker_died(batch_id: int) -> bool:
    """The task running this import was reaped (its worker stopped): stop the batch at once so
    the import page offers Resume (or a new check) without waiting for the heartbeat to go
    stale. Rows applied so far are kept. Returns whether a running batch was stopped."""
    stopped = 0
    for status, outcome, message in (
        (
            ImportStatus.APPLYING,
            ImportStatus.INTERRUPTED,
            _(
                "The worker running this import stopped. Rows applied so far are kept; "
                "you can resume it."
            ),
        ),
        (
            ImportStatus.CHECKING,
            ImportStatus.UPLOADED,
            _("The worker running this check stopped. Try again."),
        ),
    ):
        stopped += ImportBatch.objects.filter(pk=batch_id, status=status).update(
            status=outcome, message=message, modified_at=timezone.now()
        )
    return bool(stopped)


def import_execute(*, batch: ImportBatch, table: Table | None = None) -> ImportBatch:
    """Run a started import (status checking or applying) to its end; never raises for bad
    data: the outcome, or what went wrong, is written on the batch. `table` is the batch's
    file already opened on its sheet (the command line's), so a workbook sheet is loaded once."""
    apply = batch.status == ImportStatus.APPLYING
    actor = batch.modified_by
    with translation.override(batch.language or settings.LANGUAGE_CODE):
        try:
            _execute(batch, actor=actor, apply=apply, table=table)
        except FileProblem as problem:
            ImportBatch.objects.filter(pk=batch.pk).update(
                status=ImportStatus.FAILED, message=file_problem_message(problem)
            )
        except Exception:
            log.exception("Import %s stopped", batch.pk)
            ImportBatch.objects.filter(pk=batch.pk).update(
                status=ImportStatus.INTERRUPTED if apply else ImportStatus.UPLOADED,
                message=_(
                    "The import stopped because of an unexpected error. Rows applied so far "
                    "are kept; you can resume it."
                )
                if apply
                else _("The check stopped because of an unexpected error. Try again."),
            )
    batch.refresh_from_db()
    return batch


def _execute(batch: ImportBatch, *, actor, apply: bool, table: Table | None = None) -> None:
    path = Path(batch.file.path)
    if table is None or table.sheet != batch.sheet_name:
        table = open_table(path, batch.sheet_name)
    fresh = not (apply and batch.applied_rows)
    if fresh:
        ImportIssue.objects.filter(batch=batch).delete()
    else:
        ImportIssue.objects.filter(batch=batch, row__gt=batch.applied_through).delete()

    def count_rows(opened: Table) -> None:
        # The progress bar's total, counted while the reader process reads the first rows
        # (a pass over the file, 0.2 s for 100,000 XLSX rows).
        total = count_data_rows(opened, batch.header_row or 0)
        ImportBatch.objects.filter(pk=batch.pk).update(progress_total=total)

    result = run_import(
        path=path,
        sheet=batch.sheet_name,
        header_row=batch.header_row or 0,
        headers=batch.headers,
        mapping=batch.mapping,
        area=batch.area,
        actor=actor,
        apply=apply,
        batch=batch,
        collect=False,
        table=table,
        started=count_rows,
    )
    del table  # a loaded workbook sheet is large: free it before the error report is built
    counts = result.as_dict()
    now = timezone.now()
    with transaction.atomic():
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportStatus.APPLIED if apply else ImportStatus.CHECKED,
            rows_total=result.rows,
            **count_fields(counts),
            progress_done=result.rows,
            progress_total=result.rows,
            **({"applied_at": now} if apply else {"checked_at": now}),
        )
        batch.refresh_from_db()
        if apply:
            audit_record(
                actor=actor,
                action=Action.IMPORT,
                obj=batch,
                area_code=batch.area_id,
                changes={
                    "file": batch.file_name,
                    "sha256": batch.file_sha256,
                    "sheet": batch.sheet_name,
                    **counts,
                },
            )
    from lindung.imports.workbooks import error_report_save

    error_report_save(batch)
