"""Who reads a protection case's story: the one policy every page, list, export, search,
download and audit view asks.

The story is what a case says beyond its facts: the narrative, the worker's demand, the place
abroad, the reported party, the P3MI named, the reporter's name and contact, the attachments
and the progress notes. Everyone whose area includes the case (the scoping rule, underneath)
sees its facts: that it exists, its categories, status, dates and area. The story is read by

- whoever recorded the case;
- the unit handling it now and every unit it passed through (referred or transferred to it,
  took a step on it, or the case was escalated to its level), each unit being one office: the
  Disnaker of a regency, the BP3MI of a province, KP2MI; and the handling officer;
- the supervisor the handling unit named on the case;
- someone who "broke the glass" (akses darurat): a written reason, audited, shown to the
  handlers, for CASE_EMERGENCY_READ_HOURS.

Nobody else: not another handler in scope, not the village head, not an administrator.
"""

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from lindung.accounts.models import Role
from lindung.accounts.scoping import code_in_scope, scope
from lindung.cases.models import ActingLevel, Case, CaseEmergencyRead, CaseHandlingUnit, Unit

# The office a user belongs to, by role; other roles belong to none.
ROLE_UNIT = {Role.DISNAKER: Unit.DISNAKER, Role.BP3MI: Unit.BP3MI, Role.KP2MI: Unit.KP2MI}
# Who may break the glass: officers of the units that handle cases, within the case's area.
EMERGENCY_READ_ROLES = frozenset(ROLE_UNIT)
# The shortest written reason for an emergency read.
EMERGENCY_REASON_MIN_LENGTH = 20


def user_unit(user) -> tuple[str, str | None] | None:
    """(unit, area code) of the office the user works for; None for other roles."""
    unit = ROLE_UNIT.get(getattr(user, "role", ""))
    if unit is None:
        return None
    return unit, (None if unit == Unit.KP2MI else user.jurisdiction_id)


def unit_area_code(unit: str, village_code: str) -> str | None:
    """The area of the office of `unit` that serves a village: its regency for Disnaker, its
    province for BP3MI; None for KP2MI and for units outside Lindung."""
    parts = village_code.split(".")
    if unit == Unit.DISNAKER:
        return ".".join(parts[:2])
    if unit == Unit.BP3MI:
        return parts[0]
    return None


LEVEL_UNIT = {
    ActingLevel.REGENCY: Unit.DISNAKER,
    ActingLevel.PROVINCE: Unit.BP3MI,
    ActingLevel.NATIONAL: Unit.KP2MI,
}


def level_unit(level: int | None, village_code: str) -> tuple[str, str | None] | None:
    """The office that acts at `level` for a village (none at village level)."""
    unit = LEVEL_UNIT.get(level)
    if unit is None:
        return None
    return unit, unit_area_code(unit, village_code)


def story_q(user, *, emergency: bool = True) -> Q:
    """The condition on cases whose story `user` reads (without the scoping rule); without
    `emergency`, an emergency read does not count (it lets one read, not add to the case)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    q = Q(created_by=user.pk) | Q(assigned_to=user.pk) | Q(supervisor=user.pk)
    unit = user_unit(user)
    if unit is not None:
        name, area = unit
        units = CaseHandlingUnit.objects.filter(case=OuterRef("pk"), unit=name)
        units = units.filter(area__isnull=True) if area is None else units.filter(area=area)
        q |= Exists(units)
    if not emergency:
        return q
    q |= Exists(
        CaseEmergencyRead.objects.filter(
            case=OuterRef("pk"),
            reader=user.pk,
            expires_at__gt=timezone.now(),
            archived_at__isnull=True,
        )
    )
    return q


def story_readable(queryset: QuerySet[Case], user, *, emergency: bool = True) -> QuerySet[Case]:
    """The cases of `queryset` within the user's area whose story the user reads."""
    return scope(queryset, user).filter(story_q(user, emergency=emergency))


def may_read_story(user, case: Case, *, emergency: bool = True) -> bool:
    """Whether `user` reads the story of `case` (see the module's docstring); without
    `emergency`, whether they do so as recorder, handler or supervisor (who add to it)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if not code_in_scope(user, case.village_id):
        return False
    if user.pk in (case.created_by_id, case.assigned_to_id, case.supervisor_id):
        return True
    return story_readable(Case.objects.filter(pk=case.pk), user, emergency=emergency).exists()


def may_break_glass(user, case: Case) -> bool:
    """Whether `user` may open the case's story in an emergency (and does not read it yet)."""
    return (
        getattr(user, "is_authenticated", False)
        and user.role in EMERGENCY_READ_ROLES
        and code_in_scope(user, case.village_id)
        and not may_read_story(user, case)
    )


def emergency_read_hours() -> int:
    return settings.CASE_EMERGENCY_READ_HOURS
