"""The open cases kept in the counters (decision record 22): every step keeps them equal to a
count of the cases, the SQL rebuild and the migration compute the same, and the panel's
"overdue" moves with the day without a write."""

import importlib
from datetime import timedelta

import pytest
import time_machine
from django.apps import apps as django_apps
from django.db import connection

from conftest import VILLAGE_B
from lindung.cases import services
from lindung.cases.models import Outcome, Unit
from lindung.cases.selectors import dashboard_panel
from lindung.cases.story import case_supervisor_set
from lindung.cases.tests.conftest import TODAY, record
from lindung.counters.models import Counter, Metric
from lindung.registry.tests.factories import make_person
from lindung.reports.counters import counters_differences, counters_rebuild

pytestmark = pytest.mark.django_db

CASE_METRICS = [Metric.CASE_OPEN, Metric.CASE_CATEGORY]


def _kept() -> list[tuple]:
    rows = Counter.objects.filter(metric__in=CASE_METRICS, n__gt=0)
    return sorted(rows.values_list(*Counter.DIMENSIONS, "level", "n"))


def _figures(panel) -> tuple:
    categories = {row["code"]: row["n"] for row in panel["by_category"]}
    return panel["open"], panel["urgent"], panel["overdue"], categories


def test_every_step_keeps_the_counters_equal_to_the_cases(personas, frozen):
    disnaker, bp3mi = personas["disnaker"], personas["bp3mi"]
    person = make_person(personas["operator_a"], serial=1)
    case = record(personas["operator_a"], person, categories=["sick", "wages_unpaid"], on=TODAY)
    assert counters_differences() == []
    nation = dashboard_panel(user=personas["kp2mi"], area_code=None)
    assert _figures(nation) == (1, 0, 0, {"sick": 1, "wages_unpaid": 1})

    steps = [
        lambda: services.case_verify(actor=disnaker, case=case, occurred_on=TODAY),
        lambda: services.case_refer(actor=disnaker, case=case, unit=Unit.BP3MI, occurred_on=TODAY),
        lambda: services.case_take_up(actor=bp3mi, case=case, occurred_on=TODAY),
        lambda: services.case_resolve(
            actor=bp3mi, case=case, outcome=Outcome.MEDIATED, occurred_on=TODAY
        ),
        lambda: services.case_close(actor=bp3mi, case=case, occurred_on=TODAY),
        lambda: services.case_reopen(
            actor=bp3mi, case=case, occurred_on=TODAY, reason="Majikan ingkar janji."
        ),
    ]
    for step in steps:
        step()
        case.refresh_from_db()
        assert counters_differences() == [], case.status
        counted = dashboard_panel(user=personas["kp2mi"], area_code=None)["open"]
        assert counted == (0 if case.status == "closed" else 1), case.status


def test_a_stale_copy_of_the_case_does_not_skew_the_counters(personas, frozen):
    """A step taken on an instance loaded before another step committed counts from the row,
    and does not write the old status back."""
    person = make_person(personas["operator_a"], serial=1)
    case = record(personas["operator_a"], person, on=TODAY)
    stale = type(case).objects.get(pk=case.pk)
    services.case_verify(actor=personas["disnaker"], case=case, occurred_on=TODAY)
    disnaker = personas["disnaker"]
    services.case_assign(actor=disnaker, case=stale, officer=disnaker, occurred_on=TODAY)
    assert type(case).objects.get(pk=case.pk).status == "verified"
    assert counters_differences() == []


def test_a_step_on_a_stale_copy_takes_the_committed_dates(personas, frozen):
    """The deadline of a later step comes from the committed status and its date, not from
    the copy's."""
    disnaker = personas["disnaker"]
    person = make_person(personas["operator_a"], serial=1)
    case = record(personas["operator_a"], person, on=TODAY)
    stale = type(case).objects.get(pk=case.pk)
    later = TODAY + timedelta(days=3)
    with time_machine.travel(later, tick=False):
        services.case_verify(actor=disnaker, case=case, occurred_on=later)
        case.refresh_from_db()
        services.case_assign(actor=disnaker, case=stale, officer=disnaker, occurred_on=later)
    committed = type(case).objects.get(pk=case.pk)
    assert (committed.status, committed.status_since) == ("verified", later)
    assert committed.due_on == case.due_on
    assert counters_differences() == []


def test_a_supervisor_named_on_a_stale_copy_keeps_the_committed_case(personas, frozen):
    person = make_person(personas["operator_a"], serial=1)
    case = record(personas["operator_a"], person, on=TODAY)
    stale = type(case).objects.get(pk=case.pk)
    services.case_verify(actor=personas["disnaker"], case=case, occurred_on=TODAY)
    case_supervisor_set(actor=personas["disnaker"], case=stale, supervisor=personas["bp3mi"])
    committed = type(case).objects.get(pk=case.pk)
    assert (committed.status, committed.supervisor_id) == ("verified", personas["bp3mi"].pk)
    assert counters_differences() == []


def test_the_rebuild_and_the_migration_count_what_the_services_kept(personas, frozen):
    a = make_person(personas["operator_a"], serial=1)
    b = make_person(personas["operator_b"], village=VILLAGE_B, serial=2)
    record(personas["operator_a"], a, on=TODAY - timedelta(days=20))
    # The longest category code (22 characters) fits the counters' `job`.
    record(personas["operator_b"], b, categories=["detained", "work_not_as_contracted"], on=TODAY)
    closed = record(personas["operator_a"], a, categories=["sick"], on=TODAY)
    services.case_verify(actor=personas["disnaker"], case=closed, occurred_on=TODAY)
    services.case_refer(actor=personas["disnaker"], case=closed, unit=Unit.BP3MI, occurred_on=TODAY)
    services.case_take_up(actor=personas["bp3mi"], case=closed, occurred_on=TODAY)
    services.case_resolve(
        actor=personas["bp3mi"], case=closed, outcome=Outcome.MEDIATED, occurred_on=TODAY
    )
    services.case_close(actor=personas["bp3mi"], case=closed, occurred_on=TODAY)
    kept = _kept()
    panel = _figures(dashboard_panel(user=personas["disnaker"], area_code="18.11"))
    assert panel == (2, 1, 1, {"wages_unpaid": 1, "detained": 1, "work_not_as_contracted": 1})

    counters_rebuild()
    assert counters_differences() == []
    assert _kept() == kept

    migration = importlib.import_module("lindung.cases.migrations.0005_open_cases_in_the_counters")
    migration.forget_open_cases(django_apps, connection.schema_editor())
    assert not Counter.objects.filter(metric__in=CASE_METRICS).exists()
    migration.count_open_cases(django_apps, connection.schema_editor())
    assert _kept() == kept
    assert counters_differences() == []


def test_a_case_becomes_overdue_with_the_day_not_with_a_write(personas, frozen):
    person = make_person(personas["operator_a"], serial=1)
    case = record(personas["operator_a"], person, on=TODAY)
    assert dashboard_panel(user=personas["operator_a"], area_code=None)["overdue"] == 0
    with time_machine.travel(case.due_on + timedelta(days=1), tick=False):
        assert dashboard_panel(user=personas["operator_a"], area_code=None)["overdue"] == 1
    with time_machine.travel(case.due_on, tick=False):
        assert dashboard_panel(user=personas["operator_a"], area_code=None)["overdue"] == 0
