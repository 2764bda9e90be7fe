"""Programmes (vocational training, returnee empowerment…), their participants and outcomes,
and the Quick Win targets."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lindung.counters import keeping
from lindung.lib.models import (
    AppendOnlyModel,
    TrackedModel,
    area_field,
    areas_field,
    unique_while_live,
)


class Kind(models.TextChoices):
    VOCATIONAL_TRAINING = "vocational_training", _("Vocational training")
    EMPOWERMENT_BUSINESS = "empowerment_business", _("Returnee empowerment: business")
    EMPOWERMENT_FINANCE = "empowerment_finance", _("Returnee empowerment: financial literacy")
    EMPOWERMENT_COOPERATIVE = "empowerment_cooperative", _("Returnee empowerment: cooperative")
    ORIENTATION = "orientation", _("Pre-departure orientation")
    COMMUNITY_PARENTING = "community_parenting", _("Community parenting for PMI children")
    OTHER = "other", _("Other")


# The returnee empowerment programmes, as the early warning's counters name them.
EMPOWERMENT_KINDS = {Kind(kind) for kind in keeping.EMPOWERMENT_KINDS}


class Organiser(models.TextChoices):
    DISNAKER = "disnaker", _("Disnaker")
    DPMD = "dpmd", _("DPMD")
    DISPERINDAG = "disperindag", _("Disperindag")
    BP3MI = "bp3mi", _("BP3MI")
    KP2MI = "kp2mi", _("KP2MI")
    LPK = "lpk", _("Accredited training institute (LPK)")
    NGO = "ngo", _("Non-governmental organisation")


class TargetGroup(models.TextChoices):
    CANDIDATE = "candidate", _("Calon PMI")
    RETURNED = "returned", _("Purna PMI")
    FAMILY = "family", _("Family members of PMI")


class Program(TrackedModel):
    title = models.CharField(_("title"), max_length=150)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    organiser = models.CharField(_("organiser"), max_length=12, choices=Organiser.choices)
    organiser_name = models.CharField(_("organiser's name"), max_length=150, blank=True)
    # The area the programme is run for (a regency, a province…); scoping.
    area = area_field()
    # Districts or villages inside `area` it is limited to; empty means the whole area.
    covered_areas = areas_field(_("areas covered"))
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"))
    quota = models.PositiveIntegerField(_("quota"), null=True, blank=True)
    target_groups = models.JSONField(_("target group"), default=list, blank=True)
    sessions = models.PositiveSmallIntegerField(_("number of sessions"), default=1)
    competency_scheme = models.CharField(_("competency scheme"), max_length=150, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        indexes = [
            models.Index(fields=["area", "starts_on"]),
            # The list's order: a national page walks it from the newest (lib.keyset).
            models.Index(fields=["-starts_on", "-id"], name="program_list_order_idx"),
        ]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.title

    @property
    def target_group_labels(self) -> list[str]:
        return [TargetGroup(g).label for g in self.target_groups if g in TargetGroup.values]


class EnrollmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    COMPLETED = "completed", _("Completed")
    DROPPED = "dropped", _("Dropped out")


class Enrollment(TrackedModel):
    program = models.ForeignKey(Program, models.PROTECT, related_name="enrollments")
    person = models.ForeignKey("registry.Person", models.PROTECT, related_name="enrollments")
    # The person's village when enrolled; scoping.
    village = models.ForeignKey("regions.Area", models.PROTECT, related_name="+")
    enrolled_on = models.DateField(_("enrolled on"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=EnrollmentStatus.choices,
        default=EnrollmentStatus.ENROLLED,
    )
    sessions_attended = models.PositiveSmallIntegerField(_("sessions attended"), default=0)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    certificate_number = models.CharField(_("certificate number"), max_length=80, blank=True)
    certificate_scheme = models.CharField(_("certification scheme"), max_length=150, blank=True)
    certificate_date = models.DateField(_("certificate date"), null=True, blank=True)
    # The eligibility hints the enroller saw and accepted, kept as machine codes.
    hints_accepted = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["program", "person__full_name"]
        constraints = [
            unique_while_live("program", "person", name="one_live_enrollment_per_programme")
        ]
        indexes = [
            models.Index(fields=["village", "status"]),
            models.Index(fields=["person", "status"]),
        ]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return f"{self.person} – {self.program}"

    @property
    def certified(self) -> bool:
        return bool(self.certificate_number) and self.certificate_date is not None


class OutcomeKind(models.TextChoices):
    PLACED_PROCEDURAL = "placed_procedural", _("Placed abroad procedurally")
    BUSINESS_STARTED = "business_started", _("Started a business")
    INCOME = "income", _("Income band")
    EMPLOYED_LOCALLY = "employed_locally", _("Employed locally")
    MIGRATED_AGAIN = "migrated_again", _("Migrated again")


class IncomeBand(models.TextChoices):
    NONE = "none", _("No income")
    UNDER_1M = "under_1m", _("Under Rp1 million a month")
    FROM_1M = "1m_3m", _("Rp1–3 million a month")
    FROM_3M = "3m_5m", _("Rp3–5 million a month")
    OVER_5M = "over_5m", _("Over Rp5 million a month")


class Outcome(AppendOnlyModel):
    """One dated outcome of a participant. Append-only: later outcomes are new rows."""

    enrollment = models.ForeignKey(Enrollment, models.PROTECT, related_name="outcomes")
    village = models.ForeignKey("regions.Area", models.PROTECT, related_name="+")
    kind = models.CharField(_("outcome"), max_length=20, choices=OutcomeKind.choices)
    observed_on = models.DateField(_("date"))
    income_band = models.CharField(
        _("income band"), max_length=10, choices=IncomeBand.choices, blank=True
    )
    note = models.CharField(_("note"), max_length=250, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+"
    )

    append_only_message = "Outcomes are append-only."

    class Meta:
        ordering = ["observed_on", "id"]
        indexes = [models.Index(fields=["village", "kind"])]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.observed_on}"


NATIONAL_QUICK_WIN_TARGET = 500_000


class QuickWinTarget(TrackedModel):
    """The Quick Win target of one year for the nation (no area), a province or a regency."""

    year = models.PositiveSmallIntegerField(_("year"))
    area = area_field(optional=True)
    target = models.PositiveIntegerField(_("target"))

    class Meta:
        ordering = ["year", "area"]
        constraints = [
            unique_while_live("year", "area", name="one_quickwin_target_per_area_year"),
            unique_while_live(
                "year", area__isnull=True, name="one_national_quickwin_target_per_year"
            ),
        ]
        verbose_name = _("Quick Win target")
        verbose_name_plural = _("Quick Win targets")

    def __str__(self) -> str:
        return f"{self.year} {self.area_id or 'ID'}: {self.target}"
