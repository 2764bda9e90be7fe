from django.core.management.base import BaseCommand

from lindung.cases.services import cases_escalate


class Command(BaseCommand):
    help = (
        "Record the level that must now act on every overdue protection case (village → "
        "regency → province → national). Run it daily, e.g. from cron; each change is audited."
    )

    def handle(self, *args, **options):
        escalated = cases_escalate()
        for case in escalated:
            self.stdout.write(f"{case.number}: {case.get_escalated_level_display()}")
        self.stdout.write(f"{len(escalated)} case(s) escalated.")
