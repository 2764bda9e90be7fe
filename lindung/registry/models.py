"""Persons (PMI, recorded once by NIK) and their family members."""

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindung.lib.ages import age_on
from lindung.lib.fields import province_code, regency_code
from lindung.lib.models import TrackedModel


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Education(models.TextChoices):
    NONE = "none", _("No schooling")
    SD = "sd", _("Primary school (SD)")
    SMP = "smp", _("Junior high school (SMP)")
    SMA = "sma", _("Senior high school (SMA/SMK)")
    DIPLOMA = "diploma", _("Diploma (D1–D4)")
    BACHELOR = "s1", _("Bachelor (S1)")
    POSTGRADUATE = "s2", _("Postgraduate (S2/S3)")


class MaritalStatus(models.TextChoices):
    SINGLE = "single", _("Not married")
    MARRIED = "married", _("Married")
    DIVORCED = "divorced", _("Divorced")
    WIDOWED = "widowed", _("Widowed")


class LegalBasis(models.TextChoices):
    # UU 27/2022 Pasal 20: the village records PMI because UU 18/2017 Pasal 42 obliges it to.
    LEGAL_OBLIGATION = "legal_obligation", _("Legal obligation (UU 18/2017 Pasal 42)")
    PUBLIC_TASK = "public_task", _("Public service task")
    CONSENT = "consent", _("Consent of the person")


class Phase(models.TextChoices):
    NONE = "none", _("Not migrating")
    CANDIDATE = "candidate", _("Calon PMI")
    ABROAD = "abroad", _("Working abroad")
    RETURNED = "returned", _("Purna PMI")


class Person(TrackedModel):
    nik = models.CharField(_("NIK"), max_length=16, unique=True)
    kk_number = models.CharField(_("family card number (KK)"), max_length=16, blank=True)
    full_name = models.CharField(_("full name"), max_length=150)
    # Looked up through the (name_key, birth_date, id) index, which begins with it.
    name_key = models.CharField(max_length=150, editable=False)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_place = models.CharField(_("place of birth"), max_length=80, blank=True)
    birth_date = models.DateField(_("date of birth"))
    # Indexed by (village, phase, …) and (village, name_key), which begin with it.
    village = models.ForeignKey(
        "regions.Area", models.PROTECT, related_name="+", verbose_name=_("village"), db_index=False
    )
    dusun = models.CharField(_("hamlet (dusun)"), max_length=80, blank=True)
    rt = models.CharField(_("RT"), max_length=4, blank=True)
    rw = models.CharField(_("RW"), max_length=4, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone/WhatsApp"), max_length=16, blank=True)
    education = models.CharField(
        _("education"), max_length=10, choices=Education.choices, blank=True
    )
    marital_status = models.CharField(
        _("marital status"), max_length=10, choices=MaritalStatus.choices, blank=True
    )
    legal_basis = models.CharField(
        _("legal basis"),
        max_length=20,
        choices=LegalBasis.choices,
        default=LegalBasis.LEGAL_OBLIGATION,
    )
    # Contact data is optional and kept only with the person's recorded consent (UU 27/2022).
    contact_consent_at = models.DateTimeField(
        _("contact consent recorded at"), null=True, blank=True
    )
    contact_consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    # UU 27/2022 Pasal 11: while set, the person is left out of lists and exports; only the
    # subject request that restricted them shows the record.
    restricted_at = models.DateTimeField(_("processing restricted since"), null=True, blank=True)
    # Set by the retention job or an erasure request: names, NIK, contacts and address were
    # replaced; the record stays (archived) so the departures and returns stay counted.
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    # When the NIK's birth date or sex disagree with the record, the operator explains why.
    nik_exception = models.TextField(_("explanation of NIK mismatch"), blank=True)
    verified_at = models.DateTimeField(_("verified by the village at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    merged_into = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="merged_from"
    )
    # Derived from the episodes by the services; never typed in.
    phase = models.CharField(
        _("phase"), max_length=10, choices=Phase.choices, default=Phase.NONE, editable=False
    )
    current_placement = models.ForeignKey(
        "placements.Placement",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    # The current episode's return date while it makes the person a purna PMI
    # (placements.phase.return_date_of_person), kept with the phase by the same writers.
    returned_on = models.DateField(_("returned on"), null=True, blank=True, editable=False)

    # Kept only with consent (the processing register): the trail records that it changed,
    # never the number, so withdrawing the consent leaves it nowhere.
    AUDIT_WITHHELD = frozenset({"phone"})

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        indexes = [
            # A village's persons by phase, and its purna PMI in the order of the returnees
            # without empowerment (decision record 27).
            models.Index(
                fields=["village", "phase", "-returned_on", "id"],
                name="person_village_returned_idx",
            ),
            models.Index(fields=["village", "name_key"]),
            # Looking a name up with its birth date, and the residents list's order (a page of
            # the nation's residents walks it instead of sorting them all).
            models.Index(fields=["name_key", "birth_date", "id"], name="person_name_birth_idx"),
            models.Index(fields=["kk_number"]),
            # Calon PMI under 18, in birth-date order (an early-warning list).
            models.Index(fields=["phase", "birth_date", "id"], name="person_phase_birth_idx"),
            # The same two orders read by a regency: its code first (`accounts.scoping`,
            # regency_led), so a page reads one regency's rows only.
            models.Index(
                regency_code("village"),
                "name_key",
                "birth_date",
                "id",
                name="person_regency_name_idx",
            ),
            models.Index(
                regency_code("village"),
                "phase",
                "birth_date",
                "id",
                name="person_regency_phase_idx",
            ),
            # A province's minors in the same order (decision record 24).
            models.Index(
                province_code("village"),
                "phase",
                "birth_date",
                "id",
                name="person_province_phase_idx",
            ),
            # Purna PMI in the order of the list of those without empowerment, latest return
            # first: for the nation, and for a regency with its code first.
            models.Index(
                fields=["phase", "-returned_on", "id"],
                condition=models.Q(returned_on__isnull=False),
                name="person_returned_idx",
            ),
            models.Index(
                regency_code("village"),
                "phase",
                F("returned_on").desc(),
                "id",
                condition=models.Q(returned_on__isnull=False),
                name="person_regency_returned_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def age(self) -> int:
        return age_on(self.birth_date, timezone.localdate())


class Relation(models.TextChoices):
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    GUARDIAN = "guardian", _("Guardian")
    SIBLING = "sibling", _("Sibling")


class FamilyMember(TrackedModel):
    person = models.ForeignKey(Person, models.PROTECT, related_name="family")
    name = models.CharField(_("name"), max_length=150)
    relation = models.CharField(_("relation"), max_length=10, choices=Relation.choices)
    phone = models.CharField(_("phone"), max_length=16, blank=True)
    nik = models.CharField(_("NIK"), max_length=16, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    contact_consent_at = models.DateTimeField(
        _("contact consent recorded at"), null=True, blank=True
    )

    AUDIT_WITHHELD = frozenset({"phone"})

    class Meta:
        verbose_name = _("family member")
        verbose_name_plural = _("family members")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_relation_display()})"

    @property
    def age(self) -> int | None:
        return age_on(self.birth_date, timezone.localdate()) if self.birth_date else None

    @property
    def is_minor(self) -> bool:
        """A child left behind: under 18 today (UU 27/2022 treats child data as specific)."""
        return self.age is not None and self.age < 18


class ConsentMethod(models.TextChoices):
    FORM = "form", _("Said yes to the officer (form ticked)")
    WRITTEN = "written", _("Signed a written statement")
    IMPORT = "import", _("Recorded in the imported spreadsheet")
    PHONE = "phone", _("By phone or WhatsApp")


class Consent(models.Model):
    """One consent (UU 27/2022 Pasal 20–22): given when, how and recorded by whom; withdrawn
    when and through whom. Rows are never deleted, so the history can be proved."""

    person = models.ForeignKey(Person, models.PROTECT, related_name="consents")
    # Set when the consent is the family member's (their own phone number).
    family_member = models.ForeignKey(
        FamilyMember, models.PROTECT, null=True, blank=True, related_name="consents"
    )
    purpose = models.CharField(_("purpose"), max_length=20, default="contact")
    given_at = models.DateTimeField(_("given at"))
    method = models.CharField(_("how"), max_length=10, choices=ConsentMethod.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawal_note = models.CharField(_("how it was withdrawn"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_at", "-id"]
        indexes = [models.Index(fields=["person", "withdrawn_at"])]

    def __str__(self) -> str:
        return f"{self.purpose} {self.given_at:%Y-%m-%d}"

    def delete(self, *args, **kwargs):
        raise RuntimeError("Consent records are withdrawn, never deleted.")


class LetterKind(models.TextChoices):
    # UU 18/2017 Pasal 13 b: permission of spouse, parent or guardian known to the village head.
    FAMILY_PERMISSION = "family_permission", _("Family permission letter")
    CERTIFICATE = "certificate", _("Certificate for a calon PMI")


class LetterSequence(models.Model):
    """The last letter number a village used in a year; its row is the allocation lock."""

    village = models.ForeignKey("regions.Area", models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["village", "year"], name="one_sequence_per_village_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.village_id} {self.year}: {self.last_number}"


class Letter(TrackedModel):
    """A numbered village letter issued from a person's record (printed, signed on paper)."""

    village = models.ForeignKey(
        "regions.Area", models.PROTECT, related_name="+", verbose_name=_("village")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    kind = models.CharField(_("letter"), max_length=20, choices=LetterKind.choices)
    person = models.ForeignKey(Person, models.PROTECT, related_name="letters")
    placement = models.ForeignKey(
        "placements.Placement", models.PROTECT, null=True, blank=True, related_name="+"
    )
    family_member = models.ForeignKey(
        FamilyMember, models.PROTECT, null=True, blank=True, related_name="+"
    )
    issued_on = models.DateField(_("date"))
    # Kept as printed on the day, even if the head or the record changes later.
    head_name = models.CharField(_("village head"), max_length=150, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "year", "number"], name="one_letter_number_per_village_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference}"

    @property
    def reference(self) -> str:
        """The printed letter number, e.g. 474/007/SIK/2001/2026."""
        prefix = "SIK" if self.kind == LetterKind.FAMILY_PERMISSION else "SKET"
        return f"474/{self.number:03d}/{prefix}/{self.village_id.split('.')[-1]}/{self.year}"
