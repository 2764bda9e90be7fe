"""Bulk loads build indexes after the rows; the registry's big tables carry no index that
another one already serves."""

import pytest
from django.db import IntegrityError, connection, transaction

from lindung.counters.models import Counter
from lindung.lib.bulkload import covered_indexes, index_columns, secondary_indexes_deferred

# The tables that grow with the registry (millions of rows at national scale).
REGISTRY_SCALE = {
    "registry_person",
    "registry_familymember",
    "placements_placement",
    "placements_placementevent",
    "reports_counter",
    "audit_auditevent",
}


def test_no_index_of_a_registry_scale_table_is_covered_by_another(db):
    covered = [row for row in covered_indexes() if row[0] in REGISTRY_SCALE]
    assert covered == []


def test_covered_indexes_finds_a_prefix_of_a_composite(db):
    # Outside the registry-scale tables some foreign keys keep their own index (small tables).
    tables = {table for table, _, _ in covered_indexes()}
    assert "registry_person" not in tables
    assert "programs_enrollment" in tables  # enrollment(person) begins (person, status)


def _definitions(table):
    return sorted(index_columns().get(table, []))


def test_deferred_indexes_and_foreign_keys_come_back_the_same(db):
    before = _definitions("registry_person")
    names_before = {name for name, _, _ in before}
    assert any(name.endswith("_idx") for name in names_before)
    with secondary_indexes_deferred(["registry_person"], triggers=True):
        during = {name for name, _, _ in _definitions("registry_person")}
        # Only the primary key and the unique NIK stay while rows are written.
        assert not any(name.endswith("_idx") for name in during)
        assert len(during) == (2 if connection.vendor == "postgresql" else 1)
    assert _definitions("registry_person") == before
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_constraint WHERE conrelid = 'registry_person'::regclass "
                "AND contype = 'f'"
            )
            assert cursor.fetchone()[0] >= 3


def _triggers(table):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = %s::regclass "
                "AND NOT tgisinternal ORDER BY tgname",
                [table],
            )
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s "
                "ORDER BY name",
                [table],
            )
        return cursor.fetchall()


def test_a_load_unique_by_construction_lifts_the_unique_constraint_and_the_triggers(db):
    table = Counter._meta.db_table
    before, triggers = _definitions(table), _triggers(table)
    assert triggers  # the counters-version triggers
    with secondary_indexes_deferred([table], triggers=True, unique=True):
        during = [name for name, _, _ in _definitions(table)]
        lifted = _triggers(table)
        if connection.vendor == "postgresql":
            assert during == [f"{table}_pkey"]
            assert {enabled for _, enabled in lifted} == {"D"}
        else:
            # SQLite's unique constraint is part of the table: its own index stays.
            assert during and all(name.startswith("sqlite_autoindex") for name in during)
            assert lifted == []
    assert _definitions(table) == before
    assert _triggers(table) == triggers
    if connection.vendor == "postgresql":
        assert {enabled for _, enabled in triggers} == {"O"}


def test_a_duplicate_written_while_the_constraint_is_lifted_is_refused(db):
    # PostgreSQL refuses it when the constraint comes back, SQLite when it is written.
    rows = [Counter(village="18", level=1, metric="resident", n=1) for _ in range(2)]
    table = Counter._meta.db_table
    with (
        pytest.raises(IntegrityError),
        transaction.atomic(),
        secondary_indexes_deferred([table], unique=True),
    ):
        Counter.objects.bulk_create(rows)
    assert not Counter.objects.filter(village="18", metric="resident").exists()


@pytest.mark.sqlite
@pytest.mark.django_db
def test_a_bulk_load_on_a_sqlite_file_runs_with_a_rollback_journal(tmp_path, monkeypatch):
    """A SQLite file in WAL mode takes a rollback journal for the load and WAL again after;
    inside a transaction (the test's own connection) nothing changes."""
    from django.db.backends.sqlite3.base import DatabaseWrapper

    from lindung.lib import bulkload

    settings = {**connection.settings_dict, "NAME": str(tmp_path / "load.sqlite3")}
    other = DatabaseWrapper(settings, alias="bulkload")

    def journal(conn) -> str:
        with conn.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            return cursor.fetchone()[0]

    try:
        assert journal(other) == "wal"  # as lindung.settings opens every SQLite file
        monkeypatch.setattr(bulkload, "connection", other)
        with bulkload.sqlite_rollback_journal():
            assert journal(other) == "delete"
        assert journal(other) == "wal"
    finally:
        other.close()
    monkeypatch.undo()
    before = journal(connection)
    with bulkload.sqlite_rollback_journal():
        assert journal(connection) == before
