"""Bearer-token authentication, the per-token rate limit and the per-call audit entry."""

from django.conf import settings
from django.utils import translation
from ninja.security import HttpBearer
from ninja.throttling import SimpleRateThrottle

from lindung.api.services import api_call_record, api_token_check


class TokenAuth(HttpBearer):
    """`Authorization: Bearer lnd_…`: the request then acts as the token's owner."""

    def authenticate(self, request, token):
        api_token = api_token_check(raw=token)
        if api_token is None:
            return None
        request.user = api_token.user
        # Services raise their messages in the active language: English, which the problem
        # documents then look up in the Indonesian catalogue (lindung/api/problems.py).
        translation.activate("en")
        request.api_token = api_token
        api_call_record(
            token=api_token,
            method=request.method,
            path=request.path,
            query=request.META.get("QUERY_STRING", ""),
        )
        return api_token


class TokenRateThrottle(SimpleRateThrottle):
    """At most API_RATE_LIMIT calls per token (Django's cache keeps the window)."""

    scope = "api_token"

    def get_rate(self):
        return settings.API_RATE_LIMIT

    def allow_request(self, request) -> bool:
        # Read the setting on every call, so a changed limit needs no restart of the object.
        self.num_requests, self.duration = self.parse_rate(settings.API_RATE_LIMIT)
        return super().allow_request(request)

    def get_cache_key(self, request):
        token = getattr(request, "api_token", None)
        ident = f"t{token.pk}" if token is not None else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
