from django import forms
from django.utils.translation import gettext_lazy as _

from lindung.accounts.area_forms import AreasField
from lindung.accounts.forms import AreaCodeField
from lindung.lib.forms import DateInput
from lindung.outreach.models import AnnouncementKind, Channel, OrganiserKind, Topic


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    area = AreaCodeField(
        label=_("Where (village, district or regency)"),
        help_text=_("e.g. 18.11.01.2001 for one village, 18.11 for a regency-wide radio spot."),
    )
    villages = AreasField(
        label=_("Other villages reached"),
        required=False,
        help_text=_(
            "For a session shared by several villages: names or codes, separated by commas."
        ),
    )
    organiser_kind = forms.ChoiceField(label=_("Organiser"), choices=OrganiserKind.choices)
    organiser_name = forms.CharField(
        label=_("Organiser's name"),
        max_length=150,
        help_text=_("e.g. Disnaker Mesuji, Fatayat NU Mesuji, PKK Desa Wiralaga I."),
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    topics = forms.MultipleChoiceField(
        label=_("Topics (PP 59/2021 Pasal 4)"),
        choices=Topic.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    attendees_male = forms.IntegerField(label=_("Men reached"), min_value=0, initial=0)
    attendees_female = forms.IntegerField(label=_("Women reached"), min_value=0, initial=0)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea, required=False)


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=150)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, picture (JPG, PNG, WEBP), audio (MP3, M4A), MP4 video, DOCX or PPTX."),
    )


class SessionFilterForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[("", _("All")), *Channel.choices], required=False
    )
    topic = forms.ChoiceField(
        label=_("Topic"), choices=[("", _("All")), *Topic.choices], required=False
    )
    since = forms.DateField(label=_("Since"), widget=DateInput(), required=False)


class AnnouncementForm(forms.Form):
    area = AreaCodeField(
        label=_("For (village, regency or province)"),
        required=False,
        help_text=_("Empty publishes for the whole nation (KP2MI only)."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=AnnouncementKind.choices)
    title = forms.CharField(label=_("Title"), max_length=150)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea)
    source = forms.CharField(
        label=_("Official source"),
        max_length=200,
        required=False,
        help_text=_("Where the information comes from, e.g. SISKOP2MI job order or BP3MI."),
    )
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput())
    valid_until = forms.DateField(label=_("Valid until"), widget=DateInput(), required=False)


class ArchiveForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=250)
