"""Two-factor sign-in: a TOTP code (any authenticator app) after the password, or one of ten
single-use recovery codes, on django-otp's TOTP and static devices.

Whoever has enrolled gives a code at every sign-in. With LINDUNG_2FA_REQUIRED (on in production)
the roles in LINDUNG_2FA_ROLES (regency, province, national offices and administrators) must
enrol before anything else; village operators and heads may enrol and are never forced.
Failed codes count as failed logins for the (username, address) lock of the password
(login_locked_until), so guessing codes is throttled exactly like guessing passwords.
Enrolment, each verification (and whether a recovery code was used) and each failed code go to
the audit trail. API tokens are not asked for a code: a token is made by a signed-in user.
"""

from binascii import unhexlify
from urllib.parse import quote

from django.conf import settings
from django.db import transaction
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from lindung.accounts.services import audit_account, login_locked_until
from lindung.audit.middleware import client_ip
from lindung.audit.models import Action
from lindung.audit.services import audit_record
from lindung.lib.errors import ApplicationError

RECOVERY_CODES = 10
AUTHENTICATOR = "authenticator"
RECOVERY = "recovery"


def two_factor_required(user) -> bool:
    """Whether this user must enrol before using Lindung (production, office roles)."""
    return bool(settings.LINDUNG_2FA_REQUIRED) and user.role in settings.LINDUNG_2FA_ROLES


def two_factor_enrolled(user) -> bool:
    """Whether the user has a confirmed authenticator (then every sign-in asks for a code)."""
    return TOTPDevice.objects.filter(user=user, name=AUTHENTICATOR, confirmed=True).exists()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__name=RECOVERY).count()


def two_factor_pending(*, user) -> TOTPDevice:
    """The authenticator being enrolled (not confirmed yet), made when first asked for."""
    device = TOTPDevice.objects.filter(user=user, name=AUTHENTICATOR, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR, confirmed=False)
    return device


def secret_base32(device: TOTPDevice) -> str:
    """The device's key as authenticator apps take it when typed in."""
    from base64 import b32encode

    return b32encode(unhexlify(device.key)).decode().rstrip("=")


def config_url(device: TOTPDevice) -> str:
    """The otpauth:// address the QR code carries (issuer Lindung, the username)."""
    issuer = quote(settings.OTP_TOTP_ISSUER)
    label = f"{issuer}:{quote(device.user.username)}"
    return (
        f"otpauth://totp/{label}?secret={secret_base32(device)}&issuer={issuer}"
        f"&digits={device.digits}&period={device.step}"
    )


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def _normalise(code: str) -> str:
    return "".join((code or "").split()).replace("-", "").lower()


def _check_lock(user, ip) -> None:
    if login_locked_until(username=user.username, ip=ip) is not None:
        raise ApplicationError(
            _("Too many wrong codes. Signing in is paused for a while; try again later.")
        )


def _failed(user, ip, step: str) -> None:
    # Counted by login_locked_until with the password failures of the same user and address.
    audit_account(
        actor=user, user=user, action=Action.LOGIN_FAILED, changes={"second_factor": step}, ip=ip
    )


def two_factor_enrol(*, user, device: TOTPDevice, code: str, ip: str | None = None) -> list[str]:
    """Confirm the pending authenticator with a code from it; returns the new recovery codes.

    An earlier authenticator and earlier recovery codes stop working. The record of a wrong
    code is kept (outside the confirming transaction) for the login lock."""
    _check_lock(user, ip)
    if device.user_id != user.pk or device.confirmed:
        raise ApplicationError(_("Start the enrolment again."))
    if not device.verify_token(_normalise(code)):
        _failed(user, ip, "enrol")
        raise ApplicationError(
            _("The code is wrong. Check the phone's time and type the code it shows now."),
            field="code",
        )
    return _confirm(user, device, ip)


@transaction.atomic
def _confirm(user, device: TOTPDevice, ip) -> list[str]:
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(user)
    _audit_enrolment(user, device, actor=user, ip=ip)
    return codes


def _audit_enrolment(user, device: TOTPDevice, *, actor, how: str = "", ip=None) -> None:
    """The enrolment of an authenticator (with new recovery codes) in the trail."""
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=device,
        object_repr=f"{user.username}: two-factor sign-in{how}",
        area_code=user.jurisdiction_id or "",
        changes={"two_factor": [None, "totp"], "recovery_codes": [None, RECOVERY_CODES]},
        ip=ip,
    )


@transaction.atomic
def two_factor_recovery_renew(*, user, ip: str | None = None) -> list[str]:
    """Ten new recovery codes for an enrolled user; the old ones stop working."""
    if not two_factor_enrolled(user):
        raise ApplicationError(_("Enrol an authenticator first."))
    codes = _new_recovery_codes(user)
    audit_account(actor=user, user=user, changes={"recovery_codes": ["***", RECOVERY_CODES]}, ip=ip)
    return codes


def two_factor_verify(*, request, code: str) -> str:
    """Check the second factor of the signed-in user and mark the session verified.

    Returns which factor was used ("authenticator" or "recovery"); a recovery code is used
    up. Raises ApplicationError for a wrong code or while the login lock holds. Not one
    transaction: the record of a wrong code must stay when the error is raised."""
    user, ip = request.user, client_ip(request)
    _check_lock(user, ip)
    device = match_token(user, _normalise(code))
    if device is None:
        _failed(user, ip, "verify")
        raise ApplicationError(_("The code is wrong."), field="code")
    otp_login(request, device)
    kind = RECOVERY if isinstance(device, StaticDevice) else AUTHENTICATOR
    changes = {"second_factor": kind}
    if kind == RECOVERY:
        changes["recovery_codes_left"] = recovery_codes_left(user)
    audit_account(actor=user, user=user, action=Action.LOGIN, changes=changes, ip=ip)
    return kind


@transaction.atomic
def two_factor_enrol_device(*, user, key_hex: str | None = None) -> tuple[TOTPDevice, list[str]]:
    """Enrol an authenticator with a known key, without a code (the management command and
    the demo); returns the device and new recovery codes."""
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(
        user=user, name=AUTHENTICATOR, confirmed=True, key=key_hex or default_key()
    )
    codes = _new_recovery_codes(user)
    _audit_enrolment(user, device, actor=None, how=" (command)")
    return device, codes


# -- enforcement --------------------------------------------------------------------------------

# What a signed-in user who still owes a code may open.
VERIFY_PAGES = {"accounts:two_factor_verify", "accounts:logout", "set_language"}
# What a user who must enrol may open.
ENROL_PAGES = VERIFY_PAGES | {"accounts:two_factor_enrol", "accounts:two_factor_qr"}


class TwoFactorMiddleware:
    """Sends a signed-in but unverified user to the code page (enrolled) or to enrolment
    (not enrolled, and required). Runs after django-otp's OTPMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not user.is_verified():
            target = self._target(request, user)
            if target is not None:
                return target
        return self.get_response(request)

    def _target(self, request, user):
        try:
            name = resolve(request.path_info).view_name
        except Resolver404:
            return None
        if name.startswith("api-v1:") or name == "healthz":
            return None
        if two_factor_enrolled(user):
            if name in VERIFY_PAGES:
                return None
            url = reverse("accounts:two_factor_verify")
        elif two_factor_required(user):
            if name in ENROL_PAGES:
                return None
            url = reverse("accounts:two_factor_enrol")
        else:
            return None
        if request.method == "GET":
            url += "?" + "next=" + quote(request.get_full_path())
        return redirect(url)
