"""Running a started import away from the web request.

A 100,000-row file takes longer than a proxy waits for a page, so the view enqueues the
`import_run` task (django-tasks, database backend) and the page polls a small JSON status
endpoint. A task worker (`manage.py task_worker`, started by `make serve` and `make run`) runs
it; the number of workers bounds how many imports run at once, and no queue service (no Redis)
is needed. Each chunk commits with the batch's progress and resume point, so a killed worker
leaves an exact, resumable record; an interrupted application is retried from that point up to
TASK_RETRIES times. Tests run the job inline instead (`IMPORTS_RUN_INLINE`).
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from lindung.imports.models import RUNNING, ImportBatch, ImportStatus

RETRY_AFTER = timedelta(seconds=30)
TASK_LABELS = {
    "READY": _("Waiting for a worker"),
    "RUNNING": _("Running"),
    "SUCCESSFUL": _("Finished"),
    "FAILED": _("Failed"),
}


def run_inline() -> bool:
    return settings.IMPORTS_RUN_INLINE


def import_launch(batch: ImportBatch) -> None:
    """Run the started import: inline when configured so, else as a task once this commits."""
    if run_inline():
        from lindung.imports.services import import_execute

        import_execute(batch=batch)
        return
    transaction.on_commit(lambda: import_run.enqueue(batch_id=batch.pk))


@task()
def import_run(batch_id: int, attempt: int = 1) -> dict:
    """Run (or resume) a started import; the return value is kept as the task's result."""
    from lindung.imports.services import import_execute

    batch = ImportBatch.objects.filter(pk=batch_id).first()
    if batch is None or batch.status not in RUNNING:
        return {"batch": batch_id, "status": batch.status if batch else "missing"}
    batch = import_execute(batch=batch)
    if batch.status == ImportStatus.INTERRUPTED and attempt < settings.TASK_RETRIES:
        # Applying is resumable (rows are matched by NIK, committed chunk by chunk), so an
        # unexpected stop is retried from the resume point after a pause.
        ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.INTERRUPTED).update(
            status=ImportStatus.APPLYING, heartbeat_at=timezone.now()
        )
        import_run.using(run_after=timezone.now() + RETRY_AFTER).enqueue(
            batch_id=batch.pk, attempt=attempt + 1
        )
    return {
        "batch": batch.pk,
        "status": batch.status,
        "attempt": attempt,
        "applied_rows": batch.applied_rows,
        "rows": batch.rows_total,
    }


def import_tasks(batch: ImportBatch, limit: int = 5):
    """The latest tasks that ran this import, newest first (for the import page)."""
    from django_tasks_db.models import DBTaskResult

    return list(
        DBTaskResult.objects.filter(
            task_path=import_run.module_path, args_kwargs__kwargs__batch_id=batch.pk
        ).order_by("-enqueued_at")[:limit]
    )
