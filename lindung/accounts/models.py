"""Users, their role and the one area they work in."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from lindung.regions.models import Level


class Role(models.TextChoices):
    VILLAGE_OPERATOR = "village_operator", _("Village operator")
    VILLAGE_HEAD = "village_head", _("Village head")
    DISNAKER = "disnaker", _("Manpower office (Disnaker)")
    OPD = "opd", _("Other regency agency (OPD)")
    BP3MI = "bp3mi", _("BP3MI")
    KP2MI = "kp2mi", _("KP2MI")
    ADMIN = "admin", _("Administrator")


# The level of the jurisdiction each role works at; None is national (no area).
ROLE_LEVEL: dict[str, int | None] = {
    Role.VILLAGE_OPERATOR: Level.VILLAGE,
    Role.VILLAGE_HEAD: Level.VILLAGE,
    Role.DISNAKER: Level.REGENCY,
    Role.OPD: Level.REGENCY,
    Role.BP3MI: Level.PROVINCE,
    Role.KP2MI: None,
    Role.ADMIN: None,
}

# Roles that handle protection cases and may read their narratives (need-to-know).
CASE_HANDLER_ROLES = {Role.DISNAKER, Role.BP3MI, Role.KP2MI}

# Roles that read the audit trail: administrators all of it, the others that of their area.
AUDIT_READER_ROLES = {Role.ADMIN, Role.KP2MI, Role.BP3MI, Role.DISNAKER}


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    jurisdiction = models.ForeignKey(
        "regions.Area",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("jurisdiction"),
    )
    organisation = models.CharField(_("organisation"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    # Set only by seed_demo: such an account logs in in demo mode only, and `check --deploy`
    # fails while one exists (lindung/accounts/backends.py, checks.py).
    is_demo = models.BooleanField(_("demo account"), default=False, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_national(self) -> bool:
        return ROLE_LEVEL.get(self.role, 0) is None

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_case_handler(self) -> bool:
        return self.role in CASE_HANDLER_ROLES

    @property
    def can_read_audit_trail(self) -> bool:
        return self.role in AUDIT_READER_ROLES

    @property
    def is_village_user(self) -> bool:
        return self.role in (Role.VILLAGE_OPERATOR, Role.VILLAGE_HEAD)

    @property
    def can_manage_users(self) -> bool:
        return self.role in (Role.ADMIN, Role.DISNAKER)
