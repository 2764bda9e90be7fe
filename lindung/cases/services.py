"""Writes of protection cases: intake, the workflow steps, attachments and escalation."""

import hashlib
import uuid
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lindung.accounts.models import ROLE_LEVEL, Role
from lindung.accounts.scoping import code_in_scope
from lindung.audit.models import Action
from lindung.audit.services import audit_record
from lindung.cases import deadlines
from lindung.cases.models import (
    OPEN_STATUSES,
    URGENT_CATEGORIES,
    ActingLevel,
    Case,
    CaseAttachment,
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
from lindung.lib.countries import COUNTRIES
from lindung.lib.errors import ApplicationError
from lindung.lib.tracking import tracked_create, tracked_update
from lindung.lib.uploads import DOCUMENT_TYPES, upload_check
from lindung.placements import services as placement_services
from lindung.placements.models import ReturnReason
from lindung.placements.models import Status as PlacementStatus
from lindung.registry.models import Person, Relation

RECORDER_ROLES = {
    Role.VILLAGE_OPERATOR,
    Role.VILLAGE_HEAD,
    Role.DISNAKER,
    Role.OPD,
    Role.BP3MI,
    Role.KP2MI,
}
VERIFIER_ROLES = {Role.VILLAGE_HEAD, Role.DISNAKER, Role.BP3MI, Role.KP2MI}

# The statuses each step may start from; a refer from referred/in handling is a transfer.
TRANSITIONS = {
    "verify": {Status.RECEIVED},
    "refer": {Status.VERIFIED, Status.REFERRED, Status.IN_HANDLING},
    "take_up": {Status.VERIFIED, Status.REFERRED},
    "resolve": {Status.IN_HANDLING},
    "close": {Status.RESOLVED},
    "reopen": {Status.RESOLVED, Status.CLOSED},
}

# Units that are roles in Lindung: only that role (or KP2MI, which oversees all) acts for them.
ROLE_UNITS = {Unit.DISNAKER: Role.DISNAKER, Unit.BP3MI: Role.BP3MI, Unit.KP2MI: Role.KP2MI}
UNIT_LEVEL = {
    Unit.DISNAKER: ActingLevel.REGENCY,
    Unit.BP3MI: ActingLevel.PROVINCE,
    Unit.KP2MI: ActingLevel.NATIONAL,
    Unit.MISSION: ActingLevel.NATIONAL,
}

# The return reason a repatriation most likely had, from the case's categories.
RETURN_REASON_OF_CATEGORY = {
    Category.DEPORTED: ReturnReason.DEPORTED,
    Category.EMPLOYER_VIOLENCE: ReturnReason.ABUSE,
    Category.SEXUAL_VIOLENCE: ReturnReason.ABUSE,
    Category.TRAFFICKING: ReturnReason.ABUSE,
    Category.SICK: ReturnReason.ACCIDENT_ILLNESS,
    Category.DISMISSED_EARLY: ReturnReason.DISMISSED,
}


def actor_level(user) -> int:
    """The level a user works at (national for KP2MI and administrators)."""
    level = ROLE_LEVEL.get(user.role)
    return ActingLevel.NATIONAL if level is None else level


def _higher(a: int, b: int) -> int:
    chain = deadlines.LEVEL_CHAIN
    return a if chain.index(a) >= chain.index(b) else b


def _responsible_level(case: Case) -> int:
    if case.status == Status.RECEIVED:
        return case.intake_level
    if case.status == Status.VERIFIED:
        # After verification the regency (Disnaker) decides where the case goes.
        return _higher(case.intake_level, ActingLevel.REGENCY)
    return case.responsible_level


def can_record(user) -> bool:
    return user.is_authenticated and user.role in RECORDER_ROLES


def can_verify(user) -> bool:
    return user.is_authenticated and user.role in VERIFIER_ROLES


def can_see_details(user, case: Case) -> bool:
    """Need-to-know: case handlers and whoever recorded the case read its narrative."""
    return user.is_authenticated and (user.is_case_handler or case.created_by_id == user.pk)


def can_act_for_unit(user, case: Case) -> bool:
    """Whether the user may act for the unit that now holds the case."""
    if not user.is_case_handler:
        return False
    role = ROLE_UNITS.get(case.unit)
    return role is None or user.role in (role, Role.KP2MI)


def _check_scope(actor, case: Case) -> None:
    if not code_in_scope(actor, case.village_id):
        raise ApplicationError(_("This case is outside your area of work."))


def _check_handler(actor, case: Case) -> None:
    _check_scope(actor, case)
    if not actor.is_case_handler:
        raise ApplicationError(_("Only Disnaker, BP3MI and KP2MI officers handle cases."))


def _check_unit(actor, case: Case) -> None:
    _check_handler(actor, case)
    if not can_act_for_unit(actor, case):
        raise ApplicationError(
            _("This case is with %(unit)s; only they (or KP2MI) can take this step.")
            % {"unit": case.get_unit_display()}
        )


def _check_verifier(actor, case: Case) -> None:
    _check_scope(actor, case)
    if not can_verify(actor):
        raise ApplicationError(_("Only the village head or a case handler verifies a case."))


def _check_transition(case: Case, step: str) -> None:
    if case.status not in TRANSITIONS[step]:
        raise ApplicationError(
            _("A case that is “%(status)s” cannot be %(step)s.")
            % {"status": case.get_status_display(), "step": STEP_VERBS[step]}
        )


STEP_VERBS = {
    "verify": gettext_lazy("verified"),
    "refer": gettext_lazy("referred"),
    "take_up": gettext_lazy("taken up"),
    "resolve": gettext_lazy("resolved"),
    "close": gettext_lazy("closed"),
    "reopen": gettext_lazy("reopened"),
}


def _check_date(case: Case | None, occurred_on: date, *, field: str = "occurred_on") -> None:
    if occurred_on is None:
        raise ApplicationError(_("Enter the date."), field=field)
    if occurred_on > timezone.localdate():
        raise ApplicationError(_("The date cannot be in the future."), field=field)
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
    data["responsible_level"] = _responsible_level(probe)
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
    return step


def _unit_area(unit: str, case: Case):
    from lindung.regions.models import Area

    parts = case.village_id.split(".")
    if unit == Unit.DISNAKER:
        return Area.objects.get(code=".".join(parts[:2]))
    if unit == Unit.BP3MI:
        return Area.objects.get(code=parts[0])
    return None


def _clean_text(value: str, limit: int) -> str:
    return (value or "").strip()[:limit]


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
    if not can_record(actor):
        raise ApplicationError(_("Your role cannot record cases."))
    if person is None or person.archived_at is not None:
        raise ApplicationError(_("Choose a registered, active person."), field="person")
    if not code_in_scope(actor, person.village_id):
        raise ApplicationError(_("This person is outside your area of work."), field="person")
    codes = list(dict.fromkeys(categories or []))
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
    if reporter_kind != ReporterKind.FAMILY:
        reporter_relation = ""
    if channel not in Channel.values:
        raise ApplicationError(_("Choose the channel of the report."), field="channel")
    if not (narrative or "").strip():
        raise ApplicationError(_("Describe what happened."), field="narrative")
    _check_date(None, reported_on, field="reported_on")
    placement = person.current_placement
    abroad = placement is not None and placement.status == PlacementStatus.ABROAD
    country = (country or "").strip().upper()
    if not country and abroad:
        country = placement.destination_country
    if country and country not in COUNTRIES:
        raise ApplicationError(_("Choose the country from the list."), field="country")
    if party_kind and party_kind not in PartyKind.values:
        raise ApplicationError(_("Choose the kind of reported party."), field="party_kind")
    if party_name.strip() and not party_kind:
        raise ApplicationError(
            _("Say whether the reported party is an employer, a P3MI or a recruiter."),
            field="party_kind",
        )
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
    CaseCategory.objects.bulk_create(CaseCategory(case=case, code=code) for code in codes)
    CaseStep.objects.create(
        case=case,
        kind=StepKind.RECORDED,
        occurred_on=reported_on,
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
            placement=placement,
            occurred_on=reported_on,
            note=_("Case %(number)s: %(categories)s")
            % {"number": case.number, "categories": labels},
        )
    return case


@transaction.atomic
def case_verify(*, actor, case: Case, occurred_on: date, note: str = "") -> CaseStep:
    """Confirm the complaint is genuine and complete enough to act on."""
    _check_verifier(actor, case)
    _check_transition(case, "verify")
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
def case_refer(
    *, actor, case: Case, unit: str, occurred_on: date, note: str = "", unit_detail: str = ""
) -> CaseStep:
    """Refer the case to a unit; from a unit that already holds it, a transfer."""
    _check_handler(actor, case)
    _check_transition(case, "refer")
    if case.status != Status.VERIFIED:
        _check_unit(actor, case)
    if unit not in Unit.values:
        raise ApplicationError(_("Choose the unit the case goes to."), field="unit")
    unit_detail = _clean_text(unit_detail, 150)
    if case.status != Status.VERIFIED and unit == case.unit and unit_detail == case.unit_detail:
        raise ApplicationError(
            _("The case is already with %(unit)s.") % {"unit": case.get_unit_display()},
            field="unit",
        )
    _check_date(case, occurred_on)
    area = _unit_area(unit, case)
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


def _actor_unit(actor) -> str:
    return {Role.DISNAKER: Unit.DISNAKER, Role.BP3MI: Unit.BP3MI, Role.KP2MI: Unit.KP2MI}[
        actor.role
    ]


def _check_officer(officer, case: Case, *, unit: str | None = None) -> None:
    if officer is None or not officer.is_active or not officer.is_case_handler:
        raise ApplicationError(_("Choose an active case-handling officer."), field="officer")
    if not code_in_scope(officer, case.village_id):
        raise ApplicationError(
            _("This officer's area of work does not include the case."), field="officer"
        )
    unit = unit or case.unit
    if not can_act_for_unit(officer, Case(unit=unit)):
        raise ApplicationError(
            _("This officer does not work for %(unit)s.") % {"unit": Unit(unit).label},
            field="officer",
        )


@transaction.atomic
def case_take_up(*, actor, case: Case, occurred_on: date, officer=None, note: str = "") -> CaseStep:
    """The unit that holds the case starts handling it, with a handling officer."""
    _check_unit(actor, case)
    _check_transition(case, "take_up")
    _check_date(case, occurred_on)
    data = {}
    unit = case.unit
    if not unit:
        unit = _actor_unit(actor)
        data = {
            "unit": unit,
            "unit_area": _unit_area(unit, case),
            "responsible_level": UNIT_LEVEL[unit],
        }
    officer = officer or actor
    _check_officer(officer, case, unit=unit)
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
def case_assign(*, actor, case: Case, officer, occurred_on: date, note: str = "") -> CaseStep:
    """Give the case to another handling officer of the unit that holds it."""
    _check_unit(actor, case)
    if case.status == Status.CLOSED:
        raise ApplicationError(_("A closed case is not assigned; reopen it first."))
    _check_date(case, occurred_on)
    _check_officer(officer, case)
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
def case_note(*, actor, case: Case, occurred_on: date, note: str) -> CaseStep:
    """Record progress (a call, a letter, a visit) without changing the status."""
    _check_scope(actor, case)
    if not can_see_details(actor, case):
        raise ApplicationError(_("Only case handlers and the recorder add notes to a case."))
    if not (note or "").strip():
        raise ApplicationError(_("Write the note."), field="note")
    if occurred_on is None or occurred_on > timezone.localdate():
        raise ApplicationError(_("The date cannot be in the future."), field="occurred_on")
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
    _check_unit(actor, case)
    _check_transition(case, "resolve")
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
def case_close(*, actor, case: Case, occurred_on: date, note: str = "") -> CaseStep:
    """Close a resolved case once nothing remains to follow up."""
    _check_unit(actor, case)
    _check_transition(case, "close")
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
def case_reopen(*, actor, case: Case, occurred_on: date, reason: str) -> CaseStep:
    """Reopen a resolved or closed case, with the reason; it goes back into handling."""
    _check_handler(actor, case)
    _check_transition(case, "reopen")
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
def case_attachment_add(*, actor, case: Case, upload, description: str = "") -> CaseAttachment:
    """Keep a PDF, JPG or PNG with the case, its type checked from the content."""
    _check_scope(actor, case)
    if not can_see_details(actor, case):
        raise ApplicationError(_("Only case handlers and the recorder add attachments."))
    mime = upload_check(
        upload, allowed=DOCUMENT_TYPES, field="file", limit=settings.CASE_ATTACHMENT_MAX_BYTES
    )
    upload.seek(0)
    content = upload.read()
    extension = DOCUMENT_TYPES[mime]
    attachment = CaseAttachment(
        case=case,
        original_name=_clean_text(upload.name or "", 150) or f"file.{extension}",
        content_type=mime,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        description=_clean_text(description, 200),
    )
    # The stored name comes from the detected type, never from what the uploader called it.
    attachment.file.save(f"{uuid.uuid4().hex}.{extension}", ContentFile(content), save=False)
    tracked_create(attachment, actor=actor, area_code=case.village_id, validate=False)
    return attachment


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
            _responsible_level(case), case.due_on, today, step_days=step_days
        )
        if level == case.escalated_level or level == _responsible_level(case):
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
        escalated.append(case)
    return escalated


def case_allowed_steps(user, case: Case) -> list[str]:
    """The steps this user may take on the case now (for showing the right buttons)."""
    checks = {
        "verify": lambda: _check_verifier(user, case),
        "refer": lambda: (
            _check_handler(user, case)
            if case.status == Status.VERIFIED
            else _check_unit(user, case)
        ),
        "take_up": lambda: _check_unit(user, case),
        "resolve": lambda: _check_unit(user, case),
        "close": lambda: _check_unit(user, case),
        "reopen": lambda: _check_handler(user, case),
    }
    allowed = []
    for step, check in checks.items():
        if case.status not in TRANSITIONS[step]:
            continue
        try:
            check()
        except ApplicationError:
            continue
        allowed.append(step)
    if case.status in (Status.REFERRED, Status.IN_HANDLING, Status.RESOLVED) and _passes(
        _check_unit, user, case
    ):
        allowed.append("assign")
    if code_in_scope(user, case.village_id) and can_see_details(user, case):
        allowed += ["note", "attach"]
    return allowed


def _passes(check, user, case) -> bool:
    try:
        check(user, case)
    except ApplicationError:
        return False
    return True


@transaction.atomic
def case_intake(
    *, actor, person: Person | None, new_person: dict | None, case: dict, attachment=None
) -> Case:
    """Record a case, registering the person on the spot when they are not yet registered,
    with an optional first attachment; all or nothing."""
    from lindung.registry.services import person_create

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
