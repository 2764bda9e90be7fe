"""The information sessions kept in the counters (decision record 23): every writer keeps them
equal to a sum of the sessions, the SQL rebuild and the migration compute the same, and the
reach pages read them."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.db import connection

from conftest import VILLAGE_A, VILLAGE_B
from lindung.counters.models import Counter, Metric
from lindung.outreach import selectors, services
from lindung.outreach.models import OutreachSession
from lindung.outreach.tests.test_outreach import make_session
from lindung.programs.tests.factories import area
from lindung.reports.counters import counters_differences, counters_rebuild

pytestmark = pytest.mark.django_db

SESSION_METRICS = [Metric.OUTREACH, Metric.REACHED]


def _kept() -> list[tuple]:
    rows = Counter.objects.filter(metric__in=SESSION_METRICS, n__gt=0)
    return sorted(rows.values_list(*Counter.DIMENSIONS, "level", "n"))


def test_every_writer_keeps_the_counters_equal_to_the_sessions(personas):
    disnaker = personas["disnaker"]
    session = make_session(personas["operator_a"])
    assert counters_differences() == []
    assert selectors.reach_totals(area_code=None) == {
        "sessions": 1,
        "men": 12,
        "women": 20,
        "total": 32,
    }
    services.session_update(
        actor=disnaker, session=session, data={"attendees_male": 0, "attendees_female": 7}
    )
    assert counters_differences() == []
    assert selectors.reach_totals(area_code=VILLAGE_A)["total"] == 7
    services.session_update(actor=disnaker, session=session, data={"area": area(VILLAGE_B)})
    assert counters_differences() == []
    assert selectors.reach_totals(area_code=VILLAGE_A)["sessions"] == 0
    assert selectors.reach_totals(area_code=VILLAGE_B)["women"] == 7
    services.session_archive(actor=disnaker, session=session, reason="Dicatat dua kali.")
    assert counters_differences() == []
    assert selectors.reach_totals(area_code="18.11")["sessions"] == 0


def test_a_stale_copy_of_the_session_does_not_skew_the_counters(personas):
    disnaker = personas["disnaker"]
    session = make_session(personas["operator_a"])
    stale = OutreachSession.objects.get(pk=session.pk)
    services.session_update(actor=disnaker, session=session, data={"attendees_male": 40})
    services.session_archive(actor=disnaker, session=stale, reason="Dicatat dua kali.")
    assert counters_differences() == []
    assert selectors.reach_totals(area_code=None)["total"] == 0


def test_the_nation_reads_its_provinces(personas):
    make_session(personas["operator_a"])
    make_session(personas["disnaker"], code="18.11", channel="radio", attendees_male=100)
    rows = {r["area"].code: r for r in selectors.reach_by_child(area_code=None)}
    assert (rows["18"]["sessions"], rows["18"]["total"]) == (2, 152)
    assert len(rows) == 38  # every province, those without a session at zero
    assert rows["33"]["total"] == 0


def test_the_rebuild_and_the_migration_count_what_the_services_kept(personas):
    make_session(personas["operator_a"])
    make_session(personas["operator_b"], code=VILLAGE_B, attendees_male=5, attendees_female=0)
    make_session(personas["disnaker"], code="18.11.01", attendees_male=0, attendees_female=0)
    make_session(personas["disnaker"], code="18.11", channel="radio", attendees_male=100)
    archived = make_session(personas["operator_a"], attendees_male=9)
    services.session_archive(actor=personas["disnaker"], session=archived, reason="Salah.")
    kept = _kept()
    assert kept

    counters_rebuild()
    assert counters_differences() == []
    assert _kept() == kept

    name = "lindung.outreach.migrations.0002_sessions_in_the_counters"
    migration = importlib.import_module(name)
    migration.forget_sessions(django_apps, connection.schema_editor())
    assert not Counter.objects.filter(metric__in=SESSION_METRICS).exists()
    migration.count_sessions(django_apps, connection.schema_editor())
    assert _kept() == kept
    assert counters_differences() == []
