"""Reads of the audit trail, for the trail page (`trail_views`).

The trail itself (its model and `audit_record`) is the audit app, below every writer; reading
it keeps to the reader's area, so the reads stand here, beside the scoping rule.
"""

from datetime import date

from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils.text import capfirst

from lindung.accounts.scoping import scope
from lindung.audit.models import AuditEvent, label_withheld_types


def audit_can_read(user) -> bool:
    """Administrators read the whole trail; KP2MI, BP3MI and Disnaker that of their area."""
    return user.is_authenticated and user.can_read_audit_trail


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
    # National readers (administrators, KP2MI) get the whole trail from the same rule.
    qs = scope(AuditEvent.objects.all(), user, field="area_code", regency_led=True)
    if actor:
        qs = qs.filter(actor_username__icontains=actor)
    if action:
        qs = qs.filter(action=action)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if text:
        # Names the page does not show are not searched either.
        named = Q(object_repr__icontains=text) & ~Q(object_type__in=label_withheld_types())
        qs = qs.filter(named | Q(object_id=text))
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    return qs


def object_type_label(object_type: str) -> str:
    """The model's name in the interface language ("Penduduk" for registry.person)."""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return object_type
    return capfirst(model._meta.verbose_name)
