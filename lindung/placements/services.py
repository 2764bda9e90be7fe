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

from lindung.accounts.scoping import code_in_scope
from lindung.audit.models import Action
from lindung.audit.services import audit_record
from lindung.lib.countries import COUNTRIES
from lindung.lib.errors import ApplicationError
from lindung.lib.tracking import tracked_create, tracked_update
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
from lindung.placements.readiness import SequenceError, event_check, readiness_evaluate
from lindung.registry.models import Person, Phase
from lindung.reports.counters import counters_apply, counters_for_person

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
PHASE_OF_STATUS = {
    Status.PLANNED: Phase.CANDIDATE,
    Status.ABROAD: Phase.ABROAD,
    Status.RETURNED: Phase.RETURNED,
    Status.DIED: Phase.RETURNED,
}


def _check_scope(actor, placement_or_person) -> None:
    if not code_in_scope(actor, placement_or_person.village_id):
        raise ApplicationError(_("This record is outside your area of work."))


def _check_details(placement: Placement) -> None:
    if placement.scheme not in Scheme.values:
        raise ApplicationError(_("Choose a placement scheme."), field="scheme")
    if placement.destination_country not in COUNTRIES:
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
    person.phase = PHASE_OF_STATUS[current.status] if current else Phase.NONE
    person.save(update_fields=["current_placement", "phase"])


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
    person = placement.person
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
    if placement.status != Status.PLANNED:
        raise ApplicationError(_("The checklist is closed once the person has departed."))
    if checked_on > timezone.localdate():
        raise ApplicationError(_("The date cannot be in the future."), field="checked_on")
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
    """Check the step is possible, append it, update the episode and the person's phase."""
    _check_scope(actor, placement)
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


def placement_depart(
    *, actor, placement: Placement, departed_on: date, note: str = "", blocked_reason: str = ""
) -> PlacementEvent:
    """Record a departure. With an incomplete checklist it is recorded as non-procedural; the
    departure of someone under 18 is refused unless the blocking is explicitly recorded."""
    with transaction.atomic():
        if (
            Placement.objects.filter(person_id=placement.person_id, status=Status.ABROAD)
            .exclude(pk=placement.pk)
            .exists()
        ):
            raise ApplicationError(_("This person is already abroad in another episode."))
        readiness = readiness_evaluate(
            birth_date=placement.person.birth_date,
            planned_departure=departed_on,
            checked=[c.item for c in placement.checks.all()],
            today=timezone.localdate(),
        )
        updates = {"departed_on": departed_on, "procedural": readiness.procedural}
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
        return _record(
            actor=actor,
            placement=placement,
            kind=EventKind.DEPARTED,
            occurred_on=departed_on,
            note=note,
            updates=updates,
            data={"missing": list(readiness.missing), "under_age": readiness.under_age},
        )


@transaction.atomic
def placement_arrive(*, actor, placement: Placement, occurred_on: date, note: str = ""):
    """Record the arrival in the destination country."""
    return _record(
        actor=actor, placement=placement, kind=EventKind.ARRIVED, occurred_on=occurred_on, note=note
    )


@transaction.atomic
def placement_check_in(
    *, actor, placement: Placement, occurred_on: date, result: str, note: str = ""
) -> PlacementEvent:
    """Record the village's contact with the family of someone abroad."""
    if result not in CheckInResult.values:
        raise ApplicationError(_("Choose how the worker is doing."), field="result")
    last = placement.last_check_in_on
    newest = occurred_on if last is None or occurred_on > last else last
    return _record(
        actor=actor,
        placement=placement,
        kind=EventKind.CHECK_IN,
        occurred_on=occurred_on,
        note=note,
        check_in_result=result,
        updates={"last_check_in_on": newest},
    )


@transaction.atomic
def placement_report_problem(
    *, actor, placement: Placement, occurred_on: date, note: str = ""
) -> PlacementEvent:
    """Record that a problem was reported for someone abroad."""
    return _record(
        actor=actor,
        placement=placement,
        kind=EventKind.PROBLEM_REPORTED,
        occurred_on=occurred_on,
        note=note,
    )


@transaction.atomic
def placement_extend(
    *, actor, placement: Placement, occurred_on: date, contract_end: date, note: str = ""
) -> PlacementEvent:
    """Record a contract extension and its new end date."""
    if placement.contract_end and contract_end <= placement.contract_end:
        raise ApplicationError(
            _("The new contract end must be after the current one (%(end)s).")
            % {"end": placement.contract_end},
            field="contract_end",
        )
    return _record(
        actor=actor,
        placement=placement,
        kind=EventKind.CONTRACT_EXTENDED,
        occurred_on=occurred_on,
        note=note,
        data={"previous_end": str(placement.contract_end or ""), "contract_end": str(contract_end)},
        updates={"contract_end": contract_end},
    )


@transaction.atomic
def placement_return(
    *, actor, placement: Placement, returned_on: date, reason: str, note: str = ""
) -> PlacementEvent:
    """Record the return home with its reason (UU 18/2017 Pasal 27)."""
    if reason not in ReturnReason.values:
        raise ApplicationError(_("Choose the reason for the return."), field="reason")
    return _record(
        actor=actor,
        placement=placement,
        kind=EventKind.RETURNED,
        occurred_on=returned_on,
        note=note,
        return_reason=reason,
        updates={"returned_on": returned_on, "return_reason": reason},
    )


@transaction.atomic
def placement_die(*, actor, placement: Placement, occurred_on: date, note: str = ""):
    """Record the death of the worker (abroad, or before departing)."""
    return _record(
        actor=actor,
        placement=placement,
        kind=EventKind.DIED,
        occurred_on=occurred_on,
        note=note,
        return_reason=ReturnReason.DIED,
        updates={"return_reason": ReturnReason.DIED},
    )


@transaction.atomic
def placement_cancel(*, actor, placement: Placement, occurred_on: date, note: str = ""):
    """Record that the person did not depart (failed to depart, changed their mind)."""
    return _record(
        actor=actor,
        placement=placement,
        kind=EventKind.CANCELLED,
        occurred_on=occurred_on,
        note=note,
    )


@transaction.atomic
def placement_training_completed(*, actor, placement: Placement, occurred_on: date, note=""):
    """Record that the calon PMI completed a training."""
    return _record(
        actor=actor,
        placement=placement,
        kind=EventKind.TRAINING_COMPLETED,
        occurred_on=occurred_on,
        note=note,
    )


def placement_mark_verified(*, actor, person: Person) -> None:
    """Add a 'verified by the village' event to the person's episode in preparation."""
    placement = Placement.objects.filter(person=person, status=Status.PLANNED).first()
    if placement is not None:
        _append_event(
            placement, actor=actor, kind=EventKind.VERIFIED, occurred_on=timezone.localdate()
        )
