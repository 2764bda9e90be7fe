from datetime import date, timedelta

import pytest
import time_machine
from django.core.management import call_command

from lindung.audit.models import AuditEvent
from lindung.cases.models import ActingLevel, Case, StepKind
from lindung.cases.selectors import case_deadline_state, case_list
from lindung.cases.services import case_verify, cases_escalate
from lindung.cases.tests.conftest import record
from lindung.registry.tests.factories import make_person

pytestmark = pytest.mark.django_db
REPORTED = date(2026, 6, 1)  # a received case is due on 4 June


@pytest.fixture
def case(personas):
    with time_machine.travel(REPORTED, tick=False):
        return record(personas["operator_a"], make_person(personas["operator_a"]), on=REPORTED)


def _on(day):
    return time_machine.travel(day, tick=False)


def test_a_case_is_not_overdue_on_its_due_date(case):
    with _on(date(2026, 6, 4)):
        assert case_deadline_state(case) == {
            "overdue_days": 0,
            "acting_level": ActingLevel.VILLAGE,
            "acting_label": ActingLevel.VILLAGE.label,
            "escalated": False,
        }
        assert cases_escalate() == []


def test_an_overdue_village_case_escalates_to_the_regency_then_higher(case):
    with _on(date(2026, 6, 5)):
        state = case_deadline_state(case)
        assert (state["overdue_days"], state["acting_level"]) == (1, ActingLevel.REGENCY)
    with _on(date(2026, 6, 12)):
        assert case_deadline_state(case)["acting_level"] == ActingLevel.PROVINCE
    with _on(date(2026, 6, 19)):
        assert case_deadline_state(case)["acting_level"] == ActingLevel.NATIONAL


def test_the_escalate_command_records_each_new_level_once_and_audits_it(case):
    with _on(date(2026, 6, 5)):
        call_command("escalate_cases", stdout=open("/dev/null", "w"))  # noqa: SIM115
        call_command("escalate_cases", stdout=open("/dev/null", "w"))  # noqa: SIM115
    case.refresh_from_db()
    assert case.escalated_level == ActingLevel.REGENCY
    assert case.steps.filter(kind=StepKind.ESCALATED).count() == 1
    audit = AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk))
    assert audit.filter(changes__has_key="escalated_level").count() == 1
    with _on(date(2026, 6, 12)):
        assert cases_escalate() == [case]
    case.refresh_from_db()
    assert case.escalated_level == ActingLevel.PROVINCE
    assert case.steps.filter(kind=StepKind.ESCALATED).count() == 2


def test_escalated_cases_surface_on_the_lists_of_the_level_that_must_act(case, personas):
    with _on(date(2026, 6, 5)):
        cases_escalate()
        assert list(case_list(user=personas["disnaker"], filters={"view": "escalated"})) == [case]
        assert list(case_list(user=personas["bp3mi"], filters={"view": "escalated"})) == []
        assert list(case_list(user=personas["bp3mi"], filters={"view": "overdue"})) == [case]
        assert list(case_list(user=personas["operator_a"], filters={"view": "overdue"})) == [case]
        assert list(case_list(user=personas["bp3mi_other"], filters={"view": "overdue"})) == []


def test_taking_the_next_step_clears_the_escalation_and_restarts_the_clock(case, personas):
    with _on(date(2026, 6, 10)):
        cases_escalate()
        case.refresh_from_db()
        case_verify(actor=personas["disnaker"], case=case, occurred_on=date(2026, 6, 10))
        case.refresh_from_db()
        assert case.escalated_level is None
        assert case.due_on == date(2026, 6, 13)
        assert case_deadline_state(case)["overdue_days"] == 0


def test_urgent_cases_become_overdue_sooner(personas):
    with _on(REPORTED):
        person = make_person(personas["operator_a"])
        urgent = record(personas["operator_a"], person, categories=["trafficking"], on=REPORTED)
    with _on(REPORTED + timedelta(days=2)):
        assert case_deadline_state(urgent)["overdue_days"] == 1
        assert Case.objects.filter(pk=urgent.pk, due_on__lt=date.today()).exists()
