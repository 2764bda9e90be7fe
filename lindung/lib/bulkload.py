"""Loading millions of rows: the secondary indexes are built once after the load, not row by row.

`secondary_indexes_deferred(tables)` reads the definitions of the tables' indexes from the
database itself (so an index added by any migration is covered), drops them, lets the caller
write its rows, then creates them again from the same definitions. On PostgreSQL the tables'
foreign keys are handled the same way (adding one back checks every row in one join, where a
COPY would queue a check per row). Primary keys and unique constraints stay: they guard the
data while it is written. A writer whose rows are unique by construction (one GROUP BY per
key) may ask for the unique constraints to be lifted too, on PostgreSQL: adding one back sorts
the rows once and still refuses a duplicate, where keeping it costs a search of a large index
for every row. SQLite's unique constraints belong to the table's definition and stay. When
asked, the tables' triggers are lifted too (SQLite: dropped and created again; PostgreSQL:
disabled and enabled); whoever asks redoes their effect.

Use it inside one transaction: if the load fails, the transaction rolls back and every index
is still there. Other connections wait for the tables meanwhile (a bulk load is a maintenance
job, not something run beside users).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import OperationalError, connection


def _sqlite_objects(table: str, kind: str) -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = %s AND tbl_name = %s "
            "AND sql IS NOT NULL ORDER BY name",
            [kind, table],
        )
        return list(cursor.fetchall())


def _postgresql_indexes(table: str) -> list[tuple[str, str]]:
    """Indexes that back no constraint (primary keys and unique constraints keep theirs)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x "
            "JOIN pg_class i ON i.oid = x.indexrelid "
            "WHERE x.indrelid = %s::regclass AND NOT EXISTS ("
            "  SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid "
            "  AND c.conrelid = x.indrelid) ORDER BY i.relname",
            [table],
        )
        return list(cursor.fetchall())


def _postgresql_constraints(table: str, kind: str) -> list[tuple[str, str]]:
    """The table's constraints of one kind ('f' foreign keys, 'u' unique constraints)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = %s ORDER BY conname",
            [table, kind],
        )
        return list(cursor.fetchall())


@contextmanager
def secondary_indexes_deferred(
    tables: Iterable[str], *, triggers: bool = False, unique: bool = False
) -> Iterator[None]:
    """Drop the secondary indexes (PostgreSQL: and foreign keys, and with `unique` the unique
    constraints) of `tables`, yield, build them again; with `triggers`, lift the tables'
    triggers meanwhile. Must run inside a transaction."""
    q = connection.ops.quote_name
    drop: list[str] = []
    # Built again in this order: the indexes, the unique constraints, then the foreign keys,
    # whose check uses the indexes just built; the triggers come back last.
    indexes: list[str] = []
    uniques: list[str] = []
    foreign_keys: list[str] = []
    lifted: list[str] = []
    for table in tables:
        if connection.vendor == "postgresql":
            constraints = _postgresql_constraints(table, "f")
            if unique:
                constraints += _postgresql_constraints(table, "u")
            for name, definition in constraints:
                drop.append(f"ALTER TABLE {q(table)} DROP CONSTRAINT {q(name)}")
                added = f"ALTER TABLE {q(table)} ADD CONSTRAINT {q(name)} {definition}"
                (uniques if definition.startswith("UNIQUE") else foreign_keys).append(added)
            for name, definition in _postgresql_indexes(table):
                drop.append(f"DROP INDEX {q(name)}")
                indexes.append(definition)
            if triggers:
                drop.append(f"ALTER TABLE {q(table)} DISABLE TRIGGER USER")
                lifted.append(f"ALTER TABLE {q(table)} ENABLE TRIGGER USER")
        else:
            for name, definition in _sqlite_objects(table, "index"):
                drop.append(f"DROP INDEX {q(name)}")
                indexes.append(definition)
            if triggers:
                for name, definition in _sqlite_objects(table, "trigger"):
                    drop.append(f"DROP TRIGGER {q(name)}")
                    lifted.append(definition)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            # Deferred checks of rows already written in this transaction run now: a table
            # with pending trigger events cannot be altered.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for sql in drop:
            cursor.execute(sql)
    yield
    with connection.cursor() as cursor:
        for sql in (*indexes, *uniques, *foreign_keys, *lifted):
            cursor.execute(sql)
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's foreign keys' default


def index_columns() -> dict[str, list[tuple[str, tuple[str, ...], bool]]]:
    """Every index of the database's tables as (name, columns, unique), per table; expression
    and partial indexes list what the database reports for them."""
    result: dict[str, list[tuple[str, tuple[str, ...], bool]]] = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT t.relname, i.relname, x.indisunique, x.indpred IS NOT NULL, "
                # A column with another operator class (varchar_pattern_ops) is another key.
                "  array(SELECT pg_get_indexdef(x.indexrelid, k + 1, true) "
                "        || CASE WHEN o.opcdefault THEN '' ELSE ' ' || o.opcname END "
                "        FROM generate_subscripts(x.indkey, 1) AS k "
                "        JOIN pg_opclass o ON o.oid = x.indclass[k] ORDER BY k) "
                "FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
                "JOIN pg_class t ON t.oid = x.indrelid "
                "JOIN pg_namespace n ON n.oid = t.relnamespace "
                "WHERE n.nspname = current_schema()"
            )
            for table, name, unique, partial, columns in cursor.fetchall():
                if partial:
                    continue
                result.setdefault(table, []).append((name, tuple(columns), unique))
        else:
            tables = [t.name for t in connection.introspection.get_table_list(cursor)]
            for table in tables:
                cursor.execute(f"PRAGMA index_list({connection.ops.quote_name(table)})")
                for _seq, name, unique, _origin, partial in cursor.fetchall():
                    if partial:
                        continue
                    cursor.execute(f"PRAGMA index_info({connection.ops.quote_name(name)})")
                    # SQLite names no expression column (None): each stands for itself here,
                    # so two indexes led by different expressions never look alike.
                    columns = tuple(
                        row[2] if row[2] is not None else f"<expression of {name}>"
                        for row in cursor.fetchall()
                    )
                    result.setdefault(table, []).append((name, columns, bool(unique)))
    return result


def covered_indexes() -> list[tuple[str, str, str]]:
    """(table, index, covering index) for each non-unique index whose columns begin another
    index of the same table: the longer one serves every query the shorter one does."""
    found = []
    for table, indexes in sorted(index_columns().items()):
        for name, columns, unique in indexes:
            if unique:
                continue
            for other, other_columns, _ in indexes:
                longer = len(other_columns) > len(columns) or other < name
                if other != name and other_columns[: len(columns)] == columns and longer:
                    found.append((table, name, other))
                    break
    return found


@contextmanager
def sqlite_rollback_journal() -> Iterator[None]:
    """On a SQLite file in WAL mode, a rollback journal while a bulk load runs; WAL again
    after it. Call it outside any transaction, around the load's own.

    In WAL mode every page the load writes goes to the log first, and until the load's single
    transaction commits, each page the load reads back (to build an index, join, group) is
    looked up in the log's index, whose size grows with the log: reading slows as the load
    goes on, then the commit's checkpoint copies every page a second time. With a rollback
    journal the pages are written to the database file itself, and new pages (all of a load
    into new or empty tables) are not journalled at all. Other connections cannot read
    meanwhile, which a bulk load already asks of them. Nothing changes on PostgreSQL, in a
    transaction (a test's) or on an in-memory database."""
    switched = False
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            if cursor.fetchone()[0] == "wal":
                try:
                    cursor.execute("PRAGMA journal_mode = DELETE")
                    switched = cursor.fetchone()[0] == "delete"
                except OperationalError:  # another connection holds the file: load in WAL
                    switched = False
    try:
        yield
    finally:
        if switched:
            # Every Django connection sets WAL again when it opens (lindung.settings); this
            # puts the file back for other tools at once.
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA journal_mode = WAL")
