"""Reads of API tokens: a user sees only their own."""

from django.db.models import QuerySet

from lindung.api.models import ApiToken


def api_token_list(*, user) -> QuerySet[ApiToken]:
    """The user's own tokens, newest first (revoked and expired ones included, to show)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def api_token_get(*, user, pk) -> ApiToken | None:
    """One of the user's own tokens, or None."""
    return api_token_list(user=user).filter(pk=pk).first()
