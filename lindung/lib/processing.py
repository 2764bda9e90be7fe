"""The processing register (UU 27/2022 Pasal 31): why Lindung keeps each personal field.

Declared once, in code, and read by everyone who writes or shows personal data: the registry's
services and forms and the importer ask `needs_consent` before keeping a value, the privacy
pages print the register, and the retention job reads `RETENTION`. Pure data and functions (no
database), low in the layers so every app may ask it.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# Legal bases of UU 27/2022 Pasal 20 (2), as Lindung uses them.
LEGAL_DUTY = "legal_duty"  # c./e.: UU 18/2017 Pasal 41–42, the village's and regency's duty
CONSENT = "consent"  # a.: the person's recorded, explicit consent
VITAL_INTEREST = "vital_interest"  # d.: protecting the life and safety of the worker

BASES = {
    LEGAL_DUTY: _(
        "Legal obligation and public service task (UU 27/2022 Pasal 20 (2) c and e; "
        "UU 18/2017 Pasal 41–42)"
    ),
    CONSENT: _("Explicit consent of the data subject (UU 27/2022 Pasal 20 (2) a)"),
    VITAL_INTEREST: _("Vital interest of the data subject (UU 27/2022 Pasal 20 (2) d)"),
}

# Kinds of personal data (UU 27/2022 Pasal 4).
GENERAL = "general"
SPECIFIC_CHILD = "child"
SPECIFIC_HEALTH = "health"
SPECIFIC_CRIMINAL = "criminal"
KINDS = {
    GENERAL: _("General"),
    SPECIFIC_CHILD: _("Specific: child data"),
    SPECIFIC_HEALTH: _("Specific: health"),
    SPECIFIC_CRIMINAL: _("Specific: criminal record"),
}

# Purposes, each one sentence an officer can read out to the person.
PURPOSE_REGISTER = _("Recording and verifying residents who will, do or did work abroad")
PURPOSE_MONITOR = _("Monitoring departure, stay abroad and return, and contacting the family")
PURPOSE_CONTACT = _("Contacting the person or the family by phone or WhatsApp")
PURPOSE_LETTERS = _("Issuing village letters for the placement documents")
PURPOSE_PROTECT = _("Handling a complaint and protecting the worker")
PURPOSE_EMPOWER = _("Training and empowerment programmes")
PURPOSE_STATS = _("Statutory reports and statistics (counted, never named)")

# Retention periods, in years after the record's last activity.
RETAIN_RETURNED_YEARS = 5
RETAIN_NEVER_LEFT_YEARS = 2


@dataclass(frozen=True)
class Entry:
    """One personal field (or group of fields) of one model, and why it is kept."""

    model: str  # app_label.model_name, as in Django's label_lower
    fields: tuple[str, ...]
    purpose: object
    basis: str
    kind: str = GENERAL
    retention: object = _(
        "5 years after the last activity (2 years for a resident who never left), then anonymised"
    )
    note: object = ""

    @property
    def needs_consent(self) -> bool:
        return self.basis == CONSENT

    @property
    def basis_label(self):
        return BASES[self.basis]

    @property
    def kind_label(self):
        return KINDS[self.kind]

    @property
    def specific(self) -> bool:
        return self.kind != GENERAL


KEEP_CASE = _("While the case is open; 5 years after it is closed, then anonymised")
KEEP_STATS = _("Kept without names as long as the statistics are kept")
KEEP_CONSENT = _("Until the consent is withdrawn; erased at once on withdrawal")

REGISTER: tuple[Entry, ...] = (
    Entry(
        "registry.person",
        ("nik", "full_name", "sex", "birth_date", "birth_place", "village"),
        PURPOSE_REGISTER,
        LEGAL_DUTY,
        note=_("Sex, village and year of birth stay in the statistics after anonymisation."),
    ),
    Entry(
        "registry.person",
        ("kk_number", "dusun", "rt", "rw", "address", "education", "marital_status"),
        PURPOSE_REGISTER,
        LEGAL_DUTY,
        note=_("UU 18/2017 Pasal 13: documents of the calon PMI (marital status letter)."),
    ),
    Entry(
        "registry.person",
        ("phone",),
        PURPOSE_CONTACT,
        CONSENT,
        retention=KEEP_CONSENT,
        note=_("Optional: a missing or refused consent never stops the registration."),
    ),
    Entry(
        "registry.familymember",
        ("name", "relation", "nik"),
        PURPOSE_MONITOR,
        LEGAL_DUTY,
        note=_("UU 18/2017 Pasal 13 b: the family's permission known to the village head."),
    ),
    Entry(
        "registry.familymember",
        ("birth_date",),
        PURPOSE_MONITOR,
        LEGAL_DUTY,
        kind=SPECIFIC_CHILD,
        note=_("Shows the children left behind; child data is specific data (Pasal 4)."),
    ),
    Entry(
        "registry.familymember",
        ("phone",),
        PURPOSE_CONTACT,
        CONSENT,
        retention=KEEP_CONSENT,
        note=_("Contact numbers of the family: kept only with the family's consent."),
    ),
    Entry(
        "registry.letter",
        ("data",),
        PURPOSE_LETTERS,
        LEGAL_DUTY,
        note=_("The letter as printed on the day."),
    ),
    Entry(
        "placements.placement",
        (
            "destination_country",
            "job",
            "employer_name",
            "agency_name",
            "contract_start",
            "contract_end",
            "passport_number",
            "visa_expiry",
            "bpjs_number",
            "epmi_number",
        ),
        PURPOSE_MONITOR,
        LEGAL_DUTY,
        note=_("UU 18/2017 Pasal 5 and 13: the readiness of the calon PMI."),
    ),
    Entry(
        "placements.readinesscheck",
        ("item", "reference"),
        PURPOSE_MONITOR,
        LEGAL_DUTY,
        kind=SPECIFIC_HEALTH,
        note=_(
            "Only that the health certificate exists and its number; never the diagnosis. "
            "The police certificate (SKCK) is criminal-record data."
        ),
    ),
    Entry(
        "placements.placementevent",
        ("kind", "occurred_on", "return_reason", "note"),
        PURPOSE_MONITOR,
        LEGAL_DUTY,
        retention=KEEP_STATS,
        note=_("Departures and returns are counted for the statutory reports."),
    ),
    Entry(
        "cases.case",
        ("narrative", "demand", "reporter_name", "reporter_phone", "party_name"),
        PURPOSE_PROTECT,
        VITAL_INTEREST,
        kind=SPECIFIC_HEALTH,
        retention=KEEP_CASE,
        note=_("Need-to-know: only the units handling the case read the story."),
    ),
    Entry(
        "programs.enrollment",
        ("status", "completed_on", "certificate_number"),
        PURPOSE_EMPOWER,
        LEGAL_DUTY,
    ),
    Entry(
        "audit.auditevent",
        ("actor", "action", "object_id", "ip"),
        _("Accountability: who saw and changed each record"),
        LEGAL_DUTY,
        retention=_("Kept; shown to the data subject in the copy of their data"),
    ),
)


def entries_for(model: str) -> list[Entry]:
    """The register's entries of one model."""
    return [entry for entry in REGISTER if entry.model == model]


def needs_consent(model: str, field: str) -> bool:
    """Whether a value of `model.field` may be kept only with the person's consent."""
    return any(field in entry.fields and entry.needs_consent for entry in entries_for(model))


def consent_fields(model: str) -> tuple[str, ...]:
    """The fields of `model` that are kept only with consent (erased when it is withdrawn)."""
    return tuple(
        field for entry in entries_for(model) if entry.needs_consent for field in entry.fields
    )


@dataclass(frozen=True)
class RetentionRule:
    """When a person's record is past its retention and is anonymised."""

    code: str
    label: object
    phases: tuple[str, ...]
    years: int


RETENTION: tuple[RetentionRule, ...] = (
    RetentionRule(
        "returned",
        _("Returned worker (Purna PMI) with no activity"),
        ("returned",),
        RETAIN_RETURNED_YEARS,
    ),
    RetentionRule(
        "never_left",
        _("Resident who never departed, with no activity"),
        ("none",),
        RETAIN_NEVER_LEFT_YEARS,
    ),
)
