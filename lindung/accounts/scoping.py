"""The scoping rules, written once.

Two rules, both here and nowhere else:

- **Scope** (people, episodes, cases and anything else that belongs to a place): a user whose
  jurisdiction is area A sees exactly the rows whose area code is A or starts with "A."; a
  national user sees everything. Selectors filter through `scope()` (or `scope_within()` when
  a page narrows to one area).
- **Reach** (programmes, information sessions, announcements and regulations): the rows of the
  user's scope, plus those made for the areas above it, which are run in, held for or binding
  on the user's area too. Selectors filter through `reach_q()`; services ask `in_reach()`.

The code range in `code_q()` is what makes "everything in Kabupaten Mesuji" one index range
scan instead of a recursive query. A list read in its own order (a warning list, the residents,
the trail) asks for `regency_led`: a regency's rows are then read as those whose
`regency_code` is the regency's (the same rows), the first term of an index that also holds
the list's order, so its first page reads the same few rows however full the regency is.
"""

from django.db.models import Q, QuerySet
from django.db.models.lookups import Exact

from lindung.lib.fields import (
    PROVINCE_CODE_WIDTH,
    REGENCY_CODE_WIDTH,
    province_code,
    regency_code,
)
from lindung.regions.models import Level, ancestor_codes, level_of_code

NOWHERE = "-"  # an area code that matches nothing


def user_area_code(user) -> str | None:
    """The code of the user's jurisdiction; None for national users.

    Anonymous and inactive users get a code that matches nothing.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOWHERE
    if user.is_national:
        return None
    return user.jurisdiction_id or NOWHERE


def below_q(code: str, field: str) -> Q:
    """Rows whose `field` lies strictly below `code` ("." < digits < "/" in every collation)."""
    return Q(**{f"{field}__gte": code + ".", f"{field}__lt": code + "/"})


def code_q(
    code: str | None, field: str, *, regency_led: bool = False, province_led: bool = False
) -> Q:
    """Rows whose `field` (an area code or a foreign key to an area) is `code` or below it.

    `regency_led`, for a regency's code: the same rows, as those whose
    `lindung.lib.fields.regency_code(field)` is the code, which an index can lead with.
    `province_led` does the same for a province's code with `province_code(field)`.
    """
    if code is None:
        return Q()
    level = level_of_code(code)
    if regency_led and level == Level.REGENCY and len(code) == REGENCY_CODE_WIDTH:
        return Q(Exact(regency_code(field), code))
    if province_led and level == Level.PROVINCE and len(code) == PROVINCE_CODE_WIDTH:
        return Q(Exact(province_code(field), code))
    if level >= Level.VILLAGE:
        # Nothing lies below a village: its rows are one equality, which an index that goes
        # on in a list's order can serve (decision record 27).
        return Q(**{field: code})
    return Q(**{field: code}) | below_q(code, field)


def is_within(code: str | None, parent: str | None) -> bool:
    """Whether the area `code` is `parent` or lies below it (None as parent: the nation)."""
    if parent is None:
        return True
    if level_of_code(parent) >= Level.VILLAGE:
        return code == parent  # nothing lies below a village
    return bool(code) and (code == parent or code.startswith(parent + "."))


def scope(queryset: QuerySet, user, *, field: str = "village", regency_led=False) -> QuerySet:
    """The rows of `queryset` that lie within the user's jurisdiction."""
    return queryset.filter(code_q(user_area_code(user), field, regency_led=regency_led))


def narrowest_area(user, area_code: str | None) -> str | None:
    """The one area whose rows are those under `area_code` (every area for None) within the
    user's jurisdiction: None for the nation, NOWHERE when the two do not meet.

    Two areas' subtrees are nested or apart, so what both allow is the deeper area's, or
    nothing: one range, never two ORed together. Read counters of this area to count what
    `scope_within` would select.
    """
    own = user_area_code(user)
    if not area_code or (own is not None and is_within(own, area_code)):
        return own
    if is_within(area_code, own):
        return area_code
    return NOWHERE


def scope_within(
    queryset: QuerySet,
    user,
    area_code: str | None,
    *,
    field="village",
    regency_led=False,
    province_led=False,
) -> QuerySet:
    """The rows under `area_code` (every area for None) that lie within the user's jurisdiction."""
    area = narrowest_area(user, area_code)
    if area == NOWHERE:
        return queryset.none()
    led = {"regency_led": regency_led, "province_led": province_led}
    return queryset.filter(code_q(area, field, **led))


def code_in_scope(user, code: str | None) -> bool:
    """Whether an area code lies within the user's jurisdiction."""
    return is_within(code, user_area_code(user))


def reach_q(user, field: str, *, nationwide: bool = False) -> Q:
    """Rows the user may read of what is made for an area: the user's own area and the areas
    below it, plus the areas above it (a regency's programme is offered to its villages, a
    province's regulation binds its regencies). National users reach everything.

    `nationwide`: rows whose area is empty are made for the whole nation, and every user with
    an area reaches them too.
    """
    own = user_area_code(user)
    if own is None:
        return Q()
    q = code_q(own, field) | Q(**{f"{field}__in": ancestor_codes(own)[:-1]})
    if nationwide and own != "-":
        q |= Q(**{f"{field}__isnull": True})
    return q


def in_reach(user, code: str | None) -> bool:
    """Whether an area code is within the user's reach (see `reach_q`)."""
    own = user_area_code(user)
    if own is None:
        return True
    return code_in_scope(user, code) or code in ancestor_codes(own)[:-1]
