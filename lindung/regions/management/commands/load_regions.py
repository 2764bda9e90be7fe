from django.core.management.base import BaseCommand

from lindung.regions.services import regions_load


class Command(BaseCommand):
    help = "Load or update the Kemendagri administrative areas (idempotent)."

    def handle(self, *args, **options):
        result = regions_load()
        if result.changed:
            self.stdout.write(
                f"Areas: {result.created} created, {result.updated} updated, "
                f"{result.unchanged} unchanged."
            )
        else:
            self.stdout.write(f"Areas are up to date ({result.unchanged} unchanged).")
