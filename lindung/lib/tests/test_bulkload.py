"""Bulk loads build indexes after the rows; the registry's big tables carry no index that
another one already serves."""

from django.db import connection

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
    with secondary_indexes_deferred(["registry_person"], sqlite_triggers=True):
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
