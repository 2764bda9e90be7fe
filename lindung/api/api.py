"""The JSON API, version 1: one NinjaAPI with its authentication, limits and error answers."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from lindung.api.auth import TokenAuth, TokenRateThrottle
from lindung.api.problems import error, problem
from lindung.api.schemas import PAGE_SIZE_MAX
from lindung.lib.errors import ApplicationError
from lindung.registry.nik_clash import nik_lookup_audit

DESCRIPTION = f"""
Lindung's data for other systems. Every call acts as one Lindung user: send an API token of
that user as `Authorization: Bearer lnd_…` (create one with `manage.py create_api_token USERNAME`;
the user's account page lists and revokes them). A call sees and changes exactly what that
user could in the web pages: the rows of the user's area of work, and case narratives only when
the need-to-know policy allows.

**Limits.** Each token may make {settings.API_RATE_LIMIT.replace("/", " calls per ")} (setting
`API_RATE_LIMIT`); past that the answer is 429 with a `Retry-After` header (seconds). Lists are
paged with cursors: `limit` is at most {PAGE_SIZE_MAX}; pass the answer's `next` as `cursor`.
The resident push takes at most 1,000 residents per call.

**Errors.** Every 4xx answer is a problem document: `status`, `title`, and `errors`, each with
the `field` concerned, a stable `code` and the message in Indonesian (`message_id`) and English
(`message_en`). A person or case outside the token's area is answered exactly as one that does
not exist.
"""

TITLES = {
    400: _("The request is not valid."),
    401: _("A valid API token is required."),
    403: _("This account may not do this."),
    404: _("Not found."),
    422: _("The data was refused."),
    429: _("Too many requests: wait before trying again."),
}
# Pydantic's error types, said in Lindung's words (both languages come from the catalogue).
VALIDATION_MESSAGES = {
    "missing": _("This field is required."),
    "string_too_long": _("This text is too long."),
    "string_too_short": _("This text is too short."),
    "string_pattern_mismatch": _("This value has the wrong form."),
    "int_parsing": _("Enter a whole number."),
    "greater_than_equal": _("This number is too small."),
    "less_than_equal": _("This number is too large."),
    "date_from_datetime_parsing": _("Enter a date as YYYY-MM-DD."),
    "date_parsing": _("Enter a date as YYYY-MM-DD."),
    "bool_parsing": _("Enter true or false."),
    "literal_error": _("Choose one of the allowed values."),
    "enum": _("Choose one of the allowed values."),
    "list_type": _("Send a list."),
    "too_long": _("This list is too long."),
    "too_short": _("This list is too short."),
}
INVALID = _("This value is not valid.")


api = NinjaAPI(
    title="Lindung API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    auth=TokenAuth(),
    throttle=[TokenRateThrottle()],
    docs=Swagger(settings={"validatorUrl": None, "tryItOutEnabled": False}),
    docs_url="/docs",
)


def answer(request, status: int, errors: list[dict], title=None):
    response = api.create_response(
        request, problem(status, title or TITLES[status], errors), status=status
    )
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="lindung"'
    return response


@api.exception_handler(AuthenticationError)
def on_authentication(request, exc):
    return answer(request, 401, [error("token", TITLES[401], "Authorization")])


@api.exception_handler(Throttled)
def on_throttled(request, exc):
    return answer(request, 429, [error("rate_limit", TITLES[429])])


@api.exception_handler(ValidationError)
def on_validation(request, exc):
    errors = []
    for item in exc.errors:
        location = [str(part) for part in item.get("loc", ()) if part not in ("body", "payload")]
        kind = item.get("type", "invalid")
        field = ".".join(location[1:] if location[:1] in (["query"], ["path"]) else location)
        errors.append(error(kind, VALIDATION_MESSAGES.get(kind, INVALID), field or None))
    return answer(request, 422, errors)


@api.exception_handler(ApplicationError)
def on_application_error(request, exc):
    # A NIK met outside the caller's area is audited here: the service's transaction is gone.
    nik_lookup_audit(actor=request.user, error=exc)
    return answer(request, 422, [error(exc.code, exc.message, exc.field)])


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    status = exc.status_code if exc.status_code in TITLES else 400
    return answer(request, status, [error(f"http_{exc.status_code}", TITLES[status])])


class NotFound(Exception):
    """Raised by an operation: the thing is unknown or outside the token's area (same answer)."""

    def __init__(self, field: str | None = None):
        self.field = field


class Forbidden(Exception):
    """Raised by an operation: the token's user may not do this at all (a role rule)."""


@api.exception_handler(NotFound)
def on_not_found(request, exc):
    return answer(request, 404, [error("not_found", TITLES[404], exc.field)])


@api.exception_handler(Forbidden)
def on_forbidden(request, exc):
    return answer(request, 403, [error("forbidden", TITLES[403])])
