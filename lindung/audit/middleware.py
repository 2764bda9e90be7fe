import ipaddress

from django.conf import settings

from lindung.audit.context import current_ip


def _address(value: str | None) -> str | None:
    value = (value or "").strip()
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address, as the audit trail and the login throttle record it.

    Without proxies (TRUSTED_PROXY_COUNT 0) it is REMOTE_ADDR. Behind N trusted reverse proxies
    each appends the address it received the request from to X-Forwarded-For, so the client is
    the N-th entry from the right: everything left of it was written by the client itself and
    is never believed. A header shorter than N, or an entry that is no address, means the
    request did not come through the proxies as configured: the peer's address is used.
    """
    remote = _address(request.META.get("REMOTE_ADDR"))
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        entries = [e for e in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if e.strip()]
        if len(entries) >= count:
            return _address(entries[-count]) or remote
    return remote


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)
