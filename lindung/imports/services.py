"""Writes of the imports app: upload a file, confirm its columns, check it, apply it."""

from __future__ import annotations

import hashlib
import logging
import sqlite3
from collections import Counter as Tally
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lindung.accounts.scoping import code_in_scope, code_q
from lindung.audit.models import Action
from lindung.audit.services import audit_record
from lindung.imports.engine import (
    CHUNK_SIZE,
    CHUNKS_PER_COMMIT,
    CREATED,
    REJECTED,
    REVIEW,
    UNCHANGED,
    UPDATED,
    ChunkContext,
    Decision,
    Planner,
    Writer,
    collector_paused,
)
from lindung.imports.headers import (
    FIELD_BY_KEY,
    REQUIRED_FIELDS,
    auto_mapping,
    detect_header,
    header_label,
    mapping_from_names,
)
from lindung.imports.messages import FILE_MESSAGES, ROW_MESSAGES
from lindung.imports.models import (
    ImportBatch,
    ImportedSubmission,
    ImportIssue,
    ImportStatus,
    IssueKind,
    SavedMapping,
)
from lindung.imports.readahead import read_ahead
from lindung.imports.reading import FileProblem, Table, is_blank_row, open_table
from lindung.imports.rows import ParsedRow, RowParser, RowProblem, VillageIndex
from lindung.lib.errors import ApplicationError
from lindung.lib.tracking import tracked_create, tracked_update
from lindung.regions.models import Area, Level
from lindung.registry.selectors import EDITOR_ROLES

log = logging.getLogger(__name__)


def can_import(user) -> bool:
    """Whoever may record residents in the interface may import them (the registry's editors)."""
    return getattr(user, "is_authenticated", False) and user.role in EDITOR_ROLES


def file_problem_message(problem: FileProblem) -> str:
    """The translated sentence for a file that cannot be read."""
    params = {"limit": settings.UPLOAD_MAX_BYTES // (1024 * 1024), **problem.params}
    return str(FILE_MESSAGES[problem.code]) % params


def village_index(area: Area) -> VillageIndex:
    """Every village of the importing area, for finding them by code or name."""
    if area.level == Level.VILLAGE:
        villages = Area.objects.filter(code=area.code)
    else:
        villages = Area.objects.filter(code_q(area.code, "code"), level=Level.VILLAGE)
    entries = [
        (v.code, v.name, v.parent.name if v.parent else "")
        for v in villages.select_related("parent")
    ]
    return VillageIndex(area_code=area.code, area_title=area.title, villages=entries)


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
        table = open_table(batch.file.path)
        number, headers = sheet_header(table)
    except FileProblem as problem:
        batch.file.delete(save=False)
        raise ApplicationError(file_problem_message(problem), field="file") from None
    batch.file_format = table.format
    batch.sheet_names = table.sheet_names
    batch.sheet_name = table.sheet
    batch.header_row = number
    batch.headers = headers
    batch.mapping = _initial_mapping(area, headers)
    return tracked_create(batch, actor=actor, area_code=area.code)


@transaction.atomic
def import_choose_sheet(*, actor, batch: ImportBatch, sheet: str) -> ImportBatch:
    """Read another sheet of the workbook: its header row and a fresh column proposal."""
    _check_editable(actor, batch)
    try:
        table = open_table(batch.file.path, sheet)
        number, headers = sheet_header(table)
    except FileProblem as problem:
        raise ApplicationError(file_problem_message(problem), field="sheet") from None
    data = {
        "sheet_name": sheet,
        "header_row": number,
        "headers": headers,
        "mapping": _initial_mapping(batch.area, headers),
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
    missing = [key for key in REQUIRED_FIELDS if key not in clean]
    if missing:
        from lindung.imports.messages import FIELD_LABELS

        names = ", ".join(str(FIELD_LABELS[key]) for key in missing)
        raise ApplicationError(FILE_MESSAGES["missing_required"] % {"fields": names})
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


@dataclass
class RunResult:
    rows: int = 0
    counts: Tally = field(default_factory=Tally)
    issues: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "rows": self.rows,
            "created": self.counts[CREATED],
            "updated": self.counts[UPDATED],
            "unchanged": self.counts[UNCHANGED],
            "rejected": self.counts[REJECTED],
            "review": self.counts[REVIEW],
        }


def _issue_values(values: list) -> list:
    plain = []
    for value in values:
        if value is None or isinstance(value, (str, int, float, bool)):
            plain.append(value)
        elif hasattr(value, "isoformat"):
            plain.append(value.isoformat())
        else:
            plain.append(str(value))
    while plain and plain[-1] in ("", None):
        plain.pop()
    return plain


def _issues_of(decision: Decision, parser: RowParser) -> list[dict]:
    row = decision.row
    problems = row.problems if row.problems else [decision.problem]
    kind = IssueKind.REVIEW if decision.outcome == REVIEW else IssueKind.REJECTED
    return [
        {
            "kind": kind,
            "row": row.number,
            "column": parser.column(p.field) if p.field in FIELD_BY_KEY else "",
            "field": p.field,
            "code": p.code,
            "message": str(p.message),
            "values": _issue_values(row.values),
        }
        for p in problems
    ]


def count_data_rows(table: Table, header_row: int) -> int:
    """At most how many data rows follow the header, for the progress bar, found without
    reading them (blank rows count; the run sets the exact number when it ends)."""
    return max(table.last_row() - header_row, 0)


class FirstRows:
    """The row where each key of a file (a NIK, a submission uuid) first appeared.

    A million NIKs held in Python took ~80 MB, so peak memory grew with the file. The keys live
    instead in a private temporary SQLite database with a small page cache. SQLite unlinks its
    file as soon as it opens it, so nothing is left behind even after a crash; and it is not
    the app's database, so it works the same on PostgreSQL and writes nothing to its tables."""

    def __init__(self) -> None:
        self.db = sqlite3.connect("")  # "" is SQLite's name for a private temporary file
        self.db.execute("PRAGMA cache_size = -2048")  # KiB
        self.db.execute("PRAGMA journal_mode = OFF")
        self.db.execute("PRAGMA synchronous = OFF")
        self.db.execute(
            "CREATE TABLE seen (key TEXT PRIMARY KEY, row INTEGER NOT NULL) WITHOUT ROWID"
        )

    def record(self, pairs: list[tuple[str, int]]) -> dict[str, int]:
        """Note (key, row) pairs given in file order; answer each key's first row so far.

        A key already seen, in an earlier call or earlier in `pairs`, keeps its first row."""
        if not pairs:
            return {}
        before = self.db.total_changes
        self.db.executemany("INSERT OR IGNORE INTO seen VALUES (?, ?)", pairs)
        self.db.commit()
        if self.db.total_changes - before == len(pairs):
            return dict(pairs)  # every key is new (the usual chunk): no need to look back
        keys = list({key for key, _row in pairs})
        step = self.db.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        first: dict[str, int] = {}
        for start in range(0, len(keys), step):
            part = keys[start : start + step]
            marks = ", ".join("?" * len(part))
            query = f"SELECT key, row FROM seen WHERE key IN ({marks})"  # noqa: S608 - marks only
            first.update(self.db.execute(query, part))
        return first

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> FirstRows:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def run_import(
    *,
    path: Path,
    sheet: str,
    header_row: int,
    headers: list,
    mapping: dict,
    area: Area,
    actor,
    apply: bool,
    batch: ImportBatch | None = None,
    collect: bool = True,
    progress: Callable[[int], None] | None = None,
    table: Table | None = None,
) -> RunResult:
    """Read every row after the header, decide what each would do, and (with `apply`) write
    it chunk by chunk. With a batch, each chunk's writes, issues and counts are committed
    together, and a resumed run skips the rows the batch says are applied. A `table` already
    opened on the same file and sheet is read as is (a workbook sheet is loaded only once)."""
    if table is None:
        table = open_table(path, sheet)
    today = timezone.localdate()
    parser = RowParser(
        headers=headers,
        mapping={k: int(v) for k, v in mapping.items()},
        villages=village_index(area),
        today=today,
    )
    planner = Planner(area_code=area.code, area_title=area.title, today=today)
    writer = Writer(actor=actor, batch=batch, area_code=area.code)
    resume_from = batch.applied_rows if (batch is not None and apply) else 0
    result = RunResult()
    if resume_from:
        result.counts.update(
            {
                CREATED: batch.created_count,
                UPDATED: batch.updated_count,
                UNCHANGED: batch.unchanged_count,
                REJECTED: batch.rejected_count,
                REVIEW: batch.review_count,
            }
        )
    done = 0

    def parsed_chunks() -> Iterator[list[tuple[ParsedRow, Decision | None]]]:
        """The rows after the header, parsed, with what each does if its NIK is new (the rows
        it would insert prepared), CHUNK_SIZE at a time: in the reader process when reading
        ahead, as none of it needs more than the file, the parser, the planner and the
        writer's column layouts."""
        chunk: list[tuple[ParsedRow, Decision | None]] = []
        for number, values in table.rows():
            if number <= header_row or is_blank_row(values):
                continue
            row = parser.parse(number, values)
            chunk.append((row, None if row.problems else writer.ahead(planner.decide_new(row))))
            if len(chunk) >= CHUNK_SIZE:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    def process(chunk: list[tuple[ParsedRow, Decision | None]]) -> None:
        nonlocal done
        decisions: list[Decision] = []
        valid: list[tuple[ParsedRow, Decision | None]] = []
        rows = [row for row, _new in chunk]
        checked = [row for row in rows if not row.problems]
        first_nik = seen_nik.record([(row.nik, row.number) for row in checked])
        first_uuid = seen_uuid.record(
            [(row.submission_uuid, row.number) for row in checked if row.submission_uuid]
        )
        for row in checked:
            first = first_nik[row.nik]
            if first != row.number:
                message = ROW_MESSAGES["duplicate_in_file"] % {"row": first}
                row.problems.append(RowProblem("nik", "duplicate_in_file", message))
            first = first_uuid[row.submission_uuid] if row.submission_uuid else row.number
            if first != row.number:
                message = ROW_MESSAGES["duplicate_uuid"] % {"row": first}
                row.problems.append(RowProblem("submission_uuid", "duplicate_uuid", message))
        for row, new in chunk:
            if row.problems:
                decisions.append(Decision(row, REJECTED, problem=row.problems[0]))
            else:
                valid.append((row, new))
        chunk.clear()
        done += len(rows)
        if apply and done <= resume_from:
            return
        if valid:
            ctx = ChunkContext([row for row, _new in valid])
            decisions.extend(planner.decide(row, ctx, new) for row, new in valid)
        decisions.sort(key=lambda d: d.row.number)
        issues = [
            issue
            for d in decisions
            if d.outcome in (REJECTED, REVIEW)
            for issue in _issues_of(d, parser)
        ]
        chunk_counts = Tally(d.outcome for d in decisions)
        last_row = rows[-1].number
        # The issues hold what they show of the cells: let the cells and parsed values go
        # before the writes, the chunk's peak of memory (the drafts carry what is written).
        rows.clear()
        for d in decisions:
            d.row.values = d.row.person = d.row.placement = None
        if apply:
            writer.write(decisions)
            _record_submissions(decisions, batch)
            _save_issues(batch, issues)
            applied[:] = [done, last_row]
        elif batch is not None:
            _save_issues(batch, issues)
            ImportBatch.objects.filter(pk=batch.pk).update(
                progress_done=done, heartbeat_at=timezone.now()
            )
        result.counts.update(chunk_counts)
        if collect:
            result.issues.extend(issues)
        if progress is not None:
            progress(done)

    applied: list[int] = []  # [rows done, last sheet row] of the chunks written, uncommitted
    per_commit = CHUNKS_PER_COMMIT.get(connection.vendor, 1)
    with (
        collector_paused(),
        FirstRows() as seen_nik,
        FirstRows() as seen_uuid,
        read_ahead(parsed_chunks) as pending,
        side_progress(batch if apply and per_commit > 1 else None) as between_commits,
    ):
        while (chunk := next(pending, None)) is not None:
            # One transaction for a few chunks: their rows, issues, counters and the
            # batch's resume point commit together or not at all.
            with transaction.atomic() if apply else nullcontext():
                process(chunk)
                for chunk in islice(pending, per_commit - 1):
                    between_commits(done)
                    process(chunk)
                if applied:
                    writer.flush_counters()
                    _save_progress(batch, result.counts, *applied)
                    applied.clear()
    result.rows = done
    return result


@contextmanager
def side_progress(batch: ImportBatch | None) -> Iterator[Callable[[int], None]]:
    """Moves an applying import's progress bar between its commits: on PostgreSQL, on a
    connection of its own in autocommit, since the import's transaction shows its progress to
    nobody until it commits. The batch row is not locked by that transaction until its last
    statement (`_save_progress`), so the update never waits. SQLite has one writer at a time:
    there the bar moves at each commit only (a few seconds apart)."""
    if batch is None or connection.vendor != "postgresql":
        yield lambda done: None
        return
    side = connections.create_connection(DEFAULT_DB_ALIAS)
    quote, meta = side.ops.quote_name, ImportBatch._meta
    done_column, heartbeat_column = (
        quote(meta.get_field(name).column) for name in ("progress_done", "heartbeat_at")
    )
    sql = (
        f"UPDATE {quote(meta.db_table)} SET {done_column} = %s, "  # noqa: S608
        f"{heartbeat_column} = %s WHERE {quote(meta.pk.column)} = %s"
    )

    def report(done: int) -> None:
        with side.cursor() as cursor:
            cursor.execute(sql, [done, timezone.now(), batch.pk])

    try:
        yield report
    finally:
        side.close()


def _record_submissions(decisions: list[Decision], batch: ImportBatch | None) -> None:
    if batch is None:
        return
    rows = [
        ImportedSubmission(
            uuid=d.row.submission_uuid, batch=batch, person_id=d.person_id, row=d.row.number
        )
        for d in decisions
        if d.row.submission_uuid and d.outcome in (CREATED, UPDATED) and d.person_id is not None
    ]
    ImportedSubmission.objects.bulk_create(rows, ignore_conflicts=True)


def _save_issues(batch, issues: list[dict]) -> None:
    if batch is not None and issues:
        ImportIssue.objects.bulk_create([ImportIssue(batch=batch, **i) for i in issues])


def _save_progress(batch, counts: Tally, done: int, last_row: int) -> None:
    if batch is None:
        return
    ImportBatch.objects.filter(pk=batch.pk).update(
        created_count=counts[CREATED],
        updated_count=counts[UPDATED],
        unchanged_count=counts[UNCHANGED],
        rejected_count=counts[REJECTED],
        review_count=counts[REVIEW],
        applied_rows=done,
        applied_through=last_row,
        progress_done=done,
        heartbeat_at=timezone.now(),
    )


def import_execute(*, batch: ImportBatch) -> ImportBatch:
    """Run a started import (status checking or applying) to its end; never raises for bad
    data: the outcome, or what went wrong, is written on the batch."""
    apply = batch.status == ImportStatus.APPLYING
    actor = batch.modified_by
    with translation.override(batch.language or settings.LANGUAGE_CODE):
        try:
            _execute(batch, actor=actor, apply=apply)
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


def _execute(batch: ImportBatch, *, actor, apply: bool) -> None:
    path = Path(batch.file.path)
    table = open_table(path, batch.sheet_name)
    total = count_data_rows(table, batch.header_row or 0)
    fresh = not (apply and batch.applied_rows)
    if fresh:
        ImportIssue.objects.filter(batch=batch).delete()
    else:
        ImportIssue.objects.filter(batch=batch, row__gt=batch.applied_through).delete()
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
    )
    del table  # a loaded workbook sheet is large: free it before the error report is built
    counts = result.as_dict()
    now = timezone.now()
    with transaction.atomic():
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportStatus.APPLIED if apply else ImportStatus.CHECKED,
            rows_total=result.rows,
            created_count=counts["created"],
            updated_count=counts["updated"],
            unchanged_count=counts["unchanged"],
            rejected_count=counts["rejected"],
            review_count=counts["review"],
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
