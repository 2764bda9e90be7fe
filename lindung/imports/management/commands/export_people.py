import shutil

from django.core.management.base import BaseCommand, CommandError

from lindung.accounts.scoping import code_q
from lindung.audit.models import Action
from lindung.audit.services import audit_record
from lindung.imports.exports import csv_stream, people_rows, xlsx_file
from lindung.regions.models import Area
from lindung.registry.models import Person


class Command(BaseCommand):
    help = "Export the residents of an area (with their current episode) to XLSX or CSV."

    def add_arguments(self, parser):
        parser.add_argument("--area", required=True)
        parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
        parser.add_argument("--output", required=True)

    def handle(self, *args, area, format, output, **options):
        if not Area.objects.filter(code=area).exists():
            raise CommandError(f"No area {area}.")
        people = Person.objects.filter(code_q(area, "village"), archived_at__isnull=True)
        people = people.order_by("name_key", "id")
        if format == "csv":
            with open(output, "w", encoding="utf-8", newline="") as handle:
                for line in csv_stream(people_rows(people)):
                    handle.write(line)
        else:
            with xlsx_file(people_rows(people)) as source, open(output, "wb") as target:
                shutil.copyfileobj(source, target)
        audit_record(
            actor=None,
            action=Action.EXPORT,
            object_type="imports.export_people",
            object_repr=f"export_people {area}",
            area_code=area,
            changes={"format": format, "output": str(output)},
        )
        self.stdout.write(f"{people.count()} residents written to {output}")
