from django.conf import settings

from lindung.audit.context import current_ip


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or the trusted proxy's header when one is set."""
    header = settings.TRUSTED_PROXY_IP_HEADER
    if header:
        forwarded = request.META.get(header, "")
        if forwarded:
            return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)
