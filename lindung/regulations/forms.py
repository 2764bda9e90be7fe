from django import forms
from django.utils.translation import gettext_lazy as _

from lindung.accounts.forms import AreaCodeField
from lindung.lib.forms import DateInput
from lindung.regulations.models import RegulationKind, RegulationStatus


class RegulationForm(forms.Form):
    area = AreaCodeField(
        label=_("Village or regency (code)"),
        help_text=_("A village code for a Perdes (18.11.01.2001), a regency code for a Perbup."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=RegulationKind.choices)
    status = forms.ChoiceField(label=_("Status"), choices=RegulationStatus.choices)
    title = forms.CharField(label=_("Title"), max_length=250, required=False)
    number = forms.CharField(
        label=_("Number"),
        max_length=60,
        required=False,
        help_text=_("Once enacted, e.g. 3 Tahun 2026."),
    )
    enacted_on = forms.DateField(label=_("Date enacted"), widget=DateInput(), required=False)
    responsible_official = forms.CharField(
        label=_("Responsible official"),
        max_length=150,
        required=False,
        help_text=_("Name and position, e.g. Kepala Desa or Kepala Bagian Hukum."),
    )
    document = forms.FileField(
        label=_("Document (PDF)"), required=False, help_text=_("The signed text, as a PDF.")
    )

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["area"].disabled = True
            self.fields["kind"].disabled = True


class RegulationFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All")), *RegulationKind.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *RegulationStatus.choices], required=False
    )
