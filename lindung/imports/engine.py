"""The bulk path of an import: plan a chunk of parsed rows, then write it in a few queries.

Rows are read and planned in chunks of CHUNK_SIZE. For each chunk the existing persons are
looked up by NIK at once, every row gets one decision (create, update, unchanged, reject or
review), and the writes are bulk inserts and updates: persons, episodes, their events, one
audit event per changed record with its field changes and one per chunk for the records it
created, and the counter deltas summed over the chunk. The decisions follow the registry and
placement services rule for rule (the tests compare both paths), so a row imported is what the
forms would have saved.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone

from lindung.audit.services import diff, field_values
from lindung.imports.messages import ROW_MESSAGES
from lindung.imports.models import COUNTED
from lindung.imports.problems import RowProblem
from lindung.imports.rows import ParsedRow
from lindung.imports.vocabulary import country_name, format_date
from lindung.lib.processing import consent_fields
from lindung.placements.destination import UNKNOWN
from lindung.placements.models import (
    EventKind,
    Placement,
    ReadinessCheck,
    Status,
)
from lindung.placements.readiness import SequenceError, event_check, readiness_evaluate
from lindung.placements.services import SEQUENCE_MESSAGES
from lindung.registry.models import Person, Phase

# Rows are parsed, planned and written CHUNK_SIZE at a time (what is held in memory), and
# committed CHUNKS_PER_COMMIT chunks at a time with their counters and the resume point: a
# transaction's rows share one upsert of their counter rows, which costs by the number of
# distinct rows (~17,000 for 20,000 rows of the benchmark, ~17,000 for 50,000 too). SQLite
# has one writer at a time, and a transaction makes everyone's saves wait until it commits,
# so it stays short; PostgreSQL's writers wait only for the rows they share, and a transaction
# locks its counter rows only in its last statements.
CHUNK_SIZE = 5_000
# The person's fields kept only with consent, as the processing register says (the phone).
CONSENT_FIELDS = consent_fields("registry.person")
CHUNKS_PER_COMMIT = {"sqlite": 4, "postgresql": 10}
_BOOKKEEPING = {"created_at", "modified_at", "created_by", "modified_by"}
CREATED, UPDATED, UNCHANGED, REJECTED, REVIEW, SKIPPED = COUNTED
PERSON_UPDATABLE = (
    "full_name",
    "name_key",
    "sex",
    "birth_date",
    "birth_place",
    "kk_number",
    "address",
    "dusun",
    "rt",
    "rw",
    "phone",
    "education",
    "marital_status",
    "nik_exception",
)
PLACEMENT_UPDATABLE = (
    "scheme",
    "sector",
    "job",
    "job_title",
    "agency_name",
    "employer_name",
)


@contextmanager
def collector_paused():
    """Python's cycle collector off while an import runs, as it was before afterwards.

    A chunk keeps ~10 objects alive per row for 10,000 rows; each full collection walks them
    all and found nothing to free (rows, drafts and tuples make no cycles, reference counting
    frees them), yet cost about a sixth of an import's CPU. Process-wide for the import's
    seconds; cycles made meanwhile by other threads are collected when it ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class Draft:
    """A record to be inserted: its attributes only (a model instance costs ~10 µs to build).
    `Writer.prepare` turns it into the row it inserts."""

    def __init__(self, **values):
        self.__dict__.update(values)


@dataclass
class Decision:
    row: ParsedRow
    outcome: str
    problem: RowProblem | None = None
    person: Person | Draft | None = None
    new_person: bool = False
    person_changes: dict = field(default_factory=dict)
    placement: Placement | Draft | None = None
    new_placement: bool = False
    placement_changes: dict = field(default_factory=dict)
    events: list[dict] = field(default_factory=list)  # kind, occurred_on, extra fields
    checks: list[tuple[str, dt.date]] = field(default_factory=list)  # (item, checked on)
    records: NewRecords | None = None  # the rows it inserts, prepared (Writer.prepare)
    person_id: int | None = None  # the keys of its person and episode, once written
    placement_id: int | None = None


class NewRecords:
    """The rows a decision inserts, as database values after their late columns
    (bulk.Layout), and the counter keys a new person adds at village level."""

    __slots__ = ("person", "placement", "events", "keys", "consented")

    def __init__(self, person=None, placement=None, events=(), keys=(), consented=None):
        self.person: tuple | None = person
        self.placement: tuple | None = placement
        self.events: tuple[tuple, ...] = events
        self.keys: tuple[tuple, ...] = keys
        # When a new person kept with a number consented to it (None: no number kept).
        self.consented = consented

    def __reduce__(self):
        # Sent by the reader process: one call with five values, cheaper to unpickle than a
        # state dict set slot by slot.
        args = (self.person, self.placement, self.events, self.keys, self.consented)
        return (NewRecords, args)


class ChunkContext:
    """What one chunk needs from the database, fetched in a handful of queries."""

    def __init__(self, rows: list[ParsedRow]):
        ids = _ids_of_niks([row.nik for row in rows])
        self.persons = (
            {
                p.nik: p
                for p in Person.objects.filter(pk__in=ids).select_related("current_placement")
            }
            if ids
            else {}
        )
        ids = [p.pk for p in self.persons.values()]
        self.placements: dict[int, list[Placement]] = defaultdict(list)
        if ids:
            for placement in Placement.objects.filter(
                person_id__in=ids, archived_at__isnull=True
            ).order_by("created_at", "id"):
                self.placements[placement.person_id].append(placement)
        open_ids = [p.pk for ps in self.placements.values() for p in ps if p.status == "planned"]
        self.checks: dict[int, list[str]] = defaultdict(list)
        if open_ids:
            for placement_id, item in ReadinessCheck.objects.filter(
                placement_id__in=open_ids
            ).values_list("placement_id", "item"):
                self.checks[placement_id].append(item)
        uuids = [row.submission_uuid for row in rows if row.submission_uuid]
        self.seen_uuids: set[str] = set()
        if uuids:
            from lindung.imports.models import ImportedSubmission

            self.seen_uuids = set(
                ImportedSubmission.objects.filter(uuid__in=uuids).values_list("uuid", flat=True)
            )


def _ids_of_niks(niks: list[str]) -> list[int]:
    """Keys of the persons (any area, archived too) holding these NIKs, in plain SQL: the
    ORM prepares each of a chunk's 10,000 parameters one by one, and most NIKs of an import
    are new."""
    table = connection.ops.quote_name(Person._meta.db_table)
    found: list[int] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One JSON document: psycopg would dump a list parameter element by element.
            cursor.execute(
                f"SELECT id FROM {table} WHERE nik IN "  # noqa: S608
                "(SELECT jsonb_array_elements_text(%s::jsonb))",
                [json.dumps(niks)],
            )
            return [row[0] for row in cursor.fetchall()]
        for start in range(0, len(niks), 5000):
            part = niks[start : start + 5000]
            marks = ", ".join(["%s"] * len(part))
            cursor.execute(f"SELECT id FROM {table} WHERE nik IN ({marks})", part)  # noqa: S608
            found.extend(row[0] for row in cursor.fetchall())
    return found


class Planner:
    """Decides, row by row, what an import would do; knows nothing of files.

    Drafts and events hold choices as plain values (`Status.ABROAD.value`), not enum members:
    the reader process pickles the plans of new rows, and unpickling an enum member calls its
    class (~25 times the cost of a string; it was a third of the plans' transfer)."""

    def __init__(
        self, *, area_code: str, area_title: str, today: dt.date, outside_message: str = ""
    ):
        self.area_code = area_code
        self.area_title = area_title
        self.today = today
        # What a row whose NIK is registered outside the area says (registry.nik_clash).
        self.outside_message = outside_message or str(ROW_MESSAGES["outside_scope"])
        self._departures: dict[tuple, dict] = {}

    def in_area(self, code: str) -> bool:
        return code == self.area_code or code.startswith(self.area_code + ".")

    def decide(self, row: ParsedRow, ctx: ChunkContext, new: Decision | None = None) -> Decision:
        """What the row does, given what the database holds (`ctx`). `new` is what
        `decide_new` gave for the row, when it was planned ahead (in the reader process)."""
        if row.submission_uuid and row.submission_uuid in ctx.seen_uuids:
            return Decision(row, UNCHANGED)
        person = ctx.persons.get(row.nik)
        if person is None:
            return new if new is not None else self.decide_new(row)
        if row.read_warnings is not None:
            del row.warnings[row.read_warnings :]  # those of the plan for a new person
        try:
            return self._update(row, person, ctx)
        except RowProblem as problem:
            return _refused(row, problem)

    def decide_new(self, row: ParsedRow) -> Decision:
        """What the row does if its NIK is new to the database. It needs only the row and
        today, so the reader process plans every row this way ahead of the writes (most rows
        of an import are new); `decide` uses the plan when the NIK is indeed unknown."""
        if row.read_warnings is None:
            row.read_warnings = len(row.warnings)
        try:
            return self._create(row)
        except RowProblem as problem:
            return _refused(row, problem)

    def _create(self, row: ParsedRow) -> Decision:
        values = row.person
        if not row.contact_consent and any(values.get(name) for name in CONSENT_FIELDS):
            values = {k: v for k, v in values.items() if k not in CONSENT_FIELDS}
            row.warn(phone_dropped())
        person = Draft(
            village_id=row.village,
            phase=Phase.NONE.value,
            archived_at=None,
            current_placement=None,
            **values,
        )
        if values.get("phone"):
            person.contact_consent_at = timezone.now()
        decision = Decision(row, CREATED, person=person, new_person=True)
        if row.placement:
            self._new_placement(decision, person, row, [])
        return decision

    def _update(self, row: ParsedRow, person: Person, ctx: ChunkContext) -> Decision:
        if person.archived_at is not None:
            raise RowProblem("nik", "archived", str(ROW_MESSAGES["archived"]))
        if not self.in_area(person.village_id):
            raise RowProblem("nik", "outside_scope", self.outside_message)
        if person.village_id != row.village:
            params = {"village": person.village_id, "new": row.village}
            raise RowProblem("village", "other_village", ROW_MESSAGES["other_village"] % params)
        changes = {}
        for name in PERSON_UPDATABLE:
            if name in row.person:
                new = row.person[name]
                if name == "nik_exception" and not new:
                    continue
                old = getattr(person, name)
                if old != new:
                    changes[name] = [old, new]
        unconsented = [name for name in CONSENT_FIELDS if name in changes]
        if unconsented and person.contact_consent_at is None and not row.contact_consent:
            for name in unconsented:
                del changes[name]
            row.warn(phone_dropped())
        decision = Decision(row, UNCHANGED, person=person, person_changes=changes)
        if row.placement:
            self._placement_for_existing(decision, person, row, ctx)
        if changes or decision.new_placement or decision.placement_changes or decision.events:
            decision.outcome = UPDATED
        return decision

    def _sequence(self, *, status, kind, occurred_on, birth_date, departed_on) -> str:
        try:
            return event_check(
                status=status,
                kind=kind,
                occurred_on=occurred_on,
                today=self.today,
                birth_date=birth_date,
                departed_on=departed_on,
            )
        except SequenceError as error:
            message = SEQUENCE_MESSAGES[error.code] % {
                "status": Status(status).label,
                "departed": format_date(departed_on),
            }
            column = "departed_on" if kind == EventKind.DEPARTED else "returned_on"
            raise RowProblem(column, f"sequence_{error.code}", str(message)) from None

    def _departure_data(self, missing) -> dict:
        """A departure event's data; one shared (never changed) dict per set of missing
        documents, so the writer serialises it once, not once per row."""
        key = None if missing is None else tuple(missing)
        data = self._departures.get(key)
        if data is None:
            if key is None:  # the checklist was not checked
                data = {"missing": [], "under_age": False, "not_checked": True}
            else:
                data = {"missing": list(key), "under_age": False}
            self._departures[key] = data
        return data

    def _check(self, decision: Decision, row: ParsedRow, checked: list[str]) -> None:
        """The checklist items the row ticks that the episode in preparation has not, each
        stored as placement_check stores it: the item, its day and a "document completed"
        event. Done by the departure day at the latest (the import does not know the day)."""
        if not row.checklist:
            return
        on = row.departed_on or self.today
        for item in dict.fromkeys(row.checklist):
            if item in checked:
                continue
            decision.checks.append((item, on))
            decision.events.append(
                {
                    "kind": EventKind.DOCUMENT_COMPLETED.value,
                    "occurred_on": on,
                    "data": self._check_data(item),
                }
            )

    def _check_data(self, item: str) -> dict:
        """A "document completed" event's data, one shared dict per item (as _departure_data)."""
        key = ("check", item)
        data = self._departures.get(key)
        if data is None:
            data = self._departures[key] = {"item": item, "reference": ""}
        return data

    def _depart(self, decision, placement, row, birth_date, checked) -> None:
        self._sequence(
            status=placement.status,
            kind=EventKind.DEPARTED,
            occurred_on=row.departed_on,
            birth_date=birth_date,
            departed_on=None,
        )
        known = checked or row.checklist is not None
        readiness = readiness_evaluate(
            birth_date=birth_date,
            planned_departure=row.departed_on,
            checked=[*checked, *(row.checklist or ())],
            today=self.today,
        )
        if readiness.under_age:
            raise RowProblem("departed_on", "under_age", str(ROW_MESSAGES["under_age"]))
        placement.status = Status.ABROAD.value
        placement.departed_on = row.departed_on
        # A file that says nothing of the checklist leaves it "not checked" (None), not
        # "non-procedural": nobody has looked at the documents yet.
        placement.procedural = readiness.procedural if known else None
        decision.events.append(
            {
                "kind": EventKind.DEPARTED.value,
                "occurred_on": row.departed_on,
                "note": row.note,
                "data": self._departure_data(readiness.missing if known else None),
            }
        )

    def _return(self, decision, placement, row, birth_date) -> None:
        self._sequence(
            status=placement.status,
            kind=EventKind.RETURNED,
            occurred_on=row.returned_on,
            birth_date=birth_date,
            departed_on=placement.departed_on,
        )
        placement.status = Status.RETURNED.value
        placement.returned_on = row.returned_on
        placement.return_reason = row.return_reason
        decision.events.append(
            {
                "kind": EventKind.RETURNED.value,
                "occurred_on": row.returned_on,
                "note": row.note,
                "return_reason": row.return_reason,
            }
        )

    def _new_placement(self, decision, person, row, existing: list[Placement]) -> None:
        if row.status in ("cancelled", "died"):
            raise RowProblem(
                "status", "status_unsupported", str(ROW_MESSAGES["status_unsupported"])
            )
        open_ones = [p for p in existing if p.status in (Status.PLANNED, Status.ABROAD)]
        if open_ones:
            params = {"country": country_name(open_ones[-1].destination_country)}
            raise RowProblem(
                "destination_country", "open_episode", ROW_MESSAGES["open_episode"] % params
            )
        placement = Draft(
            village_id=person.village_id,
            status=Status.PLANNED.value,
            procedural=None,
            departed_on=None,
            returned_on=None,
            return_reason="",
            **row.placement,
        )
        decision.placement = placement
        decision.new_placement = True
        if not row.departed_on:
            # A row that already departed is history: "registered today" would sit after its
            # departure on the timeline. The episode's creation is in the trail and its
            # created_at.
            decision.events.append({"kind": EventKind.REGISTERED.value, "occurred_on": self.today})
        birth_date = row.person["birth_date"]
        self._check(decision, row, [])
        if row.departed_on:
            self._depart(decision, placement, row, birth_date, [])
        if row.returned_on:
            self._return(decision, placement, row, birth_date)

    def _match(self, row: ParsedRow, placements: list[Placement]) -> Placement | None:
        country = row.placement["destination_country"]
        if country == UNKNOWN:
            # A calon PMI whose destination the file does not know: their open episode, if any.
            open_ones = [p for p in placements if p.status in (Status.PLANNED, Status.ABROAD)]
            return open_ones[-1] if open_ones else None
        same = [p for p in placements if p.destination_country == country]
        if not same:
            # An episode in preparation whose country was not yet known: now it is.
            same = [
                p
                for p in placements
                if p.status == Status.PLANNED and p.destination_country == UNKNOWN
            ]
        if row.departed_on:
            for placement in reversed(same):
                if placement.departed_on == row.departed_on:
                    return placement
            for placement in reversed(same):
                if placement.status == Status.PLANNED:
                    return placement
            return None
        for placement in reversed(same):
            if placement.status in (Status.PLANNED, Status.ABROAD):
                return placement
        return same[-1] if same else None

    def _placement_for_existing(self, decision, person, row, ctx: ChunkContext) -> None:
        placements = ctx.placements.get(person.pk, [])
        placement = self._match(row, placements)
        if placement is None:
            self._new_placement(decision, person, row, placements)
            return
        before = field_values(placement)
        for name in PLACEMENT_UPDATABLE:
            if name in row.placement and name not in row.defaulted:
                setattr(placement, name, row.placement[name])
        if placement.destination_country == UNKNOWN:
            placement.destination_country = row.placement["destination_country"]
        birth_date = row.person["birth_date"]
        if placement.status == Status.PLANNED:
            checked = ctx.checks.get(placement.pk, [])
            self._check(decision, row, checked)
            if row.departed_on:
                self._depart(decision, placement, row, birth_date, checked)
        if row.returned_on:
            if placement.status == Status.ABROAD:
                self._return(decision, placement, row, birth_date)
            elif placement.returned_on != row.returned_on:
                params = {
                    "field": "Tgl Pulang",
                    "file": format_date(row.returned_on),
                    "record": format_date(placement.returned_on) or Status(placement.status).label,
                }
                raise RowProblem(
                    "returned_on", "episode_conflict", ROW_MESSAGES["episode_conflict"] % params
                )
        changes = {
            k: v for k, v in diff(before, field_values(placement)).items() if k not in _BOOKKEEPING
        }
        if changes or decision.events:
            decision.placement = placement
            decision.placement_changes = changes


def phone_dropped() -> RowProblem:
    return RowProblem("phone", "phone_dropped", str(ROW_MESSAGES["phone_dropped_consent"]))


REVIEW_CODES = {"other_village", "outside_scope", "archived", "episode_conflict"}


def _refused(row: ParsedRow, problem: RowProblem) -> Decision:
    outcome = REVIEW if problem.code in REVIEW_CODES else REJECTED
    return Decision(row, outcome, problem=problem.kept())
