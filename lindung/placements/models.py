"""Migration episodes (placements), their readiness checklist and their dated history."""

from django.conf import settings
from django.db import models
from django.db.models import F
from django.db.models.functions import Coalesce, Least
from django.utils.translation import gettext_lazy as _

from lindung.lib.fields import regency_code
from lindung.lib.models import AppendOnlyModel, TrackedModel


class Scheme(models.TextChoices):
    G2G = "g2g", _("G to G")
    P2P = "p2p", _("P to P (through a licensed P3MI)")
    INDIVIDUAL = "individual", _("Individual (perseorangan)")
    COMPANY = "company", _("Company's own interest")


class Sector(models.TextChoices):
    FORMAL = "formal", _("Formal")
    INFORMAL = "informal", _("Informal")


class Job(models.TextChoices):
    DOMESTIC_WORKER = "domestic_worker", _("Domestic worker")
    CAREGIVER = "caregiver", _("Caregiver")
    FACTORY_WORKER = "factory_worker", _("Factory worker")
    PLANTATION = "plantation", _("Plantation worker")
    CONSTRUCTION = "construction", _("Construction worker")
    FISHING_CREW = "fishing_crew", _("Fishing-vessel crew")
    MERCHANT_CREW = "merchant_crew", _("Merchant-ship crew")
    HOSPITALITY = "hospitality", _("Hospitality")
    NURSE = "nurse", _("Nurse")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    PLANNED = "planned", _("Preparing to depart")
    ABROAD = "abroad", _("Abroad")
    RETURNED = "returned", _("Returned")
    CANCELLED = "cancelled", _("Cancelled (did not depart)")
    DIED = "died", _("Died")


# The statuses whose travel documents the documents warning watches: preparing and abroad.
DOCUMENTS_WATCHED = (Status.PLANNED.value, Status.ABROAD.value)


def documents_due(status, passport_expiry, visa_expiry):
    """What `Placement.documents_due_on` holds for these values, for a writer that has not
    read the row back (the import counts a new episode's warnings before writing it). The
    database computes the column from the same rule; a test compares the two."""
    if status not in DOCUMENTS_WATCHED:
        return None
    expiries = [day for day in (passport_expiry, visa_expiry) if day is not None]
    return min(expiries) if expiries else None


class ReturnReason(models.TextChoices):
    # UU 18/2017 Pasal 27
    CONTRACT_ENDED = "contract_ended", _("Contract ended")
    LEAVE = "leave", _("Leave")
    DISMISSED = "dismissed", _("Dismissed before the contract ended")
    ACCIDENT_ILLNESS = "accident_illness", _("Work accident or illness")
    ABUSE = "abuse", _("Abuse or violence")
    WAR_DISASTER = "war_disaster", _("War, disaster or epidemic")
    DEPORTED = "deported", _("Deported")
    DIED = "died", _("Died")
    OTHER = "other", _("Other reason")


class Placement(TrackedModel):
    person = models.ForeignKey("registry.Person", models.PROTECT, related_name="placements")
    # The village the episode belongs to (the person's village when it was opened); scoping.
    # Indexed by (village, status, last check-in, departure, id), which begins with it.
    village = models.ForeignKey("regions.Area", models.PROTECT, related_name="+", db_index=False)
    scheme = models.CharField(_("placement scheme"), max_length=12, choices=Scheme.choices)
    # Empty while a calon PMI's country is not yet known; a departure needs one
    # (placements/destination.py).
    destination_country = models.CharField(_("destination country"), max_length=2, blank=True)
    sector = models.CharField(_("sector"), max_length=8, choices=Sector.choices)
    job = models.CharField(_("job"), max_length=20, choices=Job.choices)
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    employer_name = models.CharField(_("employer"), max_length=150, blank=True)
    employer_address = models.CharField(_("employer address"), max_length=250, blank=True)
    agency_name = models.CharField(_("P3MI"), max_length=150, blank=True)
    agency_license = models.CharField(_("P3MI licence number"), max_length=80, blank=True)
    contract_start = models.DateField(_("contract start"), null=True, blank=True)
    contract_end = models.DateField(_("contract end"), null=True, blank=True)
    planned_departure = models.DateField(_("planned departure"), null=True, blank=True)
    passport_number = models.CharField(_("passport number"), max_length=20, blank=True)
    passport_expiry = models.DateField(_("passport expiry"), null=True, blank=True)
    visa_type = models.CharField(_("visa type"), max_length=60, blank=True)
    visa_expiry = models.DateField(_("visa expiry"), null=True, blank=True)
    bpjs_number = models.CharField(_("BPJS Ketenagakerjaan number"), max_length=30, blank=True)
    epmi_number = models.CharField(_("e-PMI / ID PMI number"), max_length=40, blank=True)
    # A departure of someone under 18 is only recorded with this explicit flag and reason.
    blocked_flag = models.BooleanField(_("recorded despite a blocking rule"), default=False)
    blocked_reason = models.TextField(_("why it was recorded anyway"), blank=True)

    # Derived from the events by the services; never typed in.
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED, editable=False
    )
    procedural = models.BooleanField(_("procedural"), null=True, editable=False)
    departed_on = models.DateField(_("departed on"), null=True, blank=True, editable=False)
    returned_on = models.DateField(_("returned on"), null=True, blank=True, editable=False)
    return_reason = models.CharField(
        _("return reason"), max_length=20, choices=ReturnReason.choices, blank=True, editable=False
    )
    last_check_in_on = models.DateField(_("last family check-in"), null=True, editable=False)
    # When the episode's travel documents next need attention: the earlier of the passport's and
    # the visa's expiry while the calon PMI prepares or works abroad, empty once the episode is
    # over. Computed by the database from the columns above, so every writer (the services, the
    # bulk import, a restore) keeps it without knowing it exists. The documents warning walks it
    # in order through placement_documents_idx instead of passing every returned episode's old
    # passport first.
    documents_due_on = models.GeneratedField(
        expression=models.Case(
            models.When(
                status__in=DOCUMENTS_WATCHED,
                then=Least(
                    Coalesce("passport_expiry", "visa_expiry"),
                    Coalesce("visa_expiry", "passport_expiry"),
                ),
            ),
            default=None,
        ),
        output_field=models.DateField(),
        db_persist=True,
        verbose_name=_("documents due"),
    )

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        indexes = [
            models.Index(fields=["status", "contract_end"]),
            models.Index(fields=["agency_name"]),
            # The early-warning lists walk these in their own order and stop after a page
            # (or a capped count), so their first view does not grow with the registry.
            models.Index(
                fields=["documents_due_on", "id"],
                # Only parameter-free conditions: SQLite uses a partial index only when the
                # query's own terms (not bound values) imply its condition; `<= date` implies
                # IS NOT NULL. The index holds only the episodes whose documents are watched.
                condition=models.Q(archived_at__isnull=True, documents_due_on__isnull=False),
                name="placement_documents_due_idx",
            ),
            models.Index(
                fields=["status", "last_check_in_on", "departed_on", "id"],
                name="placement_check_in_idx",
            ),
            models.Index(
                fields=["status", "procedural", "-departed_on", "id"],
                name="placement_non_procedural_idx",
            ),
            models.Index(fields=["returned_on"], name="placement_returned_on_idx"),
            # A village's rows are one equality (decision record 27); its documents and
            # no-check-in lists read its own entries in their order (decision record 30).
            # The second also serves every read of a village's episodes by status.
            models.Index(
                fields=["village", "documents_due_on", "id"],
                condition=models.Q(archived_at__isnull=True, documents_due_on__isnull=False),
                name="placement_village_docs_idx",
            ),
            models.Index(
                fields=["village", "status", "last_check_in_on", "departed_on", "id"],
                name="placement_village_check_in_idx",
            ),
            # The same lists read by a regency: its code first, then the list's order
            # (`accounts.scoping`, regency_led), so a page reads one regency's rows only.
            models.Index(
                regency_code("village"),
                "status",
                "contract_end",
                "id",
                name="placement_regency_contract_idx",
            ),
            models.Index(
                regency_code("village"),
                "documents_due_on",
                "id",
                condition=models.Q(archived_at__isnull=True, documents_due_on__isnull=False),
                name="placement_regency_docs_idx",
            ),
            models.Index(
                regency_code("village"),
                "status",
                "last_check_in_on",
                "departed_on",
                "id",
                name="placement_regency_check_in_idx",
            ),
            models.Index(
                regency_code("village"),
                "status",
                "procedural",
                F("departed_on").desc(),
                "id",
                name="placement_regency_non_proc_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.destination_country} ({self.get_status_display()})"


class ReadinessItem(models.TextChoices):
    # UU 18/2017 Pasal 5 and 13, plus pre-departure orientation (OPP).
    COMPETENCY = "competency", _("Competency certificate")
    HEALTH = "health", _("Health and psychological certificate")
    BPJS = "bpjs", _("BPJS Ketenagakerjaan membership")
    MARITAL_LETTER = "marital_letter", _("Marital-status letter")
    FAMILY_PERMISSION = "family_permission", _("Family permission known to the village head")
    PASSPORT = "passport", _("Passport")
    WORK_VISA = "work_visa", _("Work visa")
    PLACEMENT_AGREEMENT = "placement_agreement", _("Placement agreement")
    EMPLOYMENT_CONTRACT = "employment_contract", _("Employment contract")
    ORIENTATION = "orientation", _("Pre-departure orientation")


class ReadinessCheck(models.Model):
    """One checklist item marked as fulfilled, with when and by whom."""

    placement = models.ForeignKey(Placement, models.PROTECT, related_name="checks")
    item = models.CharField(_("item"), max_length=24, choices=ReadinessItem.choices)
    checked_on = models.DateField(_("checked on"))
    # Empty only for an import run without a named user (demo mode).
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+"
    )
    reference = models.CharField(_("document number"), max_length=80, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["placement", "item"], name="one_check_per_item")
        ]

    def __str__(self) -> str:
        return self.get_item_display()


class EventKind(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    VERIFIED = "verified", _("Verified by the village")
    DOCUMENT_COMPLETED = "document_completed", _("Document completed")
    TRAINING_COMPLETED = "training_completed", _("Training completed")
    DEPARTED = "departed", _("Departed")
    ARRIVED = "arrived", _("Arrived")
    CHECK_IN = "check_in", _("Family check-in")
    PROBLEM_REPORTED = "problem_reported", _("Problem reported")
    CONTRACT_EXTENDED = "contract_extended", _("Contract extended")
    RETURNED = "returned", _("Returned")
    DIED = "died", _("Died")
    CANCELLED = "cancelled", _("Cancelled (failed to depart)")


class CheckInResult(models.TextChoices):
    FINE = "fine", _("Fine")
    PROBLEM = "problem", _("Problem")
    NO_CONTACT = "no_contact", _("No contact")


class PlacementEvent(AppendOnlyModel):
    """One dated step in an episode's history. Append-only: corrections are new events."""

    # The composite indexes below start with the episode and the village: no index of their
    # own (one index fewer to keep up on every event written).
    placement = models.ForeignKey(Placement, models.PROTECT, related_name="events", db_index=False)
    person = models.ForeignKey("registry.Person", models.PROTECT, related_name="events")
    village = models.ForeignKey("regions.Area", models.PROTECT, related_name="+", db_index=False)
    kind = models.CharField(_("event"), max_length=20, choices=EventKind.choices)
    occurred_on = models.DateField(_("date"))
    check_in_result = models.CharField(
        _("check-in result"), max_length=10, choices=CheckInResult.choices, blank=True
    )
    return_reason = models.CharField(
        _("return reason"), max_length=20, choices=ReturnReason.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+"
    )

    append_only_message = "Placement events are append-only."

    class Meta:
        ordering = ["occurred_on", "id"]
        indexes = [
            models.Index(fields=["village", "kind", "occurred_on"]),
            models.Index(fields=["placement", "kind"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on}"
