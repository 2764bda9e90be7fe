"""Information sessions (sosialisasi), their materials, and announcements for the public page."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from lindung.lib.models import TrackedModel, area_field, areas_field


class OrganiserKind(models.TextChoices):
    OPD = "opd", _("Regency agency (OPD)")
    VILLAGE = "village", _("Village government")
    COMMUNITY = "community", _("Community organisation")
    BP3MI = "bp3mi", _("BP3MI")
    KP2MI = "kp2mi", _("KP2MI")


class Channel(models.TextChoices):
    VILLAGE_MEETING = "village_meeting", _("Village meeting")
    PLACE_OF_WORSHIP = "worship", _("Place of worship")
    SCHOOL = "school", _("School")
    POSYANDU = "posyandu", _("Posyandu")
    RADIO = "radio", _("Radio")
    WHATSAPP = "whatsapp", _("WhatsApp group")
    POSTER = "poster", _("Poster")
    DOOR_TO_DOOR = "door_to_door", _("Door-to-door")


class Topic(models.TextChoices):
    # PP 59/2021 Pasal 4 ayat (4): what the information given to the public must cover.
    RIGHTS = "rights", _("Rights and obligations of PMI")
    JOBS = "jobs", _("Legal job openings")
    PROCEDURE = "procedure", _("The safe-migration procedure")
    COSTS = "costs", _("Placement costs and the zero-cost rule")
    TRAFFICKING = "trafficking", _("Risks of trafficking and non-procedural departure")
    DESTINATION = "destination", _("Law and culture of the destination country")
    COMPLAINTS = "complaints", _("Complaint channels")
    P3MI = "p3mi", _("Licensed placement companies (P3MI)")


class OutreachSession(TrackedModel):
    held_on = models.DateField(_("date"))
    # Where it was held or whom it reached: a village, a district or a whole regency; scoping.
    area = area_field()
    # Further villages a multi-village session reached, inside `area`'s regency.
    villages = areas_field(_("other villages reached"))
    organiser_kind = models.CharField(_("organiser"), max_length=10, choices=OrganiserKind.choices)
    organiser_name = models.CharField(_("organiser's name"), max_length=150)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    topics = models.JSONField(_("topics"), default=list)
    attendees_male = models.PositiveIntegerField(_("men reached"), default=0)
    attendees_female = models.PositiveIntegerField(_("women reached"), default=0)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [
            models.Index(fields=["area", "held_on"]),
            # The list's order: a national page walks it from the newest (lib.keyset).
            models.Index(fields=["-held_on", "-id"], name="session_list_order_idx"),
        ]
        verbose_name = _("information session")
        verbose_name_plural = _("information sessions")

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.held_on:%d-%m-%Y}"

    @property
    def attendees(self) -> int:
        return self.attendees_male + self.attendees_female

    @property
    def topic_labels(self) -> list[str]:
        return [Topic(t).label for t in self.topics if t in Topic.values]


class Material(TrackedModel):
    session = models.ForeignKey(OutreachSession, models.PROTECT, related_name="materials")
    title = models.CharField(_("title"), max_length=150)
    file = models.FileField(_("file"), upload_to="outreach/%Y/%m/")
    # Detected from the file's first bytes, never taken from the browser.
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["id"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    def __str__(self) -> str:
        return self.title


class AnnouncementKind(models.TextChoices):
    VACANCY = "vacancy", _("Legal job vacancy")
    WARNING = "warning", _("Warning about illegal recruiters")
    HOTLINE = "hotline", _("Hotline and complaint channel")
    OTHER = "other", _("Other information")


class Announcement(TrackedModel):
    # A village, a regency (or a province); no area means the whole nation (KP2MI).
    area = area_field(optional=True)
    kind = models.CharField(_("kind"), max_length=10, choices=AnnouncementKind.choices)
    title = models.CharField(_("title"), max_length=150)
    body = models.TextField(_("text"))
    source = models.CharField(
        _("official source"),
        max_length=200,
        blank=True,
        help_text=_("Where the information comes from, e.g. SISKOP2MI job order or BP3MI."),
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        ordering = ["-valid_from", "-id"]
        indexes = [models.Index(fields=["area", "valid_from"])]
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")

    def __str__(self) -> str:
        return self.title
