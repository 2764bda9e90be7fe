"""Forms of a migration episode: its details, a checklist item and each kind of event."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindung.placements.models import (
    CheckInResult,
    Job,
    ReadinessItem,
    ReturnReason,
    Scheme,
    Sector,
)
from lindung.registry.forms import country_field_choices, date_field


class EpisodeDetails:
    """A form of an episode's details: the MAIN fields shown first and the rest folded under
    them, and the destination picked with the common destinations first (the empty choice
    says COUNTRY_BLANK)."""

    MAIN: tuple[str, ...] = ()
    COUNTRY_BLANK = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["destination_country"].choices = country_field_choices(
            blank_label=self.COUNTRY_BLANK
        )

    def main_fields(self):
        return [self[name] for name in self.MAIN]

    def more_fields(self):
        return [self[name] for name in self.fields if name not in self.MAIN]


class PlacementForm(EpisodeDetails, forms.Form):
    # A calon PMI may be registered before the country is known (placements/destination.py).
    destination_country = forms.ChoiceField(label=_("Destination country"), required=False)
    job = forms.ChoiceField(label=_("Job"), choices=[("", "—"), *Job.choices])
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices, widget=forms.RadioSelect)
    scheme = forms.ChoiceField(
        label=_("Placement scheme"),
        choices=Scheme.choices,
        widget=forms.RadioSelect,
        help_text=_("P to P: through a licensed placement company (P3MI)."),
    )
    planned_departure = date_field(_("Planned departure"), required=False)
    job_title = forms.CharField(label=_("Job title"), max_length=120, required=False)
    employer_name = forms.CharField(label=_("Employer"), max_length=150, required=False)
    employer_address = forms.CharField(label=_("Employer address"), max_length=250, required=False)
    agency_name = forms.CharField(
        label=_("P3MI (placement company)"), max_length=150, required=False
    )
    agency_license = forms.CharField(label=_("P3MI licence number"), max_length=80, required=False)
    contract_start = date_field(_("Contract start"), required=False)
    contract_end = date_field(_("Contract end"), required=False)
    passport_number = forms.CharField(label=_("Passport number"), max_length=20, required=False)
    passport_expiry = date_field(_("Passport expiry"), required=False)
    visa_type = forms.CharField(label=_("Visa type"), max_length=60, required=False)
    visa_expiry = date_field(_("Visa expiry"), required=False)
    bpjs_number = forms.CharField(
        label=_("BPJS Ketenagakerjaan number"), max_length=30, required=False
    )
    epmi_number = forms.CharField(label=_("e-PMI / ID PMI number"), max_length=40, required=False)

    MAIN = ("destination_country", "job", "sector", "scheme", "planned_departure")
    COUNTRY_BLANK = _("Not yet known")

    def clean_passport_number(self):
        return self.cleaned_data["passport_number"].strip().upper()


class CheckForm(forms.Form):
    item = forms.ChoiceField(choices=ReadinessItem.choices, widget=forms.HiddenInput)
    checked_on = date_field(_("Date"))
    reference = forms.CharField(label=_("Document number"), max_length=80, required=False)


class EventForm(forms.Form):
    occurred_on = date_field(_("Date"))
    note = forms.CharField(
        label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("occurred_on", timezone.localdate())
        super().__init__(*args, **kwargs)


NON_PROCEDURAL_MEANING = _(
    "Non-procedural means the person leaves without meeting UU 18/2017 Pasal 5 and 13 (the "
    "documents are not complete). The worker is then shown as non-procedural on every page, "
    "report and early warning, and the checklist closes. Only the Disnaker can correct this "
    "later, with a recorded reason."
)


class DepartForm(EventForm):
    blocked_reason = forms.CharField(
        label=_("Why is this departure recorded although the person is under 18?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The episode will be flagged as blocked and non-procedural."),
    )
    field_order = ["occurred_on", "note", "blocked_reason"]


class CheckInForm(EventForm):
    result = forms.ChoiceField(
        label=_("How is the worker doing?"),
        choices=CheckInResult.choices,
        widget=forms.RadioSelect,
    )
    field_order = ["occurred_on", "result", "note"]


class ReturnForm(EventForm):
    reason = forms.ChoiceField(
        label=_("Reason for the return (UU 18/2017 Pasal 27)"),
        choices=[("", "—"), *ReturnReason.choices],
    )
    field_order = ["occurred_on", "reason", "note"]


class ExtendForm(EventForm):
    contract_end = date_field(_("New contract end"))
    field_order = ["occurred_on", "contract_end", "note"]


class NewDepartureForm(EpisodeDetails, DepartForm):
    """A departure for someone with no episode yet: the episode is opened in the same form, with
    what the village knows; scheme and sector follow lindung/placements/defaults.py."""

    destination_country = forms.ChoiceField(label=_("Destination country"))
    job = forms.ChoiceField(label=_("Job"), choices=[("", "—"), *Job.choices])
    agency_name = forms.CharField(
        label=_("P3MI (placement company)"),
        max_length=150,
        required=False,
        help_text=_("If a P3MI sent the person, the scheme is P to P; if not, individual."),
    )
    sector = forms.ChoiceField(
        label=_("Sector"),
        choices=[("", _("From the job")), *Sector.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    scheme = forms.ChoiceField(
        label=_("Placement scheme"),
        choices=[("", _("From the P3MI field")), *Scheme.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    field_order = ["occurred_on", "destination_country", "job", "agency_name", "sector", "scheme"]
    MAIN = ("occurred_on", "destination_country", "job")
    COUNTRY_BLANK = _("Choose a country")


class ProceduralForm(forms.Form):
    procedural = forms.ChoiceField(
        label=_("The departure was"),
        choices=[("yes", _("Procedural")), ("no", _("Non-procedural"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("e.g. 'All documents were complete at LTSA on 3 March; not ticked in time'."),
    )
