"""Kemendagri administrative areas: province › regency › district › village."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from lindung.lib.fields import PROVINCE_CODE_WIDTH, REGENCY_CODE_WIDTH, AreaCodeField


class Level(models.IntegerChoices):
    PROVINCE = 1, _("Province")
    REGENCY = 2, _("Regency/City")
    DISTRICT = 3, _("District")
    VILLAGE = 4, _("Village")


NATION_LEVEL = 0  # the level of the nation, whose code is ""

# The length of a code at each level: "", "18", "18.11", "18.11.01", "18.11.01.2001".
CODE_WIDTHS = {
    NATION_LEVEL: 0,
    Level.PROVINCE: PROVINCE_CODE_WIDTH,
    Level.REGENCY: REGENCY_CODE_WIDTH,
    Level.DISTRICT: 8,
    Level.VILLAGE: 13,
}


def level_of_code(code: str | None) -> int:
    """The level a dotted code names, from its number of parts (18 → 1, 18.11.01.2001 → 4);
    the nation ("" or None) is 0."""
    return code.count(".") + 1 if code else NATION_LEVEL


def child_code_width(code: str | None) -> int:
    """The length of the codes one level below `code` (the provinces' for the nation)."""
    return CODE_WIDTHS[level_of_code(code) + 1]


def ancestor_codes(code: str) -> list[str]:
    """The codes above and including `code`, from the province down."""
    parts = code.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


class Area(models.Model):
    code = AreaCodeField(_("code"), primary_key=True)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children"
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    name = models.CharField(_("name"), max_length=120)
    # Lower-cased name for the area search box; 92k rows scan fast enough without more.
    name_key = models.CharField(max_length=120, db_index=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")

    def __str__(self) -> str:
        return self.name

    @property
    def is_kelurahan(self) -> bool:
        return self.level == Level.VILLAGE and self.code.rsplit(".", 1)[1].startswith("1")

    @property
    def level_label(self) -> str:
        if self.level == Level.VILLAGE:
            return _("Kelurahan") if self.is_kelurahan else _("Village")
        return Level(self.level).label

    @property
    def title(self) -> str:
        """The name with its kind, as people say it ("Kecamatan Mesuji", "Desa Wiralaga I")."""
        if self.level in (Level.DISTRICT, Level.VILLAGE):
            return f"{self.level_label} {self.name}"
        return self.name
