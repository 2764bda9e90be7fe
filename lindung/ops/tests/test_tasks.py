"""Imports through the task queue and a worker, the periodic schedule, dead workers, /healthz,
and the bound of the per-process area cache."""

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lindung.imports.models import ImportBatch, ImportStatus
from lindung.imports.tests.factories import HEADER, person_row, write_xlsx
from lindung.ops import tasks
from lindung.ops.models import ScheduledJob, WorkerHeartbeat
from lindung.ops.tasks import SCHEDULE, schedule_tick, tasks_reap_dead
from lindung.ops.tests.test_views_health import beat

pytestmark = pytest.mark.django_db


def run_worker():
    """Run every queued task in this process, as `manage.py task_worker` does, then stop. The
    worker's close_old_connections would close the test's connection (it is inside the test's
    transaction), so it is left out here."""
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", batch=True, startup_delay=False, interval=0, verbosity=0)


def _upload_and_map(client, tmp_path, capture, *names):
    """Upload a village file of these people for the regency and post its column mapping, so
    that its check is queued; returns the batch, its page and the mapping form posted."""
    rows = [HEADER, *(person_row(n, name) for n, name in enumerate(names, start=1))]
    path = write_xlsx(tmp_path / "desa.xlsx", rows)
    client.post(reverse("imports:import_upload"), {"file": path.open("rb"), "area": "18.11"})
    batch = ImportBatch.objects.get()
    detail = reverse("imports:import_detail", args=[batch.pk])
    form = {f"col_{k}": str(v) for k, v in batch.mapping.items()}
    with capture(execute=True):
        client.post(detail, {**form, "action": "mapping"})
    return batch, detail, form


@override_settings(IMPORTS_RUN_INLINE=False)
def test_an_import_is_checked_and_applied_by_the_worker_and_shown_on_its_page(
    client_as, personas, tmp_path, django_capture_on_commit_callbacks
):
    client = client_as(personas["disnaker"])
    batch, detail, _ = _upload_and_map(
        client, tmp_path, django_capture_on_commit_callbacks, "Siti", "Ani"
    )
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CHECKING  # queued, not run in the request
    assert DBTaskResult.objects.ready().count() == 1
    run_worker()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CHECKED
    with django_capture_on_commit_callbacks(execute=True):
        client.post(detail, {"action": "apply"})
    run_worker()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.APPLIED and batch.created_count == 2
    results = DBTaskResult.objects.order_by("enqueued_at")
    assert [r.status for r in results] == ["SUCCESSFUL", "SUCCESSFUL"]
    assert results[1].return_value["status"] == "applied"
    page = client.get(detail).content.decode()
    assert 'id="tasks"' in page and page.count("Selesai") == 2


@override_settings(IMPORTS_RUN_INLINE=False)
def test_a_failed_import_task_is_shown_with_its_error(
    client_as, personas, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    client = client_as(personas["disnaker"])
    detail = _upload_and_map(client, tmp_path, django_capture_on_commit_callbacks, "Siti")[1]

    def broken(**kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("lindung.imports.services.import_execute", broken)
    run_worker()
    result = DBTaskResult.objects.get()
    assert result.status == "FAILED"
    page = client.get(detail).content.decode()
    assert "RuntimeError: disk on fire" in page and "Gagal" in page
    assert "Traceback" not in page


@override_settings(IMPORTS_RUN_INLINE=False, TASK_RETRIES=2)
def test_an_interrupted_application_is_retried_from_its_resume_point(monkeypatch):
    from lindung.imports import jobs

    calls = []

    def interrupted(*, batch):
        calls.append(batch.pk)
        ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.INTERRUPTED)
        batch.refresh_from_db()
        return batch

    monkeypatch.setattr("lindung.imports.services.import_execute", interrupted)
    batch = _batch(status=ImportStatus.APPLYING)
    jobs.import_run.call(batch_id=batch.pk)
    retry = DBTaskResult.objects.get()
    assert retry.args_kwargs["kwargs"] == {"batch_id": batch.pk, "attempt": 2}
    assert retry.run_after > timezone.now()  # after a pause
    batch.refresh_from_db()
    assert batch.status == ImportStatus.APPLYING
    jobs.import_run.call(batch_id=batch.pk, attempt=2)  # the last attempt: no further retry
    assert DBTaskResult.objects.count() == 1


def _batch(status):
    from lindung.regions.models import Area

    return ImportBatch.objects.create(
        area=Area.objects.get(code="18.11"),
        file="imports/x.xlsx",
        file_name="x.xlsx",
        file_sha256="0" * 64,
        status=status,
    )


def test_the_schedule_enqueues_each_job_when_it_is_due_and_only_then():
    start = timezone.now()
    assert sorted(schedule_tick(start)) == sorted(job.name for job in SCHEDULE)
    assert DBTaskResult.objects.count() == len(SCHEDULE)
    assert schedule_tick(start + timedelta(minutes=1)) == []
    due = schedule_tick(start + timedelta(minutes=61))
    assert "cases_escalate" in due and "import_files_purge" not in due
    assert ScheduledJob.objects.get(name="cases_escalate").last_enqueued_at == start + timedelta(
        minutes=61
    )


def test_scheduled_jobs_run_in_the_worker():
    from django.contrib.sessions.backends.db import SessionStore

    old = SessionStore()
    old.set_expiry(1)
    old.create()
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        schedule_tick()
        run_worker()
    results = {r.task_path.rsplit(".", 1)[1]: r for r in DBTaskResult.objects.all()}
    assert {r.status for r in results.values()} == {"SUCCESSFUL"}, {
        k: r.traceback for k, r in results.items()
    }
    assert results["sessions_expire_job"].return_value == {"deleted": 1}
    assert results["figures_warm_job"].return_value["areas"] >= 2
    assert results["trends_roll_job"].return_value == {"rolled": True}  # the first window


def test_import_files_of_old_finished_imports_are_purged(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    old = _batch(status=ImportStatus.APPLIED)
    running = _batch(status=ImportStatus.APPLYING)
    for batch in (old, running):
        (tmp_path / batch.file.name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / batch.file.name).write_bytes(b"x")
    long_ago = timezone.now() - timedelta(days=settings.IMPORT_FILES_KEEP_DAYS + 1)
    ImportBatch.objects.update(modified_at=long_ago)
    assert tasks.import_files_purge_job.call() == {"purged": 1}
    old.refresh_from_db()
    assert not old.file and ImportBatch.objects.get(pk=running.pk).file


def test_a_task_whose_worker_died_is_marked_failed_and_a_live_one_is_not():
    dead = tasks.sessions_expire_job.enqueue()
    live = tasks.sessions_expire_job.enqueue()
    started = timezone.now() - timedelta(minutes=10)
    DBTaskResult.objects.filter(id=dead.id).update(
        status="RUNNING", started_at=started, worker_ids=["gone"]
    )
    DBTaskResult.objects.filter(id=live.id).update(
        status="RUNNING", started_at=started, worker_ids=["alive"]
    )
    beat("alive")
    assert tasks_reap_dead() == 1
    assert DBTaskResult.objects.get(id=dead.id).status == "FAILED"
    assert "WorkerDied" in DBTaskResult.objects.get(id=dead.id).exception_class_path
    assert DBTaskResult.objects.get(id=live.id).status == "RUNNING"


@override_settings(IMPORTS_RUN_INLINE=False)
def test_an_import_whose_worker_died_is_shown_failed_and_resumed(
    client_as, personas, tmp_path, django_capture_on_commit_callbacks
):
    client = client_as(personas["disnaker"])
    batch, detail, _ = _upload_and_map(
        client, tmp_path, django_capture_on_commit_callbacks, "Siti", "Ani"
    )
    run_worker()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(detail, {"action": "apply"})
    # A worker took the application and was killed before it wrote anything.
    long_ago = timezone.now() - timedelta(minutes=10)
    applying = DBTaskResult.objects.get(status="READY")
    DBTaskResult.objects.filter(pk=applying.pk).update(
        status="RUNNING", started_at=long_ago, worker_ids=["killed"]
    )
    # Its last heartbeat is recent: the batch is not yet stale, yet Resume is offered at once.
    ImportBatch.objects.filter(pk=batch.pk).update(heartbeat_at=timezone.now())
    assert tasks_reap_dead() == 1
    batch.refresh_from_db()
    assert batch.status == ImportStatus.INTERRUPTED and not batch.is_stalled
    page = client.get(detail).content.decode()
    assert "WorkerDied" in page and 'value="resume"' in page  # visible, and resumable
    with django_capture_on_commit_callbacks(execute=True):
        client.post(detail, {"action": "resume"})
    run_worker()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.APPLIED and batch.created_count == 2


@override_settings(IMPORTS_RUN_INLINE=False)
def test_a_check_whose_worker_died_can_be_started_again_at_once(
    client_as, personas, tmp_path, django_capture_on_commit_callbacks
):
    client = client_as(personas["disnaker"])
    batch, detail, form = _upload_and_map(
        client, tmp_path, django_capture_on_commit_callbacks, "Siti"
    )
    checking = DBTaskResult.objects.get(status="READY")
    DBTaskResult.objects.filter(pk=checking.pk).update(
        status="RUNNING", started_at=timezone.now() - timedelta(minutes=10), worker_ids=["gone"]
    )
    assert tasks_reap_dead() == 1
    batch.refresh_from_db()
    assert batch.status == ImportStatus.UPLOADED and "berhenti" in batch.message
    with django_capture_on_commit_callbacks(execute=True):
        client.post(detail, {**form, "action": "mapping"})
    run_worker()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CHECKED


def test_the_scheduler_command_runs_one_pass():
    with mock.patch("lindung.ops.management.commands.task_scheduler.close_old_connections"):
        call_command("task_scheduler", once=True)
    assert DBTaskResult.objects.count() == len(SCHEDULE)
    assert not WorkerHeartbeat.objects.exists()


def test_the_area_cache_of_a_process_is_bounded(monkeypatch):
    from lindung.accounts import area_views as views
    from lindung.regions.models import Area

    monkeypatch.setattr(views, "AREA_TREE_ENTRIES", 5)
    views._area_trees.clear()
    areas = list(Area.objects.filter(code__startswith="18.11.").order_by("code")[:12])
    for area in areas:
        views._area_tree(area)
    assert len(views._area_trees) == 5
    assert list(views._area_trees) == [a.code for a in areas[-5:]]
    views._area_tree(areas[-5])  # shown again: now the most recent
    views._area_tree(areas[0])
    assert areas[-5].code in views._area_trees and areas[-4].code not in views._area_trees
