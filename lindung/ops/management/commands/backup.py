from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lindung.ops.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write a consistent backup (database snapshot and uploaded files) to one tar file while "
        "Lindung runs: SQLite's online backup API, or pg_dump's custom format."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, type=Path, help="the .tar file to write")

    def handle(self, *args, output: Path, **options):
        try:
            manifest = backup_create(output=output)
        except BackupError as error:
            raise CommandError(str(error))
        size = output.stat().st_size
        self.stdout.write(
            f"Backup of the {manifest['engine']} database written to {output} ({size:,} bytes)."
        )
