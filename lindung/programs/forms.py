from django import forms
from django.utils.translation import gettext_lazy as _

from lindung.accounts.area_forms import AreasField
from lindung.accounts.forms import AreaCodeField
from lindung.lib.forms import DateInput
from lindung.programs.models import (
    EnrollmentStatus,
    IncomeBand,
    Kind,
    Organiser,
    OutcomeKind,
    TargetGroup,
)


class ProgramForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=150)
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    organiser = forms.ChoiceField(label=_("Organiser"), choices=Organiser.choices)
    organiser_name = forms.CharField(
        label=_("Organiser's name"),
        max_length=150,
        required=False,
        help_text=_("e.g. the name of the LPK or the NGO."),
    )
    area = AreaCodeField(label=_("Area"))
    covered_areas = AreasField(
        label=_("Limited to these districts or villages"),
        required=False,
        help_text=_("Leave empty when the programme is open to the whole area."),
    )
    starts_on = forms.DateField(label=_("Start date"), widget=DateInput())
    ends_on = forms.DateField(label=_("End date"), widget=DateInput())
    quota = forms.IntegerField(label=_("Quota"), min_value=1, required=False)
    target_groups = forms.MultipleChoiceField(
        label=_("Target group"),
        choices=TargetGroup.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    sessions = forms.IntegerField(label=_("Number of sessions"), min_value=1, initial=1)
    competency_scheme = forms.CharField(
        label=_("Competency scheme"),
        max_length=150,
        required=False,
        help_text=_("For vocational training, e.g. Caregiver (SKKNI) or Welder 3G."),
    )
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)


class EnrollForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    accept_hints = forms.BooleanField(required=False, widget=forms.HiddenInput)


class AttendanceForm(forms.Form):
    sessions_attended = forms.IntegerField(label=_("Sessions attended"), min_value=0)


class CompletionForm(forms.Form):
    completed_on = forms.DateField(label=_("Completed on"), widget=DateInput())
    certificate_number = forms.CharField(
        label=_("Competency certificate number"), max_length=80, required=False
    )
    certificate_scheme = forms.CharField(
        label=_("Certification scheme"), max_length=150, required=False
    )
    certificate_date = forms.DateField(
        label=_("Certificate date"), widget=DateInput(), required=False
    )


class OutcomeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Outcome"), choices=OutcomeKind.choices)
    observed_on = forms.DateField(label=_("Date"), widget=DateInput())
    income_band = forms.ChoiceField(
        label=_("Income band"), choices=[("", "—"), *IncomeBand.choices], required=False
    )
    note = forms.CharField(label=_("Note"), max_length=250, required=False)


class ProgramFilterForm(forms.Form):
    q = forms.CharField(label=_("Title"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All")), *Kind.choices], required=False
    )
    when = forms.ChoiceField(
        label=_("When"),
        choices=[
            ("", _("All")),
            ("current", _("Running now")),
            ("upcoming", _("Upcoming")),
            ("past", _("Finished")),
        ],
        required=False,
    )


class QuickWinTargetForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    area = AreaCodeField(
        label=_("Area"),
        required=False,
        help_text=_("Empty for the national target; a province (18) or regency (18.11) code."),
    )
    target = forms.IntegerField(label=_("Target (persons)"), min_value=0)


ENROLLMENT_STATUS_TONES = {
    EnrollmentStatus.COMPLETED: "ok",
    EnrollmentStatus.DROPPED: "bad",
    EnrollmentStatus.ENROLLED: "",
}
