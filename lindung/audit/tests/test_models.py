"""The audit trail is append-only: nothing in the application can change or delete an entry."""

import pytest
from django.db import transaction
from django.db.models import PROTECT

from lindung.audit.models import Action, AuditEvent
from lindung.audit.services import audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(personas):
    return audit_record(actor=personas["admin"], action=Action.VIEW, object_repr="x")


def test_an_entry_cannot_be_saved_again(event):
    event.object_repr = "changed"
    with pytest.raises(RuntimeError, match="append-only"):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).object_repr == "x"


def test_an_entry_cannot_be_deleted(event):
    with pytest.raises(RuntimeError, match="append-only"):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_trail_cannot_be_updated_or_deleted_in_bulk(event):
    with pytest.raises(RuntimeError):
        AuditEvent.objects.filter(pk=event.pk).update(object_repr="changed")
    with pytest.raises(RuntimeError):
        AuditEvent.objects.all().delete()
    event.object_repr = "changed"
    with pytest.raises(RuntimeError), transaction.atomic():
        AuditEvent.objects.bulk_update([event], ["object_repr"])
    assert AuditEvent.objects.get(pk=event.pk).object_repr == "x"


def test_a_user_with_a_trail_cannot_be_deleted(personas, event):
    # Users are deactivated, not deleted; the trail's foreign key enforces it.
    assert AuditEvent._meta.get_field("actor").remote_field.on_delete is PROTECT


def test_entries_are_listed_newest_first(personas):
    first = audit_record(actor=None, action=Action.LOGIN_FAILED, username="a")
    second = audit_record(actor=None, action=Action.LOGIN_FAILED, username="b")
    assert list(AuditEvent.objects.filter(pk__in=[first.pk, second.pk])) == [second, first]
