"""Writing the trail: who, what, where, which fields changed from what to what, and the address."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from lindung.audit.context import current_ip
from lindung.audit.models import Action, AuditEvent
from lindung.audit.services import audit_record, audit_view, diff, field_values
from lindung.audit.tracking import tracked_archive, tracked_create, tracked_update
from lindung.lib.errors import ApplicationError
from lindung.registry.models import Person

pytestmark = pytest.mark.django_db


def test_an_entry_names_the_actor_object_area_and_changes(personas):
    target = personas["operator_a"]
    event = audit_record(
        actor=personas["admin"],
        action=Action.UPDATE,
        obj=target,
        area_code="18.11.01.2001",
        changes={"phone": ["", "0812"]},
        ip="10.0.0.9",
    )
    event.refresh_from_db()
    assert event.actor == personas["admin"]
    assert event.actor_username == "admin.national"
    assert (event.object_type, event.object_id, event.object_repr) == (
        "accounts.user",
        str(target.pk),
        str(target),
    )
    assert event.area_code == "18.11.01.2001"
    assert event.changes == {"phone": ["", "0812"]}
    assert event.ip == "10.0.0.9"
    assert event.at.utcoffset().total_seconds() == 0


def test_the_address_comes_from_the_request_when_not_given(personas):
    token = current_ip.set("192.0.2.44")
    try:
        event = audit_view(actor=personas["kp2mi"], obj=personas["operator_a"])
    finally:
        current_ip.reset(token)
    assert event.ip == "192.0.2.44"
    assert event.action == Action.VIEW


def test_an_anonymous_actor_is_kept_by_the_typed_username():
    from django.contrib.auth.models import AnonymousUser

    event = audit_record(actor=AnonymousUser(), action=Action.LOGIN_FAILED, username="siapa")
    assert (event.actor, event.actor_username) == (None, "siapa")


def test_long_descriptions_are_cut_to_fit():
    event = audit_record(actor=None, action=Action.IMPORT, object_repr="x" * 500)
    assert len(event.object_repr) == 200


def test_diff_lists_only_changed_fields_with_old_and_new():
    assert diff({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": None}) == {"b": [2, 3]}
    assert diff({"a": 1}, {"a": 1}) == {}


def test_field_values_are_plain_json(personas):
    values = field_values(personas["operator_a"], ["jurisdiction", "date_joined", "username"])
    assert values["jurisdiction"] == "18.11.01.2001"
    assert isinstance(values["date_joined"], str)
    assert values["username"] == "operator.a"


def test_unusual_values_are_recorded_as_text():
    event = audit_record(
        actor=None,
        action=Action.UPDATE,
        changes={"when": [None, date(2026, 1, 2).isoformat()], "n": [None, str(Decimal("1.5"))]},
    )
    event.refresh_from_db()
    assert event.changes == {"when": [None, "2026-01-02"], "n": [None, "1.5"]}
    assert isinstance(datetime.fromisoformat(event.at.isoformat()), datetime)


def _person(**overrides):
    data = {
        "nik": "1811014502950001",
        "full_name": "Siti Aminah",
        "name_key": "siti aminah",
        "sex": "F",
        "birth_date": date(1995, 2, 5),
        "village_id": "18.11.01.2001",
    }
    data.update(overrides)
    return Person(**data)


def test_tracked_create_records_the_creator_and_every_filled_field(personas):
    person = tracked_create(_person(), actor=personas["operator_a"], area_code="18.11.01.2001")
    assert person.created_by == personas["operator_a"] == person.modified_by
    event = AuditEvent.objects.get(action=Action.CREATE, object_type="registry.person")
    assert event.changes["full_name"] == [None, "Siti Aminah"]
    assert event.changes["village"] == [None, "18.11.01.2001"]
    assert "created_at" not in event.changes and "phone" not in event.changes
    assert event.area_code == "18.11.01.2001"


def test_tracked_create_refuses_an_invalid_row_before_saving(personas):
    with pytest.raises(ApplicationError) as raised:
        tracked_create(_person(sex="X"), actor=personas["operator_a"])
    assert raised.value.field == "sex"
    assert not Person.objects.exists()


def test_tracked_update_records_old_and_new_values_and_skips_no_op_changes(personas):
    person = tracked_create(_person(), actor=personas["operator_a"])
    changes = tracked_update(
        person, actor=personas["head_a"], data={"phone": "081234567890", "full_name": "Siti Aminah"}
    )
    assert changes == {"phone": ["", "081234567890"]}
    assert person.modified_by == personas["head_a"]
    assert tracked_update(person, actor=personas["head_a"], data={"phone": "081234567890"}) == {}
    assert AuditEvent.objects.filter(action=Action.UPDATE).count() == 1


def test_tracked_archive_needs_a_reason_and_never_deletes(personas):
    person = tracked_create(_person(), actor=personas["operator_a"])
    with pytest.raises(ApplicationError) as raised:
        tracked_archive(person, actor=personas["head_a"], reason="  ")
    assert raised.value.field == "reason"
    tracked_archive(person, actor=personas["head_a"], reason="Recorded twice")
    person.refresh_from_db()
    assert person.is_archived and person.archived_by == personas["head_a"]
    event = AuditEvent.objects.get(action=Action.ARCHIVE)
    assert event.changes == {"archive_reason": [None, "Recorded twice"]}
    with pytest.raises(RuntimeError, match="never deleted"):
        person.delete()
