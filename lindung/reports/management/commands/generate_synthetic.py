import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from lindung.reports.synthetic import synthetic_generate


class Command(BaseCommand):
    help = (
        "Write N synthetic persons (episodes, events, families) with realistic shares, then "
        "rebuild the counters. Never real personal data; the same seed gives the same data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, required=True, help="How many persons.")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--area", help="Only villages in this area code (e.g. 18.11).")
        parser.add_argument(
            "--today", type=date.fromisoformat, help="Reference day (YYYY-MM-DD); default today."
        )

    def handle(self, *args, **options):
        if options["people"] < 1:
            raise CommandError("--people must be at least 1.")
        started = time.monotonic()
        try:
            totals = synthetic_generate(
                people=options["people"],
                seed=options["seed"],
                area=options["area"],
                today=options["today"],
                log=self.stdout.write if options["verbosity"] > 1 else None,
            )
        except ValueError as error:
            raise CommandError(str(error))
        seconds = time.monotonic() - started
        self.stdout.write(
            f"{totals.persons} persons, {totals.placements} placements, {totals.events} events, "
            f"{totals.family} family members written in {seconds:.1f} s "
            f"({totals.persons / seconds:.0f} persons/s), counters rebuilt."
        )
