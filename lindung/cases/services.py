"""Writes of protection cases: intake, the workflow steps, attachments and escalation."""

from collections import Counter as Tally
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.accounts.scoping import code_in_scope
from lindung.audit.models import Action
from lindung.audit.services import audit_record
from lindung.audit.tracking import tracked_create, tracked_update
from lindung.cases import deadlines, need_to_know
from lindung.cases.counting import (
    case_counted,
    case_counted_lock,
    case_tally,
    on_the_committed_case,
)
from lindung.cases.models import (
    OPEN_STATUSES,
    URGENT_CATEGORIES,
    ActingLevel,
    Case,
    CaseCategory,
    CaseStep,
    Category,
    Channel,
    Outcome,
    PartyKind,
    ReporterKind,
    Status,
    StepKind,
    Unit,
)
from lindung.cases.rules import party_key
from lindung.cases.story import case_attachment_add, handled_by, units_now
from lindung.cases.workflow import (
    UNIT_LEVEL,
    actor_level,
    actor_unit,
    can_record,
    check_handler,
    check_officer,
    check_scope,
    check_transition,
    check_unit,
    check_verifier,
    higher_level,
    responsible_level,
    unit_area,
)
from lindung.lib.countries import COUNTRIES
from lindung.lib.dates import check_not_future
from lindung.lib.errors import ApplicationError
from lindung.placements import services as placement_services
from lindung.placements.models import ReturnReason
from lindung.placements.models import Status as PlacementStatus
from lindung.registry.models import Person, Relation
from lindung.registry.services import person_create

# The return reason a repatriation most likely had, from the case's categories.
RETURN_REASON_OF_CATEGORY = {
    Category.DEPORTED: ReturnReason.DEPORTED,
    Category.EMPLOYER_VIOLENCE: ReturnReason.ABUSE,
    Category.SEXUAL_VIOLENCE: ReturnReason.ABUSE,
    Category.TRAFFICKING: ReturnReason.ABUSE,
    Category.SICK: ReturnReason.ACCIDENT_ILLNESS,
    Category.DISMISSED_EARLY: ReturnReason.DISMISSED,
}


def _check_date(case: Case | None, occurred_on: date, *, field: str = "occurred_on") -> None:
    if occurred_on is None:
        raise ApplicationError(_("Enter the date."), field=field)
    check_not_future(occurred_on, field=field)
    if case is not None and occurred_on < case.status_since:
        raise ApplicationError(
            _("The date cannot be before the previous step (%(date)s).")
            % {"date": case.status_since.strftime("%d-%m-%Y")},
            field=field,
        )


def _move(
    case: Case,
    *,
    actor,
    kind: str,
    occurred_on: date,
    note: str = "",
    status: str | None = None,
    data: dict | None = None,
    **step_fields,
) -> CaseStep:
    """Append a step, move the case to its new status and recompute its deadline."""
    case_counted_lock(case)
    counted_before = case_tally(case)
    status_from = case.status
    data = dict(data or {})
    if status is not None and status != case.status:
        data["status"] = status
        data["status_since"] = occurred_on
    new_status = data.get("status", case.status)
    since = data.get("status_since", case.status_since)
    urgent = data.get("urgent", case.urgent)
    probe = Case(
        status=new_status,
        intake_level=case.intake_level,
        responsible_level=data.get("responsible_level", case.responsible_level),
    )
    data["responsible_level"] = responsible_level(probe)
    data["due_on"] = deadlines.due_date(new_status, since, urgent=urgent, **deadlines.configured())
    if status is not None:
        data["escalated_level"] = None
    step = CaseStep.objects.create(
        case=case,
        kind=kind,
        occurred_on=occurred_on,
        status_from=status_from if status else "",
        status_to=new_status if status else "",
        note=(note or "").strip(),
        actor=actor,
        **step_fields,
    )
    tracked_update(case, actor=actor, data=data, area_code=case.village_id, validate=False)
    case_counted(case, counted_before)
    handled_by(case, *units_now(case, actor))
    return step


def _clean_text(value: str, limit: int) -> str:
    return (value or "").strip()[:limit]


def _check_report(
    *, actor, person, codes, reporter_kind, reporter_relation, channel, narrative, reported_on
) -> None:
    """Who may record the complaint, about whom, and what it must say."""
    if not can_record(actor):
        raise ApplicationError(_("Your role cannot record cases."))
    if person is None or person.archived_at is not None:
        raise ApplicationError(_("Choose a registered, active person."), field="person")
    if not code_in_scope(actor, person.village_id):
        raise ApplicationError(_("This person is outside your area of work."), field="person")
    if not codes:
        raise ApplicationError(_("Choose at least one category."), field="categories")
    if any(code not in Category.values for code in codes):
        raise ApplicationError(_("Choose categories from the list."), field="categories")
    if reporter_kind not in ReporterKind.values:
        raise ApplicationError(_("Say who reported the case."), field="reporter_kind")
    if reporter_kind == ReporterKind.FAMILY and reporter_relation not in Relation.values:
        raise ApplicationError(
            _("Say how the family member is related to the worker."), field="reporter_relation"
        )
    if channel not in Channel.values:
        raise ApplicationError(_("Choose the channel of the report."), field="channel")
    if not (narrative or "").strip():
        raise ApplicationError(_("Describe what happened."), field="narrative")
    _check_date(None, reported_on, field="reported_on")


def _check_country_and_party(country: str, party_kind: str, party_name: str) -> None:
    if country and country not in COUNTRIES:
        raise ApplicationError(_("Choose the country from the list."), field="country")
    if party_kind and party_kind not in PartyKind.values:
        raise ApplicationError(_("Choose the kind of reported party."), field="party_kind")
    if party_name.strip() and not party_kind:
        raise ApplicationError(
            _("Say whether the reported party is an employer, a P3MI or a recruiter."),
            field="party_kind",
        )


def _record_intake(case: Case, codes: list[str], *, actor, level: int, abroad: bool) -> None:
    """The new case's readers, categories and first step; someone abroad also gets a "problem
    reported" event on their episode."""
    # The regency (or the recorder's higher level) decides where the case goes: it reads.
    handled_by(
        case,
        need_to_know.level_unit(higher_level(level, ActingLevel.REGENCY), case.village_id),
        *units_now(case, actor),
    )
    CaseCategory.objects.bulk_create(CaseCategory(case=case, code=code) for code in codes)
    CaseStep.objects.create(
        case=case,
        kind=StepKind.RECORDED,
        occurred_on=case.reported_on,
        status_to=Status.RECEIVED,
        level=level,
        actor=actor,
        note=_("Reported by %(who)s via %(channel)s.")
        % {"who": case.get_reporter_kind_display(), "channel": case.get_channel_display()},
    )
    if abroad:
        # Only the categories go on the episode: its history is read by everyone in scope.
        labels = ", ".join(str(Category(code).label) for code in codes)
        placement_services.placement_report_problem(
            actor=actor,
            placement=case.placement,
            occurred_on=case.reported_on,
            note=_("Case %(number)s: %(categories)s")
            % {"number": case.number, "categories": labels},
        )


@transaction.atomic
def case_create(
    *,
    actor,
    person: Person,
    categories: list[str],
    reporter_kind: str,
    channel: str,
    narrative: str,
    reported_on: date,
    reporter_name: str = "",
    reporter_relation: str = "",
    reporter_phone: str = "",
    country: str = "",
    place: str = "",
    party_kind: str = "",
    party_name: str = "",
    party_contact: str = "",
    agency_name: str = "",
    demand: str = "",
    urgent: bool = False,
) -> Case:
    """Record a complaint about a registered person; someone abroad also gets a "problem
    reported" event on their episode."""
    codes = list(dict.fromkeys(categories or []))
    _check_report(
        actor=actor,
        person=person,
        codes=codes,
        reporter_kind=reporter_kind,
        reporter_relation=reporter_relation,
        channel=channel,
        narrative=narrative,
        reported_on=reported_on,
    )
    if reporter_kind != ReporterKind.FAMILY:
        reporter_relation = ""
    placement = person.current_placement
    abroad = placement is not None and placement.status == PlacementStatus.ABROAD
    country = (country or "").strip().upper() or (placement.destination_country if abroad else "")
    _check_country_and_party(country, party_kind, party_name)
    if not agency_name.strip() and placement is not None:
        agency_name = placement.agency_name
    level = actor_level(actor)
    case = Case(
        person=person,
        village_id=person.village_id,
        placement=placement,
        reported_on=reported_on,
        reporter_kind=reporter_kind,
        reporter_name=_clean_text(reporter_name, 150),
        reporter_relation=reporter_relation,
        reporter_phone=_clean_text(reporter_phone, 20),
        channel=channel,
        country=country,
        place=_clean_text(place, 200),
        narrative=narrative.strip(),
        party_kind=party_kind if party_name.strip() or party_contact.strip() else "",
        party_name=_clean_text(party_name, 150),
        party_key=party_key(party_name),
        party_contact=_clean_text(party_contact, 200),
        agency_name=_clean_text(agency_name, 150),
        agency_key=party_key(agency_name),
        demand=(demand or "").strip(),
        urgent=bool(urgent) or bool(URGENT_CATEGORIES.intersection(codes)),
        status=Status.RECEIVED,
        status_since=reported_on,
        intake_level=level,
        responsible_level=level,
    )
    case.due_on = deadlines.due_date(
        Status.RECEIVED, reported_on, urgent=case.urgent, **deadlines.configured()
    )
    tracked_create(case, actor=actor, area_code=case.village_id, validate=False)
    _record_intake(case, codes, actor=actor, level=level, abroad=abroad)
    case_counted(case, Tally())
    return case


@transaction.atomic
@on_the_committed_case
def case_verify(*, actor, case: Case, occurred_on: date, note: str = "") -> CaseStep:
    """Confirm the complaint is genuine and complete enough to act on."""
    check_verifier(actor, case)
    check_transition(case, "verify")
    _check_date(case, occurred_on)
    return _move(
        case,
        actor=actor,
        kind=StepKind.VERIFIED,
        occurred_on=occurred_on,
        note=note,
        status=Status.VERIFIED,
    )


@transaction.atomic
@on_the_committed_case
def case_refer(
    *, actor, case: Case, unit: str, occurred_on: date, note: str = "", unit_detail: str = ""
) -> CaseStep:
    """Refer the case to a unit; from a unit that already holds it, a transfer."""
    check_handler(actor, case)
    check_transition(case, "refer")
    if case.status != Status.VERIFIED:
        check_unit(actor, case)
    if unit not in Unit.values:
        raise ApplicationError(_("Choose the unit the case goes to."), field="unit")
    unit_detail = _clean_text(unit_detail, 150)
    if case.status != Status.VERIFIED and unit == case.unit and unit_detail == case.unit_detail:
        raise ApplicationError(
            _("The case is already with %(unit)s.") % {"unit": case.get_unit_display()},
            field="unit",
        )
    _check_date(case, occurred_on)
    area = unit_area(unit, case)
    level = UNIT_LEVEL.get(unit, actor_level(actor))
    transfer = case.status != Status.VERIFIED
    return _move(
        case,
        actor=actor,
        kind=StepKind.TRANSFERRED if transfer else StepKind.REFERRED,
        occurred_on=occurred_on,
        note=note,
        status=Status.REFERRED,
        data={
            "unit": unit,
            "unit_area": area,
            "unit_detail": unit_detail,
            "responsible_level": level,
            "assigned_to": None,
        },
        unit=unit,
        unit_area=area,
        unit_detail=unit_detail,
        level=level,
    )


@transaction.atomic
@on_the_committed_case
def case_take_up(*, actor, case: Case, occurred_on: date, officer=None, note: str = "") -> CaseStep:
    """The unit that holds the case starts handling it, with a handling officer."""
    check_unit(actor, case)
    check_transition(case, "take_up")
    _check_date(case, occurred_on)
    data = {}
    unit = case.unit
    if not unit:
        unit = actor_unit(actor)
        data = {
            "unit": unit,
            "unit_area": unit_area(unit, case),
            "responsible_level": UNIT_LEVEL[unit],
        }
    officer = officer or actor
    check_officer(officer, case, unit=unit)
    data["assigned_to"] = officer
    return _move(
        case,
        actor=actor,
        kind=StepKind.HANDLING,
        occurred_on=occurred_on,
        note=note,
        status=Status.IN_HANDLING,
        data=data,
        unit=unit,
        assigned_to=officer,
    )


@transaction.atomic
@on_the_committed_case
def case_assign(*, actor, case: Case, officer, occurred_on: date, note: str = "") -> CaseStep:
    """Give the case to another handling officer of the unit that holds it."""
    check_unit(actor, case)
    if case.status == Status.CLOSED:
        raise ApplicationError(_("A closed case is not assigned; reopen it first."))
    _check_date(case, occurred_on)
    check_officer(officer, case)
    if officer.pk == case.assigned_to_id:
        raise ApplicationError(_("The case is already assigned to this officer."), field="officer")
    return _move(
        case,
        actor=actor,
        kind=StepKind.ASSIGNED,
        occurred_on=occurred_on,
        note=note,
        data={"assigned_to": officer},
        assigned_to=officer,
    )


@transaction.atomic
@on_the_committed_case
def case_note(*, actor, case: Case, occurred_on: date, note: str) -> CaseStep:
    """Record progress (a call, a letter, a visit) without changing the status."""
    check_scope(actor, case)
    if not need_to_know.may_read_story(actor, case, emergency=False):
        raise ApplicationError(_("Only those who handle the case add notes to it."))
    if not (note or "").strip():
        raise ApplicationError(_("Write the note."), field="note")
    check_not_future(occurred_on, field="occurred_on")
    if occurred_on < case.reported_on:
        raise ApplicationError(
            _("The date cannot be before the case was reported."), field="occurred_on"
        )
    step = CaseStep.objects.create(
        case=case, kind=StepKind.NOTE, occurred_on=occurred_on, note=note.strip(), actor=actor
    )
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=case,
        area_code=case.village_id,
        changes={"note": [None, step.pk]},
    )
    return step


def default_return_reason(case: Case) -> str:
    """The Pasal 27 return reason the case's categories suggest."""
    for category in case.categories.all():
        if category.code in RETURN_REASON_OF_CATEGORY:
            return RETURN_REASON_OF_CATEGORY[category.code]
    return ReturnReason.OTHER


@transaction.atomic
@on_the_committed_case
def case_resolve(
    *,
    actor,
    case: Case,
    outcome: str,
    occurred_on: date,
    note: str = "",
    amount: Decimal | None = None,
    record_return: bool = False,
    return_reason: str = "",
    returned_on: date | None = None,
) -> CaseStep:
    """Resolve the case with its outcome; a repatriation can record the return home too."""
    check_unit(actor, case)
    check_transition(case, "resolve")
    if outcome not in Outcome.values:
        raise ApplicationError(_("Choose the outcome."), field="outcome")
    if amount is not None and amount < 0:
        raise ApplicationError(_("The amount cannot be negative."), field="amount")
    if amount is not None and outcome != Outcome.RIGHTS_RECOVERED:
        amount = None
    if outcome in (Outcome.OTHER, Outcome.NOT_SUBSTANTIATED) and not (note or "").strip():
        raise ApplicationError(_("Explain the outcome in the note."), field="note")
    _check_date(case, occurred_on)
    if record_return:
        placement = case.placement
        if outcome != Outcome.REPATRIATED:
            raise ApplicationError(
                _("Only a repatriation records the return home."), field="record_return"
            )
        if placement is None or placement.status != PlacementStatus.ABROAD:
            raise ApplicationError(
                _("This person has no episode abroad to record the return on."),
                field="record_return",
            )
        placement_services.placement_return(
            actor=actor,
            placement=placement,
            returned_on=returned_on or occurred_on,
            reason=return_reason or default_return_reason(case),
            note=_("Repatriated (case %(number)s).") % {"number": case.number},
        )
    return _move(
        case,
        actor=actor,
        kind=StepKind.RESOLVED,
        occurred_on=occurred_on,
        note=note,
        status=Status.RESOLVED,
        data={"outcome": outcome, "outcome_amount": amount, "resolved_on": occurred_on},
    )


@transaction.atomic
@on_the_committed_case
def case_close(*, actor, case: Case, occurred_on: date, note: str = "") -> CaseStep:
    """Close a resolved case once nothing remains to follow up."""
    check_unit(actor, case)
    check_transition(case, "close")
    _check_date(case, occurred_on)
    return _move(
        case,
        actor=actor,
        kind=StepKind.CLOSED,
        occurred_on=occurred_on,
        note=note,
        status=Status.CLOSED,
        data={"closed_on": occurred_on},
    )


@transaction.atomic
@on_the_committed_case
def case_reopen(*, actor, case: Case, occurred_on: date, reason: str) -> CaseStep:
    """Reopen a resolved or closed case, with the reason; it goes back into handling."""
    check_handler(actor, case)
    check_transition(case, "reopen")
    if not (reason or "").strip():
        raise ApplicationError(_("Give the reason for reopening."), field="reason")
    _check_date(case, occurred_on)
    return _move(
        case,
        actor=actor,
        kind=StepKind.REOPENED,
        occurred_on=occurred_on,
        note=reason,
        status=Status.IN_HANDLING,
        data={"outcome": "", "outcome_amount": None, "resolved_on": None, "closed_on": None},
    )


@transaction.atomic
def cases_escalate(*, today: date | None = None) -> list[Case]:
    """Record the level that must now act on every overdue case (run by escalate_cases)."""
    today = today or timezone.localdate()
    step_days = deadlines.configured_step_days()
    escalated = []
    overdue = Case.objects.filter(
        archived_at__isnull=True, due_on__lt=today, status__in=OPEN_STATUSES
    ).select_for_update()
    for case in overdue:
        level = deadlines.acting_level(
            responsible_level(case), case.due_on, today, step_days=step_days
        )
        if level == case.escalated_level or level == responsible_level(case):
            continue
        CaseStep.objects.create(
            case=case,
            kind=StepKind.ESCALATED,
            occurred_on=today,
            level=level,
            note=_("%(days)s days overdue: %(level)s must act.")
            % {
                "days": deadlines.overdue_days(case.due_on, today),
                "level": ActingLevel(level).label,
            },
        )
        tracked_update(
            case,
            actor=None,
            data={"escalated_level": level},
            area_code=case.village_id,
            validate=False,
        )
        # Every level the escalation climbed must act in turn, so each reads the story.
        chain = deadlines.LEVEL_CHAIN
        climbed = chain[chain.index(responsible_level(case)) : chain.index(level) + 1]
        handled_by(case, *(need_to_know.level_unit(lv, case.village_id) for lv in climbed))
        escalated.append(case)
    return escalated


@transaction.atomic
def case_intake(
    *, actor, person: Person | None, new_person: dict | None, case: dict, attachment=None
) -> Case:
    """Record a case, registering the person on the spot when they are not yet registered,
    with an optional first attachment; all or nothing."""
    if person is None:
        if not new_person:
            raise ApplicationError(_("Choose the person or register them."), field="nik")
        person = person_create(actor=actor, **new_person)
    created = case_create(actor=actor, person=person, **case)
    if attachment is not None:
        case_attachment_add(
            actor=actor,
            case=created,
            upload=attachment["file"],
            description=attachment.get("description", ""),
        )
    return created


def cases_person_merged(*, duplicate: Person, keep: Person) -> int:
    """Move the cases of a merged duplicate to the record kept (placements' person_merge)."""
    return Case.objects.filter(person=duplicate).update(person=keep)
