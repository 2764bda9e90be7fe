"""One pass of an import over a file: rows read, parsed and planned (in a reader process when
it may fork, imports/readahead.py), then decided against the database and written chunk by
chunk (imports/engine.py, imports/writer.py), with the batch's issues, counts and resume
point committed with each few chunks."""

from __future__ import annotations

import sqlite3
from collections import Counter as Tally
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone

from lindung.accounts.scoping import code_q
from lindung.imports.engine import (
    CHUNK_SIZE,
    CHUNKS_PER_COMMIT,
    CREATED,
    REJECTED,
    REVIEW,
    SKIPPED,
    UPDATED,
    ChunkContext,
    Decision,
    Planner,
    collector_paused,
    phone_dropped,
)
from lindung.imports.headers import FIELD_BY_KEY
from lindung.imports.messages import ROW_MESSAGES, TEXT_MESSAGES
from lindung.imports.models import (
    COUNTED,
    ImportBatch,
    ImportedSubmission,
    ImportIssue,
    IssueKind,
    count_fields,
)
from lindung.imports.problems import RowProblem
from lindung.imports.readahead import read_ahead
from lindung.imports.reading import Table, is_blank_row, open_table
from lindung.imports.rows import ParsedRow, RowParser
from lindung.imports.villages import VillageIndex
from lindung.imports.writer import Writer
from lindung.regions.models import Area, Level
from lindung.registry.nik_clash import nik_elsewhere_message, nik_lookups_audit


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


@dataclass
class RunResult:
    rows: int = 0
    counts: Tally = field(default_factory=Tally)
    issues: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"rows": self.rows, **{name: self.counts[name] for name in COUNTED}}


def _issue_values(values: list) -> list:
    plain = []
    for value in values:
        if isinstance(value, str):
            # PostgreSQL refuses a NUL in text and in jsonb (UntranslatableCharacter).
            plain.append(value.replace("\x00", "") if "\x00" in value else value)
        elif value is None or isinstance(value, (int, float, bool)):
            plain.append(value)
        elif hasattr(value, "isoformat"):
            plain.append(value.isoformat())
        else:
            plain.append(str(value))
    while plain and plain[-1] in ("", None):
        plain.pop()
    return plain


def _issues_of(decision: Decision, parser: RowParser) -> list[dict]:
    """What the import says about a row: why it was not applied, or (applied) what it left
    out and whether the resident is probably abroad."""
    row = decision.row
    if decision.outcome == SKIPPED:
        told = [] if row.quiet else [(IssueKind.SKIPPED, row.skip)]
    elif decision.outcome in (REJECTED, REVIEW):
        kind = IssueKind.REVIEW if decision.outcome == REVIEW else IssueKind.REJECTED
        told = [(kind, p) for p in (row.problems or [decision.problem])]
    else:
        told = [(IssueKind.WARNING, p) for p in row.warnings]
        told += [(IssueKind.ABROAD, p) for p in row.hints]
    if not told:
        return []
    values = _issue_values(row.values)
    return [
        {
            "kind": kind,
            "row": row.number,
            "column": parser.column(p.field) if p.field in FIELD_BY_KEY else "",
            "field": p.field,
            "code": p.code,
            "message": str(p.message),
            "values": values,
        }
        for kind, p in told
    ]


def _late_drop(decision: Decision, parser: RowParser) -> dict:
    """The warning of a row whose number the writer left out: the person withdrew their
    consent after the chunk was planned (its cells are gone by then; the row and column say
    where)."""
    problem = phone_dropped()
    return {
        "kind": IssueKind.WARNING,
        "row": decision.row.number,
        "column": parser.column(problem.field),
        "field": problem.field,
        "code": problem.code,
        "message": str(problem.message),
        "values": [],
    }


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


class ImportRun:
    """One pass over a file: read every row after the header, decide what each would do, and
    (with `apply`) write it chunk by chunk. With a batch, each chunk's writes, issues and
    counts are committed together, and a resumed run skips the rows the batch says are
    applied. A `table` already opened on the same file and sheet is read as is (a workbook
    sheet is loaded only once)."""

    def __init__(
        self,
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
        started: Callable[[Table], None] | None = None,
        table: Table | None = None,
    ) -> None:
        self.table = table if table is not None else open_table(path, sheet)
        today = timezone.localdate()
        self.parser = RowParser(
            headers=headers,
            mapping={k: int(v) for k, v in mapping.items()},
            villages=village_index(area),
            today=today,
        )
        self.planner = Planner(
            area_code=area.code,
            area_title=area.title,
            today=today,
            outside_message=nik_elsewhere_message(actor) if actor is not None else "",
        )
        self.writer = Writer(actor=actor, batch=batch, area_code=area.code)
        self.header_row, self.area, self.actor = header_row, area, actor
        self.apply, self.batch, self.collect, self.progress = apply, batch, collect, progress
        self.started = started  # given the table once the reader reads it (to count its rows)
        self.resume_from = batch.applied_rows if (batch is not None and apply) else 0
        self.result = RunResult()
        self.done = 0
        self.elsewhere = 0  # rows whose NIK is registered outside the area: audited once
        self.applied: list[int] = []  # [rows done, last sheet row] written, uncommitted

    def run(self) -> RunResult:
        batch, result = self.batch, self.result
        notices = _reading_notices(self.table)
        if notices and not self.resume_from:
            _save_issues(batch, notices)
            if self.collect:
                result.issues.extend(notices)
        if self.resume_from:
            result.counts.update(batch.counts)
        per_commit = CHUNKS_PER_COMMIT.get(connection.vendor, 1)
        with (
            collector_paused(),
            FirstRows() as self.seen_nik,
            FirstRows() as self.seen_uuid,
            read_ahead(self.parsed_chunks) as pending,
            side_progress(batch if self.apply and per_commit > 1 else None) as between_commits,
        ):
            if self.started is not None:
                self.started(self.table)  # beside the reader's first chunk, not before it
            while (chunk := next(pending, None)) is not None:
                # One transaction for a few chunks: their rows, issues, counters and the
                # batch's resume point commit together or not at all.
                with transaction.atomic() if self.apply else nullcontext():
                    self.process(chunk)
                    for chunk in islice(pending, per_commit - 1):
                        between_commits(self.done)
                        self.process(chunk)
                    if self.applied:
                        self.writer.flush_counters()
                        _save_progress(batch, result.counts, *self.applied)
                        self.applied.clear()
        result.rows = self.done
        # One trail entry per run, not one per NIK: how many were registered outside the area.
        nik_lookups_audit(
            actor=self.actor, count=self.elsewhere, area_code=self.area.code, obj=batch
        )
        return result

    def parsed_chunks(self) -> Iterator[list[tuple[ParsedRow, Decision | None]]]:
        """The rows after the header, parsed, with what each does if its NIK is new (the rows
        it would insert prepared), CHUNK_SIZE at a time: in the reader process when reading
        ahead, as none of it needs more than the file, the parser, the planner and the
        writer's column layouts."""
        parser, planner, writer = self.parser, self.planner, self.writer
        chunk: list[tuple[ParsedRow, Decision | None]] = []
        for number, values in self.table.rows():
            if number <= self.header_row or is_blank_row(values):
                continue
            row = parser.parse(number, values)
            refused = row.problems or row.skip is not None
            chunk.append((row, None if refused else writer.ahead(planner.decide_new(row))))
            if len(chunk) >= CHUNK_SIZE:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    def _duplicates(self, rows: list[ParsedRow]) -> None:
        """A NIK or a submission already met earlier in the file refuses the row."""
        checked = [row for row in rows if not row.problems and row.skip is None]
        first_nik = self.seen_nik.record([(row.nik, row.number) for row in checked])
        first_uuid = self.seen_uuid.record(
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

    def process(self, chunk: list[tuple[ParsedRow, Decision | None]]) -> None:
        batch, result = self.batch, self.result
        decisions: list[Decision] = []
        valid: list[tuple[ParsedRow, Decision | None]] = []
        rows = [row for row, _new in chunk]
        self._duplicates(rows)
        for row, new in chunk:
            if row.skip is not None:
                decisions.append(Decision(row, SKIPPED, problem=row.skip))
            elif row.problems:
                decisions.append(Decision(row, REJECTED, problem=row.problems[0]))
            else:
                valid.append((row, new))
        chunk.clear()
        self.done += len(rows)
        if self.apply and self.done <= self.resume_from:
            return
        if valid:
            ctx = ChunkContext([row for row, _new in valid])
            decisions.extend(self.planner.decide(row, ctx, new) for row, new in valid)
        decisions.sort(key=lambda d: d.row.number)
        issues = [
            issue
            for d in decisions
            if d.outcome in (REJECTED, REVIEW, SKIPPED) or d.row.warnings or d.row.hints
            for issue in _issues_of(d, self.parser)
        ]
        last_row = rows[-1].number
        # The issues hold what they show of the cells: let the cells and parsed values go
        # before the writes, the chunk's peak of memory (the drafts carry what is written).
        rows.clear()
        for d in decisions:
            d.row.values = d.row.person = d.row.placement = None
        if self.apply:
            self.writer.write(decisions)
            if self.writer.late_drops:
                issues.extend(_late_drop(d, self.parser) for d in self.writer.late_drops)
                issues.sort(key=lambda issue: issue["row"])
            _record_submissions(decisions, batch)
            _save_issues(batch, issues)
            self.applied[:] = [self.done, last_row]
        elif batch is not None:
            _save_issues(batch, issues)
            ImportBatch.objects.filter(pk=batch.pk).update(
                progress_done=self.done, heartbeat_at=timezone.now()
            )
        result.counts.update(d.outcome for d in decisions)
        self.elsewhere += sum(
            1 for d in decisions if d.problem is not None and d.problem.code == "outside_scope"
        )
        if self.collect:
            result.issues.extend(issues)
        if self.progress is not None:
            self.progress(self.done)


def run_import(**options) -> RunResult:
    """Run one import pass (ImportRun's options); what it did, row by row and in total."""
    return ImportRun(**options).run()


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


def _reading_notices(table: Table) -> list[dict]:
    """Warnings about how a CSV file was read (its encoding, NULs removed), each at the line
    where it first happened."""
    if table.evidence is None:
        return []
    return [
        {
            "kind": IssueKind.WARNING,
            "row": line,
            "column": "",
            "field": "",
            "code": code,
            "message": str(TEXT_MESSAGES[code] % params),
            "values": [],
        }
        for line, code, params in table.evidence.notices()
    ]


def _save_issues(batch, issues: list[dict]) -> None:
    for issue in issues:
        # A NUL from a workbook cell (_x0000_) quoted in a message: PostgreSQL refuses it.
        if "\x00" in issue["message"] or "\x00" in issue["column"]:
            issue["message"] = issue["message"].replace("\x00", "")
            issue["column"] = issue["column"].replace("\x00", "")
    if batch is not None and issues:
        ImportIssue.objects.bulk_create([ImportIssue(batch=batch, **i) for i in issues])


def _save_progress(batch, counts: Tally, done: int, last_row: int) -> None:
    if batch is None:
        return
    ImportBatch.objects.filter(pk=batch.pk).update(
        **count_fields(counts),
        applied_rows=done,
        applied_through=last_row,
        progress_done=done,
        heartbeat_at=timezone.now(),
    )
