import shutil

from django.core.management.base import BaseCommand, CommandError

from lindung.accounts.scoping import code_q
from lindung.audit.models import Action
from lindung.audit.services import audit_record
from lindung.imports.exports import csv_stream, people_rows, xlsx_file
from lindung.lib.xlsx_writer import SheetFull
from lindung.regions.models import Area
from lindung.registry.models import Person


class Command(BaseCommand):
    help = (
        "Export the residents of an area, or of the whole nation without --area, with their "
        "current episode, to XLSX or CSV; streamed, village by village and by name."
    )

    def add_arguments(self, parser):
        parser.add_argument("--area", help="An area code (e.g. 18.11); the nation when left out.")
        parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
        parser.add_argument("--output", required=True)

    def handle(self, *args, area, format, output, **options):
        if area is not None and not Area.objects.filter(code=area).exists():
            raise CommandError(f"No area {area}.")
        people = Person.objects.filter(code_q(area, "village"), archived_at__isnull=True)
        # The (village, name_key) index gives this order without sorting the nation.
        people = people.order_by("village_id", "name_key", "id")
        written = 0

        def counted(rows):
            nonlocal written
            for row in rows:
                written += 1
                yield row

        if format == "csv":
            with open(output, "w", encoding="utf-8", newline="") as handle:
                for line in csv_stream(counted(people_rows(people))):
                    handle.write(line)
        else:
            try:
                source = xlsx_file(counted(people_rows(people)))
            except SheetFull as full:
                raise CommandError(f"{full} Export it with --format csv.") from None
            with source, open(output, "wb") as target:
                shutil.copyfileobj(source, target)
        audit_record(
            actor=None,
            action=Action.EXPORT,
            object_type="imports.export_people",
            object_repr=f"export_people {area or 'nasional'}",
            area_code=area or "",
            changes={"format": format, "output": str(output), "rows": written},
        )
        self.stdout.write(f"{written} residents written to {output}")
