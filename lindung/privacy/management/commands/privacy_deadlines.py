from django.core.management.base import BaseCommand

from lindung.privacy.services import privacy_deadlines_run


class Command(BaseCommand):
    help = (
        "Remind in the last 24 hours and escalate overdue data subject requests and breach "
        "notices (3×24 hours, UU 27/2022) one level up for every day late. Run it hourly; "
        "each change is audited."
    )

    def handle(self, *args, **options):
        result = privacy_deadlines_run()
        for item in result["reminded"]:
            self.stdout.write(f"{item.number}: reminder (due {item.due_at:%Y-%m-%d %H:%M})")
        for item in result["escalated"]:
            self.stdout.write(f"{item.number}: {item.get_escalated_level_display()}")
        self.stdout.write(
            f"{len(result['reminded'])} reminded, {len(result['escalated'])} escalated."
        )
