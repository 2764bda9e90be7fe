"""Login, logout and failed logins go to the audit trail; Django announces them as signals."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from lindung.accounts.middleware import session_start
from lindung.accounts.services import audit_account
from lindung.audit.middleware import client_ip
from lindung.audit.models import Action
from lindung.audit.services import audit_record


def _record(user, action: str, request) -> None:
    """A user's own login or logout in the trail, from their address."""
    audit_account(actor=user, user=user, action=action, ip=client_ip(request) if request else None)


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        session_start(request.session)
    _record(user, Action.LOGIN, request)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        _record(user, Action.LOGOUT, request)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    audit_record(
        actor=None,
        action=Action.LOGIN_FAILED,
        username=(credentials.get("username") or "").strip().lower(),
        ip=client_ip(request) if request else None,
    )
