import pytest

from lindung.accounts.tests.demo_runs import run_demo
from lindung.imports import demo
from lindung.imports.models import ImportBatch, ImportStatus
from lindung.reports.counters import counters_differences


@pytest.mark.django_db
def test_the_demo_shows_every_state_and_a_second_run_creates_nothing(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    context = run_demo(demo)
    batches = {b.file_name: b for b in ImportBatch.objects.all()}
    applied = batches[demo.APPLIED_FILE]
    assert applied.status == ImportStatus.APPLIED
    assert (applied.rows_total, applied.created_count, applied.rejected_count) == (7, 3, 4)
    assert applied.error_report
    assert batches[demo.CHECKED_FILE].status == ImportStatus.CHECKED
    assert batches[demo.CHECKED_FILE].rejected_count == 1
    assert batches[demo.WAITING_FILE].status == ImportStatus.UPLOADED
    demo.seed(context)
    assert ImportBatch.objects.count() == 3
    assert counters_differences() == []
