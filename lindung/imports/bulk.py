"""Plain SQL for the import's bulk writes: rows as tuples, no model instances.

An import writes three rows per spreadsheet row (person, episode, its departure), plus the
counter rows and an audit entry per chunk. Django's bulk_create builds a model instance per
row, prepares every field through `get_db_prep_save` and compiles one statement per ~30 rows
on SQLite; that cost several times the insert itself. Here each model's columns and
converters are worked out once, values are converted only where the database needs it (dates,
times, JSON), and a chunk goes in as one `executemany` on SQLite or one COPY on PostgreSQL.
The rows an import creates are converted even earlier, in its reader process (`Layout`), so
the importing process only adds their keys and the time.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache, lru_cache, partial
from operator import itemgetter

from django.db import connection
from django.db.models import CharField, JSONField, TextField

from lindung.counters.keeping import counter_level
from lindung.counters.models import Counter
from lindung.counters.trends import trend_villages, trends_refresh

_IDENTITY_TYPES = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "ForeignKey",
    "IntegerField",
    "OneToOneField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
    "TextField",
}


class Columns:
    """Columns of a model (its fields, in order), their defaults and the converters they
    need."""

    def __init__(self, fields: list):
        self.fields = fields
        self.attnames = [f.attname for f in self.fields]
        self.defaults = {
            f.attname: (None if f.primary_key else f.get_default()) for f in self.fields
        }
        # One C call takes a record's values in column order (every model has 2+ columns).
        self.pick = itemgetter(*self.attnames)
        self.converters = []
        ops = connection.ops
        for index, model_field in enumerate(self.fields):
            kind = model_field.get_internal_type()
            if kind == "DateField":
                # A file repeats its dates (birth dates, departure days): each converted once.
                self.converters.append(
                    (index, lru_cache(maxsize=1 << 16)(ops.adapt_datefield_value))
                )
            elif kind == "DateTimeField":
                # Mostly the chunk's one `now`: converted once, not once per row.
                self.converters.append((index, _same_as_last(ops.adapt_datetimefield_value)))
            elif kind == "JSONField" and _plain_json(model_field):
                # Rows of a chunk share one value object where they can (the planner gives
                # every departure with the same missing documents the same dict).
                self.converters.append((index, _same_as_last(partial(_json, model_field.encoder))))
            elif kind not in _IDENTITY_TYPES and not _is_char(model_field):
                self.converters.append(
                    (
                        index,
                        _same_as_last(partial(model_field.get_db_prep_save, connection=connection)),
                    )
                )

    def row(self, values: dict) -> list:
        """The database values of one record given as {attname: python value}."""
        row = list(self.pick({**self.defaults, **values}))
        for index, convert in self.converters:
            value = row[index]
            if value is not None:  # NULL needs no converting (most optional dates)
                row[index] = convert(value)
        return row


def _is_char(model_field) -> bool:
    return isinstance(model_field, CharField | TextField)


def _plain_json(model_field) -> bool:
    return type(model_field).get_prep_value is JSONField.get_prep_value


def _json(encoder, value):
    """JSONField.get_db_prep_save without its checks for expressions (values here are data),
    as JSON text on both engines: rows are written by COPY on PostgreSQL, which reads the
    text into jsonb, so a prepared row is serialised where it is prepared (the reader
    process), not again as the importing process writes it."""
    return None if value is None else json.dumps(value, cls=encoder)


def _same_as_last(convert):
    """A converter that remembers its last input: a chunk repeats one timestamp or address."""
    last = [object(), None]

    def converted(value):
        if value is not last[0]:
            last[0], last[1] = value, convert(value)
        return last[1]

    return converted


class Layout:
    """The insert statement of a model whose rows are prepared ahead of writing.

    Every concrete column but an unlisted key is in it: first the `late` ones, known only as
    the row is written (its key, the keys it points to, the time), then the rest, which
    `prepare` converts to database values from a record ({attname: value}) whenever the
    record is complete, in the import's reader process for most rows
    (lindung/imports/readahead.py). A row is written as `late values + prepared`: two tuples
    joined, no per-field work left.
    """

    def __init__(self, model, late: tuple[str, ...]):
        meta = model._meta
        # Columns the database computes (GeneratedField) are never written.
        written = [f for f in meta.concrete_fields if not f.generated]
        by_attname = {f.attname: f for f in written}
        self.model = model
        self.late = late
        # The key is a late column or left to the database (its sequence).
        rest = [f for f in written if f.attname not in late and not f.primary_key]
        self._fields = [by_attname[name] for name in late] + rest
        # Worked out on first use, for the process's database (converters differ by engine);
        # a process never changes engine, and asking the connection for its engine per row
        # cost a third of a second per 100,000 rows.
        self._rest: Columns | None = None

    def prepare(self, record: dict) -> tuple:
        """The database values of a record's columns after the late ones."""
        rest = self._rest
        if rest is None:
            rest = self._rest = Columns(self._fields[len(self.late) :])
        return tuple(rest.row(record))

    def insert(self, rows: list[tuple]) -> None:
        """Insert rows of `late values + prepared`: one COPY on PostgreSQL, one executemany
        on SQLite."""
        if rows:
            _write(self.model, self._fields, rows)


def insert(model, records: list[dict]) -> None:
    """Insert records ({attname: value}) with keys from the table's sequence: one COPY on
    PostgreSQL, one executemany on SQLite."""
    if records:
        layout = _plain_layout(model)
        layout.insert([layout.prepare(record) for record in records])


@cache
def _plain_layout(model) -> Layout:
    """A model's layout with no late columns: every column prepared, the key left out."""
    return Layout(model, ())


def _write(model, fields: list, rows: Iterable) -> None:
    """Rows of database values, in the order of `fields`, into the model's table."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(fields))
            sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
            cursor.executemany(sql, rows)


def reserve_ids(model, count: int) -> list[int]:
    """`count` new keys for the model's table, never handed out again.

    PostgreSQL: drawn from the table's sequence. SQLite: the next keys after the table's
    AUTOINCREMENT counter (`sqlite_sequence`), which is moved past them; the caller's
    transaction holds SQLite's only write lock (BEGIN IMMEDIATE), so nobody else draws keys
    until it ends, and a rollback gives them back with everything else.
    """
    if not count:
        return []
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The sequence is looked up once: in the select list, pg_get_serial_sequence ran
            # for every key drawn (13 times the cost of nextval itself).
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)::regclass::oid", [table, column])
            sequence = cursor.fetchone()[0]
            cursor.execute(
                "SELECT nextval(%s::oid::regclass) FROM generate_series(1, %s)", [sequence, count]
            )
            return [row[0] for row in cursor.fetchall()]
        if not connection.in_atomic_block:
            raise RuntimeError("SQLite keys are reserved inside the writing transaction.")
        quoted = connection.ops.quote_name
        cursor.execute(
            f"SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "  # noqa: S608
            f"coalesce((SELECT max({quoted(column)}) FROM {quoted(table)}), 0))",
            [table],
        )
        first = cursor.fetchone()[0] + 1
        last = first + count - 1
        cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [last, table])
        if not cursor.rowcount:
            cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, last])
        return list(range(first, last + 1))


def update(model, names: Iterable[str], objects: list) -> None:
    """Set the named fields of existing rows from their instances, in one executemany."""
    if not objects:
        return
    meta = model._meta
    fields = [meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    sets = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    sql = f"UPDATE {quote(meta.db_table)} SET {sets} WHERE {quote(meta.pk.column)} = %s"  # noqa: S608
    prepare = [(f.attname, f.get_db_prep_save) for f in fields]
    rows = [
        [*(prep(getattr(obj, attname), connection) for attname, prep in prepare), obj.pk]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def counters_add(deltas: dict[tuple, int]) -> None:
    """Add deltas to the counter rows of the given keys (all levels already rolled up).

    An upsert (`ON CONFLICT … DO UPDATE n = n + delta`), right under concurrent writers:
    PostgreSQL one statement over all keys, SQLite one executemany (possible since the
    counters-version triggers lost their conflict clause, reports migration 0006). The
    villages whose non-procedural departures changed have their trend summed again.
    """
    items = [(key, n) for key, n in deltas.items() if n]
    if not items:
        return
    quote = connection.ops.quote_name
    table = quote(Counter._meta.db_table)
    dims = [quote(name) for name in Counter.DIMENSIONS]
    n = quote("n")
    level = quote("level")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One statement over all keys, not one per key (an executemany of thousands of
            # upserts was most of an import's time there), in key order, so two writers lock
            # the rows they share in the same order. The keys travel as one JSON document:
            # encoded in C (psycopg dumps array parameters element by element in Python), read
            # as jsonb (json would re-parse an element for each field taken from it).
            items.sort()
            document = json.dumps([[*key, counter_level(key[0]), d] for key, d in items])
            columns = ", ".join(f"r->>{i}" for i in range(len(dims)))
            sql = (
                f"INSERT INTO {table} ({', '.join(dims)}, {level}, {n}) "  # noqa: S608
                f"SELECT {columns}, (r->>{len(dims)})::smallint, (r->>{len(dims) + 1})::int "
                "FROM jsonb_array_elements(%s::jsonb) AS r "
                f"ON CONFLICT ({', '.join(dims)}) DO UPDATE SET {n} = {table}.{n} + excluded.{n}"
            )
            cursor.execute(sql, [document])
        else:
            # One upsert per key, in key order as on PostgreSQL.
            items.sort()
            marks = ", ".join(["%s"] * (len(dims) + 2))
            cursor.executemany(
                f"INSERT INTO {table} ({', '.join(dims)}, {level}, {n}) VALUES ({marks}) "  # noqa: S608
                f"ON CONFLICT ({', '.join(dims)}) DO UPDATE SET {n} = {n} + excluded.{n}",
                [(*key, counter_level(key[0]), d) for key, d in items],
            )
    trends_refresh(trend_villages(key for key, _d in items))
