"""Keyset pages and capped counts: a list's first view costs the same at any registry size.

A page is the `size` rows after the last row of the previous one, found by the list's own
order (its last field a unique id), so the database walks an index from there instead of
skipping `OFFSET` rows; `?after=` in the address names that last row. The count under a list is
capped: counting stops at `COUNT_CAP` + 1 rows, and the page says "more than 1,000" then.
"""

import base64
import datetime
import json
from dataclasses import dataclass
from functools import reduce
from operator import and_, or_

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q, QuerySet

COUNT_CAP = 1000
MAX_TEXT = 200


def capped_count(qs: QuerySet, cap: int | None = None) -> tuple[int, bool]:
    """(n, capped): how many rows, counting at most cap + 1 of them (cap: COUNT_CAP)."""
    cap = COUNT_CAP if cap is None else cap
    n = qs.order_by()[: cap + 1].count()
    return (cap, True) if n > cap else (n, False)


def _value(row, path: str):
    for name in path.split("__"):
        row = getattr(row, name) if row is not None else None
    return row


def _encode(values: list) -> str:
    plain = [v.isoformat() if isinstance(v, datetime.date) else v for v in values]
    raw = json.dumps(plain, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(token: str, size: int) -> list | None:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        values = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(values, list) or len(values) != size:
        return None
    for value in values:
        if isinstance(value, bool) or not isinstance(value, str | int | type(None)):
            return None
        if isinstance(value, str) and (len(value) > MAX_TEXT or "\x00" in value):
            return None
        if isinstance(value, int) and not -(2**63) <= value < 2**63:
            return None
    return values


def _nulls_large() -> bool:
    """Whether NULL sorts after every value in an ascending order (PostgreSQL), or before
    (SQLite): the rows after a NULL differ with it."""
    return connection.vendor == "postgresql"


def _after_one(field: str, descending: bool, value) -> Q | None:
    """Rows whose `field` comes strictly after `value` in the order (None: no row does)."""
    nulls_after = _nulls_large() != descending  # NULLs come at the end of this order
    if value is None:
        return None if nulls_after else Q(**{f"{field}__isnull": False})
    beyond = Q(**{f"{field}__{'lt' if descending else 'gt'}": value})
    return beyond | Q(**{f"{field}__isnull": True}) if nulls_after else beyond


def _equal(field: str, value) -> Q:
    return Q(**{f"{field}__isnull": True}) if value is None else Q(**{field: value})


def after_q(order: tuple[str, ...], values: list) -> Q:
    """Rows after the row whose order fields hold `values`: (a, b, id) > (x, y, z) spelt out
    field by field, with each engine's place for NULLs."""
    branches = []
    for i, field in enumerate(order):
        name = field.lstrip("-")
        after = _after_one(name, field.startswith("-"), values[i])
        if after is None:
            continue
        ties = [_equal(f.lstrip("-"), v) for f, v in zip(order[:i], values[:i], strict=True)]
        branches.append(reduce(and_, [*ties, after]))
    return reduce(or_, branches) if branches else Q(pk__in=[])


@dataclass
class KeysetPage:
    rows: list
    next_token: str | None  # `?after=` of the next page, None on the last one
    is_first: bool
    count: int  # capped at COUNT_CAP
    count_capped: bool

    @property
    def object_list(self) -> list:
        return self.rows

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def keyset_page(
    qs: QuerySet, *, order: tuple[str, ...], after: str | None, size: int, count: bool = True
) -> KeysetPage:
    """The `size` rows of `qs` (in `order`, its last field unique) after the row `after` names.

    An `after` that does not decode is the first page (an edited address is not an error)."""
    values = _decode(after, len(order)) if after else None
    total, capped = capped_count(qs) if count else (0, False)
    page_qs = qs
    if values is not None:
        try:  # a value of the wrong type for its field is refused here, before any query
            page_qs = qs.filter(after_q(order, values))
        except (ValidationError, ValueError, TypeError):
            values, page_qs = None, qs
    rows = list(page_qs.order_by(*order)[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    token = _encode([_value(rows[-1], f.lstrip("-")) for f in order]) if more else None
    return KeysetPage(rows, token, values is None, total, capped)
