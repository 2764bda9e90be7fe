"""Writes of API tokens: create (the token is shown once), revoke, and check a presented one."""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.api.models import ApiToken
from lindung.audit.models import Action
from lindung.audit.services import audit_record
from lindung.lib.errors import ApplicationError

TOKEN_START = "lnd_"  # noqa: S105 (the visible start of every token, not a secret)
PREFIX_LENGTH = 10
# The last use is written at most this often: one UPDATE per call would double a call's writes.
LAST_USED_EVERY = timedelta(minutes=5)


def token_digest(raw: str) -> str:
    """The SHA-256 of a whole token, as stored."""
    return hashlib.sha256(raw.encode()).hexdigest()


def token_prefix(raw: str) -> str | None:
    """The lookup prefix of a token in Lindung's shape (lnd_<prefix>_<secret>), else None."""
    if not raw.startswith(TOKEN_START):
        return None
    prefix, _sep, secret = raw[len(TOKEN_START) :].partition("_")
    if len(prefix) != PREFIX_LENGTH or len(secret) < 20:
        return None
    return prefix


@transaction.atomic
def api_token_create(
    *, actor, user, name: str = "", days: int | None = None, raw: str | None = None
) -> tuple[ApiToken, str]:
    """Make a token for `user`; returns the row and the token itself, which is never kept.

    `raw` fixes the token's value (the demo's documented tokens only)."""
    if not user.is_active:
        raise ApplicationError(_("This account is not active."), field="user")
    if days is not None and days < 1:
        raise ApplicationError(_("A token lives for at least one day."), field="days")
    if raw is None:
        raw = f"{TOKEN_START}{secrets.token_hex(PREFIX_LENGTH // 2)}_{secrets.token_urlsafe(32)}"
    prefix = token_prefix(raw)
    if prefix is None:
        raise ApplicationError(_("This is not a Lindung API token."), field="token")
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        name=(name or "").strip()[:80],
        prefix=prefix,
        digest=token_digest(raw),
        created_at=now,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        expires_at=now + timedelta(days=days) if days else None,
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=token,
        area_code=user.jurisdiction_id or "",
        changes={
            "user": [None, user.username],
            "expires_at": [None, token.expires_at.isoformat() if token.expires_at else None],
        },
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> None:
    """Stop a token from working, for good."""
    if token.revoked_at is not None:
        raise ApplicationError(_("This token is already revoked."))
    token.revoked_at = timezone.now()
    token.revoked_by = actor
    token.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=token,
        area_code=token.user.jurisdiction_id or "",
        changes={"revoked_at": [None, token.revoked_at.isoformat()]},
    )


def api_token_check(*, raw: str) -> ApiToken | None:
    """The usable token (of an active user) that `raw` is, or None."""
    prefix = token_prefix(raw or "")
    if prefix is None:
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.digest, token_digest(raw)):
        return None
    now = timezone.now()
    if not token.is_usable(now) or not token.user.is_active:
        return None
    # The demo's tokens are public (README): like the demo accounts' passwords, they stop
    # working the moment the database is served outside demo mode.
    if token.user.is_demo and not settings.DEMO_MODE:
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def api_call_record(*, token: ApiToken, method: str, path: str, query: str = "") -> None:
    """One trail entry per API call, in the name of the token's owner."""
    user = token.user
    target = f"{method} {path}" + (f"?{query}" if query else "")
    audit_record(
        actor=user,
        action=Action.API_CALL,
        object_type="api.call",
        object_id=token.prefix,
        object_repr=target[:200],
        area_code=user.jurisdiction_id or "",
    )
