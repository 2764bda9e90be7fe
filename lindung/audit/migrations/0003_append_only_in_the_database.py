"""The audit trail is append-only in the database too, not only in the ORM.

Triggers refuse UPDATE and DELETE of audit rows, so raw SQL, a bulk path that bypasses the
model or an injected statement cannot rewrite history. The one way through is
lindung.audit.db.audit_rows_writable(), for a lawful erasure or retention run inside one
transaction (PostgreSQL: the transaction-local setting lindung.audit_maintenance; SQLite: a row
in the table audit_maintenance, which has no model, so Django's flush never touches it).
"""

from django.db import migrations

MESSAGE = "The audit trail is append-only."

POSTGRES_UP = f"""
CREATE OR REPLACE FUNCTION audit_auditevent_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('lindung.audit_maintenance', true), '') = 'on' THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER audit_auditevent_append_only
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_auditevent_append_only();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_auditevent_append_only();
"""

SQLITE_UP = [
    "CREATE TABLE IF NOT EXISTS audit_maintenance (opened INTEGER NOT NULL)",
    *(
        f"""CREATE TRIGGER audit_auditevent_no_{op.lower()} BEFORE {op} ON audit_auditevent
        WHEN NOT EXISTS (SELECT 1 FROM audit_maintenance)
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"""
        for op in ("UPDATE", "DELETE")
    ),
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_update",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_delete",
    "DROP TABLE IF EXISTS audit_maintenance",
]


def _run(schema_editor, postgres, sqlite):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(postgres)
    elif vendor == "sqlite":
        for statement in sqlite:
            schema_editor.execute(statement)
    else:
        raise NotImplementedError(f"No append-only triggers for {vendor}.")


def forwards(apps, schema_editor):
    _run(schema_editor, POSTGRES_UP, SQLITE_UP)


def backwards(apps, schema_editor):
    _run(schema_editor, POSTGRES_DOWN, SQLITE_DOWN)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_alter_auditevent_action")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
