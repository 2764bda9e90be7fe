"""Cursor paging: the answer's `next` names the last row shown; the next page starts after it."""

import base64
import json
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from lindung.lib.errors import ApplicationError

MAX_ID = 2**31 - 1


def _bad() -> ApplicationError:
    return ApplicationError(_("This cursor is not valid."), field="cursor", code="bad_cursor")


def encode(values: list) -> str:
    raw = json.dumps(values, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str, size: int) -> list:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        values = None
    if not isinstance(values, list) or len(values) != size:
        raise _bad()
    return values


def page(qs: QuerySet, *, order: tuple[str, str], cursor: str | None, limit: int):
    """(rows, next cursor) of a queryset ordered by `order` (a key field, then the id).

    Both fields ascending, or both descending when the first starts with "-"."""
    key, tie = order
    descending = key.startswith("-")
    key_name, tie_name = key.lstrip("-"), tie.lstrip("-")
    if cursor:
        last_key, last_tie = decode(cursor, 2)
        if not (
            isinstance(last_tie, int)
            and 0 <= last_tie <= MAX_ID
            and isinstance(last_key, str)
            and "\x00" not in last_key
            and len(last_key) <= 200
        ):
            raise _bad()
        op = "lt" if descending else "gt"
        try:  # a date key that is not a date is refused here, before any query
            qs = qs.filter(
                Q(**{f"{key_name}__{op}": last_key})
                | Q(**{key_name: last_key, f"{tie_name}__{op}": last_tie})
            )
        except (ValidationError, ValueError, TypeError):
            raise _bad() from None
    rows = list(qs.order_by(key, tie)[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    if not more:
        return rows, None
    last = rows[-1]
    value = getattr(last, key_name)
    return rows, encode([value.isoformat() if hasattr(value, "isoformat") else value, last.pk])


def page_answer(qs: QuerySet, *, order: tuple[str, str], query, item: Callable) -> dict:
    """A list's answer: the page of `qs` that `query` (its cursor and limit) asks for, each row
    as `item(row)`, and the cursor of the next page."""
    rows, cursor = page(qs, order=order, cursor=query.cursor, limit=query.limit)
    return {"items": [item(row) for row in rows], "next": cursor}
