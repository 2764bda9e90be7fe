"""Writes of users: creation, role and area changes, deactivation, passwords; login throttling."""

from datetime import datetime

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.accounts.models import ROLE_LEVEL, Role, User
from lindung.accounts.scoping import code_in_scope
from lindung.audit.models import Action, AuditEvent
from lindung.audit.services import audit_record, diff, field_values
from lindung.lib.errors import ApplicationError
from lindung.regions.models import Area, Level

USER_FIELDS = ["username", "first_name", "email", "role", "jurisdiction", "organisation", "phone"]


def jurisdiction_validate(*, role: str, area: Area | None) -> None:
    """Refuse an area whose level does not match the role (villages for village roles…)."""
    if role not in ROLE_LEVEL:
        raise ApplicationError(_("Choose a role."), field="role")
    level = ROLE_LEVEL[role]
    if level is None:
        if area is not None:
            raise ApplicationError(
                _("This role works nationally; leave the area empty."), field="jurisdiction"
            )
        return
    if area is None or area.level != level:
        raise ApplicationError(
            _("A %(role)s works in one %(level)s: choose an area of that level.")
            % {"role": Role(role).label, "level": Level(level).label.lower()},
            field="jurisdiction",
        )


def user_can_manage(*, actor: User, target_role: str, target_area: Area | None) -> bool:
    """Administrators manage everyone; a Disnaker manages village accounts of its regency."""
    if actor.role == Role.ADMIN:
        return True
    if actor.role == Role.DISNAKER:
        return target_role in (Role.VILLAGE_OPERATOR, Role.VILLAGE_HEAD) and (
            target_area is not None and code_in_scope(actor, target_area.code)
        )
    return False


def _check_manage(actor: User, role: str, area: Area | None) -> None:
    if not user_can_manage(actor=actor, target_role=role, target_area=area):
        raise ApplicationError(_("You may not manage accounts of this role or area."), field="role")


def _check_password(password: str, user: User | None = None) -> None:
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        raise ApplicationError(" ".join(error.messages), field="password") from None


def audit_account(*, actor, user, action: str = Action.UPDATE, changes=None, ip=None) -> None:
    """An event about an account in the trail, filed under the account's area."""
    audit_record(
        actor=actor,
        action=action,
        obj=user,
        area_code=user.jurisdiction_id or "",
        changes=changes,
        ip=ip,
    )


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    password: str,
    role: str,
    jurisdiction: Area | None,
    first_name: str = "",
    email: str = "",
    organisation: str = "",
    phone: str = "",
    is_demo: bool = False,
) -> User:
    """Create an account; the role and area must match and be within the actor's reach.

    `is_demo` is for seed_demo only: such an account works in demo mode and nowhere else."""
    username = username.strip().lower()
    jurisdiction_validate(role=role, area=jurisdiction)
    if actor is not None:
        _check_manage(actor, role, jurisdiction)
    if User.objects.filter(username=username).exists():
        raise ApplicationError(_("This username is taken."), field="username")
    user = User(
        username=username,
        role=role,
        jurisdiction=jurisdiction,
        first_name=first_name,
        email=email,
        organisation=organisation,
        phone=phone,
        is_staff=False,
        is_demo=is_demo,
    )
    _check_password(password, user)
    user.set_password(password)
    user.save()
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=user,
        area_code=jurisdiction.code if jurisdiction else "",
        changes={k: [None, v] for k, v in field_values(user, USER_FIELDS).items() if v},
    )
    return user


@transaction.atomic
def user_update(*, actor: User, user: User, data: dict) -> dict:
    """Change a user's name, contact, role or area; returns what changed."""
    _check_manage(actor, user.role, user.jurisdiction)
    before = field_values(user, USER_FIELDS)
    for name, value in data.items():
        if name not in USER_FIELDS or name == "username":
            raise ApplicationError(_("This field cannot be changed here."), field=name)
        setattr(user, name, value)
    jurisdiction_validate(role=user.role, area=user.jurisdiction)
    _check_manage(actor, user.role, user.jurisdiction)
    changes = diff(before, field_values(user, USER_FIELDS))
    if changes:
        user.save()
        audit_account(actor=actor, user=user, changes=changes)
    return changes


@transaction.atomic
def user_set_active(*, actor: User, user: User, active: bool) -> None:
    """Deactivate (or reactivate) an account. A deactivated user is logged out everywhere,
    because every request re-checks `is_active` when it loads the session's user."""
    _check_manage(actor, user.role, user.jurisdiction)
    if user.pk == actor.pk:
        raise ApplicationError(_("You cannot deactivate your own account."))
    if user.is_active == active:
        return
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit_account(actor=actor, user=user, changes={"is_active": [not active, active]})


@transaction.atomic
def user_set_password(*, actor: User, user: User, password: str) -> None:
    """Reset a password; the user's other sessions end because the session hash changes."""
    if actor.pk != user.pk:
        _check_manage(actor, user.role, user.jurisdiction)
    _check_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_account(actor=actor, user=user, changes={"password": ["***", "***"]})


def login_locked_until(*, username: str, ip: str | None) -> datetime | None:
    """When the lock on this username from this address ends, or None when logins are allowed.

    The (username, address) pair locks after LOGIN_FAILURE_LIMIT failures within LOGIN_LOCKOUT,
    the address for every username only after LOGIN_ADDRESS_FAILURE_LIMIT (colleagues share an
    office's address; docs/decisions/0009). Refused tries during a lock are recorded as
    'login_locked', not as failures, so an attacker cannot stretch a lock beyond LOGIN_LOCKOUT
    after the last counted failure.
    """
    since = timezone.now() - settings.LOGIN_LOCKOUT
    failures = AuditEvent.objects.filter(action=Action.LOGIN_FAILED, at__gte=since)
    failures = failures.filter(ip=ip) if ip else failures.filter(ip__isnull=True)
    ends = []
    for qs, limit in (
        (failures.filter(actor_username=username.strip().lower()), settings.LOGIN_FAILURE_LIMIT),
        (failures, settings.LOGIN_ADDRESS_FAILURE_LIMIT),
    ):
        times = list(qs.order_by("-at").values_list("at", flat=True)[:limit])
        if len(times) >= limit:
            ends.append(times[-1] + settings.LOGIN_LOCKOUT)
    return max(ends) if ends else None
