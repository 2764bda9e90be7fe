"""The writing half of an import's bulk path: a chunk's decisions (imports/engine.py) go in
as a few bulk statements, with their audit entries and counter deltas.

The counter keys are those the services count (counters/keeping: person_key, event_key,
quickwin_keys, episode_warning_keys, unempowered_key) and their roll-up to every level is
counters/keeping.rolled_up: one rule for both writers.
"""

from __future__ import annotations

from collections import Counter as Tally

from django.db import connection
from django.utils import timezone

from lindung.audit.context import current_ip
from lindung.audit.models import WITHHELD, Action, AuditEvent, withheld_fields
from lindung.audit.services import _plain
from lindung.counters.keeping import (
    EPISODE_WARNING_FIELDS,
    EVENT_METRICS,
    empowerment_enrolments,
    episode_warning_keys,
    episode_warning_tally,
    event_key,
    person_key,
    quickwin_certificates,
    quickwin_departures,
    quickwin_keys,
    rolled_up,
    unempowered_key,
)
from lindung.imports import bulk
from lindung.imports.engine import (
    CONSENT_FIELDS,
    CREATED,
    UNCHANGED,
    UPDATED,
    Decision,
    NewRecords,
)
from lindung.placements.models import (
    Placement,
    PlacementEvent,
    ReadinessCheck,
    Status,
    documents_due,
)
from lindung.placements.phase import phase_of_episode, return_date_of_person
from lindung.programs.models import Enrollment
from lindung.registry.models import Consent, ConsentMethod, Person, Phase


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
        # Rows whose phone was left out as they were written (consent withdrawn since the
        # chunk was planned): the run reports them after the write.
        self.late_drops: list[Decision] = []

    def _audit(self, action, obj, object_type, area_code, changes) -> dict:
        withheld = withheld_fields(object_type)
        if withheld:
            changes = {k: WITHHELD if k in withheld else v for k, v in changes.items()}
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

    def _chunk_audit(
        self, decisions, new_people: list[int], new_episodes: list[int], consents: list[int]
    ) -> dict:
        """One trail entry for the records a chunk created: which rows, which keys."""
        numbers = [d.row.number for d in decisions]
        batch = self.batch
        created = {PERSON_TYPE: id_ranges(new_people), PLACEMENT_TYPE: id_ranges(new_episodes)}
        if consents:
            created[CONSENT_TYPE] = id_ranges(consents)
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
                "created": created,
            },
            "ip": self.ip,
        }

    def prepare(self, d: Decision) -> None:
        """Turn what a decision creates (a new person, episode, events) into the rows it
        inserts (`d.records`), everything but keys and the time of writing.

        Most created rows are prepared in the reader process, right after they are planned
        (run.ImportRun), so the importing process only joins keys to them; their drafts
        are dropped there, as nothing else needs them. Records added to persons already held
        are prepared here as they are written."""
        actor_id = self.actor_id
        person, placement = d.person, d.placement
        keys = []
        records = NewRecords()
        if d.new_person:
            if person.__dict__.get("phone"):
                person.contact_consent_by_id = actor_id
                records.consented = person.contact_consent_at
            person.created_by_id = person.modified_by_id = actor_id
            if d.new_placement:
                # Written in its final state: its new episode is the current one.
                person.phase = phase_of_episode(placement.status, placement.departed_on)
                person.returned_on = return_date_of_person(person.phase, placement.returned_on)
                person.current_placement = placement
            records.person = PERSON_ROWS.prepare(person.__dict__)
            key = person_key(person)
            if key is not None:
                keys.append(key)
        if d.new_placement:
            placement.village_id = person.village_id
            placement.created_by_id = placement.modified_by_id = actor_id
            records.placement = PLACEMENT_ROWS.prepare(placement.__dict__)
            if d.new_person:
                keys.extend(_new_episode_warnings(person, placement))
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
        """Write a chunk's decisions: keys first, so every row goes in already pointing at
        the rows it belongs to (a new person at its episode, as its current one); then the
        updates, the trail and the counter deltas."""
        now = timezone.now()
        self.status_labels: dict[str, str] = {}
        self.late_drops = []
        todo = [d for d in decisions if d.outcome in (CREATED, UPDATED)]
        if not todo:
            return
        created = [d for d in todo if d.new_person]
        changed = [d for d in todo if not d.new_person]
        locked = _locked([d.person.pk for d in changed])
        before = tallies_of(locked)
        person_rows, placement_rows, event_rows = self._new_rows(todo, created, now)
        PERSON_ROWS.insert(person_rows)
        consenting = self._update_people(changed, now, {p.pk: p for p in locked})
        consents = self._insert_consents(created, consenting, now)
        PLACEMENT_ROWS.insert(placement_rows)
        self._update_placements(todo, now)
        EVENT_ROWS.insert(event_rows)
        self._insert_checks(todo, now)
        self._refresh_state(changed)
        self._audit_chunk(decisions, todo, changed, now, consents)
        after = Tally()
        for d in created:
            after.update(d.records.keys)
        if changed:
            people = Person.objects.filter(pk__in=[d.person.pk for d in changed])
            after.update(tallies_of(people.select_related("current_placement")))
        # Village-level deltas add up over the transaction's chunks; they are rolled up to
        # every level once, when they are written.
        self.deltas.update(after)
        self.deltas.subtract(before)

    def _new_rows(self, todo: list[Decision], created: list[Decision], now) -> tuple:
        """The person, episode and event rows the chunk inserts, with their keys drawn."""
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
        return person_rows, placement_rows, event_rows

    def _update_people(self, changed: list[Decision], now, committed: dict) -> list[int]:
        """Write the persons' changed fields; returns the ids of those who consent now.

        The persons' rows as committed (`committed`, locked) are the base, not the copies the
        chunk was planned with: a column the chunk writes for one person is written for all,
        and for those whose row does not change it, it is written as committed (a service's
        change made meanwhile stays). Consent is read there too: a consent withdrawn meanwhile
        (UU 27/2022 Pasal 9) is not brought back, and a number the row gives without its own
        consent is then left out. Those who consent now have it in their changes (audited)."""
        actor_id = self.actor_id
        updated_people, consenting = [], []
        for d in changed:
            if not d.person_changes:
                continue
            person = d.person
            held = committed.get(person.pk, person)
            kept = [name for name in CONSENT_FIELDS if d.person_changes.get(name, [None, ""])[1]]
            consents = False
            if kept and held.contact_consent_at is None:
                if d.row.contact_consent:
                    consents = True
                else:
                    for name in kept:
                        del d.person_changes[name]
                    self.late_drops.append(d)
                    if not d.person_changes:
                        if not (d.new_placement or d.placement_changes or d.events or d.checks):
                            d.outcome = UNCHANGED
                        continue
            for name, (_old, new) in d.person_changes.items():
                setattr(person, name, new)
            if consents:
                consenting.append(person)
                person.contact_consent_at, person.contact_consent_by_id = now, actor_id
                d.person_changes["contact_consent_at"] = [None, now]
                d.person_changes["contact_consent_by"] = [None, actor_id]
            person.modified_by_id = actor_id
            person.modified_at = now
            updated_people.append((person, d.person_changes))
        if updated_people:
            names = sorted({n for _, changes in updated_people for n in changes})
            _committed_unless_changed(updated_people, names, committed)
            people = [person for person, _ in updated_people]
            bulk.update(Person, [*names, "modified_by", "modified_at"], people)
        return [person.pk for person in consenting]

    def _insert_consents(self, created: list[Decision], consenting: list[int], now) -> list[int]:
        """The consent register's rows (registry.Consent, as the services record them) of the
        persons who consent through this chunk: new persons kept with a number (given when the
        import planned their row), and persons whose number the import records with their
        consent. Returns their keys, for the chunk's trail entry."""
        given = [
            (d.person_id, d.records.consented)
            for d in created
            if d.records is not None and d.records.consented is not None
        ]
        given += [(pk, now) for pk in consenting]
        keys = bulk.reserve_ids(Consent, len(given))
        CONSENT_ROWS.insert(
            [
                (
                    key,
                    *CONSENT_ROWS.prepare(
                        {
                            "person_id": person_id,
                            "family_member_id": None,
                            "purpose": "contact",
                            "given_at": given_at,
                            "method": ConsentMethod.IMPORT.value,
                            "recorded_by_id": self.actor_id,
                            "withdrawn_at": None,
                            "withdrawn_by_id": None,
                            "withdrawal_note": "",
                        }
                    ),
                )
                for key, (person_id, given_at) in zip(keys, given, strict=True)
            ]
        )
        return keys

    def _update_placements(self, todo: list[Decision], now) -> None:
        """Write the episodes' changed fields, each other column the chunk writes as
        committed (the persons are locked, so their episodes are as committed now)."""
        changed = [(d.placement, d.placement_changes) for d in todo if d.placement_changes]
        if changed:
            names = sorted({n for _, changes in changed for n in changes})
            ids = [placement.pk for placement, _ in changed]
            committed = {
                placement.pk: placement
                for start in range(0, len(ids), 900)
                for placement in Placement.objects.filter(pk__in=ids[start : start + 900])
            }
            _committed_unless_changed(changed, names, committed)
            for placement, _ in changed:
                placement.modified_by_id = self.actor_id
                placement.modified_at = now
            placements = [placement for placement, _ in changed]
            bulk.update(Placement, [*names, "modified_by", "modified_at"], placements)

    def _insert_checks(self, todo: list[Decision], now) -> None:
        """The checklist items the rows tick, as placement_check records them."""
        bulk.insert(
            ReadinessCheck,
            [
                {
                    "placement_id": d.placement_id,
                    "item": item,
                    "checked_on": on,
                    "checked_by_id": self.actor_id,
                    "recorded_at": now,
                }
                for d in todo
                for item, on in d.checks
            ],
        )

    def _audit_chunk(
        self, decisions, todo: list[Decision], changed: list[Decision], now, consents: list[int]
    ) -> None:
        """Changes to existing records are audited one by one, with their fields before and
        after. Records created by the import are audited once per chunk, by their keys: the
        file and its rows are the source, and the trail keeps no second copy of every
        imported person (docs/decisions/0012-imports-audited-per-chunk.md)."""
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
            elif d.placement_changes or d.checks:
                # Checklist items as placement_check audits them.
                checks = {f"checklist.{item}": [None, on.isoformat()] for item, on in d.checks}
                changes = {**d.placement_changes, **checks}
                audits.append(
                    self._audit(
                        Action.UPDATE, d.placement, PLACEMENT_TYPE, d.person.village_id, changes
                    )
                )
        if new_people or new_episodes or consents:
            audits.append(self._chunk_audit(decisions, new_people, new_episodes, consents))
        for audit in audits:
            audit["at"] = now
        bulk.insert(AuditEvent, audits)

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
            phase = phase_of_episode(current.status, current.departed_on) if current else Phase.NONE
            returned_on = return_date_of_person(phase, current and current.returned_on)
            d.person.current_placement = current
            d.person.phase = phase
            d.person.returned_on = returned_on
            rows.append((phase, current.pk if current else None, returned_on, d.person.pk))
        if rows:
            table = connection.ops.quote_name(Person._meta.db_table)
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"UPDATE {table} SET phase = %s, current_placement_id = %s, returned_on = %s "  # noqa: S608
                    "WHERE id = %s",
                    rows,
                )


# Columns filled as rows are written: keys and the time; the rest is prepared ahead.
PERSON_ROWS = bulk.Layout(Person, ("id", "current_placement_id", "created_at", "modified_at"))
PLACEMENT_ROWS = bulk.Layout(Placement, ("id", "person_id", "created_at", "modified_at"))
CONSENT_ROWS = bulk.Layout(Consent, ("id",))
EVENT_ROWS = bulk.Layout(PlacementEvent, ("placement_id", "person_id", "recorded_at"))
PERSON_TYPE = Person._meta.label_lower
CONSENT_TYPE = Consent._meta.label_lower
PLACEMENT_TYPE = Placement._meta.label_lower
BATCH_TYPE = "imports.importbatch"


def _new_episode_warnings(person, placement) -> list[tuple]:
    """The warning keys of a new person's new episode (as warnings_tally reads them back): a
    new person is not restricted and has no enrolment yet. The drafts hold only the values a
    row gave; what is missing is empty."""
    value = placement.__dict__.get
    status = value("status")
    keys = episode_warning_keys(
        village=value("village_id"),
        status=status,
        contract_end=value("contract_end"),
        documents_due_on=documents_due(status, value("passport_expiry"), value("visa_expiry")),
        last_check_in_on=value("last_check_in_on"),
        departed_on=value("departed_on"),
        procedural=value("procedural"),
    )
    returned = unempowered_key(
        village=person.village_id,
        phase=person.phase,
        returned_on=person.returned_on,
        empowered=False,
    )
    return keys if returned is None else [*keys, returned]


def _locked(ids: list[int]) -> list:
    """These persons as committed, their rows locked until the transaction ends, in id order
    (counters.keeping.counted_lock): the counter keys taken before the chunk's changes are
    then those of what is written, even when a service changed a person since it was read."""
    people = (
        Person.objects.select_for_update(of=("self",))
        .select_related("current_placement")
        .order_by("pk")
    )
    ids = sorted(set(ids))
    return [
        person
        for start in range(0, len(ids), 900)
        for person in people.filter(pk__in=ids[start : start + 900])
    ]


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
        tally.update(_quickwin_tally(ids[start : start + 900]))
        tally.update(_warnings_tally([by_id[pk] for pk in ids[start : start + 900]]))
    return tally


def _warnings_tally(persons) -> Tally:
    """The warning keys of these live persons (as warnings_tally), two queries for all."""
    persons = [p for p in persons if p.restricted_at is None]
    ids = [p.pk for p in persons]
    episodes = Placement.objects.filter(person_id__in=ids, archived_at__isnull=True)
    tally = episode_warning_tally(episodes.values_list(*EPISODE_WARNING_FIELDS))
    returned = [p for p in persons if p.phase == Phase.RETURNED and p.returned_on is not None]
    if returned:
        enrollments = Enrollment.objects.filter(person_id__in=[p.pk for p in returned])
        empowered = set(empowerment_enrolments(enrollments).values_list("person_id", flat=True))
        for person in returned:
            key = unempowered_key(
                village=person.village_id,
                phase=person.phase,
                returned_on=person.returned_on,
                empowered=person.pk in empowered,
            )
            if key is not None:
                tally[key] += 1
    return tally


def _quickwin_tally(ids: list[int]) -> Tally:
    """The Quick Win keys of these live persons (as quickwin_tally), two queries for all."""
    certificates: dict[int, list] = {}
    enrollments = quickwin_certificates(Enrollment.objects.filter(person_id__in=ids))
    for person_id, certificate_date in enrollments.values_list("person_id", "certificate_date"):
        certificates.setdefault(person_id, []).append(certificate_date)
    if not certificates:
        return Tally()
    departures: dict[int, list] = {}
    placements = quickwin_departures(Placement.objects.filter(person_id__in=list(certificates)))
    for person_id, *departure in placements.values_list(
        "person_id", "departed_on", "id", "village_id"
    ):
        departures.setdefault(person_id, []).append(tuple(departure))
    tally: Tally = Tally()
    for person_id, dates in certificates.items():
        tally.update(quickwin_keys(departures.get(person_id, []), dates))
    return tally


def _committed_unless_changed(objects: list[tuple], names: list[str], committed: dict) -> None:
    """Set on each (instance, changes) every named field its changes leave alone to its value
    as committed: one bulk UPDATE writes the same columns for every row."""
    for obj, changes in objects:
        held = committed.get(obj.pk)
        if held is None:
            continue
        for name in names:
            if name not in changes:
                attname = obj._meta.get_field(name).attname
                setattr(obj, attname, getattr(held, attname))


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
