"""The scoping rule, written once.

A user whose jurisdiction is area A sees exactly the rows whose area code is A or starts with
"A."; a national user sees everything. Every selector of people, episodes, cases and anything
else that belongs to a place filters through `scope()`. The code range below is what makes
"everything in Kabupaten Mesuji" one index range scan instead of a recursive query.
"""

from django.db.models import Q, QuerySet


def user_area_code(user) -> str | None:
    """The code of the user's jurisdiction; None for national users.

    Anonymous and inactive users get a code that matches nothing.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return "-"
    if user.is_national:
        return None
    return user.jurisdiction_id or "-"


def code_q(code: str | None, field: str) -> Q:
    """Rows whose `field` (an area code or a foreign key to an area) is `code` or below it."""
    if code is None:
        return Q()
    return Q(**{field: code}) | Q(**{f"{field}__gte": code + ".", f"{field}__lt": code + "/"})


def scope(queryset: QuerySet, user, *, field: str = "village") -> QuerySet:
    """The rows of `queryset` that lie within the user's jurisdiction."""
    return queryset.filter(code_q(user_area_code(user), field))


def code_in_scope(user, code: str | None) -> bool:
    """Whether an area code lies within the user's jurisdiction."""
    own = user_area_code(user)
    if own is None:
        return True
    return bool(code) and (code == own or code.startswith(own + "."))
