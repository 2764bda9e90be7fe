"""The append-only record of who did and saw what."""

import json
from functools import cache

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindung.lib.fields import AreaCodeField, regency_code
from lindung.lib.models import AppendOnlyModel


class Action(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    ARCHIVE = "archive", _("Archived")
    MERGE = "merge", _("Merged")
    VIEW = "view", _("Viewed")
    EXPORT = "export", _("Exported")
    IMPORT = "import", _("Imported")
    REPORT = "report", _("Ran a report")
    LOGIN = "login", _("Logged in")
    LOGOUT = "logout", _("Logged out")
    LOGIN_FAILED = "login_failed", _("Failed login")
    LOGIN_LOCKED = "login_locked", _("Login refused (locked)")
    API_CALL = "api_call", _("API call")


# Events whose `changes` hold [before, after] per field.
DIFF_ACTIONS = {Action.CREATE, Action.UPDATE, Action.ARCHIVE, Action.MERGE}

# What the trail stores, in place of its contents, for a need-to-know field that changed.
WITHHELD = "(withheld)"


@cache
def withheld_fields(object_type: str) -> frozenset[str]:
    """The need-to-know fields of a model ("app.model"): the trail keeps that they changed,
    never their contents. A model names them in its AUDIT_WITHHELD attribute."""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return frozenset()
    return frozenset(getattr(model, "AUDIT_WITHHELD", ()))


@cache
def label_withheld_types() -> frozenset[str]:
    """Models whose own name can tell their story (an uploaded file's name): the trail calls
    them by their `audit_label` instead, and the page never shows an older stored name."""
    return frozenset(
        model._meta.label_lower for model in apps.get_models() if hasattr(model, "audit_label")
    )


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise RuntimeError("The audit trail is append-only.")

    def delete(self):
        raise RuntimeError("The audit trail is append-only.")


class AuditEvent(AppendOnlyModel):
    # Indexed with the id (below), the order the trail is read in, which also serves a range
    # of `at` alone. A change to this field must not rebuild the SQLite table (migration 0004
    # says why).
    at = models.DateTimeField(_("when (UTC)"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Kept as typed, for failed logins of unknown usernames and for reading without joins.
    actor_username = models.CharField(_("user"), max_length=150, blank=True, db_index=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    # The area the object belongs to, so a regency can read the trail of its own area.
    area_code = AreaCodeField(_("area"), blank=True, db_index=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    objects = AppendOnlyQuerySet.as_manager()
    append_only_message = "The audit trail is append-only."

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            # The trail's order, walked backwards from the newest row (or from the last row of
            # the page before): its first page costs the same however long the trail is.
            models.Index(fields=["at", "id"], name="audit_at_id_idx"),
            # A regency's trail in the same order (`accounts.scoping`, regency_led).
            models.Index(regency_code("area_code"), "at", "id", name="audit_regency_at_idx"),
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["action", "at"]),
            models.Index(fields=["ip", "action", "at"]),
        ]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.object_repr}"

    @property
    def shown_repr(self) -> str:
        """The object's name as the page may show it."""
        if self.object_type in label_withheld_types():
            return ""
        return self.object_repr

    def change_lines(self) -> list[tuple[str, object, object, bool]]:
        """(name, before, after, is_change) for each entry of `changes`, to show.

        Created, changed, archived and merged records hold [before, after] per field; the
        other events (an import, an export, a report) hold plain details, shown as they are
        (a list or mapping as compact JSON), never taken apart as before → after."""
        lines = []
        diffs = self.action in DIFF_ACTIONS
        withheld = withheld_fields(self.object_type)
        for name, value in (self.changes or {}).items():
            if name in withheld:
                # Entries written before the trail withheld them may still hold the contents.
                lines.append((name, None, _("changed (contents withheld: need-to-know)"), False))
            elif diffs and isinstance(value, list) and len(value) == 2:
                lines.append((name, value[0], value[1], True))
            elif isinstance(value, dict | list):
                lines.append((name, None, json.dumps(value, ensure_ascii=False), False))
            else:
                lines.append((name, None, value, False))
        return lines
