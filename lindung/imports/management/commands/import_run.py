from django.core.management.base import BaseCommand, CommandError

from lindung.imports.models import RUNNING, ImportBatch
from lindung.imports.services import import_execute


class Command(BaseCommand):
    help = (
        "Run a started import here, in the foreground (the upload page enqueues it as a task "
        "instead; see lindung/imports/jobs.py)."
    )

    def add_arguments(self, parser):
        parser.add_argument("batch_id", type=int)

    def handle(self, *args, batch_id, **options):
        batch = ImportBatch.objects.filter(pk=batch_id).first()
        if batch is None:
            raise CommandError(f"No import {batch_id}.")
        if batch.status not in RUNNING:
            raise CommandError(f"Import {batch_id} is not started ({batch.status}).")
        batch = import_execute(batch=batch)
        self.stdout.write(f"{batch.pk} {batch.status}")
