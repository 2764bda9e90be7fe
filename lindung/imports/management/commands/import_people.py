import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from lindung.accounts.scoping import code_in_scope
from lindung.imports.models import ImportBatch, ImportIssue, ImportStatus
from lindung.imports.reading import FileProblem
from lindung.imports.services import (
    can_import,
    file_problem_message,
    import_execute,
    layout_run,
    missing_fields,
    missing_fields_message,
    sheet_layout,
)
from lindung.regions.models import Area


class Command(BaseCommand):
    help = (
        "Import residents (and their episodes) from an XLSX/XLS/ODS/CSV file or an ODK/Kobo "
        "export into an area. Exit status 0 when the file was processed, rejected rows included."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--area", required=True, help="Kemendagri code, e.g. 18.11")
        parser.add_argument("--sheet", default="")
        parser.add_argument("--dry-run", action="store_true", help="Report only; write nothing.")
        parser.add_argument("--json", action="store_true", help="End with one JSON object.")
        parser.add_argument(
            "--user",
            default="",
            help="Username of who imports (recorded in the audit trail); required outside the "
            "demo.",
        )

    def handle(self, *args, path, area, sheet, dry_run, json: bool, user: str, **options):
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"No file {path}.")
        area_obj = Area.objects.filter(code=area).first()
        if area_obj is None:
            raise CommandError(f"No area {area}.")
        actor = _actor(user, area_obj)
        try:
            layout = sheet_layout(source, area_obj, sheet)
        except FileProblem as problem:
            raise CommandError(file_problem_message(problem)) from None
        missing = missing_fields(layout.mapping)
        if missing:
            raise CommandError(missing_fields_message(missing))
        if dry_run:
            result = layout_run(layout, path=source, area=area_obj, actor=actor, apply=False)
            report = result.as_dict()
            issues = result.issues
        else:
            report, issues = self._apply(source, layout, area_obj, actor)
        report["rejected"] += report.pop("review")
        report["review"] = sum(
            1 for i in {(x["row"], x["kind"]) for x in issues} if i[1] == "review"
        )
        report["errors"] = [
            {
                "row": i["row"],
                "column": i["column"],
                "code": i["code"],
                "message": i["message"],
                "kind": str(i["kind"]),
            }
            for i in issues
        ]
        if json:
            self.stdout.write(_json_line(report))
        else:
            for error in report["errors"]:
                self.stdout.write(f"row {error['row']} {error['column']}: {error['message']}")
            self.stdout.write(
                "rows {rows}, created {created}, updated {updated}, unchanged {unchanged}, "
                "rejected {rejected}".format(**report)
            )

    def _apply(self, source, layout, area, actor):
        table = layout.table
        with open(source, "rb") as handle:
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
            handle.seek(0)
            batch = ImportBatch(
                area=area,
                file_name=source.name[:255],
                file_sha256=digest,
                file_size=source.stat().st_size,
                file_format=table.format,
                sheet_names=table.sheet_names,
                sheet_name=table.sheet,
                header_row=layout.header_row,
                headers=layout.headers,
                mapping=layout.mapping,
                status=ImportStatus.APPLYING,
                heartbeat_at=timezone.now(),
                created_by=actor,
                modified_by=actor,
            )
            batch.file.save(f"{digest[:16]}{source.suffix[:8]}", File(handle), save=False)
        batch.save()
        # The sheet read above is the stored copy's (same bytes, same digest): read once.
        batch = import_execute(batch=batch, table=table)
        if batch.status == ImportStatus.FAILED:
            raise CommandError(batch.message)
        if batch.status != ImportStatus.APPLIED:
            raise CommandError(batch.message or f"Import stopped: {batch.status}")
        issues = list(
            ImportIssue.objects.filter(batch=batch).values(
                "row", "column", "code", "message", "kind"
            )
        )
        report = {"rows": batch.rows_total, **batch.counts, "import_id": batch.pk}
        return report, issues


def _actor(username: str, area: Area):
    """Who imports: a user whose role may import and whose area covers the import's."""
    if not username:
        if settings.DEMO_MODE:
            return None
        raise CommandError("--user USERNAME is required: the audit trail records who imported.")
    actor = get_user_model().objects.filter(username=username, is_active=True).first()
    if actor is None:
        raise CommandError(f"No active user {username}.")
    if not can_import(actor) or not code_in_scope(actor, area.code):
        raise CommandError(f"{username} may not import into {area.code}.")
    return actor


def _json_line(report: dict) -> str:
    return json.dumps(report, ensure_ascii=False, default=str)
