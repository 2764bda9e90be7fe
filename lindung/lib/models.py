"""Abstract model pieces: who made and changed each row, archiving instead of deleting, rows
only ever added, the area a row is for, the rule that counts only live rows, and the numbers
offices cite."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TrackedModel(models.Model):
    """Knows who created and last changed it, and when; archived with a reason, never deleted."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    modified_at = models.DateTimeField(_("modified at"), auto_now=True)
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    archive_reason = models.TextField(_("archive reason"), blank=True)

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def delete(self, *args, **kwargs):
        raise RuntimeError(f"{type(self).__name__} rows are archived, never deleted.")


class AppendOnlyModel(models.Model):
    """Added, never changed nor deleted: what happens later is a new row (a step, an event, an
    outcome, an audit entry). `append_only_message` is the error that says which rows."""

    append_only_message = "These rows are append-only."

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise RuntimeError(self.append_only_message)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError(self.append_only_message)


def area_field(*, optional: bool = False) -> models.ForeignKey:
    """The area a row is for, which scopes who reads and changes it; an `optional` one may be
    empty (for the whole nation)."""
    empty = {"null": True, "blank": True} if optional else {}
    return models.ForeignKey(
        "regions.Area", models.PROTECT, related_name="+", verbose_name=_("area"), **empty
    )


def areas_field(verbose_name) -> models.ManyToManyField:
    """Further areas a row reaches or is limited to, besides its own `area_field`."""
    return models.ManyToManyField(
        "regions.Area", blank=True, related_name="+", verbose_name=verbose_name
    )


def unique_while_live(*fields: str, name: str, **condition) -> models.UniqueConstraint:
    """One row per `fields` among the rows not archived (an archived row makes way for a new
    one); `condition` narrows which rows count further."""
    return models.UniqueConstraint(
        fields=list(fields),
        condition=models.Q(archived_at__isnull=True, **condition),
        name=name,
    )


def record_number(prefix: str, when, pk: int | None) -> str:
    """A record's number as offices cite it: the prefix, the year, the id (PGD-2025-00042)."""
    return f"{prefix}-{when:%Y}-{pk or 0:05d}"
