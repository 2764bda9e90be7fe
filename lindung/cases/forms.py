"""Forms of the cases pages. They parse input; the rules live in services."""

from django import forms
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lindung.accounts.area_forms import AreaField
from lindung.accounts.scoping import scope
from lindung.cases.models import (
    Category,
    Channel,
    Outcome,
    PartyKind,
    ReporterKind,
    Status,
    Unit,
)
from lindung.lib.countries import country_choices
from lindung.lib.forms import DateInput
from lindung.placements.models import ReturnReason
from lindung.regions.models import Area, Level
from lindung.registry.models import Relation, Sex


def _blank(choices, label="—"):
    return [("", label), *choices]


def _countries():
    lang = "en" if (get_language() or "id").startswith("en") else "id"
    return _blank(country_choices(lang))


class CaseForm(forms.Form):
    # The person: found by NIK, or registered here when the NIK is not yet known.
    nik = forms.CharField(label=_("NIK of the worker"), max_length=20, required=False)
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=_blank(Sex.choices), required=False)
    birth_date = forms.DateField(label=_("Date of birth"), widget=DateInput(), required=False)
    village = forms.CharField(label=_("Village"), required=False)

    categories = forms.MultipleChoiceField(
        label=_("What is the problem?"),
        choices=Category.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick every category that applies."),
    )
    urgent = forms.BooleanField(
        label=_("Urgent: a threat to life or safety"),
        required=False,
        help_text=_(
            "Violence, sexual violence, detention, trafficking and under-age cases "
            "are always urgent."
        ),
    )
    reported_on = forms.DateField(label=_("Reported on"), widget=DateInput())
    reporter_kind = forms.ChoiceField(label=_("Reported by"), choices=ReporterKind.choices)
    reporter_relation = forms.ChoiceField(
        label=_("Relation to the worker (family member)"),
        choices=_blank(Relation.choices),
        required=False,
    )
    reporter_name = forms.CharField(label=_("Reporter's name"), max_length=150, required=False)
    reporter_phone = forms.CharField(label=_("Reporter's phone"), max_length=20, required=False)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    country = forms.ChoiceField(label=_("Country"), required=False)
    place = forms.CharField(label=_("Place abroad (city, address)"), max_length=200, required=False)
    party_kind = forms.ChoiceField(
        label=_("Reported party"), choices=_blank(PartyKind.choices), required=False
    )
    party_name = forms.CharField(
        label=_("Name of the reported party"), max_length=150, required=False
    )
    party_contact = forms.CharField(
        label=_("Contact of the reported party"), max_length=200, required=False
    )
    agency_name = forms.CharField(label=_("P3MI"), max_length=150, required=False)
    narrative = forms.CharField(label=_("What happened"), widget=forms.Textarea)
    demand = forms.CharField(
        label=_("What the worker asks for"), widget=forms.Textarea, required=False
    )
    file = forms.FileField(
        label=_("Attachment (PDF, JPG or PNG)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    file_description = forms.CharField(
        label=_("What the attachment is"), max_length=200, required=False
    )

    def __init__(self, *args, user, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.person = person
        self.fields["reported_on"].initial = timezone.localdate()
        self.fields["country"].choices = _countries()
        if person is not None:
            for name in ("nik", "full_name", "sex", "birth_date", "village"):
                del self.fields[name]
            return
        self.fields["nik"].required = True
        if user.is_village_user:
            del self.fields["village"]
            return
        self.fields["village"] = AreaField(
            label=_("Village (for a new person)"),
            levels=(Level.VILLAGE,),
            user=user,
            required=False,
        )

    def clean_village(self):
        village = self.cleaned_data.get("village")
        if village is None:
            return None
        in_reach = scope(Area.objects.filter(code=village.code), self.user, field="code")
        if not in_reach.exists():
            raise forms.ValidationError(_("Choose a village within your area of work."))
        return village

    def new_person(self) -> dict | None:
        """The fields to register the person with, or None when not given."""
        data = self.cleaned_data
        if not (data.get("full_name") or "").strip():
            return None
        village = data.get("village") if "village" in self.fields else self.user.jurisdiction
        return {
            "nik": data.get("nik", ""),
            "full_name": data["full_name"],
            "sex": data.get("sex") or "",
            "birth_date": data.get("birth_date"),
            "village": village,
        }

    def case_data(self) -> dict:
        names = [
            "categories",
            "urgent",
            "reported_on",
            "reporter_kind",
            "reporter_relation",
            "reporter_name",
            "reporter_phone",
            "channel",
            "country",
            "place",
            "party_kind",
            "party_name",
            "party_contact",
            "agency_name",
            "narrative",
            "demand",
        ]
        return {name: self.cleaned_data[name] for name in names}

    def attachment(self) -> dict | None:
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        return {"file": upload, "description": self.cleaned_data.get("file_description", "")}


class StepForm(forms.Form):
    occurred_on = forms.DateField(label=_("Date"), widget=DateInput())
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, case=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["occurred_on"].initial = timezone.localdate()


class ReferForm(StepForm):
    unit = forms.ChoiceField(label=_("Refer to"), choices=Unit.choices)
    unit_detail = forms.CharField(
        label=_("Which office"),
        max_length=150,
        required=False,
        help_text=_("For example KBRI Kuala Lumpur, Polres Mesuji."),
    )
    field_order = ["unit", "unit_detail", "occurred_on", "note"]


def _officer_field(case, *, unit=None, required):
    from lindung.cases.selectors import officer_choices

    officers = officer_choices(case=case, unit=unit) if case is not None else []
    choices = [(str(u.pk), f"{u} ({u.get_role_display()})") for u in officers]
    return forms.ChoiceField(
        label=_("Handling officer"),
        choices=choices if required else _blank(choices, _("— me —")),
        required=required,
    )


class TakeUpForm(StepForm):
    def __init__(self, *args, case=None, user=None, **kwargs):
        super().__init__(*args, case=case, user=user, **kwargs)
        unit = case.unit if case is not None and case.unit else _own_unit(user)
        self.fields["officer"] = _officer_field(case, unit=unit, required=False)
        self.order_fields(["officer", "occurred_on", "note"])


def _own_unit(user):
    return {"disnaker": Unit.DISNAKER, "bp3mi": Unit.BP3MI, "kp2mi": Unit.KP2MI}.get(
        getattr(user, "role", ""), ""
    )


class AssignForm(StepForm):
    def __init__(self, *args, case=None, user=None, **kwargs):
        super().__init__(*args, case=case, user=user, **kwargs)
        self.fields["officer"] = _officer_field(case, required=True)
        self.order_fields(["officer", "occurred_on", "note"])


class ResolveForm(StepForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=_blank(Outcome.choices))
    amount = forms.DecimalField(
        label=_("Amount recovered (Rp)"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=0,
    )
    record_return = forms.BooleanField(
        label=_("Also record the return home on the person's placement"), required=False
    )
    return_reason = forms.ChoiceField(
        label=_("Reason for the return"), choices=_blank(ReturnReason.choices), required=False
    )
    returned_on = forms.DateField(label=_("Arrived home on"), widget=DateInput(), required=False)
    field_order = [
        "outcome",
        "amount",
        "record_return",
        "return_reason",
        "returned_on",
        "occurred_on",
        "note",
    ]


class ReopenForm(forms.Form):
    occurred_on = forms.DateField(label=_("Date"), widget=DateInput())
    reason = forms.CharField(label=_("Why reopen"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, case=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occurred_on"].initial = timezone.localdate()


class NoteForm(StepForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].required = True
        self.fields["note"].label = _("Progress note")


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("File (PDF, JPG or PNG)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    description = forms.CharField(label=_("What it is"), max_length=200, required=False)

    def __init__(self, *args, case=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class SupervisorForm(forms.Form):
    supervisor = forms.ChoiceField(label=_("Supervisor"), required=False)

    def __init__(self, *args, case=None, user=None, **kwargs):
        from lindung.cases.selectors import supervisor_choices

        super().__init__(*args, **kwargs)
        people = supervisor_choices(case=case) if case is not None else []
        choices = [(str(u.pk), f"{u} ({u.get_role_display()})") for u in people]
        self.fields["supervisor"].choices = _blank(choices, _("— none —"))
        self.fields["supervisor"].help_text = _(
            "The supervisor reads the whole case, like its handlers."
        )
        if case is not None and case.supervisor_id:
            self.fields["supervisor"].initial = str(case.supervisor_id)


class EmergencyReadForm(forms.Form):
    reason = forms.CharField(
        label=_("Why you must read this case now"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_(
            "The reason is recorded in the audit trail and shown to the unit handling the case."
        ),
    )

    def __init__(self, *args, case=None, user=None, **kwargs):
        from lindung.cases.need_to_know import EMERGENCY_REASON_MIN_LENGTH

        super().__init__(*args, **kwargs)
        self.fields["reason"].widget.attrs["minlength"] = EMERGENCY_REASON_MIN_LENGTH


VIEW_CHOICES = [
    ("open", _("Open")),
    ("mine", _("My cases")),
    ("overdue", _("Overdue")),
    ("escalated", _("Escalated to my level")),
    ("all", _("All")),
]


class CaseFilterForm(forms.Form):
    view = forms.ChoiceField(choices=VIEW_CHOICES, required=False, widget=forms.HiddenInput)
    q = forms.CharField(label=_("Name or NIK"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), choices=_blank(Status.choices), required=False)
    category = forms.ChoiceField(
        label=_("Category"), choices=_blank(Category.choices), required=False
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    urgent = forms.BooleanField(label=_("Urgent only"), required=False)
    village = forms.CharField(required=False, widget=forms.HiddenInput, max_length=13)
    party = forms.CharField(required=False, widget=forms.HiddenInput, max_length=150)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = _countries()
