import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from lindung.reports.synthetic import synthetic_generate


class Command(BaseCommand):
    help = (
        "Write N synthetic persons with realistic shares: episodes and their events, family "
        "members, a case for 1 %% of those who have worked abroad, a programme enrolment for "
        "8 %% of candidates and 5 %% of returnees, one outreach session per 100 persons and an "
        "audit row for every record made. The tables' secondary indexes are built after the "
        "rows, then the counters. Never real personal data; the same seed gives the same data."
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
        per_million = totals.bytes_written / totals.persons * 1_000_000 / 2**20
        self.stdout.write(
            f"{totals.persons} persons, {totals.placements} placements, {totals.events} events, "
            f"{totals.family} family members, {totals.cases} cases, {totals.programmes} "
            f"programmes with {totals.enrolments} enrolments, {totals.sessions} outreach "
            f"sessions and {totals.audit} audit rows written in {seconds:.1f} s "
            f"({totals.persons / seconds:.0f} persons/s), counters rebuilt."
        )
        self.stdout.write(
            "Time: " + ", ".join(f"{name} {value:.1f} s" for name, value in totals.seconds.items())
        )
        self.stdout.write(
            f"Size on disk (tables + indexes): {totals.bytes_written / 2**20:.0f} MiB written, "
            f"{per_million:.0f} MiB per million persons; the database holds "
            f"{totals.bytes_total / 2**20:.0f} MiB."
        )
