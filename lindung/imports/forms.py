"""Forms of the import pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lindung.imports.headers import FIELDS, header_label
from lindung.imports.messages import FIELD_LABELS


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet file"),
        help_text=_("XLSX, XLS, ODS or CSV; an ODK/KoboToolbox export is read the same way."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.ods,.csv,.txt"}),
    )
    area = forms.ChoiceField(label=_("Area of this file"))

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.areas = {a.code: a for a in areas}
        self.fields["area"].choices = [(a.code, f"{a.title} ({a.code})") for a in areas]
        if len(areas) == 1:
            # One possible area (a village user): nothing to choose, whatever is posted.
            del self.fields["area"]
        self.only_area = areas[0] if len(areas) == 1 else None

    def clean(self):
        data = super().clean()
        if self.only_area is not None:
            data["area"] = self.only_area
        elif "area" in data:
            data["area"] = self.areas[data["area"]]
        return data


class SheetForm(forms.Form):
    sheet = forms.ChoiceField(label=_("Sheet"))

    def __init__(self, *args, sheets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sheet"].choices = [(s, s) for s in sheets]


class MappingForm(forms.Form):
    """One drop-down per known field: which column of the file holds it."""

    save_as = forms.CharField(
        label=_("Remember this mapping as"),
        required=False,
        max_length=100,
        help_text=_("Optional: a name, so the next upload with these columns is mapped for you."),
    )

    def __init__(self, *args, headers, mapping, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— not in this file —"))] + [
            (str(i), header_label(headers, i)) for i in range(len(headers))
        ]
        fields = {}
        for f in FIELDS:
            initial = mapping.get(f.key)
            fields[f"col_{f.key}"] = forms.ChoiceField(
                label=FIELD_LABELS[f.key],
                required=False,
                choices=choices,
                initial="" if initial is None else str(initial),
            )
        self.fields = {**fields, "save_as": self.fields["save_as"]}

    def mapping(self) -> dict[str, int]:
        return {
            name.removeprefix("col_"): int(value)
            for name, value in self.cleaned_data.items()
            if name.startswith("col_") and value not in ("", None)
        }
