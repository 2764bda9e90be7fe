"""Protection cases (pengaduan): what was reported, who handles it, and every dated step."""

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy as _

from lindung.lib.models import AppendOnlyModel, TrackedModel, record_number


class Category(models.TextChoices):
    # Stable codes, after KP2MI's e-pengaduan classification; labels are translated.
    WANTS_TO_RETURN = "wants_to_return", _("Wants to go home")
    WAGES_UNPAID = "wages_unpaid", _("Wages not paid")
    WAGE_DEDUCTIONS = "wage_deductions", _("Excessive wage deductions")
    DISMISSED_EARLY = "dismissed_early", _("Dismissed before the contract ended")
    EMPLOYER_VIOLENCE = "employer_violence", _("Violence by the employer")
    SEXUAL_VIOLENCE = "sexual_violence", _("Sexual harassment or violence")
    LOST_CONTACT = "lost_contact", _("Lost contact")
    SICK = "sick", _("Sick or hospitalised")
    DIED = "died", _("Died abroad")
    DETAINED = "detained", _("Detained")
    DOCUMENTS_WITHHELD = "documents_withheld", _("Passport or documents withheld")
    UNDOCUMENTED = "undocumented", _("Overstay or undocumented")
    TRAFFICKING = "trafficking", _("Human trafficking (TPPO)")
    FAILED_DEPARTURE = "failed_departure", _("Failed to depart")
    JOB_FRAUD = "job_fraud", _("Job-offer fraud")
    EXCESSIVE_FEES = "excessive_fees", _("Fees above the rules")
    UNDER_AGE = "under_age", _("Under age")
    PREGNANCY = "pregnancy", _("Pregnancy or child")
    SOCIAL_SECURITY = "social_security", _("Social security claim")
    DEPORTED = "deported", _("Deported")
    WORK_NOT_AS_CONTRACTED = "work_not_as_contracted", _("Work not as in the contract")
    OTHER = "other", _("Other")


# A threat to life or safety: these make a case urgent whatever the form said.
URGENT_CATEGORIES = frozenset(
    {
        Category.EMPLOYER_VIOLENCE,
        Category.SEXUAL_VIOLENCE,
        Category.DETAINED,
        Category.TRAFFICKING,
        Category.UNDER_AGE,
    }
)


class ReporterKind(models.TextChoices):
    WORKER = "worker", _("The worker")
    FAMILY = "family", _("A family member")
    VILLAGE = "village", _("The village")
    NGO = "ngo", _("An NGO")
    OTHER = "other", _("Other")


class Channel(models.TextChoices):
    WALK_IN = "walk_in", _("Walk-in")
    PHONE = "phone", _("Phone")
    WHATSAPP = "whatsapp", _("WhatsApp")
    LETTER = "letter", _("Letter")
    E_PENGADUAN = "e_pengaduan", _("e-Pengaduan")
    SOCIAL_MEDIA = "social_media", _("Social media")


class PartyKind(models.TextChoices):
    EMPLOYER = "employer", _("Employer")
    AGENCY = "agency", _("P3MI (placement company)")
    RECRUITER = "recruiter", _("Individual recruiter (sponsor)")


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    VERIFIED = "verified", _("Verified")
    REFERRED = "referred", _("Referred")
    IN_HANDLING = "in_handling", _("In handling")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (
    Status.RECEIVED,
    Status.VERIFIED,
    Status.REFERRED,
    Status.IN_HANDLING,
    Status.RESOLVED,
)


class Unit(models.TextChoices):
    DISNAKER = "disnaker", _("Disnaker of the regency")
    BP3MI = "bp3mi", _("BP3MI of the province")
    KP2MI = "kp2mi", _("KP2MI")
    MISSION = "mission", _("Indonesian mission abroad (Perwakilan RI)")
    POLICE = "police", _("Police")
    UPTD_PPA = "uptd_ppa", _("UPTD PPA")


class Outcome(models.TextChoices):
    REPATRIATED = "repatriated", _("Repatriated")
    RIGHTS_RECOVERED = "rights_recovered", _("Wages or rights recovered")
    REMAINS_REPATRIATED = "remains_repatriated", _("Remains repatriated")
    LEGAL_AID = "legal_aid", _("Legal aid given")
    MEDIATED = "mediated", _("Mediated")
    NOT_SUBSTANTIATED = "not_substantiated", _("Not substantiated")
    OTHER = "other", _("Other")


class ActingLevel(models.IntegerChoices):
    """The level of government that must act on a case; the numbers follow regions.Level."""

    NATIONAL = 0, _("National (KP2MI)")
    PROVINCE = 1, _("Province (BP3MI)")
    REGENCY = 2, _("Regency (Disnaker)")
    VILLAGE = 4, _("Village")


class Case(TrackedModel):
    person = models.ForeignKey("registry.Person", models.PROTECT, related_name="cases")
    # The person's village when the case was recorded: the scoping key.
    village = models.ForeignKey(
        "regions.Area", models.PROTECT, related_name="+", verbose_name=_("village")
    )
    placement = models.ForeignKey(
        "placements.Placement", models.PROTECT, null=True, blank=True, related_name="cases"
    )
    reported_on = models.DateField(_("reported on"))
    reporter_kind = models.CharField(_("reported by"), max_length=10, choices=ReporterKind.choices)
    reporter_name = models.CharField(_("reporter's name"), max_length=150, blank=True)
    reporter_relation = models.CharField(
        _("relation to the worker"), max_length=10, blank=True
    )  # registry.Relation codes, for a family member
    reporter_phone = models.CharField(_("reporter's phone"), max_length=20, blank=True)
    channel = models.CharField(_("channel"), max_length=15, choices=Channel.choices)
    country = models.CharField(_("country"), max_length=2, blank=True)
    place = models.CharField(_("place abroad"), max_length=200, blank=True)
    # Need-to-know from here to `demand`: only case handlers and the recorder read them.
    narrative = models.TextField(_("what happened"))
    party_kind = models.CharField(
        _("reported party"), max_length=10, choices=PartyKind.choices, blank=True
    )
    party_name = models.CharField(_("name of the reported party"), max_length=150, blank=True)
    party_key = models.CharField(max_length=150, blank=True, db_index=True, editable=False)
    party_contact = models.CharField(_("contact of the reported party"), max_length=200, blank=True)
    agency_name = models.CharField(_("P3MI"), max_length=150, blank=True)
    agency_key = models.CharField(max_length=150, blank=True, db_index=True, editable=False)
    demand = models.TextField(_("the worker's demand"), blank=True)
    urgent = models.BooleanField(_("urgent (threat to life or safety)"), default=False)

    # Workflow state, changed only by the services.
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED, editable=False
    )
    status_since = models.DateField(_("in this status since"), editable=False)
    due_on = models.DateField(_("next step due by"), null=True, blank=True, editable=False)
    intake_level = models.PositiveSmallIntegerField(choices=ActingLevel.choices, editable=False)
    responsible_level = models.PositiveSmallIntegerField(
        _("responsible level"), choices=ActingLevel.choices, editable=False
    )
    # Last level the escalate_cases command recorded; None when not escalated.
    escalated_level = models.PositiveSmallIntegerField(
        _("escalated to"), choices=ActingLevel.choices, null=True, blank=True, editable=False
    )
    unit = models.CharField(
        _("handling unit"), max_length=10, choices=Unit.choices, blank=True, editable=False
    )
    unit_area = models.ForeignKey(
        "regions.Area", models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    unit_detail = models.CharField(_("unit details"), max_length=150, blank=True, editable=False)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handling officer"),
        editable=False,
    )
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, blank=True, editable=False
    )
    outcome_amount = models.DecimalField(
        _("amount recovered (Rp)"),
        max_digits=14,
        decimal_places=0,
        null=True,
        blank=True,
        editable=False,
    )
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True, editable=False)
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)
    # Reads the story besides the units that handle the case; named by the handling unit.
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("supervisor"),
        editable=False,
    )

    # The story: the audit trail records that these changed, never what they say.
    AUDIT_WITHHELD = frozenset(
        {
            "reporter_name",
            "reporter_relation",
            "reporter_phone",
            "place",
            "narrative",
            "party_kind",
            "party_name",
            "party_key",
            "party_contact",
            "agency_name",
            "agency_key",
            "demand",
        }
    )

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-reported_on", "-id"]
        indexes = [
            models.Index(fields=["village", "status"]),
            # The case list's order (newest report first), walked a page at a time.
            models.Index(fields=["reported_on", "id"], name="case_reported_idx"),
            models.Index(fields=["status", "due_on"]),
            models.Index(fields=["assigned_to", "status"]),
            models.Index(fields=["country"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.person}"

    @property
    def number(self) -> str:
        return record_number("PGD", self.reported_on, self.pk)

    @property
    def is_open(self) -> bool:
        return self.status != Status.CLOSED


class CaseCategory(models.Model):
    """One category of a case; a case has one or more."""

    case = models.ForeignKey(Case, models.PROTECT, related_name="categories")
    code = models.CharField(_("category"), max_length=24, choices=Category.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "code"], name="case_category_once")]
        indexes = [models.Index(fields=["code", "case"])]

    def __str__(self) -> str:
        return self.get_code_display()


class StepKind(models.TextChoices):
    RECORDED = "recorded", _("Recorded")
    VERIFIED = "verified", _("Verified")
    REFERRED = "referred", _("Referred")
    TRANSFERRED = "transferred", _("Transferred")
    HANDLING = "handling", _("Taken up")
    ASSIGNED = "assigned", _("Officer assigned")
    NOTE = "note", _("Progress note")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")
    ESCALATED = "escalated", _("Escalated (overdue)")


class CaseStep(AppendOnlyModel):
    """One dated step of a case, with its actor and note. Append-only."""

    case = models.ForeignKey(Case, models.PROTECT, related_name="steps")
    kind = models.CharField(_("step"), max_length=12, choices=StepKind.choices)
    occurred_on = models.DateField(_("date"))
    status_from = models.CharField(max_length=12, choices=Status.choices, blank=True)
    status_to = models.CharField(max_length=12, choices=Status.choices, blank=True)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, blank=True)
    unit_area = models.ForeignKey(
        "regions.Area", models.PROTECT, null=True, blank=True, related_name="+"
    )
    unit_detail = models.CharField(_("unit details"), max_length=150, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    level = models.PositiveSmallIntegerField(choices=ActingLevel.choices, null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    append_only_message = "Case steps are append-only."

    class Meta:
        ordering = ["occurred_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on}"


class CaseHandlingUnit(models.Model):
    """A unit that has held the case (it was referred to it, it acted on it, or the case was
    escalated to its level). Those units read the story: need-to-know follows handling.
    Written by the services only; one row per unit, never removed."""

    case = models.ForeignKey(Case, models.PROTECT, related_name="handling_units")
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    # The unit's area (the regency of a Disnaker, the province of a BP3MI); None for KP2MI.
    area = models.ForeignKey(
        "regions.Area", models.PROTECT, null=True, blank=True, related_name="+"
    )
    since = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "unit", "area"], name="case_handling_unit_once"
            ),
            models.UniqueConstraint(
                fields=["case", "unit"],
                condition=models.Q(area__isnull=True),
                name="case_handling_national_unit_once",
            ),
        ]
        indexes = [models.Index(fields=["unit", "area", "case"])]

    def __str__(self) -> str:
        return f"{self.get_unit_display()} {self.area_id or ''}".strip()


class CaseEmergencyRead(TrackedModel):
    """A "break the glass" read: someone outside the case's handlers read its story for a
    written reason, for a limited time. Audited, and shown to the handlers on the case."""

    case = models.ForeignKey(Case, models.PROTECT, related_name="emergency_reads")
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("read by")
    )
    reason = models.TextField(_("reason"))
    granted_at = models.DateTimeField(_("opened at"))
    expires_at = models.DateTimeField(_("readable until"))

    class Meta:
        verbose_name = _("emergency access")
        verbose_name_plural = _("emergency accesses")
        ordering = ["-granted_at", "-id"]
        indexes = [models.Index(fields=["reader", "case", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.case_id} {self.reader_id} {self.granted_at:%Y-%m-%d %H:%M}"


class PrivateStorage(FileSystemStorage):
    """Files under MEDIA_ROOT/private with no public URL: served only by a scoped, logged view.

    The location follows settings.MEDIA_ROOT at each use, so tests can point it elsewhere.
    """

    @property
    def base_location(self):
        return str(Path(settings.MEDIA_ROOT) / "private")

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


private_storage = PrivateStorage()


def _attachment_path(instance, filename):
    return f"cases/{instance.case_id}/{filename}"


class CaseAttachment(TrackedModel):
    case = models.ForeignKey(Case, models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to=_attachment_path, storage=private_storage, max_length=200)
    original_name = models.CharField(_("file name"), max_length=150)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    description = models.CharField(_("description"), max_length=200, blank=True)

    # A file's name and description can tell the story; the trail keeps that they changed.
    AUDIT_WITHHELD = frozenset({"original_name", "description", "file"})

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def audit_label(self) -> str:
        """What the audit trail calls it: never the uploaded name."""
        return f"{self.case.number} #{self.pk}"
