"""Forms of the village registry: the residents filter, a person, a family member, letters."""

from django import forms
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lindung.accounts.area_forms import AreaField
from lindung.lib.countries import country_choices
from lindung.lib.forms import DateInput
from lindung.registry.models import (
    Education,
    LetterKind,
    MaritalStatus,
    Phase,
    Relation,
    Sex,
)
from lindung.registry.selectors import AGE_BANDS

DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y"]
# The destinations most villages send to, listed first so a phone user rarely scrolls.
COMMON_COUNTRIES = ["HK", "TW", "MY", "SG", "JP", "KR", "SA", "BN", "AE", "QA", "IT", "TR"]
AGE_BAND_LABELS = {
    "under18": _("Under 18"),
    "18-24": _("18–24"),
    "25-34": _("25–34"),
    "35-44": _("35–44"),
    "45plus": _("45 and over"),
}


def name_case(name: str) -> str:
    """A name typed all in lower or all in capitals (as on the KTP) in the usual case."""
    name = " ".join(name.split())
    if name == name.lower() or name == name.upper():
        return " ".join(word[:1].upper() + word[1:].lower() for word in name.split())
    return name


def _rt_rw(value: str) -> str:
    """An RT or RW number as the village writes it, three digits ("7" is "007"); empty stays."""
    value = value.strip()
    return value.zfill(3) if value else ""


def date_field(label, *, required=True, help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        input_formats=DATE_FORMATS,
        help_text=help_text,
    )


def country_field_choices(*, blank_label) -> list:
    """Countries by name in the interface language, the common destinations first."""
    lang = "en" if (get_language() or "id").startswith("en") else "id"
    everything = country_choices(lang)
    names = dict(everything)
    return [
        ("", blank_label),
        (_("Common destinations"), [(code, names[code]) for code in COMMON_COUNTRIES]),
        (_("All countries"), everything),
    ]


class PersonFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Name or NIK"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name or NIK")}),
    )
    phase = forms.ChoiceField(
        label=_("Phase"), required=False, choices=[("", _("All phases")), *Phase.choices]
    )
    country = forms.ChoiceField(label=_("Destination country"), required=False)
    procedural = forms.ChoiceField(
        label=_("Procedure"),
        required=False,
        choices=[("", _("All")), ("yes", _("Procedural")), ("no", _("Non-procedural"))],
    )
    sex = forms.ChoiceField(label=_("Sex"), required=False, choices=[("", _("All")), *Sex.choices])
    age_band = forms.ChoiceField(
        label=_("Age"),
        required=False,
        choices=[("", _("All ages"))] + [(k, AGE_BAND_LABELS[k]) for k in AGE_BANDS],
    )
    verified = forms.ChoiceField(
        label=_("Verification"),
        required=False,
        choices=[("", _("All")), ("no", _("Waiting for verification"))],
    )

    def __init__(self, *args, villages=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = country_field_choices(blank_label=_("All countries"))
        if villages is None:
            self.fields["village"] = AreaField(
                label=_("Area"), required=False, to_code=True, user=user
            )
        elif len(villages) > 1:
            self.fields["village"] = forms.ChoiceField(
                label=_("Village"),
                required=False,
                choices=[("", _("All villages"))]
                + [(v.code, f"{v.name} ({v.parent.name})") for v in villages],
            )

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class PersonForm(forms.Form):
    nik = forms.CharField(
        label=_("NIK"),
        max_length=24,
        help_text=_("16 digits, from the KTP or the family card."),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "data-nik": "nik-decoded"}
        ),
    )
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        help_text=_("As on the KTP. A single name is fine."),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, widget=forms.RadioSelect)
    birth_place = forms.CharField(label=_("Place of birth"), max_length=80, required=False)
    birth_date = date_field(_("Date of birth"))
    village = forms.ChoiceField(label=_("Village of domicile"))
    dusun = forms.CharField(label=_("Hamlet (dusun)"), max_length=80, required=False)
    rt = forms.CharField(
        label=_("RT"),
        max_length=4,
        required=False,
        widget=forms.TextInput({"inputmode": "numeric"}),
    )
    rw = forms.CharField(
        label=_("RW"),
        max_length=4,
        required=False,
        widget=forms.TextInput({"inputmode": "numeric"}),
    )
    address = forms.CharField(label=_("Street address"), max_length=200, required=False)
    kk_number = forms.CharField(
        label=_("Family card number (KK)"),
        max_length=24,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    education = forms.ChoiceField(
        label=_("Education"), required=False, choices=[("", "—"), *Education.choices]
    )
    marital_status = forms.ChoiceField(
        label=_("Marital status"), required=False, choices=[("", "—"), *MaritalStatus.choices]
    )
    phone = forms.CharField(
        label=_("Phone / WhatsApp"),
        max_length=24,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        help_text=_("Optional. Kept only with the person's consent."),
    )
    contact_consent = forms.BooleanField(
        label=_("The person agrees that the village keeps this phone number to contact them."),
        required=False,
    )
    nik_exception = forms.CharField(
        label=_("Explanation of the NIK difference"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Only when the NIK's birth date or sex really differs from the documents, "
            "e.g. 'KTP issued with a wrong date, correction requested at Dukcapil'."
        ),
    )
    plan_abroad = forms.BooleanField(
        label=_("This person plans to work abroad (open a calon PMI record next)"),
        required=False,
        initial=True,
    )
    confirm_new = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, villages, creating=True, **kwargs):
        super().__init__(*args, **kwargs)
        # nik.js names the district the NIK encodes through the area picker's endpoint.
        self.fields["nik"].widget.attrs["data-area-url"] = reverse("regions:area_pick")
        self.fields["village"].choices = [(v.code, f"{v.name} — {v.parent.name}") for v in villages]
        if len(villages) == 1:
            self.fields["village"].initial = villages[0].code
            self.fields["village"].widget = forms.HiddenInput()
        if not creating:
            del self.fields["plan_abroad"]
            del self.fields["confirm_new"]

    def clean_full_name(self):
        return name_case(self.cleaned_data["full_name"])

    def clean_rt(self):
        return _rt_rw(self.cleaned_data["rt"])

    def clean_rw(self):
        return _rt_rw(self.cleaned_data["rw"])


class FamilyMemberForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    relation = forms.ChoiceField(
        label=_("Relation"), choices=Relation.choices, widget=forms.RadioSelect
    )
    birth_date = date_field(
        _("Date of birth"),
        required=False,
        help_text=_("Needed to see which children left behind are minors."),
    )
    nik = forms.CharField(
        label=_("NIK"),
        max_length=24,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("When known."),
    )
    phone = forms.CharField(
        label=_("Phone / WhatsApp"),
        max_length=24,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel"}),
        help_text=_("Optional. Kept only with the family member's consent."),
    )
    contact_consent = forms.BooleanField(
        label=_("The family member agrees that the village keeps this number to contact them."),
        required=False,
    )

    def clean_name(self):
        return name_case(self.cleaned_data["name"])


class ArchiveForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        help_text=_("e.g. 'Double entry of the same person', 'Moved to another regency'."),
    )


class MergeForm(forms.Form):
    other = forms.ChoiceField(label=_("The other record"), widget=forms.RadioSelect)
    keep = forms.ChoiceField(
        label=_("Record to keep"),
        widget=forms.RadioSelect,
        choices=[("this", _("This record")), ("other", _("The other record"))],
        initial="this",
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other"].choices = [
            (
                str(p.pk),
                f"{p.full_name} · NIK {p.nik} · {p.birth_date:%d-%m-%Y} · {p.village.name}",
            )
            for p in candidates
        ]


class LetterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Letter"), choices=LetterKind.choices, widget=forms.RadioSelect
    )
    family_member = forms.ChoiceField(
        label=_("Family member giving the permission"),
        required=False,
        help_text=_("Only for the family permission letter: spouse, parent or guardian."),
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {str(m.pk): m for m in members}
        self.fields["family_member"].choices = [("", "—")] + [(str(m.pk), str(m)) for m in members]

    def clean_family_member(self):
        return self.members.get(self.cleaned_data.get("family_member") or "")
