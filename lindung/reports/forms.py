from django import forms
from django.utils.translation import gettext_lazy as _

from lindung.accounts.scoping import code_in_scope, scope, user_area_code
from lindung.regions.models import Area
from lindung.reports.declared import ReportSpec, month_bounds, nation

MAX_AREA_CHOICES = 400


class ReportForm(forms.Form):
    area = forms.CharField(label=_("Area"))
    month = forms.CharField(
        label=_("Month"), widget=forms.TextInput(attrs={"type": "month"}), max_length=7
    )

    def __init__(self, *args, user, spec: ReportSpec, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.spec = user, spec
        if spec.level == 0:  # a national report: the nation is its only area
            del self.fields["area"]
            return
        areas = scope(Area.objects.filter(level=spec.level), user, field="code")
        if areas.count() <= MAX_AREA_CHOICES:
            self.fields["area"] = forms.ChoiceField(
                label=_("Area"), choices=[(a.code, f"{a.title} ({a.code})") for a in areas]
            )
        else:
            self.fields["area"].help_text = _("The area code, e.g. 18.11.01.2001.")

    def clean_area(self):
        code = self.cleaned_data["area"].strip()
        area = Area.objects.filter(code=code, level=self.spec.level).first()
        if area is None or not code_in_scope(self.user, code):
            raise forms.ValidationError(_("Choose an area of the right level within your reach."))
        return area

    def clean(self):
        cleaned = super().clean()
        if self.spec.level == 0:
            if user_area_code(self.user) is not None:
                raise forms.ValidationError(_("Only national users run national reports."))
            cleaned["area"] = nation()
        return cleaned

    def clean_month(self):
        value = self.cleaned_data["month"].strip()
        try:
            month_bounds(value)
        except ValueError:
            raise forms.ValidationError(_("Give the month as YYYY-MM, e.g. 2026-03."))
        return value
