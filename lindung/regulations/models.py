"""The regency regulation (Perbup/Perda) and each village's Perdes on PMI protection."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from lindung.lib.models import TrackedModel, area_field, unique_while_live


class RegulationKind(models.TextChoices):
    PERBUP = "perbup", _("Regent regulation (Perbup)")
    PERDA = "perda", _("Regional regulation (Perda)")
    PERDES = "perdes", _("Village regulation (Perdes)")


REGENCY_KINDS = {RegulationKind.PERBUP, RegulationKind.PERDA}


class RegulationStatus(models.TextChoices):
    NONE = "none", _("None yet")
    DRAFT = "draft", _("Draft")
    DISCUSSED = "discussed", _("In discussion")
    ENACTED = "enacted", _("Enacted")


# The order a regulation goes through; used to rank and to colour the badges.
STATUS_ORDER = [s.value for s in RegulationStatus]


class Regulation(TrackedModel):
    # The regency (Perbup, Perda) or the village (Perdes) it is for; scoping.
    area = area_field()
    kind = models.CharField(_("kind"), max_length=8, choices=RegulationKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=RegulationStatus.choices, default=RegulationStatus.NONE
    )
    title = models.CharField(_("title"), max_length=250, blank=True)
    number = models.CharField(_("number"), max_length=60, blank=True)
    enacted_on = models.DateField(_("date enacted"), null=True, blank=True)
    responsible_official = models.CharField(
        _("responsible official"),
        max_length=150,
        blank=True,
        help_text=_("Name and position, e.g. Kepala Desa or Kepala Bagian Hukum."),
    )
    document = models.FileField(_("document (PDF)"), upload_to="regulations/%Y/", blank=True)
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)

    class Meta:
        ordering = ["area", "kind"]
        constraints = [unique_while_live("area", "kind", name="one_live_regulation_per_area_kind")]
        indexes = [models.Index(fields=["kind", "status", "area"])]
        verbose_name = _("regulation")
        verbose_name_plural = _("regulations")

    def __str__(self) -> str:
        label = self.get_kind_display()
        return f"{label} {self.number}".strip() if self.number else label

    @property
    def tone(self) -> str:
        return {"enacted": "ok", "discussed": "warn", "draft": "warn"}.get(self.status, "bad")
