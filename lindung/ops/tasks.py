"""The periodic jobs, the schedule that runs them, and the bookkeeping of task workers.

`manage.py task_scheduler` (started by `make serve`) calls `schedule_tick` every
SCHEDULER_TICK seconds: it enqueues each job of SCHEDULE whose interval has passed since it was
last enqueued (kept in ScheduledJob, so a restart does not run a job twice), and marks as
failed the tasks whose worker died while running them. The task workers run the jobs.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult

from lindung.cases.services import cases_escalate
from lindung.counters.trends import trends_roll
from lindung.imports.jobs import import_run
from lindung.imports.models import RUNNING, ImportBatch, ImportStatus
from lindung.imports.services import import_worker_died
from lindung.ops.models import ScheduledJob, WorkerHeartbeat
from lindung.privacy.services import privacy_deadlines_run, retention_run
from lindung.regions.models import Area, Level
from lindung.reports.files import report_files_purge
from lindung.reports.views import figures_warm

logger = logging.getLogger("lindung.tasks")

# A worker writes its heartbeat every HEARTBEAT_EVERY; /healthz wants one within HEALTHY_WITHIN,
# and a running task whose worker has been silent for DEAD_AFTER is marked failed.
HEARTBEAT_EVERY = timedelta(seconds=15)
HEALTHY_WITHIN = timedelta(minutes=1)
DEAD_AFTER = timedelta(minutes=2)
SCHEDULER_TICK = 30  # seconds


class WorkerDied(Exception):
    """The worker that ran this task stopped (killed, crashed, machine restarted)."""


@task()
def cases_escalate_job() -> dict:
    """Record the level that must now act on each overdue case (the `escalate_cases` command)."""
    return {"escalated": len(cases_escalate())}


@task()
def privacy_deadlines_job() -> dict:
    """Remind and escalate data subject requests and breach notices (3×24 hours, UU 27/2022;
    the `privacy_deadlines` command)."""
    result = privacy_deadlines_run()
    return {name: len(items) for name, items in result.items()}


@task()
def privacy_retention_job() -> dict:
    """Anonymise the records past their retention period (the `apply_retention --apply`
    command); the run writes its own audit entry."""
    return {"anonymised": retention_run(dry_run=False)["total"]}


@task()
def sessions_expire_job() -> dict:
    """Delete expired sessions (Django's `clearsessions`)."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return {"deleted": deleted}


@task()
def import_files_purge_job() -> dict:
    """Delete the uploaded files (and error reports) of imports finished more than
    IMPORT_FILES_KEEP_DAYS ago; the import's record, counts and issues stay."""
    cutoff = timezone.now() - timedelta(days=settings.IMPORT_FILES_KEEP_DAYS)
    old = (
        ImportBatch.objects.filter(modified_at__lt=cutoff)
        .exclude(status__in=[*RUNNING, ImportStatus.INTERRUPTED])
        .exclude(file="", error_report="")
    )
    purged = 0
    for batch in old.iterator():
        for field in (batch.file, batch.error_report):
            if field:
                field.delete(save=False)
        ImportBatch.objects.filter(pk=batch.pk).update(file="", error_report="")
        purged += 1
    return {"purged": purged}


@task()
def report_files_purge_job() -> dict:
    """Delete the report files made by workers (and their records) asked for more than
    REPORT_FILES_KEEP_DAYS ago."""
    return {"purged": report_files_purge()}


@task()
def task_results_prune_job() -> dict:
    """Delete finished task results older than TASK_RESULTS_KEEP_DAYS."""
    cutoff = timezone.now() - timedelta(days=settings.TASK_RESULTS_KEEP_DAYS)
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return {"deleted": deleted}


@task()
def figures_warm_job() -> dict:
    """Render the dashboard figures of the nation and every province into the shared cache, so
    the largest areas never wait for a GROUP BY over millions of rows on a user's request."""
    areas = [None, *Area.objects.filter(level=Level.PROVINCE).order_by("code")]
    for area in areas:
        figures_warm(area=area)
    return {"areas": len(areas)}


@task()
def trends_roll_job() -> dict:
    """Move the rising-villages window on when the month has changed (every village's sums
    recomputed once), so no user's first view of the month waits for it."""
    return {"rolled": trends_roll()}


@dataclass(frozen=True)
class Job:
    name: str
    task: Task
    every: timedelta


SCHEDULE = [
    Job("cases_escalate", cases_escalate_job, timedelta(hours=1)),
    Job("privacy_deadlines", privacy_deadlines_job, timedelta(hours=1)),
    Job("privacy_retention", privacy_retention_job, timedelta(days=1)),
    Job("sessions_expire", sessions_expire_job, timedelta(hours=6)),
    Job("import_files_purge", import_files_purge_job, timedelta(days=1)),
    Job("report_files_purge", report_files_purge_job, timedelta(hours=6)),
    Job("task_results_prune", task_results_prune_job, timedelta(days=1)),
    Job("figures_warm", figures_warm_job, timedelta(minutes=10)),
    Job("trends_roll", trends_roll_job, timedelta(hours=1)),
]


def schedule_tick(now=None) -> list[str]:
    """Enqueue every job that is due; returns their names."""
    now = now or timezone.now()
    due = []
    for job in SCHEDULE:
        with transaction.atomic():
            entry = ScheduledJob.objects.select_for_update().filter(name=job.name).first()
            if entry is not None and entry.last_enqueued_at + job.every > now:
                continue
            result = job.task.enqueue()
            ScheduledJob.objects.update_or_create(
                name=job.name, defaults={"last_enqueued_at": now, "last_result_id": result.id}
            )
        due.append(job.name)
        logger.info("job enqueued", extra={"job": job.name, "task_id": str(result.id)})
    return due


def tasks_reap_dead(now=None) -> int:
    """Mark failed the running tasks whose worker stopped sending heartbeats."""
    now = now or timezone.now()
    alive = set(
        WorkerHeartbeat.objects.filter(seen_at__gte=now - DEAD_AFTER).values_list(
            "worker_id", flat=True
        )
    )
    reaped = 0
    for result in DBTaskResult.objects.running().filter(started_at__lt=now - DEAD_AFTER):
        if result.worker_ids and result.worker_ids[-1] in alive:
            continue
        result.set_failed(WorkerDied(f"worker {result.worker_ids[-1:]} stopped"))
        if result.task_path == import_run.module_path:
            import_worker_died(result.args_kwargs["kwargs"]["batch_id"])
        logger.error("task's worker died", extra={"task_id": str(result.id)})
        reaped += 1
    WorkerHeartbeat.objects.filter(seen_at__lt=now - timedelta(days=1)).delete()
    return reaped


def worker_beat(*, worker_id: str, pid: int, started_at) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"pid": pid, "started_at": started_at, "seen_at": timezone.now()},
    )


def clear_sessions() -> None:  # pragma: no cover - kept for parity with the command name
    call_command("clearsessions")
