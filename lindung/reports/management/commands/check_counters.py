from django.core.management.base import BaseCommand, CommandError

from lindung.counters.models import Counter
from lindung.reports.counters import counters_differences

SHOWN = 50


class Command(BaseCommand):
    help = (
        "Compare the counters with a plain GROUP BY over persons and events; exits non-zero and "
        "lists where they differ."
    )

    def handle(self, *args, **options):
        differences = counters_differences()
        if not differences:
            self.stdout.write("Counters match the records.")
            return
        for key, actual, expected in differences[:SHOWN]:
            dims = ", ".join(
                f"{name}={value!r}"
                for name, value in zip(Counter.DIMENSIONS, key, strict=True)
                if value != ""
            )
            self.stderr.write(f"{dims}: counter {actual}, records {expected}")
        if len(differences) > SHOWN:
            self.stderr.write(f"… and {len(differences) - SHOWN} more.")
        raise CommandError(
            f"{len(differences)} counters differ from the records; run rebuild_counters."
        )
