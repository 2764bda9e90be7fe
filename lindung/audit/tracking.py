"""Create, change and archive TrackedModel rows with their actor and audit trail.

Services call these after their own rule checks, inside their own transaction.
"""

import copy

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.audit.models import Action
from lindung.audit.services import audit_record, diff, field_values
from lindung.lib.errors import ApplicationError

_BOOKKEEPING = {"created_at", "modified_at", "created_by", "modified_by"}


def _validate(instance: models.Model, exclude=None) -> None:
    try:
        instance.full_clean(exclude=exclude, validate_unique=True)
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise ApplicationError(messages[0], field=None if field == "__all__" else field) from None


def tracked_create(instance: models.Model, *, actor, area_code: str = "", validate=True):
    """Save a new row with its creator and record it in the audit trail."""
    instance.created_by = actor
    instance.modified_by = actor
    if validate:
        _validate(instance, exclude=["created_by", "modified_by"])
    instance.save()
    values = {
        k: [None, v]
        for k, v in field_values(instance).items()
        if k not in _BOOKKEEPING and v not in ("", None)
    }
    audit_record(
        actor=actor, action=Action.CREATE, obj=instance, area_code=area_code, changes=values
    )
    return instance


def tracked_update(
    instance: models.Model, *, actor, data: dict, area_code: str = "", validate=True
) -> dict:
    """Apply `data` to a row; saves and audits only when something changed. Returns the diff."""
    before = field_values(instance)
    for name, value in data.items():
        setattr(instance, name, value)
    after = field_values(instance)
    changes = {k: v for k, v in diff(before, after).items() if k not in _BOOKKEEPING}
    if not changes:
        return {}
    if validate:
        _validate(instance, exclude=["created_by", "modified_by"])
    instance.modified_by = actor
    instance.save()
    audit_record(
        actor=actor, action=Action.UPDATE, obj=instance, area_code=area_code, changes=changes
    )
    return changes


def proposed(instance: models.Model, data: dict) -> models.Model:
    """A copy of the row with `data` applied: rules are checked on it, so a refused change
    leaves the row as it was."""
    candidate = copy.copy(instance)
    for name, value in data.items():
        setattr(candidate, name, value)
    return candidate


def tracked_set(instance: models.Model, name: str, rows: list, *, actor, area_code: str = ""):
    """Set a many-to-many field to `rows`; when that changes it, record it in the audit trail
    and return [keys before, keys after] (else None)."""
    manager = getattr(instance, name)
    before = sorted(manager.values_list("pk", flat=True))
    after = sorted(row.pk for row in rows)
    if before == after:
        return None
    manager.set(rows)
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=instance,
        area_code=area_code,
        changes={name: [before, after]},
    )
    return [before, after]


def tracked_archive(instance: models.Model, *, actor, reason: str, area_code: str = "") -> None:
    """Archive a row with a reason; rows of people, episodes and cases are never deleted."""
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Give a reason for archiving."), field="reason")
    instance.archived_at = timezone.now()
    instance.archived_by = actor
    instance.archive_reason = reason
    instance.modified_by = actor
    instance.save()
    audit_record(
        actor=actor,
        action=Action.ARCHIVE,
        obj=instance,
        area_code=area_code,
        changes={"archive_reason": [None, reason]},
    )
