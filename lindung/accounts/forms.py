from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from lindung.accounts.area_forms import AreaField
from lindung.accounts.models import Role
from lindung.accounts.services import login_locked_until
from lindung.audit.middleware import client_ip
from lindung.audit.models import Action
from lindung.audit.services import audit_record


def _lock_params(until) -> dict:
    """The end of a lock as the local time and the minutes left, for the refusal's message."""
    minutes = max(1, round((until - timezone.now()).total_seconds() / 60))
    return {"time": formats.time_format(timezone.localtime(until), "H:i"), "minutes": minutes}


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
            raise forms.ValidationError(
                self.error_messages["locked"], code="locked", params=_lock_params(until)
            )
        return super().clean()


class AreaCodeField(AreaField):
    """An area picked by name or typed as its dotted Kemendagri code (the area picker)."""

    def __init__(self, *, level=None, **kwargs):
        super().__init__(levels=(level,) if level else (), **kwargs)


class UserForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    first_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    organisation = forms.CharField(label=_("Organisation"), max_length=120, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    jurisdiction = AreaCodeField(label=_("Area of work"), required=False)
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
    """A user's change of their own password, worded like the rest of Lindung.

    The current password is a password guess like a login: a wrong one is recorded as a failed
    login and counts towards the same lock of this username from this address (`ip`), so a
    borrowed or stolen session cannot try passwords without limit."""

    error_messages = {
        **PasswordChangeForm.error_messages,
        "locked": _(
            "Too many wrong passwords. For your safety, changing the password is paused until "
            "%(time)s (about %(minutes)s minutes)."
        ),
    }

    def __init__(self, *args, ip=None, **kwargs):
        self.ip = ip
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Current password")
        self.fields["new_password1"].label = _("New password")
        self.fields["new_password1"].help_text = _(
            "At least 8 characters; a common password is refused."
        )
        self.fields["new_password2"].label = _("New password again")
        self.fields["new_password2"].help_text = ""

    def clean_old_password(self):
        username = self.user.username
        until = login_locked_until(username=username, ip=self.ip)
        if until is not None:
            audit_record(actor=self.user, action=Action.LOGIN_LOCKED, ip=self.ip)
            raise forms.ValidationError(
                self.error_messages["locked"], code="locked", params=_lock_params(until)
            )
        old_password = self.cleaned_data["old_password"]
        if not self.user.check_password(old_password):
            audit_record(
                actor=self.user,
                action=Action.LOGIN_FAILED,
                ip=self.ip,
                changes={"form": "password_change"},
            )
            raise forms.ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old_password


class TwoFactorCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The 6 digits the authenticator app shows now, or one recovery code."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text"}),
    )
