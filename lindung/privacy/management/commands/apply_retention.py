import json

from django.core.management.base import BaseCommand

from lindung.privacy.services import retention_run


class Command(BaseCommand):
    help = (
        "Anonymise every record past its retention period (the processing register's "
        "schedule), keeping the counters true. Without --apply it is a dry run that only "
        "reports. Either way one audit entry records the run."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--apply", action="store_true", help="Anonymise (default: dry run, report only)."
        )
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="Print the report as JSON."
        )

    def handle(self, *args, apply=False, as_json=False, **options):
        report = retention_run(dry_run=not apply)
        if as_json:
            self.stdout.write(_dumps(report))
            return
        for code, rule in report["rules"].items():
            self.stdout.write(f"{code} ({rule['years']} years): {len(rule['rows'])} record(s)")
            for row in rule["rows"]:
                self.stdout.write(f"  {row['id']} {row['village']} {row['phase']}")
        verb = "would be anonymised (dry run; --apply to do it)" if not apply else "anonymised"
        self.stdout.write(f"{report['total']} record(s) {verb}.")


def _dumps(report) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2)
