"""Subject requests and breach records (UU 27/2022 Pelindungan Data Pribadi)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindung.cases.models import ActingLevel
from lindung.lib.fields import AreaCodeField
from lindung.lib.models import TrackedModel, record_number


class RequestKind(models.TextChoices):
    ACCESS = "access", _("See my data (access and copy)")
    CORRECT = "correct", _("Correct my data")
    RESTRICT = "restrict", _("Restrict processing")
    DELETE = "delete", _("Delete my data")
    WITHDRAW = "withdraw", _("Withdraw consent")


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_PROGRESS = "in_progress", _("Being handled")
    DONE = "done", _("Answered")
    REFUSED = "refused", _("Refused, with the reason")


OPEN_REQUEST_STATUSES = (RequestStatus.RECEIVED, RequestStatus.IN_PROGRESS)


class RequestChannel(models.TextChoices):
    VILLAGE = "village", _("At the village office")
    OFFICE = "office", _("At a regency, BP3MI or KP2MI office")
    LETTER = "letter", _("By letter")
    PHONE = "phone", _("By phone or WhatsApp")
    EMAIL = "email", _("By e-mail")


class SubjectRequest(TrackedModel):
    """A data subject's request, to be answered within 3×24 hours (UU 27/2022 Pasal 30–32)."""

    person = models.ForeignKey("registry.Person", models.PROTECT, related_name="subject_requests")
    # The person's village when the request was recorded: the scoping key.
    village = models.ForeignKey("regions.Area", models.PROTECT, related_name="+")
    kind = models.CharField(_("request"), max_length=10, choices=RequestKind.choices)
    channel = models.CharField(_("received"), max_length=10, choices=RequestChannel.choices)
    requester_name = models.CharField(
        _("asked by"),
        max_length=150,
        blank=True,
        help_text=_("Leave empty when the person asked themselves."),
    )
    details = models.TextField(_("what the person asks"), blank=True)
    received_at = models.DateTimeField(_("received at"))
    due_at = models.DateTimeField(_("answer due by"))
    intake_level = models.PositiveSmallIntegerField(choices=ActingLevel.choices)
    escalated_level = models.PositiveSmallIntegerField(
        _("escalated to"), choices=ActingLevel.choices, null=True, blank=True
    )
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=RequestStatus.choices, default=RequestStatus.RECEIVED
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answer = models.TextField(_("answer to the person"), blank=True)
    # What the law made Lindung keep, said to the requester (an erasure request).
    kept = models.JSONField(default=list, blank=True)
    copy_made_at = models.DateTimeField(_("copy made at"), null=True, blank=True)

    class Meta:
        verbose_name = _("data subject request")
        verbose_name_plural = _("data subject requests")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["village", "status"]),
            models.Index(fields=["status", "due_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.get_kind_display()}"

    @property
    def number(self) -> str:
        return record_number("PDP", self.received_at, self.pk)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REQUEST_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and timezone.now() > self.due_at


class BreachStatus(models.TextChoices):
    OPEN = "open", _("Being notified")
    NOTIFIED = "notified", _("Persons and authority notified")
    CLOSED = "closed", _("Closed")


class Breach(TrackedModel):
    """A suspected personal-data breach, with the 3×24-hour notice to the persons and the
    authority (UU 27/2022 Pasal 46) tracked to its end."""

    # The office's area that recorded it: the scoping key (a village, a regency…).
    area = AreaCodeField(_("area"), db_index=True)
    found_at = models.DateTimeField(_("found at"))
    description = models.TextField(_("what happened"))
    data_kinds = models.CharField(_("which data"), max_length=300)
    persons = models.ManyToManyField("registry.Person", blank=True, related_name="+")
    affected_count = models.PositiveIntegerField(_("number of persons affected"), default=0)
    mitigation = models.TextField(_("what was done about it"), blank=True)
    due_at = models.DateTimeField(_("notice due by"))
    intake_level = models.PositiveSmallIntegerField(choices=ActingLevel.choices)
    escalated_level = models.PositiveSmallIntegerField(
        _("escalated to"), choices=ActingLevel.choices, null=True, blank=True
    )
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    persons_notified_at = models.DateTimeField(_("persons notified at"), null=True, blank=True)
    persons_notice = models.TextField(_("how the persons were notified"), blank=True)
    authority_notified_at = models.DateTimeField(_("authority notified at"), null=True, blank=True)
    authority_notice = models.TextField(_("how the authority was notified"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("data breach")
        verbose_name_plural = _("data breaches")
        ordering = ["-found_at", "-id"]

    def __str__(self) -> str:
        return f"{self.number}"

    @property
    def number(self) -> str:
        return record_number("INS", self.found_at, self.pk)

    @property
    def status(self) -> str:
        if self.closed_at:
            return BreachStatus.CLOSED
        if self.persons_notified_at and self.authority_notified_at:
            return BreachStatus.NOTIFIED
        return BreachStatus.OPEN

    def get_status_display(self) -> str:
        return BreachStatus(self.status).label

    @property
    def is_open(self) -> bool:
        return self.status == BreachStatus.OPEN

    @property
    def is_overdue(self) -> bool:
        return self.is_open and timezone.now() > self.due_at
