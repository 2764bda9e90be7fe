"""Retention: records past their period are anonymised, the rest untouched, and the counters
still equal a plain GROUP BY (this file runs in both the SQLite and the PostgreSQL pass)."""

import json
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.management import call_command

from lindung.audit.models import AuditEvent
from lindung.cases.tests.conftest import advance, record, send_abroad
from lindung.counters.models import Counter
from lindung.privacy import services
from lindung.registry.models import Person
from lindung.registry.services import family_member_add
from lindung.registry.tests.factories import make_person
from lindung.reports.counters import counters_differences, counters_expected, counters_rebuild

pytestmark = pytest.mark.django_db

LONG_AGO = datetime(2019, 3, 1, 8, 0, tzinfo=UTC)
RECENTLY = datetime(2025, 11, 1, 8, 0, tzinfo=UTC)
TODAY = datetime(2026, 6, 15, 9, 0, tzinfo=UTC)


@pytest.fixture
def population(personas):
    """Returned long ago (past retention), returned long ago with an open case (held), returned
    recently (kept), and a resident who never left, recorded long ago (past retention)."""
    operator = personas["operator_a"]
    people = {}
    with time_machine.travel(LONG_AGO, tick=False):
        old = make_person(operator, serial=1, name="Warsini")
        family_member_add(
            actor=operator,
            person=old,
            name="Darmo",
            relation="spouse",
            phone="081233344455",
            contact_consent=True,
        )
        send_abroad(operator, old, departed=date(2016, 5, 2), returned=date(2018, 5, 2))
        people["old"] = old
        held = make_person(operator, serial=2, name="Sumiati")
        send_abroad(
            operator, held, departed=date(2016, 7, 1), returned=date(2018, 7, 1), reason="abuse"
        )
        people["held"] = held
        people["stayed"] = make_person(operator, serial=3, name="Paijo", sex="M")
    with time_machine.travel(LONG_AGO, tick=False):
        record(operator, people["held"], on=date(2019, 3, 1))
    with time_machine.travel(RECENTLY, tick=False):
        recent = make_person(operator, serial=4, name="Rohmah")
        send_abroad(operator, recent, departed=date(2023, 1, 5), returned=date(2025, 10, 1))
        people["recent"] = recent
    # The held person's case is still open in 2026: the law keeps the record.
    Person.objects.filter(pk=people["held"].pk).update(modified_at=LONG_AGO)
    return people


def _ids(report):
    return {row["id"] for rule in report["rules"].values() for row in rule["rows"]}


def test_dry_run_reports_and_changes_nothing(population):
    before = list(Person.objects.order_by("id").values_list("full_name", "nik"))
    with time_machine.travel(TODAY, tick=False):
        report = services.retention_run(dry_run=True)
    assert _ids(report) == {population["old"].pk, population["stayed"].pk}
    assert report["rules"]["returned"]["rows"][0]["id"] == population["old"].pk
    assert list(Person.objects.order_by("id").values_list("full_name", "nik")) == before
    run = AuditEvent.objects.get(object_type="privacy.retention")
    assert run.action == "report" and run.changes["returned"] == 1


def test_run_anonymises_what_is_past_retention_and_keeps_counters_true(population):
    departures_2016 = Counter.objects.get(village="", metric="departure", month="2016-05").n
    with time_machine.travel(TODAY, tick=False):
        report = services.retention_run(dry_run=False)
    assert report["total"] == 2
    old = Person.objects.get(pk=population["old"].pk)
    assert old.anonymised_at and old.archived_at
    assert "Warsini" not in old.full_name and old.nik.startswith("X") and len(old.nik) == 16
    assert old.family.get().phone == "" and old.family.get().name != "Darmo"
    for kept in ("held", "recent"):
        person = Person.objects.get(pk=population[kept].pk)
        assert person.anonymised_at is None and person.archived_at is None
    # Counters equal the GROUP BY, and past departures are still counted.
    assert counters_differences() == []
    assert Counter.objects.get(village="", metric="departure", month="2016-05").n == departures_2016
    expected = counters_expected()
    counters_rebuild()
    assert counters_differences() == [] and counters_expected() == expected
    # Nothing erased is written to the trail.
    trail = AuditEvent.objects.filter(object_type="registry.person", object_id=str(old.pk))
    anonymised = trail.get(changes__has_key="anonymised")
    assert "Warsini" not in json.dumps(anonymised.changes)
    assert AuditEvent.objects.get(object_type="privacy.retention").action == "archive"


def test_a_second_run_finds_nothing_more(population):
    with time_machine.travel(TODAY, tick=False):
        services.retention_run(dry_run=False)
        assert services.retention_run(dry_run=True)["total"] == 0


def test_closing_the_case_releases_the_hold_after_the_period(personas, population):
    with time_machine.travel(TODAY, tick=False):
        case = population["held"].cases.get()
        advance(case, personas, "closed", on=date(2026, 6, 15))
    with time_machine.travel(datetime(2032, 1, 1, tzinfo=UTC), tick=False):
        assert population["held"].pk in _ids(services.retention_run(dry_run=True))


def test_command_is_a_dry_run_unless_told(population, capsys):
    with time_machine.travel(TODAY, tick=False):
        call_command("apply_retention")
        assert "dry run" in capsys.readouterr().out
        assert not Person.objects.filter(anonymised_at__isnull=False).exists()
        call_command("apply_retention", "--apply", "--json")
    report = json.loads(capsys.readouterr().out)
    assert report["total"] == 2 and not report["dry_run"]
    assert Person.objects.filter(anonymised_at__isnull=False).count() == 2


def test_the_dry_run_page_lists_only_the_users_area(personas, client_as, population):
    with time_machine.travel(TODAY, tick=False):
        own = client_as(personas["disnaker"]).get("/pelindungan-data/retensi/")
        other = client_as(personas["bp3mi_other"]).get("/pelindungan-data/retensi/")
    assert own.status_code == other.status_code == 200
    assert len(own.context["rows"]) == 2 and other.context["rows"] == []
    assert not Person.objects.filter(anonymised_at__isnull=False).exists()
