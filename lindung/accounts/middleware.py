"""An absolute session lifetime on top of the idle timeout (SESSION_COOKIE_AGE).

The session is renewed on every request, so without this an active (or stolen and kept busy)
session would never end. The login time goes into the session when a user logs in; a session
older than SESSION_ABSOLUTE_LIFETIME, or one without a login time, is logged out and sent to the
login page like an idle one.
"""

from datetime import datetime

from django.conf import settings
from django.contrib.auth import logout
from django.utils import timezone

LOGIN_AT = "lindung_login_at"


def session_start(session) -> None:
    """Note the login time in the session (the accounts signals call it on every login)."""
    session[LOGIN_AT] = timezone.now().isoformat()


def session_expired(session) -> bool:
    """True when the session's login is older than the absolute lifetime (or unknown)."""
    value = session.get(LOGIN_AT)
    try:
        logged_in = datetime.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        logged_in = None
    if logged_in is None:
        return True
    return timezone.now() - logged_in >= settings.SESSION_ABSOLUTE_LIFETIME


class SessionLifetimeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and session_expired(request.session):
            logout(request)
        return self.get_response(request)
