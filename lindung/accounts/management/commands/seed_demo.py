from importlib import import_module, util

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from lindung.accounts.demo import DEMO_ACCOUNTS, DEMO_TOTP_SECRET, DEMO_TOTP_USER


class Command(BaseCommand):
    help = "Seed the Kabupaten Mesuji demo (accounts and every app's demo data). Idempotent."

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError("Demo data is never created in production settings.")
        context: dict = {}
        for config in apps.get_app_configs():
            if not config.name.startswith("lindung."):
                continue
            module_name = f"{config.name}.demo"
            if util.find_spec(module_name) is None:
                continue
            with transaction.atomic():
                import_module(module_name).seed(context)
        self.stdout.write(f"Demo accounts (password: {settings.DEMO_PASSWORD}):")
        for username, _name, role, code, organisation in DEMO_ACCOUNTS:
            where = code or "nasional"
            self.stdout.write(f"  {username:<22} {str(role.label):<34} {where:<14} {organisation}")
        self.stdout.write(
            f"Two-factor sign-in: {DEMO_TOTP_USER} asks for a code after the password; "
            f"authenticator key {DEMO_TOTP_SECRET}."
        )
        codes = context.get("demo_recovery_codes")
        if codes:
            self.stdout.write(f"  its recovery codes (each works once): {' '.join(codes)}")
