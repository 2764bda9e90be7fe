"""The database side of the append-only audit trail (migration 0002 adds its triggers)."""

from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def audit_rows_writable():
    """Let UPDATE and DELETE of audit rows through the triggers, inside one transaction.

    Only for a lawful erasure or retention run that is itself audited; nothing else in Lindung
    changes audit rows. The ORM still refuses (AppendOnlyQuerySet): such a run writes SQL.
    The opening ends with the transaction, also when it fails.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT set_config('lindung.audit_maintenance', 'on', true)")
        else:
            cursor.execute("INSERT INTO audit_maintenance (opened) VALUES (1)")
        yield
        if connection.vendor == "postgresql":
            cursor.execute("SELECT set_config('lindung.audit_maintenance', '', true)")
        else:
            cursor.execute("DELETE FROM audit_maintenance")
