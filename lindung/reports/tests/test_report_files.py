"""Reports of large areas are made by a task worker, for the one user who asked, and purged."""

from datetime import date, timedelta
from io import BytesIO
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from lindung.ops.tasks import SCHEDULE, WorkerDied
from lindung.reports.declared import REPORTS
from lindung.reports.files import report_files_purge
from lindung.reports.models import ReportFile
from lindung.reports.tests.factories import make_abroad, make_person, make_placement

pytestmark = pytest.mark.django_db

TODAY = date.today()
MONTH = TODAY.strftime("%Y-%m")


def run_worker():
    """Run every task that is ready in this process, as `manage.py task_worker` does, then stop
    (its close_old_connections would close the test's connection, so it is left out)."""
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", batch=True, startup_delay=False, interval=0, verbosity=0)


@pytest.fixture
def world(personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    actor = personas["disnaker"]
    make_abroad(actor, "18.11.01.2001", departed_on=TODAY - timedelta(days=30))
    make_abroad(actor, "18.11.01.2005", departed_on=TODAY - timedelta(days=20))
    make_placement(actor, make_person(actor, "18.11.02.2001"))
    return personas


def _ask(client, report, area, output, capture):
    query = f"?month={MONTH}&format={output}" + (f"&area={area}" if area else "")
    with capture(execute=True):
        return client.get(reverse("reports:report_run", args=[report]) + query)


def _recap_rows(content: bytes) -> list[tuple]:
    return list(load_workbook(BytesIO(content)).worksheets[0].iter_rows(values_only=True))


def test_a_province_report_is_made_by_the_worker_and_downloaded_by_who_asked(
    world, client_as, django_capture_on_commit_callbacks
):
    client = client_as(world["bp3mi"])
    response = _ask(client, "province-recap", "18", "xlsx", django_capture_on_commit_callbacks)
    report_file = ReportFile.objects.get()
    page = reverse("reports:report_file", args=[report_file.pk])
    assert response.status_code == 302 and response["Location"] == page
    assert report_file.status == "queued" and report_file.requested_by == world["bp3mi"]
    assert DBTaskResult.objects.ready().count() == 1  # nothing was built in the request
    download = reverse("reports:report_file_download", args=[report_file.pk])
    assert client.get(download).status_code == 404  # not ready yet
    assert "Menunggu" in client.get(page).content.decode()  # "waiting for a worker"

    run_worker()
    report_file.refresh_from_db()
    assert report_file.status == "done" and report_file.file
    html = client.get(page).content.decode()
    assert download in html
    got = client.get(download)
    assert got.status_code == 200
    assert got["Content-Disposition"].startswith("attachment")
    rows = _recap_rows(b"".join(got.streaming_content))
    mesuji = next(r for r in rows if "MESUJI" in str(r[0]).upper())
    assert mesuji[1:3] == (1, 2)  # calon PMI, abroad: the same figures as the page
    result = DBTaskResult.objects.get()
    assert result.status == "SUCCESSFUL" and result.return_value["status"] == "done"
    listed = client.get(reverse("reports:report_list")).content.decode()
    assert page in listed and "Rekap provinsi BP3MI · 18 · " in listed and "Siap" in listed


def test_the_same_function_makes_the_file_in_the_request_and_in_the_worker(
    world, client_as, settings, django_capture_on_commit_callbacks
):
    client = client_as(world["bp3mi"])
    settings.REPORTS_BACKGROUND_LEVEL = 0  # only the nation in the background
    now = client.get(f"/laporan/province-recap/?area=18&month={MONTH}&format=xlsx")
    assert now.status_code == 200 and not ReportFile.objects.exists()
    settings.REPORTS_BACKGROUND_LEVEL = 1
    _ask(client, "province-recap", "18", "xlsx", django_capture_on_commit_callbacks)
    run_worker()
    report_file = ReportFile.objects.get()
    with report_file.file.open("rb") as made:
        assert _recap_rows(made.read()) == _recap_rows(now.content)


def test_a_national_report_by_province_for_kp2mi_only(
    world, client_as, django_capture_on_commit_callbacks
):
    client = client_as(world["kp2mi"])
    page = client.get(f"/laporan/national-recap/?month={MONTH}")
    assert page.status_code == 200
    lampung = next(r for r in page.context["sections"][0].rows if r["code"] == "18")
    assert (lampung["candidate"], lampung["abroad"]) == (1, 2)
    assert "dibuat di latar belakang" in page.content.decode()  # said before asking
    _ask(client, "national-recap", "", "print", django_capture_on_commit_callbacks)
    run_worker()
    report_file = ReportFile.objects.get()
    assert report_file.area_code == "" and report_file.status == "done"
    got = client.get(reverse("reports:report_file_download", args=[report_file.pk]))
    printed = b"".join(got.streaming_content).decode()
    assert got["Content-Type"].startswith("text/html") and "data-print" in printed
    assert "Lampung" in printed and "Indonesia" in printed
    for persona in ("bp3mi", "disnaker", "admin"):
        assert (
            client_as(world[persona]).get(f"/laporan/national-recap/?month={MONTH}").status_code
            == 404
        )


def test_small_areas_keep_the_immediate_download(world, client_as):
    response = client_as(world["disnaker"]).get(
        f"/laporan/regency-recap/?area=18.11&month={MONTH}&format=xlsx"
    )
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert not ReportFile.objects.exists()


def test_the_threshold_is_a_setting(world, client_as, settings, django_capture_on_commit_callbacks):
    settings.REPORTS_BACKGROUND_LEVEL = 2  # regencies too
    response = _ask(
        client_as(world["disnaker"]),
        "regency-recap",
        "18.11",
        "xlsx",
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 302 and ReportFile.objects.get().area_code == "18.11"


def test_nobody_else_opens_downloads_or_retries_a_file(
    world, client_as, django_capture_on_commit_callbacks
):
    owner = client_as(world["bp3mi"])
    _ask(owner, "province-recap", "18", "xlsx", django_capture_on_commit_callbacks)
    run_worker()
    pk = ReportFile.objects.get().pk
    urls = [
        ("get", reverse("reports:report_file", args=[pk])),
        ("get", reverse("reports:report_file_download", args=[pk])),
        ("post", reverse("reports:report_file_retry", args=[pk])),
    ]
    assert owner.get(urls[1][1]).status_code == 200
    for persona in ("kp2mi", "admin", "bp3mi_other", "disnaker", "operator_a"):
        client = client_as(world[persona])
        for method, url in urls:
            assert getattr(client, method)(url).status_code == 404, (persona, url)
    # A colleague of the same office and role is someone else too.
    from conftest import PROVINCE, _make
    from lindung.accounts.models import Role

    colleague = client_as(_make("bp3mi.colleague", Role.BP3MI, PROVINCE))
    assert colleague.get(urls[1][1]).status_code == 404
    # The owner moved to another province: the file is out of their reach now.
    world["bp3mi"].jurisdiction_id = "33"
    world["bp3mi"].save()
    assert owner.get(urls[1][1]).status_code == 404


def test_asking_again_while_waiting_reuses_the_request(
    world, client_as, django_capture_on_commit_callbacks
):
    client = client_as(world["bp3mi"])
    first = _ask(client, "province-recap", "18", "xlsx", django_capture_on_commit_callbacks)
    again = _ask(client, "province-recap", "18", "xlsx", django_capture_on_commit_callbacks)
    assert first["Location"] == again["Location"]
    assert ReportFile.objects.count() == 1 and DBTaskResult.objects.count() == 1


def test_a_failed_file_shows_its_error_and_can_be_asked_for_again(
    world, client_as, monkeypatch, django_capture_on_commit_callbacks
):
    client = client_as(world["bp3mi"])
    _ask(client, "province-recap", "18", "xlsx", django_capture_on_commit_callbacks)
    spec = REPORTS["province-recap"]

    def broken(area, first, last, *, user):
        raise RuntimeError("a bug in the recap")

    monkeypatch.setitem(
        REPORTS, "province-recap", spec.__class__(**{**spec.__dict__, "build": broken})
    )
    run_worker()
    report_file = ReportFile.objects.get()
    assert report_file.status == "failed" and report_file.attempts == 1  # a bug is not retried
    assert DBTaskResult.objects.get().status == "FAILED"
    page = client.get(reverse("reports:report_file", args=[report_file.pk])).content.decode()
    assert "a bug in the recap" in page and "Coba lagi" in page
    monkeypatch.setitem(REPORTS, "province-recap", spec)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:report_file_retry", args=[report_file.pk]))
    run_worker()
    report_file.refresh_from_db()
    assert report_file.status == "done" and report_file.error == ""


def test_a_database_failure_is_retried_later(
    world, client_as, monkeypatch, settings, django_capture_on_commit_callbacks
):
    settings.TASK_RETRIES = 2
    client = client_as(world["bp3mi"])
    _ask(client, "province-recap", "18", "xlsx", django_capture_on_commit_callbacks)
    monkeypatch.setattr(
        "lindung.reports.files.report_output",
        mock.Mock(side_effect=OperationalError("server closed the connection")),
    )
    with django_capture_on_commit_callbacks(execute=True):
        run_worker()
    report_file = ReportFile.objects.get()
    assert report_file.status == "queued" and report_file.attempts == 1
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after is not None  # after a pause, not at once
    # The second attempt is the last one (TASK_RETRIES = 2): it fails for good.
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_worker()
    report_file.refresh_from_db()
    assert report_file.status == "failed" and report_file.attempts == 2
    assert "server closed the connection" in report_file.error


def test_a_file_whose_worker_died_is_failed_and_can_be_asked_for_again(
    world, client_as, django_capture_on_commit_callbacks
):
    client = client_as(world["bp3mi"])
    _ask(client, "province-recap", "18", "xlsx", django_capture_on_commit_callbacks)
    report_file = ReportFile.objects.get()
    # A worker took it and was killed: the reaper (tasks_reap_dead) marks its task failed.
    ReportFile.objects.filter(pk=report_file.pk).update(status="running")
    DBTaskResult.objects.get().set_failed(WorkerDied("worker ['w1'] stopped"))
    page = client.get(reverse("reports:report_file", args=[report_file.pk])).content.decode()
    report_file.refresh_from_db()
    assert report_file.status == "failed" and "WorkerDied" in report_file.error
    assert "worker [&#x27;w1&#x27;] stopped" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:report_file_retry", args=[report_file.pk]))
    run_worker()
    report_file.refresh_from_db()
    assert report_file.status == "done"


def test_old_report_files_are_purged_by_the_scheduled_job(
    world, client_as, settings, django_capture_on_commit_callbacks
):
    assert "report_files_purge" in {job.name for job in SCHEDULE}
    settings.REPORT_FILES_KEEP_DAYS = 7
    client = client_as(world["bp3mi"])
    _ask(client, "province-recap", "18", "xlsx", django_capture_on_commit_callbacks)
    run_worker()
    old = ReportFile.objects.get()
    ReportFile.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    path = old.file.path
    _ask(client, "province-recap", "18", "print", django_capture_on_commit_callbacks)
    run_worker()
    assert report_files_purge() == 1
    assert not ReportFile.objects.filter(pk=old.pk).exists()
    assert not Path(path).exists()
    assert ReportFile.objects.get().status == "done"  # the recent one stays
