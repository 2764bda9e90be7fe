"""The main menu: each entry names a URL and the roles that see it.

Apps add their entries here; an entry whose URL is not (yet) defined is left out.
"""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from lindung.accounts.models import Role

ALL = set(Role.values)
MENU = [
    ("home", _("Home"), ALL),
    ("accounts:user_list", _("Users"), {Role.ADMIN, Role.DISNAKER}),
    ("audit:event_list", _("Audit trail"), {Role.ADMIN, Role.DISNAKER, Role.BP3MI, Role.KP2MI}),
]


def nav_items(user) -> list[dict]:
    """The entries of MENU this user's role may see, with their URLs."""
    items = []
    for url_name, label, roles in MENU:
        if user.role not in roles:
            continue
        try:
            items.append({"url": reverse(url_name), "label": label, "name": url_name})
        except NoReverseMatch:
            continue
    return items
