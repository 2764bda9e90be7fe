"""Reads of the audit trail."""

from datetime import date

from django.db.models import Q, QuerySet

from lindung.accounts.models import Role
from lindung.accounts.scoping import scope
from lindung.audit.models import AuditEvent

AUDIT_READER_ROLES = {Role.ADMIN, Role.KP2MI, Role.BP3MI, Role.DISNAKER}


def audit_can_read(user) -> bool:
    """Administrators read the whole trail; KP2MI, BP3MI and Disnaker that of their area."""
    return user.is_authenticated and user.role in AUDIT_READER_ROLES


def audit_event_list(
    *,
    user,
    actor: str = "",
    action: str = "",
    object_type: str = "",
    object_id: str = "",
    text: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditEvent]:
    """Trail events the user may read, newest first, filtered."""
    if not audit_can_read(user):
        return AuditEvent.objects.none()
    qs = AuditEvent.objects.all()
    if user.role != Role.ADMIN:
        qs = scope(qs, user, field="area_code")
    if actor:
        qs = qs.filter(actor_username__icontains=actor)
    if action:
        qs = qs.filter(action=action)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if text:
        qs = qs.filter(Q(object_repr__icontains=text) | Q(object_id=text))
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    return qs
