from django import forms
from django.utils.translation import gettext_lazy as _

from lindung.privacy.models import RequestChannel, RequestKind
from lindung.privacy.services import CORRECTABLE
from lindung.registry.models import Person

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M", "%d-%m-%Y %H:%M"]


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def datetime_field(label, *, required=True, help_text=""):
    return forms.DateTimeField(
        label=label,
        required=required,
        widget=DateTimeInput(),
        input_formats=DATETIME_FORMATS,
        help_text=help_text,
    )


class RequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("The person asks to"), choices=RequestKind.choices, widget=forms.RadioSelect
    )
    channel = forms.ChoiceField(label=_("Received"), choices=RequestChannel.choices)
    received_at = datetime_field(
        _("Received at"),
        required=False,
        help_text=_("Empty: now. The answer is due 3×24 hours later (UU 27/2022)."),
    )
    requester_name = forms.CharField(
        label=_("Asked by"),
        max_length=150,
        required=False,
        help_text=_("Leave empty when the person asked themselves."),
    )
    details = forms.CharField(
        label=_("What the person asks"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer to the person"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Empty: the standard answer for this request."),
    )


class RefuseForm(forms.Form):
    answer = forms.CharField(
        label=_("Reason for the refusal"), widget=forms.Textarea(attrs={"rows": 3})
    )


class CorrectForm(forms.Form):
    field = forms.ChoiceField(label=_("Field"))
    value = forms.CharField(label=_("Correct value"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [
            (name, Person._meta.get_field(name).verbose_name.capitalize()) for name in CORRECTABLE
        ]

    def clean(self):
        data = super().clean()
        name, value = data.get("field"), (data.get("value") or "").strip()
        if name:
            model_field = Person._meta.get_field(name)
            try:
                data["value"] = model_field.to_python(value) if value else ""
            except forms.ValidationError as error:
                self.add_error("value", error)
            if model_field.choices and value and value not in dict(model_field.choices):
                choices = ", ".join(str(k) for k, _label in model_field.choices)
                self.add_error("value", _("Choose one of: %s") % choices)
            if name in ("full_name", "birth_date") and not value:
                self.add_error("value", _("This field cannot be empty."))
        return data


class BreachForm(forms.Form):
    found_at = datetime_field(
        _("Found at"), help_text=_("The persons and the authority must be told within 3×24 hours.")
    )
    description = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs={"rows": 4})
    )
    data_kinds = forms.CharField(
        label=_("Which data"),
        max_length=300,
        help_text=_("e.g. 'names, NIK and phone numbers of the residents of one village'."),
    )
    affected_count = forms.IntegerField(label=_("Number of persons affected"), min_value=0)
    mitigation = forms.CharField(
        label=_("What was done about it"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class NoticeForm(forms.Form):
    whom = forms.ChoiceField(
        label=_("Notified"),
        choices=[("persons", _("The persons affected")), ("authority", _("The authority"))],
        widget=forms.RadioSelect,
    )
    at = datetime_field(_("Notified at"), required=False, help_text=_("Empty: now."))
    notice = forms.CharField(
        label=_("How and what was notified"), widget=forms.Textarea(attrs={"rows": 3})
    )


class CloseForm(forms.Form):
    mitigation = forms.CharField(
        label=_("What was done about it"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
