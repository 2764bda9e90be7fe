from django import forms
from django.utils.translation import gettext_lazy as _

from lindung.audit.models import Action


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("User"), required=False)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("All"))] + Action.choices
    )
    text = forms.CharField(label=_("Object (name or id)"), required=False)
    object_type = forms.CharField(required=False, widget=forms.HiddenInput)
    object_id = forms.CharField(required=False, widget=forms.HiddenInput)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
