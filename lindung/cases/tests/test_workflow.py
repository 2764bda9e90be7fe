from datetime import date, timedelta
from decimal import Decimal

import pytest

from conftest import VILLAGE_B
from lindung.audit.models import Action, AuditEvent
from lindung.cases import services, workflow
from lindung.cases.models import (
    ActingLevel,
    Case,
    CaseStep,
    Outcome,
    Status,
    StepKind,
    Unit,
)
from lindung.cases.tests.conftest import TODAY, advance, days_ago, record, send_abroad
from lindung.lib.errors import ApplicationError
from lindung.placements.models import EventKind, PlacementEvent, ReturnReason
from lindung.placements.models import Status as PlacementStatus
from lindung.placements.person_services import person_merge
from lindung.registry.models import Phase
from lindung.registry.tests.factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(personas, frozen):
    person = make_person(personas["operator_a"])
    return record(personas["operator_a"], person, on=TODAY)


def test_a_village_operator_records_a_case_as_received_with_its_steps_and_audit(personas, case):
    assert case.status == Status.RECEIVED
    assert case.village_id == case.person.village_id
    assert case.intake_level == ActingLevel.VILLAGE
    assert case.due_on == TODAY + timedelta(days=3)
    assert [c.code for c in case.categories.all()] == ["wages_unpaid"]
    step = case.steps.get()
    assert (step.kind, step.status_to, step.actor) == (
        "recorded",
        "received",
        personas["operator_a"],
    )
    assert AuditEvent.objects.filter(
        action=Action.CREATE, object_type="cases.case", object_id=str(case.pk)
    ).exists()
    assert case.number == f"PGD-2026-{case.pk:05d}"


def test_a_threat_to_life_category_makes_the_case_urgent_with_a_shorter_deadline(personas, frozen):
    person = make_person(personas["operator_a"])
    case = record(personas["operator_a"], person, categories=["employer_violence"], on=TODAY)
    assert case.urgent
    assert case.due_on == TODAY + timedelta(days=1)


def test_a_case_for_someone_abroad_adds_a_problem_reported_event(personas, frozen):
    operator = personas["operator_a"]
    person = make_person(operator)
    placement = send_abroad(operator, person, country="MY", agency="PT Maju Jaya")
    case = record(operator, person, categories=["wages_unpaid", "lost_contact"], on=TODAY)
    assert case.placement == placement
    assert case.country == "MY"
    assert case.agency_name == "PT Maju Jaya"
    event = PlacementEvent.objects.get(placement=placement, kind=EventKind.PROBLEM_REPORTED)
    assert case.number in event.note
    assert "enam bulan" not in event.note  # the narrative stays need-to-know


def test_a_family_report_needs_the_relation(personas, frozen):
    person = make_person(personas["operator_a"])
    with pytest.raises(ApplicationError) as error:
        record(personas["operator_a"], person, reporter_relation="")
    assert error.value.field == "reporter_relation"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"categories": []}, "categories"),
        ({"categories": ["made_up"]}, "categories"),
        ({"narrative": "  "}, "narrative"),
        ({"channel": "pigeon"}, "channel"),
        ({"country": "XX"}, "country"),
        ({"on": TODAY + timedelta(days=1)}, "reported_on"),
        ({"party_name": "Mr Lee"}, "party_kind"),
    ],
)
def test_intake_refuses_incomplete_or_wrong_input(personas, frozen, fields, field):
    person = make_person(personas["operator_a"])
    with pytest.raises(ApplicationError) as error:
        record(personas["operator_a"], person, **fields)
    assert error.value.field == field
    assert not Case.objects.exists()


def test_an_operator_cannot_record_a_case_for_another_village(personas, frozen):
    person = make_person(personas["operator_b"], village=VILLAGE_B)
    with pytest.raises(ApplicationError):
        record(personas["operator_a"], person)


def test_an_administrator_cannot_record_cases(personas, frozen):
    person = make_person(personas["operator_a"])
    with pytest.raises(ApplicationError):
        record(personas["admin"], person)


def test_the_full_path_from_received_to_closed(personas, case):
    disnaker, bp3mi = personas["disnaker"], personas["bp3mi"]
    services.case_verify(actor=disnaker, case=case, occurred_on=TODAY, note="Dicek ke keluarga")
    assert case.status == Status.VERIFIED
    assert case.responsible_level == ActingLevel.REGENCY
    services.case_refer(actor=disnaker, case=case, unit=Unit.BP3MI, occurred_on=TODAY)
    assert (case.status, case.unit, case.unit_area_id) == (Status.REFERRED, Unit.BP3MI, "18")
    assert case.responsible_level == ActingLevel.PROVINCE
    assert case.due_on == TODAY + timedelta(days=7)
    services.case_take_up(actor=bp3mi, case=case, occurred_on=TODAY)
    assert (case.status, case.assigned_to) == (Status.IN_HANDLING, bp3mi)
    services.case_resolve(
        actor=bp3mi,
        case=case,
        outcome=Outcome.RIGHTS_RECOVERED,
        amount=Decimal("15000000"),
        occurred_on=TODAY,
    )
    assert (case.status, case.outcome, case.outcome_amount) == (
        Status.RESOLVED,
        Outcome.RIGHTS_RECOVERED,
        Decimal("15000000"),
    )
    services.case_close(actor=bp3mi, case=case, occurred_on=TODAY)
    case.refresh_from_db()
    assert case.status == Status.CLOSED
    assert case.due_on is None
    kinds = list(case.steps.values_list("kind", flat=True))
    assert kinds == ["recorded", "verified", "referred", "handling", "resolved", "closed"]
    assert all(step.actor_id for step in case.steps.all())


def test_the_village_head_may_verify_but_the_operator_may_not(personas, case):
    with pytest.raises(ApplicationError):
        services.case_verify(actor=personas["operator_a"], case=case, occurred_on=TODAY)
    services.case_verify(actor=personas["head_a"], case=case, occurred_on=TODAY)
    assert case.status == Status.VERIFIED


@pytest.mark.parametrize(
    ("status", "step"),
    [
        ("received", "refer"),
        ("received", "take_up"),
        ("received", "resolve"),
        ("received", "close"),
        ("received", "reopen"),
        ("verified", "verify"),
        ("verified", "resolve"),
        ("referred", "close"),
        ("in_handling", "close"),
        ("in_handling", "take_up"),
        ("in_handling", "reopen"),
        ("resolved", "resolve"),
        ("closed", "refer"),
        ("closed", "take_up"),
    ],
)
def test_steps_out_of_order_are_refused(personas, case, status, step):
    if status != "received":
        advance(case, personas, status, on=TODAY)
    kp2mi = personas["kp2mi"]  # may act for every unit: only the order refuses
    calls = {
        "verify": lambda: services.case_verify(actor=kp2mi, case=case, occurred_on=TODAY),
        "refer": lambda: services.case_refer(
            actor=kp2mi, case=case, unit=Unit.POLICE, occurred_on=TODAY
        ),
        "take_up": lambda: services.case_take_up(actor=kp2mi, case=case, occurred_on=TODAY),
        "resolve": lambda: services.case_resolve(
            actor=kp2mi, case=case, outcome=Outcome.MEDIATED, occurred_on=TODAY
        ),
        "close": lambda: services.case_close(actor=kp2mi, case=case, occurred_on=TODAY),
        "reopen": lambda: services.case_reopen(
            actor=kp2mi, case=case, occurred_on=TODAY, reason="Keluarga melapor lagi"
        ),
    }
    steps_before = CaseStep.objects.count()
    with pytest.raises(ApplicationError):
        calls[step]()
    case.refresh_from_db()
    assert case.status == status
    assert CaseStep.objects.count() == steps_before


def test_only_case_handlers_refer_and_handle(personas, case):
    services.case_verify(actor=personas["head_a"], case=case, occurred_on=TODAY)
    for role in ("operator_a", "head_a", "opd"):
        with pytest.raises(ApplicationError):
            services.case_refer(
                actor=personas[role], case=case, unit=Unit.DISNAKER, occurred_on=TODAY
            )
        with pytest.raises(ApplicationError):
            services.case_take_up(actor=personas[role], case=case, occurred_on=TODAY)


def test_bp3mi_of_another_province_cannot_touch_the_case(personas, case):
    with pytest.raises(ApplicationError):
        services.case_verify(actor=personas["bp3mi_other"], case=case, occurred_on=TODAY)


def test_a_case_referred_to_bp3mi_is_taken_up_by_bp3mi_not_disnaker(personas, case):
    advance(case, personas, "referred", on=TODAY)
    with pytest.raises(ApplicationError):
        services.case_take_up(actor=personas["disnaker"], case=case, occurred_on=TODAY)
    services.case_take_up(actor=personas["bp3mi"], case=case, occurred_on=TODAY)
    assert case.status == Status.IN_HANDLING


def test_a_transfer_between_units_keeps_the_history(personas, case):
    advance(case, personas, "in_handling", on=TODAY)
    services.case_refer(
        actor=personas["bp3mi"],
        case=case,
        unit=Unit.MISSION,
        unit_detail="KBRI Kuala Lumpur",
        occurred_on=TODAY,
        note="Perlu pendampingan hukum di Malaysia",
    )
    case.refresh_from_db()
    assert (case.status, case.unit, case.unit_detail) == (
        Status.REFERRED,
        Unit.MISSION,
        "KBRI Kuala Lumpur",
    )
    assert case.assigned_to is None
    assert case.responsible_level == ActingLevel.NATIONAL
    units = list(case.steps.exclude(unit="").values_list("kind", "unit"))
    assert units == [("referred", "bp3mi"), ("handling", "bp3mi"), ("transferred", "mission")]


def test_a_transfer_to_the_same_unit_is_refused(personas, case):
    advance(case, personas, "referred", on=TODAY)
    with pytest.raises(ApplicationError) as error:
        services.case_refer(actor=personas["bp3mi"], case=case, unit=Unit.BP3MI, occurred_on=TODAY)
    assert error.value.field == "unit"


def test_the_handling_officer_must_work_for_the_unit_and_cover_the_village(personas, case):
    advance(case, personas, "in_handling", on=TODAY)
    with pytest.raises(ApplicationError):
        services.case_assign(
            actor=personas["bp3mi"], case=case, officer=personas["disnaker"], occurred_on=TODAY
        )
    with pytest.raises(ApplicationError):
        services.case_assign(
            actor=personas["bp3mi"], case=case, officer=personas["operator_a"], occurred_on=TODAY
        )
    services.case_assign(
        actor=personas["bp3mi"], case=case, officer=personas["kp2mi"], occurred_on=TODAY
    )
    assert case.assigned_to == personas["kp2mi"]
    assert case.steps.filter(kind=StepKind.ASSIGNED, assigned_to=personas["kp2mi"]).exists()


def _resolve_recording_the_return(personas, case, outcome):
    services.case_resolve(
        actor=personas["bp3mi"], case=case, outcome=outcome, occurred_on=TODAY, record_return=True
    )


def test_resolving_by_repatriation_records_the_return_in_the_same_step(personas, frozen):
    operator = personas["operator_a"]
    person = make_person(operator)
    placement = send_abroad(operator, person)
    case = record(operator, person, categories=["wants_to_return", "deported"], on=TODAY)
    advance(case, personas, "in_handling", on=TODAY)
    _resolve_recording_the_return(personas, case, Outcome.REPATRIATED)
    placement.refresh_from_db()
    person.refresh_from_db()
    assert placement.status == PlacementStatus.RETURNED
    assert placement.returned_on == TODAY
    assert placement.return_reason == ReturnReason.DEPORTED
    assert person.phase == Phase.RETURNED


def test_recording_a_return_needs_a_repatriation_of_someone_abroad(personas, case):
    advance(case, personas, "in_handling", on=TODAY)
    with pytest.raises(ApplicationError) as no_episode:
        _resolve_recording_the_return(personas, case, Outcome.REPATRIATED)
    assert no_episode.value.field == "record_return"
    with pytest.raises(ApplicationError):
        _resolve_recording_the_return(personas, case, Outcome.MEDIATED)
    assert Case.objects.get(pk=case.pk).status == Status.IN_HANDLING


def test_an_unsubstantiated_outcome_needs_an_explanation(personas, case):
    advance(case, personas, "in_handling", on=TODAY)
    with pytest.raises(ApplicationError) as error:
        services.case_resolve(
            actor=personas["bp3mi"], case=case, outcome=Outcome.NOT_SUBSTANTIATED, occurred_on=TODAY
        )
    assert error.value.field == "note"


def test_reopening_needs_a_reason_and_returns_the_case_to_handling(personas, case):
    advance(case, personas, "closed", on=TODAY)
    with pytest.raises(ApplicationError) as error:
        services.case_reopen(actor=personas["disnaker"], case=case, occurred_on=TODAY, reason=" ")
    assert error.value.field == "reason"
    services.case_reopen(
        actor=personas["disnaker"], case=case, occurred_on=TODAY, reason="Gaji belum diterima"
    )
    case.refresh_from_db()
    assert (case.status, case.outcome, case.closed_on) == (Status.IN_HANDLING, "", None)
    assert case.steps.last().note == "Gaji belum diterima"


def test_a_step_cannot_be_dated_before_the_previous_one_or_in_the_future(personas, frozen):
    person = make_person(personas["operator_a"])
    case = record(personas["operator_a"], person, on=days_ago(5))
    with pytest.raises(ApplicationError):
        services.case_verify(actor=personas["disnaker"], case=case, occurred_on=days_ago(6))
    with pytest.raises(ApplicationError):
        services.case_verify(
            actor=personas["disnaker"], case=case, occurred_on=TODAY + timedelta(days=1)
        )


def test_a_progress_note_is_added_by_those_who_read_the_details_only(personas, case):
    services.case_note(actor=personas["operator_a"], case=case, occurred_on=TODAY, note="Telepon")
    services.case_note(actor=personas["disnaker"], case=case, occurred_on=TODAY, note="Surat")
    with pytest.raises(ApplicationError):
        services.case_note(actor=personas["head_a"], case=case, occurred_on=TODAY, note="x")
    assert case.steps.filter(kind=StepKind.NOTE).count() == 2


def test_allowed_steps_follow_the_status_and_the_role(personas, case):
    assert workflow.case_allowed_steps(personas["operator_a"], case) == ["note", "attach"]
    assert workflow.case_allowed_steps(personas["head_a"], case) == ["verify"]
    assert workflow.case_allowed_steps(personas["disnaker"], case) == [
        "verify",
        "note",
        "attach",
        "supervisor",
    ]
    assert workflow.case_allowed_steps(personas["bp3mi"], case) == ["verify"]  # no reading
    assert workflow.case_allowed_steps(personas["bp3mi_other"], case) == []
    advance(case, personas, "referred", on=TODAY)
    assert "take_up" not in workflow.case_allowed_steps(personas["disnaker"], case)
    assert {"refer", "take_up", "assign"} <= set(
        workflow.case_allowed_steps(personas["bp3mi"], case)
    )


def test_cases_are_never_deleted(case):
    with pytest.raises(RuntimeError):
        case.delete()
    with pytest.raises(RuntimeError):
        case.steps.first().delete()


def test_the_recorded_date_can_be_in_the_past(personas, frozen):
    person = make_person(personas["operator_a"])
    case = record(personas["operator_a"], person, on=date(2026, 6, 1))
    assert case.status_since == date(2026, 6, 1)
    assert case.due_on == date(2026, 6, 4)


def test_a_merge_moves_the_duplicates_cases_to_the_record_kept(personas, case):
    keep = make_person(personas["operator_a"], serial=2, name="Siti Aminah Binti Darto")
    person_merge(actor=personas["disnaker"], keep=keep, duplicate=case.person)
    case.refresh_from_db()
    assert case.person == keep
    merge = AuditEvent.objects.get(action=Action.MERGE, object_id=str(keep.pk))
    assert merge.changes["cases"] == [0, 1]
