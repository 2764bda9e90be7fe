"""The bulk path of an import: plan a chunk of parsed rows, then write it in a few queries.

Rows are read and planned in chunks of CHUNK_SIZE. For each chunk the existing persons are
looked up by NIK at once, every row gets one decision (create, update, unchanged, reject or
review), and the writes are bulk inserts and updates: persons, episodes, their events, one
audit event per created or changed record with its field changes, and the counter deltas summed
over the chunk. The decisions follow the registry and placement services rule for rule (the
tests compare both paths), so a row imported is what the forms would have saved.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter as Tally
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone

from lindung.audit.context import current_ip
from lindung.audit.models import Action, AuditEvent
from lindung.audit.services import diff, field_values
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
from lindung.reports.counters import counters_for_person, event_key, person_key, rolled_up
from lindung.reports.models import Counter

CHUNK_SIZE = 2000
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


@dataclass
class Decision:
    row: ParsedRow
    outcome: str
    problem: RowProblem | None = None
    person: Person | None = None
    new_person: bool = False
    person_changes: dict = field(default_factory=dict)
    placement: Placement | None = None
    new_placement: bool = False
    placement_changes: dict = field(default_factory=dict)
    events: list[dict] = field(default_factory=list)  # kind, occurred_on, extra fields


class ChunkContext:
    """What one chunk needs from the database, fetched in a handful of queries."""

    def __init__(self, rows: list[ParsedRow]):
        niks = [row.nik for row in rows]
        self.persons = {
            p.nik: p
            for p in Person.objects.filter(nik__in=niks).select_related("current_placement")
        }
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


class Planner:
    """Decides, row by row, what an import would do; knows nothing of files."""

    def __init__(self, *, area_code: str, area_title: str, today: dt.date):
        self.area_code = area_code
        self.area_title = area_title
        self.today = today

    def in_area(self, code: str) -> bool:
        return code == self.area_code or code.startswith(self.area_code + ".")

    def decide(self, row: ParsedRow, ctx: ChunkContext) -> Decision:
        if row.submission_uuid and row.submission_uuid in ctx.seen_uuids:
            return Decision(row, UNCHANGED)
        try:
            person = ctx.persons.get(row.nik)
            if person is None:
                return self._create(row)
            return self._update(row, person, ctx)
        except RowProblem as problem:
            outcome = REVIEW if problem.code in REVIEW_CODES else REJECTED
            return Decision(row, outcome, problem=problem)

    def _create(self, row: ParsedRow) -> Decision:
        if row.person.get("phone") and not row.contact_consent:
            raise RowProblem("phone", "phone_consent", str(ROW_MESSAGES["phone_consent"]))
        person = Person(village_id=row.village, phase=Phase.NONE, **row.person)
        if person.phone:
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
        placement.status = Status.ABROAD
        placement.departed_on = row.departed_on
        placement.procedural = readiness.procedural
        decision.events.append(
            {
                "kind": EventKind.DEPARTED,
                "occurred_on": row.departed_on,
                "note": row.note,
                "data": {"missing": list(readiness.missing), "under_age": False},
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
        placement.status = Status.RETURNED
        placement.returned_on = row.returned_on
        placement.return_reason = row.return_reason
        decision.events.append(
            {
                "kind": EventKind.RETURNED,
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
        placement = Placement(village_id=person.village_id, status=Status.PLANNED, **row.placement)
        decision.placement = placement
        decision.new_placement = True
        decision.events.append({"kind": EventKind.REGISTERED, "occurred_on": self.today})
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


class Writer:
    """Writes the decisions of one chunk in bulk, with audit events and counter deltas."""

    def __init__(self, *, actor, batch_label: str):
        self.actor = actor if getattr(actor, "is_authenticated", False) else None
        self.username = self.actor.username if self.actor else ""
        self.batch_label = batch_label
        self.ip = current_ip.get()

    def _audit(self, action, obj, area_code, changes) -> AuditEvent:
        return AuditEvent(
            actor=self.actor,
            actor_username=self.username,
            action=action,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            object_repr=str(obj)[:200],
            area_code=area_code,
            changes=changes,
            ip=self.ip,
        )

    def write(self, decisions: list[Decision]) -> None:
        now = timezone.now()
        actor = self.actor
        todo = [d for d in decisions if d.outcome in (CREATED, UPDATED)]
        if not todo:
            return
        changed_existing = [d.person for d in todo if not d.new_person]
        before = Tally()
        for person in changed_existing:
            before.update(counters_for_person(person))

        new_people = [d.person for d in todo if d.new_person]
        for person in new_people:
            person.created_by = person.modified_by = actor
            if person.phone:
                person.contact_consent_by = actor
        Person.objects.bulk_create(new_people)

        audits: list[AuditEvent] = []
        updated_people = []
        for d in todo:
            if d.new_person or not d.person_changes:
                continue
            for name, (_old, new) in d.person_changes.items():
                setattr(d.person, name, new)
            if "phone" in d.person_changes and d.person.contact_consent_at is None:
                d.person.contact_consent_at = now
                d.person.contact_consent_by = actor
            d.person.modified_by = actor
            d.person.modified_at = now
            updated_people.append(d.person)
        if updated_people:
            names = sorted({n for d in todo for n in d.person_changes}) + [
                "modified_by",
                "modified_at",
                "contact_consent_at",
                "contact_consent_by",
            ]
            Person.objects.bulk_update(updated_people, names, batch_size=500)

        new_placements = []
        for d in todo:
            if d.new_placement:
                d.placement.person = d.person
                d.placement.village_id = d.person.village_id
                d.placement.created_by = d.placement.modified_by = actor
                new_placements.append(d.placement)
        Placement.objects.bulk_create(new_placements)
        changed_placements = [d.placement for d in todo if d.placement_changes]
        if changed_placements:
            names = sorted({n for d in todo for n in d.placement_changes})
            for placement in changed_placements:
                placement.modified_by = actor
                placement.modified_at = now
            Placement.objects.bulk_update(
                changed_placements, [*names, "modified_by", "modified_at"], batch_size=500
            )

        events = []
        events_of: dict[int, list[PlacementEvent]] = {}
        for index, d in enumerate(todo):
            made = [
                PlacementEvent(
                    placement=d.placement,
                    person=d.person,
                    village_id=d.placement.village_id,
                    recorded_by=actor,
                    **spec,
                )
                for spec in d.events
            ]
            events_of[index] = made
            events.extend(made)
        insert_rows(PlacementEvent, events, now)

        self._refresh_state(todo)

        for d in todo:
            code = d.person.village_id
            if d.new_person:
                audits.append(self._audit(Action.CREATE, d.person, code, _created(d.person)))
            elif d.person_changes:
                audits.append(self._audit(Action.UPDATE, d.person, code, d.person_changes))
            if d.new_placement:
                audits.append(self._audit(Action.CREATE, d.placement, code, _created(d.placement)))
            elif d.placement_changes:
                audits.append(self._audit(Action.UPDATE, d.placement, code, d.placement_changes))
        insert_rows(AuditEvent, audits, now)

        after = Tally()
        for index, d in enumerate(todo):
            if d.new_person:
                after.update(_tally_new(d, events_of[index]))
        if changed_existing:
            fresh = Person.objects.filter(pk__in=[p.pk for p in changed_existing]).select_related(
                "current_placement"
            )
            for person in fresh:
                after.update(counters_for_person(person))
        counters_add_bulk(after - before, before - after)

    def _refresh_state(self, todo: list[Decision]) -> None:
        """The person's current episode and phase, derived as person_refresh_state does."""
        rows = []
        touched = [d for d in todo if d.new_placement or d.placement_changes]
        existing_ids = [d.person.pk for d in touched if not d.new_person]
        latest: dict[int, Placement] = {}
        if existing_ids:
            for placement in (
                Placement.objects.filter(person_id__in=existing_ids, archived_at__isnull=True)
                .exclude(status=Status.CANCELLED)
                .order_by("person_id", "-created_at", "-id")
            ):
                latest.setdefault(placement.person_id, placement)
        for d in touched:
            current = d.placement if d.new_person else latest.get(d.person.pk)
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


def insert_rows(model, objects: list, now) -> None:
    """Insert rows nobody needs the ids of (events, audit entries) with one executemany.

    Django's bulk_create compiles a statement per ~30 rows on SQLite (its parameter limit);
    one prepared statement for the whole chunk is several times cheaper. Fields that Django
    fills on save (auto_now_add) are filled here.
    """
    if not objects:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    for model_field in fields:
        if getattr(model_field, "auto_now_add", False) or getattr(model_field, "auto_now", False):
            for obj in objects:
                setattr(obj, model_field.attname, now)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    prepare = [(f.attname, f.get_db_prep_save) for f in fields]
    rows = [
        tuple(prep(getattr(obj, attname), connection) for attname, prep in prepare)
        for obj in objects
    ]
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def counters_add_bulk(added: Tally, removed: Tally) -> None:
    """Apply a chunk's counter deltas, rolled up to every area level, in one statement.

    The per-key path of reports.counters costs two queries per key and level; a chunk of
    2,000 new records touches ~10,000 keys. An upsert on the counters' unique dimensions does
    the same arithmetic in one executemany, and stays right under concurrent writers.
    """
    deltas: Tally = Tally()
    for tally, sign in ((added, 1), (removed, -1)):
        for key, n in tally.items():
            for level_key in rolled_up(key):
                deltas[level_key] += sign * n
    rows = [(*key, key[0].count(".") + 1, n) for key, n in deltas.items() if n]
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(Counter._meta.db_table)
    dims = ", ".join(quote(name) for name in Counter.DIMENSIONS)
    marks = ", ".join(["%s"] * (len(Counter.DIMENSIONS) + 2))
    n = quote("n")
    sql = (
        f"INSERT INTO {table} ({dims}, {quote('level')}, {n}) VALUES ({marks}) "  # noqa: S608
        f"ON CONFLICT ({dims}) DO UPDATE SET {n} = {table}.{n} + excluded.{n}"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _created(instance) -> dict:
    """The audit changes of a created row, as tracked_create writes them."""
    return {
        k: [None, v]
        for k, v in field_values(instance).items()
        if k not in _BOOKKEEPING and v not in ("", None)
    }


def _tally_new(d: Decision, events: list[PlacementEvent]) -> Tally:
    tally = Tally()
    key = person_key(d.person)
    if key is not None:
        tally[key] += 1
    for event in events:
        event_tally = event_key(event, d.placement, d.person)
        if event_tally is not None:
            tally[event_tally] += 1
    return tally
