from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from lindung.accounts.models import Role
from lindung.accounts.services import login_locked_until
from lindung.audit.middleware import client_ip
from lindung.audit.models import Action
from lindung.audit.services import audit_record
from lindung.regions.models import Area


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The username or password is wrong. Both are case-sensitive."),
        "locked": _(
            "Too many failed logins. For your safety, logging in is paused until %(time)s "
            "(about %(minutes)s minutes). Ask your administrator if you forgot your password."
        ),
    }

    def clean(self):
        username = (self.cleaned_data.get("username") or "").strip().lower()
        self.cleaned_data["username"] = username
        ip = client_ip(self.request) if self.request else None
        until = login_locked_until(username=username, ip=ip)
        if until is not None:
            audit_record(actor=None, action=Action.LOGIN_LOCKED, username=username, ip=ip)
            minutes = max(1, round((until - timezone.now()).total_seconds() / 60))
            raise forms.ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={
                    "time": formats.time_format(timezone.localtime(until), "H:i"),
                    "minutes": minutes,
                },
            )
        return super().clean()


class AreaCodeField(forms.CharField):
    """An area typed as its dotted Kemendagri code."""

    def __init__(self, *, level=None, **kwargs):
        self.level = level
        kwargs.setdefault("max_length", 13)
        kwargs.setdefault(
            "help_text", _("Dotted Kemendagri code, e.g. 18.11 for Kabupaten Mesuji.")
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        area = Area.objects.filter(code=value.strip()).first()
        if area is None:
            raise forms.ValidationError(
                _("There is no area with the code %(code)s."), params={"code": value}
            )
        return area


class UserForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    first_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    organisation = forms.CharField(label=_("Organisation"), max_length=120, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    jurisdiction = AreaCodeField(label=_("Area of work (code)"), required=False)
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(render_value=False),
        help_text=_("At least 8 characters; a common password is refused."),
    )

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["password"]
            self.fields["username"].disabled = True


class PasswordResetForm(forms.Form):
    password = forms.CharField(
        label=_("New password"),
        widget=forms.PasswordInput,
        help_text=_("At least 8 characters; a common password is refused."),
    )


class OwnPasswordForm(PasswordChangeForm):
    """A user's change of their own password, worded like the rest of Lindung."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Current password")
        self.fields["new_password1"].label = _("New password")
        self.fields["new_password1"].help_text = _(
            "At least 8 characters; a common password is refused."
        )
        self.fields["new_password2"].label = _("New password again")
        self.fields["new_password2"].help_text = ""
