"""Need-to-know: who reads a case's story (narrative, demand, reported party, reporter's
contact, attachments), and that every page, list, audit view and download asks one policy."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from conftest import REGENCY, _make
from lindung.accounts.models import Role
from lindung.audit.models import AuditEvent
from lindung.cases import services, story, workflow
from lindung.cases.models import CaseEmergencyRead, Unit
from lindung.cases.need_to_know import may_read_story, story_readable
from lindung.cases.tests.conftest import NARRATIVE, REASON, TODAY, story_case
from lindung.lib.errors import ApplicationError

pytestmark = pytest.mark.django_db


# persona -> reads the story of a case referred from Disnaker to BP3MI
PASSED = {
    "operator_a": True,  # the recorder
    "bp3mi": True,  # the unit handling it now
    "disnaker": True,  # the unit it passed through
    "kp2mi": False,  # another handler in scope: facts only
    "opd": False,
    "head_a": False,  # the village head of the worker's village
    "operator_b": False,  # out of scope
    "bp3mi_other": False,  # out of scope
    "admin": False,
}


@pytest.mark.parametrize("persona", PASSED)
def test_the_policy_for_each_persona(personas, passed_to_province, persona):
    assert may_read_story(personas[persona], passed_to_province) is PASSED[persona]


@pytest.mark.parametrize("persona", PASSED)
def test_the_queryset_helper_agrees_with_the_policy(personas, passed_to_province, persona):
    from lindung.cases.models import Case

    user = personas[persona]
    found = story_readable(Case.objects.all(), user).filter(pk=passed_to_province.pk).exists()
    assert found is may_read_story(user, passed_to_province)


def test_another_handler_in_scope_reads_only_the_facts(personas, held_by_regency):
    assert may_read_story(personas["disnaker"], held_by_regency)
    assert not may_read_story(personas["bp3mi"], held_by_regency)
    assert not may_read_story(personas["kp2mi"], held_by_regency)


def test_a_colleague_of_the_handling_unit_reads_the_story(personas, held_by_regency):
    colleague = _make("disnaker.second", Role.DISNAKER, REGENCY)
    assert may_read_story(colleague, held_by_regency)


def test_a_disnaker_of_another_regency_does_not(personas, held_by_regency):
    elsewhere = _make("disnaker.tulang.bawang", Role.DISNAKER, "18.05")
    assert not may_read_story(elsewhere, held_by_regency)


def test_a_named_supervisor_reads_the_story(personas, held_by_regency):
    kp2mi = personas["kp2mi"]
    story.case_supervisor_set(actor=personas["disnaker"], case=held_by_regency, supervisor=kp2mi)
    held_by_regency.refresh_from_db()
    assert held_by_regency.supervisor == kp2mi
    assert may_read_story(kp2mi, held_by_regency)
    assert AuditEvent.objects.filter(
        object_type="cases.case", object_id=str(held_by_regency.pk), changes__has_key="supervisor"
    ).exists()


def test_only_the_handling_unit_names_the_supervisor(personas, held_by_regency):
    for persona in ("bp3mi", "operator_a", "head_a"):
        with pytest.raises(ApplicationError):
            story.case_supervisor_set(
                actor=personas[persona], case=held_by_regency, supervisor=personas["kp2mi"]
            )


def test_the_supervisor_must_work_where_the_case_is(personas, held_by_regency):
    with pytest.raises(ApplicationError):
        story.case_supervisor_set(
            actor=personas["disnaker"], case=held_by_regency, supervisor=personas["bp3mi_other"]
        )


def test_an_escalation_lets_the_level_that_must_act_read(personas, frozen):
    case = story_case(personas)
    assert not may_read_story(personas["bp3mi"], case)
    with time_machine.travel(TODAY + timedelta(days=60), tick=False):
        services.cases_escalate()
    case.refresh_from_db()
    assert case.escalated_level is not None
    assert may_read_story(personas["bp3mi"], case)


# -- break the glass -------------------------------------------------------------------------


def test_break_the_glass_needs_a_written_reason(personas, held_by_regency):
    with pytest.raises(ApplicationError):
        story.case_emergency_read(actor=personas["bp3mi"], case=held_by_regency, reason="perlu")
    assert not may_read_story(personas["bp3mi"], held_by_regency)


def test_break_the_glass_grants_a_read_that_expires(personas, held_by_regency, settings):
    bp3mi = personas["bp3mi"]
    grant = story.case_emergency_read(actor=bp3mi, case=held_by_regency, reason=REASON)
    assert may_read_story(bp3mi, held_by_regency)
    assert grant.expires_at - grant.granted_at == timedelta(
        hours=settings.CASE_EMERGENCY_READ_HOURS
    )
    later = timezone.now() + timedelta(hours=settings.CASE_EMERGENCY_READ_HOURS, minutes=1)
    with time_machine.travel(later, tick=False):
        assert not may_read_story(bp3mi, held_by_regency)


def test_an_emergency_read_lets_one_read_not_add_to_the_case(personas, held_by_regency):
    bp3mi = personas["bp3mi"]
    story.case_emergency_read(actor=bp3mi, case=held_by_regency, reason=REASON)
    assert "note" not in workflow.case_allowed_steps(bp3mi, held_by_regency)
    with pytest.raises(ApplicationError):
        services.case_note(actor=bp3mi, case=held_by_regency, occurred_on=TODAY, note="Catatan")


def test_break_the_glass_is_not_for_those_outside_the_case_area(personas, held_by_regency):
    for persona in ("bp3mi_other", "operator_b"):
        with pytest.raises(ApplicationError):
            story.case_emergency_read(actor=personas[persona], case=held_by_regency, reason=REASON)
    assert not CaseEmergencyRead.objects.exists()


def test_break_the_glass_through_the_page(client_as, personas, held_by_regency):
    bp3mi = personas["bp3mi"]
    client = client_as(bp3mi)
    url = reverse("cases:case_detail", args=[held_by_regency.pk])
    before = client.get(url).content.decode()
    assert NARRATIVE not in before
    form_url = reverse("cases:case_emergency_read", args=[held_by_regency.pk])
    assert form_url in before
    short = client.post(form_url, {"reason": "cek"})
    assert short.status_code == 400
    assert NARRATIVE not in short.content.decode()
    response = client.post(form_url, {"reason": REASON})
    assert response.status_code == 302
    after = client.get(url).content.decode()
    assert NARRATIVE in after
    event = AuditEvent.objects.get(object_type="cases.caseemergencyread")
    assert (event.actor, event.area_code) == (bp3mi, held_by_regency.village_id)
    assert event.changes["reason"] == [None, REASON]
    assert event.changes["case"] == [None, held_by_regency.pk]
    # The handler sees who opened it in an emergency, and why.
    handler_page = client_as(personas["disnaker"]).get(url).content.decode()
    assert REASON in handler_page
    assert str(bp3mi) in handler_page


def test_the_village_head_is_not_offered_break_the_glass(client_as, personas, held_by_regency):
    form_url = reverse("cases:case_emergency_read", args=[held_by_regency.pk])
    client = client_as(personas["head_a"])
    assert (
        form_url
        not in client.get(reverse("cases:case_detail", args=[held_by_regency.pk])).content.decode()
    )
    assert client.post(form_url, {"reason": REASON}).status_code == 404


def test_the_migration_finds_the_same_units_the_services_record(personas, frozen):
    """Cases recorded before need-to-know followed handling get their units from history."""
    import importlib

    from django.apps import apps

    from lindung.cases.models import CaseHandlingUnit

    backfill = importlib.import_module(
        "lindung.cases.migrations.0003_handling_units_of_existing_cases"
    ).backfill
    held = story_case(personas)
    services.case_verify(actor=personas["disnaker"], case=held, occurred_on=TODAY)
    services.case_refer(actor=personas["disnaker"], case=held, unit=Unit.BP3MI, occurred_on=TODAY)
    services.case_take_up(actor=personas["kp2mi"], case=held, occurred_on=TODAY)
    with time_machine.travel(TODAY + timedelta(days=60), tick=False):
        services.cases_escalate()
    late = story_case(personas, serial=2)
    with time_machine.travel(TODAY + timedelta(days=60), tick=False):
        services.cases_escalate()
    recorded = set(CaseHandlingUnit.objects.values_list("case_id", "unit", "area_id"))
    CaseHandlingUnit.objects.all().delete()
    backfill(apps, None)
    assert set(CaseHandlingUnit.objects.values_list("case_id", "unit", "area_id")) == recorded
    assert {u for c, u, _a in recorded if c == late.pk} >= {"disnaker", "bp3mi"}
