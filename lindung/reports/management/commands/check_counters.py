from django.core.management.base import BaseCommand, CommandError

from lindung.counters.models import Counter
from lindung.counters.trends import trends_differences
from lindung.placements.consistency import person_state_differences
from lindung.reports.counters import counters_differences

SHOWN = 50


class Command(BaseCommand):
    help = (
        "Compare the counters with a plain GROUP BY over persons and events, the villages' "
        "trends with the counters, and each person's phase, current episode and return date "
        "with their episodes; exits non-zero and lists where they differ."
    )

    def handle(self, *args, **options):
        persons = person_state_differences()
        for difference in persons:
            ids = ", ".join(str(pk) for pk in difference.sample)
            self.stderr.write(
                f"{difference.persons} persons hold a {difference.field} their episodes do not "
                f"give (ids {ids}{', …' if difference.persons > len(difference.sample) else ''})"
            )
        if persons:
            raise CommandError(
                "Persons' derived state differs from their episodes; the counters are read "
                "from it, so it is compared first. Run rebuild_counters."
            )
        differences = counters_differences()
        trends = trends_differences()
        if not differences and not trends:
            self.stdout.write("Persons, counters and trends match the records.")
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
        for village, actual, expected in trends[:SHOWN]:
            self.stderr.write(
                f"trend of {village} (recent, before): table {actual}, counters {expected}"
            )
        if len(trends) > SHOWN:
            self.stderr.write(f"… and {len(trends) - SHOWN} more trends.")
        raise CommandError(
            f"{len(differences)} counters differ from the records and {len(trends)} village "
            "trends from the counters; run rebuild_counters."
        )
