"""Writes of migration episodes: opening one, its checklist, and each dated event.

Each event service checks the order of events (readiness.event_check), appends the event,
derives the episode's status and the person's phase from it, and moves the counters, all in
one transaction.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lindung.accounts.models import Role
from lindung.accounts.scoping import code_in_scope
from lindung.audit.models import Action
from lindung.audit.services import audit_record
from lindung.audit.tracking import tracked_create, tracked_update
from lindung.counters.keeping import counted_lock, counters_apply, counters_for_person
from lindung.lib.dates import check_not_future
from lindung.lib.errors import ApplicationError
from lindung.placements.defaults import default_scheme, default_sector
from lindung.placements.destination import destination_problem
from lindung.placements.models import (
    CheckInResult,
    EventKind,
    Job,
    Placement,
    PlacementEvent,
    ReadinessCheck,
    ReadinessItem,
    ReturnReason,
    Scheme,
    Sector,
    Status,
)
from lindung.placements.phase import phase_of_episode, return_date_of_person
from lindung.placements.readiness import SequenceError, event_check, readiness_evaluate
from lindung.registry.models import Person, Phase

SEQUENCE_MESSAGES = {
    "future": gettext_lazy("The date cannot be in the future."),
    "before_birth": gettext_lazy("The date is before the person's date of birth."),
    "closed": gettext_lazy("This episode is closed (returned, cancelled or died)."),
    "order": gettext_lazy("This step cannot happen now: %(status)s."),
    "before_departure": gettext_lazy("The date is before the departure (%(departed)s)."),
}
DETAIL_FIELDS = [
    "scheme",
    "destination_country",
    "sector",
    "job",
    "job_title",
    "employer_name",
    "employer_address",
    "agency_name",
    "agency_license",
    "contract_start",
    "contract_end",
    "planned_departure",
    "passport_number",
    "passport_expiry",
    "visa_type",
    "visa_expiry",
    "bpjs_number",
    "epmi_number",
]


def _check_scope(actor, placement_or_person) -> None:
    if not code_in_scope(actor, placement_or_person.village_id):
        raise ApplicationError(_("This record is outside your area of work."))


def _lock_episode(placement: Placement) -> Person:
    """Lock the episode's person (counters.keeping.counted_lock) and reload the episode: the
    checks and the counter keys that follow read what is committed, not what the request
    loaded before another one changed it."""
    while True:
        person = placement.person
        counted_lock(person)
        placement.refresh_from_db()
        if placement.person_id == person.pk:
            break
        # A merge moved the episode to another person meanwhile: lock that one instead.
    placement.person = person
    return person


def _check_details(placement: Placement) -> None:
    if placement.scheme not in Scheme.values:
        raise ApplicationError(_("Choose a placement scheme."), field="scheme")
    # A calon PMI may wait for the country; an episode that departed never loses it.
    departing = placement.status != Status.PLANNED
    if destination_problem(placement.destination_country, departing=departing):
        raise ApplicationError(_("Choose the destination country."), field="destination_country")
    if placement.sector not in Sector.values:
        raise ApplicationError(_("Choose the sector."), field="sector")
    if placement.job not in Job.values:
        raise ApplicationError(_("Choose the job."), field="job")
    if (
        placement.contract_start
        and placement.contract_end
        and placement.contract_end < placement.contract_start
    ):
        raise ApplicationError(_("The contract cannot end before it starts."), field="contract_end")


def person_refresh_state(person: Person) -> None:
    """Derive the person's current episode and phase from their episodes (never typed in)."""
    placements = list(
        Placement.objects.filter(person=person, archived_at__isnull=True)
        .exclude(status=Status.CANCELLED)
        .order_by("-created_at", "-id")
    )
    current = placements[0] if placements else None
    person.current_placement = current
    person.phase = phase_of_episode(current.status, current.departed_on) if current else Phase.NONE
    person.returned_on = return_date_of_person(person.phase, current and current.returned_on)
    person.save(update_fields=["current_placement", "phase", "returned_on"])


def placement_readiness(placement: Placement, *, today: date | None = None):
    """The checklist verdict for an episode: ready, incomplete (what is missing) or blocked."""
    checked = [c.item for c in placement.checks.all()]
    return readiness_evaluate(
        birth_date=placement.person.birth_date,
        planned_departure=placement.planned_departure,
        checked=checked,
        today=today or timezone.localdate(),
    )


def _append_event(placement: Placement, *, actor, kind: str, occurred_on: date, **fields):
    return PlacementEvent.objects.create(
        placement=placement,
        person_id=placement.person_id,
        village_id=placement.village_id,
        kind=kind,
        occurred_on=occurred_on,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        **fields,
    )


@transaction.atomic
def placement_create(
    *,
    actor,
    person: Person,
    scheme: str,
    destination_country: str,
    sector: str,
    job: str,
    registered_on: date | None = None,
    **details,
) -> Placement:
    """Open a migration episode for a person (a calon PMI) and record it as registered
    (today, or on an earlier day when recording a past registration)."""
    _check_scope(actor, person)
    today = timezone.localdate()
    registered_on = registered_on or today
    if registered_on > today or registered_on < person.birth_date:
        raise ApplicationError(
            _("The registration date must lie between the birth date and today."),
            field="registered_on",
        )
    counted_lock(person)
    if person.is_archived:
        raise ApplicationError(_("This record is archived."))
    if Placement.objects.filter(
        person=person, status__in=[Status.PLANNED, Status.ABROAD], archived_at__isnull=True
    ).exists():
        raise ApplicationError(
            _("This person already has an open episode; record its return or cancel it first.")
        )
    unknown = set(details) - set(DETAIL_FIELDS)
    if unknown:
        raise ApplicationError(_("Unknown fields: %s") % ", ".join(sorted(unknown)))
    before = counters_for_person(person)
    placement = Placement(
        person=person,
        village_id=person.village_id,
        scheme=scheme,
        destination_country=(destination_country or "").upper(),
        sector=sector,
        job=job,
        **details,
    )
    _check_details(placement)
    tracked_create(placement, actor=actor, area_code=person.village_id)
    _append_event(placement, actor=actor, kind=EventKind.REGISTERED, occurred_on=registered_on)
    person_refresh_state(person)
    counters_apply(before=before, after=counters_for_person(person))
    return placement


@transaction.atomic
def placement_update(*, actor, placement: Placement, data: dict) -> dict:
    """Correct or complete an episode's details; returns the changes."""
    _check_scope(actor, placement)
    unknown = set(data) - set(DETAIL_FIELDS)
    if unknown:
        raise ApplicationError(_("Unknown fields: %s") % ", ".join(sorted(unknown)))
    person = _lock_episode(placement)
    before = counters_for_person(person)
    original = {name: getattr(placement, name) for name in DETAIL_FIELDS}
    for name, value in data.items():
        setattr(placement, name, value)
    placement.destination_country = (placement.destination_country or "").upper()
    try:
        _check_details(placement)
    except ApplicationError:
        for name, value in original.items():
            setattr(placement, name, value)
        raise
    values = {name: getattr(placement, name) for name in DETAIL_FIELDS}
    # tracked_update compares against the values on the instance: put the old ones back.
    for name, value in original.items():
        setattr(placement, name, value)
    changes = tracked_update(placement, actor=actor, data=values, area_code=placement.village_id)
    person.refresh_from_db()
    counters_apply(before=before, after=counters_for_person(person))
    return changes


@transaction.atomic
def placement_check(
    *,
    actor,
    placement: Placement,
    item: str,
    checked_on: date,
    reference: str = "",
    note: str = "",
) -> ReadinessCheck:
    """Mark one checklist item as fulfilled, with the date and who checked it."""
    _check_scope(actor, placement)
    if item not in ReadinessItem.values:
        raise ApplicationError(_("Unknown checklist item."), field="item")
    _lock_episode(placement)
    if placement.status != Status.PLANNED:
        raise ApplicationError(_("The checklist is closed once the person has departed."))
    check_not_future(checked_on, field="checked_on")
    if placement.checks.filter(item=item).exists():
        raise ApplicationError(_("This item is already checked."), field="item")
    check = ReadinessCheck.objects.create(
        placement=placement,
        item=item,
        checked_on=checked_on,
        checked_by=actor,
        reference=reference.strip(),
        note=note.strip(),
    )
    _append_event(
        placement,
        actor=actor,
        kind=EventKind.DOCUMENT_COMPLETED,
        occurred_on=checked_on,
        data={"item": item, "reference": reference.strip()},
    )
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=placement,
        area_code=placement.village_id,
        changes={f"checklist.{item}": [None, checked_on.isoformat()]},
    )
    return check


def _record(
    *,
    actor,
    placement: Placement,
    kind: str,
    occurred_on: date,
    note: str = "",
    updates: dict | None = None,
    **event_fields,
) -> PlacementEvent:
    """Check the step is possible, append it, update the episode and the person's phase (the
    caller has taken `_lock_episode`)."""
    person = placement.person
    try:
        status = event_check(
            status=placement.status,
            kind=kind,
            occurred_on=occurred_on,
            today=timezone.localdate(),
            birth_date=person.birth_date,
            departed_on=placement.departed_on,
        )
    except SequenceError as error:
        message = SEQUENCE_MESSAGES[error.code] % {
            "status": placement.get_status_display(),
            "departed": placement.departed_on,
        }
        raise ApplicationError(message, field="occurred_on") from None
    before = counters_for_person(person)
    event = _append_event(
        placement,
        actor=actor,
        kind=kind,
        occurred_on=occurred_on,
        note=note.strip(),
        **event_fields,
    )
    data = {"status": status, **(updates or {})}
    tracked_update(
        placement, actor=actor, data=data, area_code=placement.village_id, validate=False
    )
    person_refresh_state(person)
    counters_apply(before=before, after=counters_for_person(person))
    return event


# What each dated event takes besides its date and note, checked before anything is written,
# and what it sets: (fields of the event, fields of the episode). Which status an event may
# follow and which it leads to is readiness.TRANSITIONS; every event moves the counters by the
# difference it makes to the person (counters.keeping), and tracked_update audits the episode.


def _departed(placement: Placement, occurred_on: date, *, blocked_reason: str = ""):
    """With an incomplete checklist the departure is non-procedural; someone under 18 departs
    only with the blocking explicitly recorded."""
    if (
        Placement.objects.filter(person_id=placement.person_id, status=Status.ABROAD)
        .exclude(pk=placement.pk)
        .exists()
    ):
        raise ApplicationError(_("This person is already abroad in another episode."))
    if destination_problem(placement.destination_country, departing=True):
        raise ApplicationError(
            _("Record the destination country before the departure."),
            field="destination_country",
        )
    readiness = readiness_evaluate(
        birth_date=placement.person.birth_date,
        planned_departure=occurred_on,
        checked=[c.item for c in placement.checks.all()],
        today=timezone.localdate(),
    )
    updates = {"departed_on": occurred_on, "procedural": readiness.procedural}
    if readiness.under_age:
        if not blocked_reason.strip():
            raise ApplicationError(
                _(
                    "The person is under 18 on the departure date. A departure can only be "
                    "recorded with an explanation (it will be flagged as blocked)."
                ),
                field="blocked_reason",
            )
        updates.update(blocked_flag=True, blocked_reason=blocked_reason.strip())
    return {"data": {"missing": list(readiness.missing), "under_age": readiness.under_age}}, updates


def _checked_in(placement: Placement, occurred_on: date, *, result: str):
    if result not in CheckInResult.values:
        raise ApplicationError(_("Choose how the worker is doing."), field="result")
    last = placement.last_check_in_on
    newest = occurred_on if last is None or occurred_on > last else last
    return {"check_in_result": result}, {"last_check_in_on": newest}


def _extended(placement: Placement, occurred_on: date, *, contract_end: date):
    if placement.contract_end and contract_end <= placement.contract_end:
        raise ApplicationError(
            _("The new contract end must be after the current one (%(end)s).")
            % {"end": placement.contract_end},
            field="contract_end",
        )
    previous = str(placement.contract_end or "")
    data = {"previous_end": previous, "contract_end": str(contract_end)}
    return {"data": data}, {"contract_end": contract_end}


def _returned(placement: Placement, occurred_on: date, *, reason: str):
    """The return reasons of UU 18/2017 Pasal 27."""
    if reason not in ReturnReason.values:
        raise ApplicationError(_("Choose the reason for the return."), field="reason")
    return {"return_reason": reason}, {"returned_on": occurred_on, "return_reason": reason}


def _died(placement: Placement, occurred_on: date):
    return {"return_reason": ReturnReason.DIED}, {"return_reason": ReturnReason.DIED}


def _nothing_else(placement: Placement, occurred_on: date):
    return {}, {}


EVENT_EFFECTS = {
    EventKind.TRAINING_COMPLETED: _nothing_else,
    EventKind.DEPARTED: _departed,
    EventKind.CANCELLED: _nothing_else,
    EventKind.ARRIVED: _nothing_else,
    EventKind.CHECK_IN: _checked_in,
    EventKind.PROBLEM_REPORTED: _nothing_else,
    EventKind.CONTRACT_EXTENDED: _extended,
    EventKind.RETURNED: _returned,
    EventKind.DIED: _died,
}


@transaction.atomic
def placement_event_record(
    *, actor, placement: Placement, kind: str, occurred_on: date, note: str = "", **values
) -> PlacementEvent:
    """Record one dated event of an episode (EVENT_EFFECTS names what each kind takes)."""
    _check_scope(actor, placement)
    _lock_episode(placement)
    event_fields, updates = EVENT_EFFECTS[kind](placement, occurred_on, **values)
    return _record(
        actor=actor,
        placement=placement,
        kind=kind,
        occurred_on=occurred_on,
        note=note,
        updates=updates,
        **event_fields,
    )


def _event_service(kind: str, doc: str):
    def service(*, actor, placement: Placement, occurred_on: date, note: str = "", **values):
        return placement_event_record(
            actor=actor,
            placement=placement,
            kind=kind,
            occurred_on=occurred_on,
            note=note,
            **values,
        )

    service.__doc__ = doc
    return service


# The services by name, as the pages, the API, the cases and the demo call them.
placement_arrive = _event_service(
    EventKind.ARRIVED, "Record the arrival in the destination country."
)
placement_check_in = _event_service(
    EventKind.CHECK_IN, "Record the village's contact with the family of someone abroad (result)."
)
placement_report_problem = _event_service(
    EventKind.PROBLEM_REPORTED, "Record that a problem was reported for someone abroad."
)
placement_extend = _event_service(
    EventKind.CONTRACT_EXTENDED, "Record a contract extension and its new end (contract_end)."
)
placement_die = _event_service(
    EventKind.DIED, "Record the death of the worker (abroad, or before departing)."
)
placement_cancel = _event_service(
    EventKind.CANCELLED, "Record that the person did not depart (failed to, changed their mind)."
)
placement_training_completed = _event_service(
    EventKind.TRAINING_COMPLETED, "Record that the calon PMI completed a training."
)


def placement_depart(*, actor, placement, departed_on: date, note="", blocked_reason=""):
    """Record a departure (non-procedural with an incomplete checklist; under 18, only with
    the blocking explicitly recorded)."""
    return placement_event_record(
        actor=actor,
        placement=placement,
        kind=EventKind.DEPARTED,
        occurred_on=departed_on,
        note=note,
        blocked_reason=blocked_reason,
    )


def placement_return(*, actor, placement, returned_on: date, reason: str, note=""):
    """Record the return home with its reason (UU 18/2017 Pasal 27)."""
    return placement_event_record(
        actor=actor,
        placement=placement,
        kind=EventKind.RETURNED,
        occurred_on=returned_on,
        note=note,
        reason=reason,
    )


@transaction.atomic
def placement_create_departed(
    *,
    actor,
    person: Person,
    departed_on: date,
    destination_country: str,
    job: str,
    agency_name: str = "",
    sector: str = "",
    scheme: str = "",
    note: str = "",
    blocked_reason: str = "",
) -> Placement:
    """Record the departure of someone with no episode yet: open the episode (registered on
    the departure day, scheme and sector defaulted from what is known) and depart it at once.
    With no checklist behind it the departure is non-procedural."""
    placement = placement_create(
        actor=actor,
        person=person,
        scheme=scheme or default_scheme(agency_name),
        destination_country=destination_country,
        sector=sector or default_sector(job),
        job=job,
        registered_on=departed_on,
        agency_name=agency_name.strip(),
    )
    placement_depart(
        actor=actor,
        placement=placement,
        departed_on=departed_on,
        note=note,
        blocked_reason=blocked_reason,
    )
    placement.refresh_from_db()
    return placement


# Who may correct the procedural flag of a departure recorded at the village.
PROCEDURAL_SUPERVISOR_ROLES = {Role.DISNAKER}


@transaction.atomic
def placement_correct_procedural(
    *, actor, placement: Placement, procedural: bool, reason: str
) -> Placement:
    """A supervisor (the regency's Disnaker) corrects whether a departure was procedural, e.g.
    when the documents were complete but not ticked before the departure was recorded. The
    reason is kept in the audit trail; the counters move with the flag."""
    if getattr(actor, "role", None) not in PROCEDURAL_SUPERVISOR_ROLES:
        raise ApplicationError(
            _("Only the Disnaker can correct whether a departure was procedural.")
        )
    _check_scope(actor, placement)
    _lock_episode(placement)
    reason = reason.strip()
    if not reason:
        raise ApplicationError(_("Give the reason for the correction."), field="reason")
    if placement.departed_on is None:
        raise ApplicationError(_("Only a recorded departure can be corrected."))
    if placement.procedural is procedural:
        raise ApplicationError(_("The departure is already recorded that way."), field="procedural")
    people = Person.objects.select_related("current_placement")
    before = counters_for_person(people.get(pk=placement.person_id))
    old = placement.procedural
    Placement.objects.filter(pk=placement.pk).update(
        procedural=procedural, modified_by=actor, modified_at=timezone.now()
    )
    placement.procedural = procedural
    counters_apply(before=before, after=counters_for_person(people.get(pk=placement.person_id)))
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=placement,
        area_code=placement.village_id,
        changes={"procedural": [old, procedural], "reason": [None, reason]},
    )
    return placement


def placement_mark_verified(*, actor, person: Person) -> None:
    """Add a 'verified by the village' event to the person's episode in preparation."""
    placement = Placement.objects.filter(person=person, status=Status.PLANNED).first()
    if placement is not None:
        _append_event(
            placement, actor=actor, kind=EventKind.VERIFIED, occurred_on=timezone.localdate()
        )
