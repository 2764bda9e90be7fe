from datetime import date

import pytest

from lindung.accounts.tests.demo_runs import run_demo
from lindung.imports import demo
from lindung.imports.models import ImportBatch, ImportStatus
from lindung.registry.models import Consent, ConsentMethod, Person
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
    # The sheet's "Setuju Dihubungi = Ya" is in the consent register as an imported consent;
    # a number without it is not kept (UU 27/2022).
    consented = Person.objects.get(nik=demo._nik(9101, "F", date(1993, 4, 11)))
    assert consented.phone.endswith("81234567801")
    consent = Consent.objects.get(person=consented)
    assert (consent.method, consent.recorded_by) == (ConsentMethod.IMPORT, applied.created_by)
    unconsented = Person.objects.get(nik=demo._nik(9102, "M", date(1988, 9, 2)))
    assert unconsented.phone == ""
    assert not Consent.objects.filter(person=unconsented).exists()
    assert batches[demo.CHECKED_FILE].status == ImportStatus.CHECKED
    assert batches[demo.CHECKED_FILE].rejected_count == 1
    assert batches[demo.WAITING_FILE].status == ImportStatus.UPLOADED
    demo.seed(context)
    assert ImportBatch.objects.count() == 3
    assert counters_differences() == []
