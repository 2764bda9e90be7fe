from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lindung.ops.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup` into this (empty) database and MEDIA_ROOT; "
        "--force replaces a database that is not empty."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--force", action="store_true")

    def handle(self, *args, path: Path, force: bool, **options):
        if not path.is_file():
            raise CommandError(f"No backup at {path}.")
        try:
            manifest = backup_restore(path=path, force=force)
        except BackupError as error:
            raise CommandError(str(error))
        self.stdout.write(f"Restored the backup of {manifest['created_at']}.")
