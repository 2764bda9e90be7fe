from django.core.management.base import BaseCommand
from django.db import transaction

from lindung.placements.consistency import person_state_repair
from lindung.reports.counters import counters_rebuild


class Command(BaseCommand):
    help = (
        "Derive again the phase, current episode and return date of every person whose stored "
        "ones differ from their episodes, then recompute every dashboard counter from the "
        "persons and their events."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            repaired = person_state_repair()
            rows = counters_rebuild()
        if repaired:
            self.stdout.write(f"Persons' state derived again from their episodes: {repaired}.")
        self.stdout.write(f"Counters rebuilt: {rows} rows.")
