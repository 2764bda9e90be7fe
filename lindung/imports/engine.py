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
from collections import Counter as Tally
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone

from lindung.audit.context import current_ip
from lindung.audit.models import Action, AuditEvent
from lindung.audit.services import _plain, diff, field_values
from lindung.imports import bulk
from lindung.imports.messages import ROW_MESSAGES
from lindung.imports.rows import ParsedRow, RowProblem, country_name, format_date
from lindung.placements.models import (
    EventKind,
    Placement,
    PlacementEvent,
    ReadinessCheck,
    Status,
)
from lindung.placements.readiness import SequenceError, event_check, readiness_evaluate
from lindung.placements.services import PHASE_OF_STATUS, SEQUENCE_MESSAGES
from lindung.registry.models import Person, Phase
from lindung.reports.counters import EVENT_METRICS, event_key, person_key, rolled_up

# Rows are parsed, planned and written CHUNK_SIZE at a time (what is held in memory), and
# committed CHUNKS_PER_COMMIT chunks at a time with their counters and the resume point: a
# transaction's rows share one upsert of their counter rows, which costs by the number of
# distinct rows (~17,000 for 20,000 rows of the benchmark, ~17,000 for 50,000 too). SQLite
# has one writer at a time, and a transaction makes everyone's saves wait until it commits,
# so it stays short; PostgreSQL's writers wait only for the rows they share, and a transaction
# locks its counter rows only in its last statements.
CHUNK_SIZE = 5_000
CHUNKS_PER_COMMIT = {"sqlite": 4, "postgresql": 10}
_BOOKKEEPING = {"created_at", "modified_at", "created_by", "modified_by"}
CREATED, UPDATED, UNCHANGED, REJECTED, REVIEW = (
    "created",
    "updated",
    "unchanged",
    "rejected",
    "review",
)
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
    records: NewRecords | None = None  # the rows it inserts, prepared (Writer.prepare)
    person_id: int | None = None  # the keys of its person and episode, once written
    placement_id: int | None = None


class NewRecords:
    """The rows a decision inserts, as database values after their late columns
    (bulk.Layout), and the counter keys a new person adds at village level."""

    __slots__ = ("person", "placement", "events", "keys")

    def __init__(self, person=None, placement=None, events=(), keys=()):
        self.person: tuple | None = person
        self.placement: tuple | None = placement
        self.events: tuple[tuple, ...] = events
        self.keys: tuple[tuple, ...] = keys

    def __reduce__(self):
        # Sent by the reader process: one call with four values, cheaper to unpickle than a
        # state dict set slot by slot.
        return (NewRecords, (self.person, self.placement, self.events, self.keys))


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

    def __init__(self, *, area_code: str, area_title: str, today: dt.date):
        self.area_code = area_code
        self.area_title = area_title
        self.today = today
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
        try:
            return self._update(row, person, ctx)
        except RowProblem as problem:
            return _refused(row, problem)

    def decide_new(self, row: ParsedRow) -> Decision:
        """What the row does if its NIK is new to the database. It needs only the row and
        today, so the reader process plans every row this way ahead of the writes (most rows
        of an import are new); `decide` uses the plan when the NIK is indeed unknown."""
        try:
            return self._create(row)
        except RowProblem as problem:
            return _refused(row, problem)

    def _create(self, row: ParsedRow) -> Decision:
        if row.person.get("phone") and not row.contact_consent:
            raise RowProblem("phone", "phone_consent", str(ROW_MESSAGES["phone_consent"]))
        person = Draft(
            village_id=row.village,
            phase=Phase.NONE.value,
            archived_at=None,
            current_placement=None,
            **row.person,
        )
        if row.person.get("phone"):
            person.contact_consent_at = timezone.now()
        decision = Decision(row, CREATED, person=person, new_person=True)
        if row.placement:
            self._new_placement(decision, person, row, [])
        return decision

    def _update(self, row: ParsedRow, person: Person, ctx: ChunkContext) -> Decision:
        if person.archived_at is not None:
            raise RowProblem("nik", "archived", str(ROW_MESSAGES["archived"]))
        if not self.in_area(person.village_id):
            raise RowProblem("nik", "outside_scope", str(ROW_MESSAGES["outside_scope"]))
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
        if "phone" in changes and person.contact_consent_at is None and not row.contact_consent:
            raise RowProblem("phone", "phone_consent", str(ROW_MESSAGES["phone_consent"]))
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
        key = tuple(missing)
        data = self._departures.get(key)
        if data is None:
            data = self._departures[key] = {"missing": list(key), "under_age": False}
        return data

    def _depart(self, decision, placement, row, birth_date, checked) -> None:
        self._sequence(
            status=placement.status,
            kind=EventKind.DEPARTED,
            occurred_on=row.departed_on,
            birth_date=birth_date,
            departed_on=None,
        )
        readiness = readiness_evaluate(
            birth_date=birth_date,
            planned_departure=row.departed_on,
            checked=checked,
            today=self.today,
        )
        if readiness.under_age:
            raise RowProblem("departed_on", "under_age", str(ROW_MESSAGES["under_age"]))
        placement.status = Status.ABROAD.value
        placement.departed_on = row.departed_on
        placement.procedural = readiness.procedural
        decision.events.append(
            {
                "kind": EventKind.DEPARTED.value,
                "occurred_on": row.departed_on,
                "note": row.note,
                "data": self._departure_data(readiness.missing),
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
        if row.departed_on:
            self._depart(decision, placement, row, birth_date, [])
        if row.returned_on:
            self._return(decision, placement, row, birth_date)

    def _match(self, row: ParsedRow, placements: list[Placement]) -> Placement | None:
        country = row.placement["destination_country"]
        same = [p for p in placements if p.destination_country == country]
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
        birth_date = row.person["birth_date"]
        if row.departed_on and placement.status == Status.PLANNED:
            self._depart(decision, placement, row, birth_date, ctx.checks.get(placement.pk, []))
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
        if changes:
            decision.placement = placement
            decision.placement_changes = changes


REVIEW_CODES = {"other_village", "outside_scope", "archived", "episode_conflict"}


def _refused(row: ParsedRow, problem: RowProblem) -> Decision:
    outcome = REVIEW if problem.code in REVIEW_CODES else REJECTED
    return Decision(row, outcome, problem=problem.kept())


class Writer:
    """Writes the decisions of one chunk in bulk, with audit events and counter deltas."""

    def __init__(self, *, actor, batch=None, area_code: str = ""):
        self.actor = actor if getattr(actor, "is_authenticated", False) else None
        self.actor_id = self.actor.pk if self.actor else None
        self.username = self.actor.username if self.actor else ""
        self.batch = batch
        self.area_code = area_code
        self.rolled_codes: dict[str, list[str]] = {}  # village → its codes at every level
        self.deltas: Tally = Tally()  # village-level counter deltas not yet written
        self._same_key: dict[tuple, tuple] = {}  # equal counter keys made one object
        self.ip = current_ip.get()

    def _audit(self, action, obj, object_type, area_code, changes) -> dict:
        return {
            "actor_id": self.actor_id,
            "actor_username": self.username,
            "action": action,
            "object_type": object_type,
            "object_id": str(obj.pk),
            "object_repr": self._repr(obj, object_type)[:200],
            "area_code": area_code,
            "changes": changes,
            "ip": self.ip,
        }

    def _repr(self, obj, object_type: str) -> str:
        if object_type == PERSON_TYPE:
            return obj.full_name
        # Placement.__str__, with the status label translated once per chunk, not per row.
        label = self.status_labels.get(obj.status)
        if label is None:
            label = self.status_labels[obj.status] = str(Status(obj.status).label)
        return f"{self.person_of[obj.person_id].full_name} → {obj.destination_country} ({label})"

    def _chunk_audit(self, decisions, new_people: list[int], new_episodes: list[int]) -> dict:
        """One trail entry for the records a chunk created: which rows, which keys."""
        numbers = [d.row.number for d in decisions]
        batch = self.batch
        return {
            "actor_id": self.actor_id,
            "actor_username": self.username,
            "action": Action.IMPORT,
            "object_type": BATCH_TYPE,
            "object_id": str(batch.pk) if batch is not None else "",
            "object_repr": (batch.file_name if batch is not None else "")[:200],
            "area_code": self.area_code,
            "changes": {
                "rows": [min(numbers), max(numbers)],
                "created": {
                    PERSON_TYPE: id_ranges(new_people),
                    PLACEMENT_TYPE: id_ranges(new_episodes),
                },
            },
            "ip": self.ip,
        }

    def prepare(self, d: Decision) -> None:
        """Turn what a decision creates (a new person, episode, events) into the rows it
        inserts (`d.records`), everything but keys and the time of writing.

        Most created rows are prepared in the reader process, right after they are planned
        (services.run_import), so the importing process only joins keys to them; their drafts
        are dropped there, as nothing else needs them. Records added to persons already held
        are prepared here as they are written."""
        actor_id = self.actor_id
        person, placement = d.person, d.placement
        keys = []
        records = NewRecords()
        if d.new_person:
            if person.__dict__.get("phone"):
                person.contact_consent_by_id = actor_id
            person.created_by_id = person.modified_by_id = actor_id
            if d.new_placement:
                # Written in its final state: its new episode is the current one.
                person.phase = PHASE_OF_STATUS[placement.status]
                person.current_placement = placement
            records.person = PERSON_ROWS.prepare(person.__dict__)
            key = person_key(person)
            if key is not None:
                keys.append(key)
        if d.new_placement:
            placement.village_id = person.village_id
            placement.created_by_id = placement.modified_by_id = actor_id
            records.placement = PLACEMENT_ROWS.prepare(placement.__dict__)
        events = []
        for spec in d.events:
            event = {"village_id": placement.village_id, "recorded_by_id": actor_id, **spec}
            events.append(EVENT_ROWS.prepare(event))
            if d.new_person and spec["kind"] in EVENT_METRICS:
                keys.append(event_key(_Event(event), placement, person))
        records.events = tuple(events)
        if len(self._same_key) > 100_000:
            self._same_key.clear()  # bounded: it only needs to span a chunk
        records.keys = tuple(self._same_key.setdefault(key, key) for key in keys)
        d.records = records

    def ahead(self, d: Decision) -> Decision:
        """A new person's plan as the reader process sends it: its rows prepared and its drafts
        dropped (the importing process writes the rows and needs nothing else of them)."""
        if d.new_person:
            self.prepare(d)
            d.person = d.placement = None
            d.events = []
        return d

    def write(self, decisions: list[Decision]) -> None:
        now = timezone.now()
        actor_id = self.actor_id
        self.status_labels: dict[str, str] = {}
        todo = [d for d in decisions if d.outcome in (CREATED, UPDATED)]
        if not todo:
            return
        created = [d for d in todo if d.new_person]
        changed = [d for d in todo if not d.new_person]
        before = tallies_of([d.person for d in changed])

        # Keys first, so every row goes in already pointing at the rows it belongs to (a new
        # person at its episode, as its current one).
        person_keys = iter(bulk.reserve_ids(Person, len(created)))
        placement_keys = iter(bulk.reserve_ids(Placement, sum(d.new_placement for d in todo)))
        stamp = connection.ops.adapt_datetimefield_value(now)
        person_rows, placement_rows, event_rows = [], [], []
        for d in todo:
            if d.records is None and (d.new_person or d.new_placement or d.events):
                self.prepare(d)
            records = d.records
            person_id = d.person_id = next(person_keys) if d.new_person else d.person.pk
            if d.new_placement:
                placement_id = next(placement_keys)
            elif d.placement is not None:
                placement_id = d.placement.pk
            else:
                placement_id = None
            d.placement_id = placement_id
            if records is None:
                continue
            if records.person is not None:
                person_rows.append((person_id, placement_id, stamp, stamp, *records.person))
            if records.placement is not None:
                placement_rows.append((placement_id, person_id, stamp, stamp, *records.placement))
            for event in records.events:
                event_rows.append((placement_id, person_id, stamp, *event))
        PERSON_ROWS.insert(person_rows)

        updated_people = []
        for d in changed:
            if not d.person_changes:
                continue
            person = d.person
            for name, (_old, new) in d.person_changes.items():
                setattr(person, name, new)
            if "phone" in d.person_changes and person.contact_consent_at is None:
                person.contact_consent_at = now
                person.contact_consent_by_id = actor_id
            person.modified_by_id = actor_id
            person.modified_at = now
            updated_people.append(person)
        if updated_people:
            names = sorted({n for d in changed for n in d.person_changes}) + [
                "modified_by",
                "modified_at",
                "contact_consent_at",
                "contact_consent_by",
            ]
            bulk.update(Person, names, updated_people)

        PLACEMENT_ROWS.insert(placement_rows)
        changed_placements = [d.placement for d in todo if d.placement_changes]
        if changed_placements:
            names = sorted({n for d in todo for n in d.placement_changes})
            for placement in changed_placements:
                placement.modified_by_id = actor_id
                placement.modified_at = now
            bulk.update(Placement, [*names, "modified_by", "modified_at"], changed_placements)
        EVENT_ROWS.insert(event_rows)

        self._refresh_state(changed)

        # Changes to existing records are audited one by one, with their fields before and
        # after. Records created by the import are audited once per chunk, by their keys: the
        # file and its rows are the source, and the trail keeps no second copy of every
        # imported person (docs/decisions/0007-imports-audited-per-chunk.md).
        self.person_of = {d.person.pk: d.person for d in changed}
        audits = []
        new_people, new_episodes = [], []
        for d in todo:
            if d.new_person:
                new_people.append(d.person_id)
            elif d.person_changes:
                changes = _plain_changes(d.person_changes)
                audits.append(
                    self._audit(Action.UPDATE, d.person, PERSON_TYPE, d.person.village_id, changes)
                )
            if d.new_placement:
                new_episodes.append(d.placement_id)
            elif d.placement_changes:
                audits.append(
                    self._audit(
                        Action.UPDATE,
                        d.placement,
                        PLACEMENT_TYPE,
                        d.person.village_id,
                        d.placement_changes,
                    )
                )
        if new_people or new_episodes:
            audits.append(self._chunk_audit(decisions, new_people, new_episodes))
        for audit in audits:
            audit["at"] = now
        bulk.insert(AuditEvent, audits)

        after = Tally()
        for d in created:
            after.update(d.records.keys)
        if changed:
            after.update(
                tallies_of(
                    Person.objects.filter(pk__in=[d.person.pk for d in changed]).select_related(
                        "current_placement"
                    )
                )
            )
        # Village-level deltas add up over the transaction's chunks; they are rolled up to
        # every level once, when they are written.
        self.deltas.update(after)
        self.deltas.subtract(before)

    def flush_counters(self) -> None:
        """Write the counter deltas of the chunks written since the last flush, rolled up
        from the village to every level."""
        deltas: Tally = Tally()
        codes = self.rolled_codes
        for key, n in self.deltas.items():
            if not n:
                continue
            village, rest = key[0], key[1:]
            above = codes.get(village)
            if above is None:
                above = codes[village] = [level_key[0] for level_key in rolled_up(key)]
            for code in above:
                deltas[(code, *rest)] += n
        bulk.counters_add(deltas)
        self.deltas = Tally()

    def _refresh_state(self, changed: list[Decision]) -> None:
        """The current episode and phase of existing persons, as person_refresh_state derives
        them (new persons were written in their final state)."""
        rows = []
        touched = [d for d in changed if d.new_placement or d.placement_changes]
        existing_ids = [d.person.pk for d in touched]
        latest: dict[int, Placement] = {}
        if existing_ids:
            for placement in (
                Placement.objects.filter(person_id__in=existing_ids, archived_at__isnull=True)
                .exclude(status=Status.CANCELLED)
                .order_by("person_id", "-created_at", "-id")
            ):
                latest.setdefault(placement.person_id, placement)
        for d in touched:
            current = latest.get(d.person.pk)
            phase = PHASE_OF_STATUS[current.status] if current else Phase.NONE
            d.person.current_placement = current
            d.person.phase = phase
            rows.append((phase, current.pk if current else None, d.person.pk))
        if rows:
            table = connection.ops.quote_name(Person._meta.db_table)
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"UPDATE {table} SET phase = %s, current_placement_id = %s WHERE id = %s",  # noqa: S608
                    rows,
                )


# Columns filled as rows are written: keys and the time; the rest is prepared ahead.
PERSON_ROWS = bulk.Layout(Person, ("id", "current_placement_id", "created_at", "modified_at"))
PLACEMENT_ROWS = bulk.Layout(Placement, ("id", "person_id", "created_at", "modified_at"))
EVENT_ROWS = bulk.Layout(PlacementEvent, ("placement_id", "person_id", "recorded_at"))
PERSON_TYPE = Person._meta.label_lower
PLACEMENT_TYPE = Placement._meta.label_lower
BATCH_TYPE = "imports.importbatch"


def tallies_of(persons) -> Tally:
    """The counter keys of existing persons (as counters_for_person), with one query for all
    their departures and returns instead of one per person."""
    persons = [p for p in persons if p.pk is not None and p.archived_at is None]
    tally: Tally = Tally()
    if not persons:
        return tally
    by_id = {p.pk: p for p in persons}
    for person in persons:
        key = person_key(person)
        if key is not None:
            tally[key] += 1
    ids = list(by_id)
    for start in range(0, len(ids), 900):
        events = PlacementEvent.objects.filter(
            person_id__in=ids[start : start + 900], kind__in=list(EVENT_METRICS)
        ).select_related("placement")
        for event in events:
            tally[event_key(event, event.placement, by_id[event.person_id])] += 1
    return tally


def id_ranges(ids: list[int]) -> list[list[int]]:
    """Keys as [first, last] runs: a chunk's new rows mostly have consecutive keys."""
    runs: list[list[int]] = []
    for key in sorted(ids):
        if runs and key == runs[-1][1] + 1:
            runs[-1][1] = key
        else:
            runs.append([key, key])
    return runs


def _plain_changes(changes: dict) -> dict:
    return {name: [_plain(old), _plain(new)] for name, (old, new) in changes.items()}


class _Event:
    __slots__ = ("kind", "occurred_on", "village_id")

    def __init__(self, values: dict):
        self.kind = values["kind"]
        self.occurred_on = values["occurred_on"]
        self.village_id = values["village_id"]
