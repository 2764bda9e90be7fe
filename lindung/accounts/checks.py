"""`manage.py check --deploy` fails while the database holds a demo account."""

from django.core.checks import Error, Tags, register
from django.db import DatabaseError


@register(Tags.security, deploy=True)
def demo_accounts_check(app_configs=None, **kwargs):
    from lindung.accounts.models import User

    try:
        names = list(User.objects.filter(is_demo=True).values_list("username", flat=True)[:6])
    except DatabaseError:  # not migrated yet: nothing can log in either
        return []
    if not names:
        return []
    return [
        Error(
            f"The database holds demo accounts ({', '.join(names[:5])}"
            f"{', …' if len(names) > 5 else ''}) with the public demo "
            "password. They cannot log in outside demo mode, but a production database must "
            "not carry them.",
            hint=(
                "Run production on a database that was never seeded with seed_demo (migrate, "
                "load_regions, then create real accounts); a demo account that did anything "
                "is in the audit trail and cannot be deleted."
            ),
            id="accounts.E001",
        )
    ]
