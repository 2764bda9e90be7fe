"""The audit trail is append-only in the database itself: raw SQL cannot change or delete an
entry on SQLite or PostgreSQL (the suite runs on both), and only audit_rows_writable() opens it
for one transaction."""

import pytest
from django.db import DatabaseError, connection, transaction

from lindung.audit.db import audit_rows_writable
from lindung.audit.models import Action, AuditEvent
from lindung.audit.services import audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(personas):
    return audit_record(actor=personas["admin"], action=Action.VIEW, object_repr="x")


def raw(sql, *params):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_raw_sql_cannot_change_an_entry(event):
    with pytest.raises(DatabaseError, match="append-only"):
        raw("UPDATE audit_auditevent SET object_repr = %s WHERE id = %s", "changed", event.pk)
    assert AuditEvent.objects.get(pk=event.pk).object_repr == "x"


def test_raw_sql_cannot_delete_an_entry(event):
    with pytest.raises(DatabaseError, match="append-only"):
        raw("DELETE FROM audit_auditevent WHERE id = %s", event.pk)
    with pytest.raises(DatabaseError, match="append-only"):
        raw("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_orm_bulk_path_hits_the_trigger_too(event):
    """Even with the ORM's own guard bypassed, the database refuses."""
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk)._raw_delete(connection.alias)
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_new_entries_are_still_written(event):
    before = AuditEvent.objects.count()
    audit_record(actor=None, action=Action.LOGIN_FAILED, username="someone", ip="10.0.0.1")
    assert AuditEvent.objects.count() == before + 1


def test_audit_rows_writable_opens_the_trail_for_one_transaction_only(event):
    with audit_rows_writable(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET object_repr = %s WHERE id = %s", ["erased", event.pk]
        )
    assert AuditEvent.objects.get(pk=event.pk).object_repr == "erased"
    with pytest.raises(DatabaseError, match="append-only"):
        raw("UPDATE audit_auditevent SET object_repr = %s WHERE id = %s", "again", event.pk)


def test_a_failed_erasure_leaves_the_trail_closed(event):
    with pytest.raises(ZeroDivisionError), audit_rows_writable():
        1 / 0  # noqa: B018
    with pytest.raises(DatabaseError, match="append-only"):
        raw("DELETE FROM audit_auditevent WHERE id = %s", event.pk)
