from django.core.management.base import BaseCommand

from lindung.reports.counters import counters_rebuild


class Command(BaseCommand):
    help = "Recompute every dashboard counter from the persons and their events."

    def handle(self, *args, **options):
        rows = counters_rebuild()
        self.stdout.write(f"Counters rebuilt: {rows} rows.")
