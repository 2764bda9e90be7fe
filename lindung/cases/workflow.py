"""Who may take which step of a protection case, and from which status.

The services check these before writing; the pages ask case_allowed_steps which buttons to show.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lindung.accounts.models import ROLE_LEVEL, Role
from lindung.accounts.scoping import code_in_scope
from lindung.cases import deadlines, need_to_know
from lindung.cases.models import ActingLevel, Case, Status, Unit
from lindung.lib.errors import ApplicationError
from lindung.regions.models import Area

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


def actor_level(user) -> int:
    """The level a user works at (national for KP2MI and administrators)."""
    level = ROLE_LEVEL.get(user.role)
    return ActingLevel.NATIONAL if level is None else level


def higher_level(a: int, b: int) -> int:
    chain = deadlines.LEVEL_CHAIN
    return a if chain.index(a) >= chain.index(b) else b


def responsible_level(case: Case) -> int:
    if case.status == Status.RECEIVED:
        return case.intake_level
    if case.status == Status.VERIFIED:
        # After verification the regency (Disnaker) decides where the case goes.
        return higher_level(case.intake_level, ActingLevel.REGENCY)
    return case.responsible_level


def can_record(user) -> bool:
    return user.is_authenticated and user.role in RECORDER_ROLES


def can_verify(user) -> bool:
    return user.is_authenticated and user.role in VERIFIER_ROLES


def can_act_for_unit(user, case: Case) -> bool:
    """Whether the user may act for the unit that now holds the case."""
    if not user.is_case_handler:
        return False
    role = ROLE_UNITS.get(case.unit)
    return role is None or user.role in (role, Role.KP2MI)


def check_scope(actor, case: Case) -> None:
    if not code_in_scope(actor, case.village_id):
        raise ApplicationError(_("This case is outside your area of work."))


def check_handler(actor, case: Case) -> None:
    check_scope(actor, case)
    if not actor.is_case_handler:
        raise ApplicationError(_("Only Disnaker, BP3MI and KP2MI officers handle cases."))


def check_unit(actor, case: Case) -> None:
    check_handler(actor, case)
    if not can_act_for_unit(actor, case):
        raise ApplicationError(
            _("This case is with %(unit)s; only they (or KP2MI) can take this step.")
            % {"unit": case.get_unit_display()}
        )


def check_verifier(actor, case: Case) -> None:
    check_scope(actor, case)
    if not can_verify(actor):
        raise ApplicationError(_("Only the village head or a case handler verifies a case."))


def check_transition(case: Case, step: str) -> None:
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


def case_allowed_steps(user, case: Case) -> list[str]:
    """The steps this user may take on the case now (for showing the right buttons)."""
    checks = {
        "verify": lambda: check_verifier(user, case),
        "refer": lambda: (
            check_handler(user, case) if case.status == Status.VERIFIED else check_unit(user, case)
        ),
        "take_up": lambda: check_unit(user, case),
        "resolve": lambda: check_unit(user, case),
        "close": lambda: check_unit(user, case),
        "reopen": lambda: check_handler(user, case),
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
        check_unit, user, case
    ):
        allowed.append("assign")
    reads = need_to_know.may_read_story(user, case, emergency=False)
    if reads:
        allowed += ["note", "attach"]
    if reads and case.status != Status.CLOSED and _passes(check_unit, user, case):
        allowed.append("supervisor")
    return allowed


def _passes(check, user, case) -> bool:
    try:
        check(user, case)
    except ApplicationError:
        return False
    return True


def actor_unit(actor) -> str:
    return {Role.DISNAKER: Unit.DISNAKER, Role.BP3MI: Unit.BP3MI, Role.KP2MI: Unit.KP2MI}[
        actor.role
    ]


def check_officer(officer, case: Case, *, unit: str | None = None) -> None:
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


def unit_area(unit: str, case: Case):
    parts = case.village_id.split(".")
    if unit == Unit.DISNAKER:
        return Area.objects.get(code=".".join(parts[:2]))
    if unit == Unit.BP3MI:
        return Area.objects.get(code=parts[0])
    return None
