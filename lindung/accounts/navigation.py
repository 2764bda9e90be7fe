"""The main menu: each entry names a URL and the roles that see it.

Apps add their entries here; an entry whose URL is not (yet) defined is left out.
"""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from lindung.accounts.models import Role

ALL = set(Role.values)
HANDLERS = {Role.DISNAKER, Role.BP3MI, Role.KP2MI}
MENU = [
    ("home", _("Home"), ALL),
    ("registry:person_list", _("Residents"), ALL - {Role.ADMIN}),
    ("registry:verification_queue", _("To verify"), {Role.VILLAGE_HEAD}),
    ("cases:case_list", _("Cases"), ALL - {Role.ADMIN}),
    ("reports:warning_list", _("Early warnings"), ALL - {Role.ADMIN}),
    ("reports:report_list", _("Reports"), ALL - {Role.ADMIN}),
    ("programs:program_list", _("Programmes"), ALL - {Role.ADMIN}),
    ("programs:quickwin", _("Quick Win"), ALL),
    ("outreach:session_list", _("Outreach"), ALL - {Role.ADMIN}),
    ("outreach:announcement_list", _("Announcements"), ALL - {Role.ADMIN}),
    ("regulations:regulation_list", _("Regulations"), ALL - {Role.ADMIN}),
    ("imports:import_list", _("Import and export"), ALL - {Role.ADMIN, Role.KP2MI}),
    ("accounts:user_list", _("Users"), {Role.ADMIN, Role.DISNAKER}),
    ("privacy:request_list", _("Data protection"), ALL - {Role.ADMIN, Role.OPD}),
    ("privacy:register", _("Processing register"), {Role.ADMIN}),
    ("audit:event_list", _("Audit trail"), {Role.ADMIN} | HANDLERS),
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
