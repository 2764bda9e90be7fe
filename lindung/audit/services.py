"""Writing the audit trail. Every service that changes or reveals a record calls these."""

import datetime
import decimal
import uuid

from django.db import models

from lindung.audit.context import current_ip
from lindung.audit.models import WITHHELD, Action, AuditEvent, withheld_fields


def _plain(value):
    """A JSON-safe rendering of a field value."""
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def field_values(instance: models.Model, fields=None) -> dict:
    """The concrete field values of an instance, by attribute name (ids for foreign keys).
    Columns the database computes from the others are left out: they change only with them."""
    values = {}
    for field in instance._meta.concrete_fields:
        if field.generated or (fields is not None and field.name not in fields):
            continue
        values[field.name] = _plain(getattr(instance, field.attname))
    return values


def diff(before: dict, after: dict) -> dict:
    """{field: [old, new]} for each field whose value differs."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    area_code: str = "",
    changes: dict | None = None,
    username: str = "",
    ip: str | None = None,
) -> AuditEvent:
    """Append one event to the trail."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(getattr(obj, "audit_label", None) or obj)[:200]
    withheld = withheld_fields(object_type)
    if changes and withheld:
        changes = {k: WITHHELD if k in withheld else v for k, v in changes.items()}
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEvent.objects.create(
        actor=actor,
        actor_username=(actor.username if actor is not None else username)[:150],
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:200],
        area_code=area_code or "",
        changes=changes or {},
        ip=ip if ip is not None else current_ip.get(),
    )


def audit_view(*, actor, obj: models.Model, area_code: str = "") -> AuditEvent:
    """Record that someone read a sensitive record."""
    return audit_record(actor=actor, action=Action.VIEW, obj=obj, area_code=area_code)
