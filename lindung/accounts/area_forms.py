"""The type-to-search area picker: one text field for every area field.

Plain HTML that works without JavaScript: the operator types a code, a name only one area in
reach has, or picks a suggestion ("Desa Wiralaga I, Mesuji Timur, Mesuji (18.11.01.2001)");
regions/area-picker.js fills the suggestions from /wilayah/pilih/ while typing. Above accounts,
as a picker keeps to the user's reach (lindung/accounts/areas.py).
"""

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from lindung.accounts.areas import area_resolve
from lindung.regions.models import Area
from lindung.regions.selectors import CODE_RE, area_label


class AreaPickerInput(forms.TextInput):
    template_name = "regions/widgets/area_picker.html"

    def __init__(self, *, levels=(), attrs=None):
        attrs = {"autocomplete": "off", "data-area-pick": reverse_lazy("regions:area_pick")}
        if levels:
            attrs["data-levels"] = ",".join(str(level) for level in levels)
        super().__init__(attrs=attrs)

    def format_value(self, value):
        if isinstance(value, Area):
            return area_label(value)
        if isinstance(value, str) and CODE_RE.fullmatch(value.strip()):
            area = Area.objects.select_related("parent__parent").filter(code=value.strip()).first()
            if area is not None:
                return area_label(area)
        return super().format_value(value)


class AreaField(forms.CharField):
    """One area, picked by name or code; cleans to the Area (or its code with to_code)."""

    def __init__(self, *, levels=(), to_code=False, user=None, **kwargs):
        self.levels = tuple(levels)
        self.to_code = to_code
        self.user = user
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("widget", AreaPickerInput(levels=self.levels))
        kwargs.setdefault(
            "help_text", _("Type a name or a code (e.g. 18.11 for Kabupaten Mesuji) and choose.")
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return "" if self.to_code else None
        area, candidates = area_resolve(user=self.user, text=value, levels=self.levels)
        if area is None and candidates:
            raise forms.ValidationError(
                _("Several areas match “%(text)s”; choose one: %(areas)s."),
                params={
                    "text": value,
                    "areas": "; ".join(area_label(a) for a in candidates),
                },
            )
        if area is None and CODE_RE.fullmatch(value.strip()):
            raise forms.ValidationError(
                _("There is no area with the code %(code)s."), params={"code": value.strip()}
            )
        if area is None:
            raise forms.ValidationError(
                _("No area matches “%(text)s”. Type a name or a code."), params={"text": value}
            )
        if self.levels and area.level not in self.levels:
            raise forms.ValidationError(
                _("Choose a %(level)s."), params={"level": area.level_label.lower()}
            )
        return area.code if self.to_code else area


class AreasField(forms.CharField):
    """Several areas: codes, or names and picker labels separated by commas or new lines."""

    def __init__(self, *, user=None, **kwargs):
        self.user = user
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 2, "data-area-many": "1"}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(getattr(a, "code", a) for a in value)
        return value

    def clean(self, value):
        value = super().clean(value)
        items = [i.strip() for i in value.replace(";", ",").replace("\n", ",").split(",")]
        texts = []
        for item in filter(None, items):
            # "18.11.01.2001 18.11.01.2005": codes separated by spaces, as before.
            parts = item.split()
            texts += parts if all(CODE_RE.fullmatch(p) for p in parts) else [item]
        areas = {}
        for text in texts:
            area, candidates = area_resolve(user=self.user, text=text)
            if area is None:
                raise forms.ValidationError(
                    _("No single area matches “%(text)s”. Type a name or a code."),
                    params={"text": text},
                )
            areas[area.code] = area
        return list(areas.values())
