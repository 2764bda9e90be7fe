"""Who may authenticate: Django's model backend, less demo accounts outside demo mode."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class AccountBackend(ModelBackend):
    def user_can_authenticate(self, user) -> bool:
        """Inactive accounts never; demo accounts (seeded, public password) only in demo mode.

        Django asks this at login and again whenever a session loads its user, so a demo
        session still open when the server leaves demo mode ends on its next request."""
        if getattr(user, "is_demo", False) and not settings.DEMO_MODE:
            return False
        return super().user_can_authenticate(user)
