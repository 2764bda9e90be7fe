"""Reads of persons, always through the scoping rule."""

from datetime import date, timedelta
from importlib import import_module, util

from django.apps import apps
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.accounts.models import Role, User
from lindung.accounts.scoping import code_in_scope, code_q, scope
from lindung.lib.filters import filter_chosen, filter_yes_no
from lindung.lib.names import name_key
from lindung.lib.nik import clean_nik
from lindung.lib.timeline import TimelineEntry
from lindung.regions.models import Area, Level
from lindung.registry.models import FamilyMember, Letter, Person

# Roles that record and correct residents' data; the others read (within their scope).
EDITOR_ROLES = {Role.VILLAGE_OPERATOR, Role.VILLAGE_HEAD, Role.DISNAKER}
MERGER_ROLES = {Role.DISNAKER, Role.ADMIN}

AGE_BANDS = {
    "under18": (0, 17),
    "18-24": (18, 24),
    "25-34": (25, 34),
    "35-44": (35, 44),
    "45plus": (45, 200),
}


def _birth_range(low: int, high: int, today: date) -> tuple[date, date]:
    """Birth dates of people aged low..high (inclusive) today."""
    latest = today.replace(year=today.year - low) if low else today
    try:
        earliest = today.replace(year=today.year - high - 1) + timedelta(days=1)
    except ValueError:  # 29 February
        earliest = today.replace(year=today.year - high - 1, day=28) + timedelta(days=1)
    return earliest, latest


# The residents list's order, its keyset pages' key: by name, a name's holders by birth date.
PERSON_ORDER = ("name_key", "birth_date", "id")


def _searched_nik(query: str) -> str | None:
    """The NIK (or its first six digits or more) a search text looks for, or None."""
    digits = clean_nik(query)
    return digits if digits.isdigit() and len(digits) >= 6 else None


def _searched_name(query: str) -> str | None:
    """The name key a search text looks for, or None when the text is a NIK (or its start)."""
    return None if _searched_nik(query) else name_key(query)


def person_matches(*, user, filters: dict | None = None) -> QuerySet[Person]:
    """Active persons in the user's reach, filtered (q, phase, country, procedural, sex,
    age_band, village, verified), in no order. Persons whose processing is restricted
    (UU 27/2022 Pasal 11) are left out of every list and export."""
    filters = filters or {}
    qs = Person.objects.filter(archived_at__isnull=True, restricted_at__isnull=True)
    qs = scope(qs, user, regency_led=True)
    qs = qs.select_related("village", "current_placement")
    query = (filters.get("q") or "").strip()
    digits = _searched_nik(query)
    if digits:
        qs = qs.filter(nik__startswith=digits) if len(digits) < 16 else qs.filter(nik=digits)
    elif query:
        key = name_key(query)
        qs = qs.filter(name_key__contains=key) if key else qs.none()
    qs = filter_chosen(
        qs, filters, phase="phase", country="current_placement__destination_country", sex="sex"
    )
    qs = filter_yes_no(qs, filters, "procedural", "current_placement__procedural")
    if filters.get("age_band") in AGE_BANDS:
        earliest, latest = _birth_range(*AGE_BANDS[filters["age_band"]], timezone.localdate())
        qs = qs.filter(birth_date__gte=earliest, birth_date__lte=latest)
    village = filters.get("village")
    if village:
        code = getattr(village, "code", village)
        qs = qs.filter(code_q(code, "village"))
    if filters.get("verified") == "no":
        qs = qs.filter(verified_at__isnull=True)
    return qs


def person_list(*, user, filters: dict | None = None) -> QuerySet[Person]:
    """The residents list: `person_matches` in name order (PERSON_ORDER)."""
    qs = person_matches(user=user, filters=filters)
    key = _searched_name(((filters or {}).get("q") or "").strip())
    if key and len(key) >= TRIGRAM and connection.vendor == "postgresql":
        qs = _few_matches_by_id(qs)
    return qs.order_by(*PERSON_ORDER)


# The shortest text the trigram index of the names can look up (pg_trgm: three characters).
TRIGRAM = 3
# How many matches a name search sorts by itself before it walks the names in order instead.
FEW_MATCHES = 1000


def _few_matches_by_id(qs: QuerySet[Person]) -> QuerySet[Person]:
    """A name search that few persons match, as those persons by id.

    In name order, the first page of a search is either a walk of the names index until a
    page of matches has passed, which is short when many match and long when few do, or all
    the matches sorted, which is cheap when few match and costly when many do. PostgreSQL
    cannot tell which from its statistics: at ten million persons it walked past 363,505
    names for a page of "wahyuni". So the matches are first fetched through the trigram index
    of the names (registry migration 0010), at most FEW_MATCHES + 1 of them. When that is all
    of them, the list is those ids and its page sorts them; otherwise many match, and the walk
    finds a page soon.
    """
    probe = qs.order_by().values_list("pk", flat=True)[: FEW_MATCHES + 1]
    ids = _without_sequential_scan(lambda: list(probe))
    return qs if len(ids) > FEW_MATCHES else qs.filter(pk__in=ids)


def _without_sequential_scan(fetch):
    """`fetch()` with PostgreSQL's sequential scans set aside, and the setting put back.

    The planner cannot count the persons a piece of a name matches either. Where it guesses
    many, it reads the table in storage order until it has FEW_MATCHES + 1, and when fewer
    exist that is the whole table; the trigram index reads only the matches' entries."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('enable_seqscan')")
        (previous,) = cursor.fetchone()
        cursor.execute("SELECT set_config('enable_seqscan', 'off', true)")
        rows = fetch()
        # On an error the savepoint's rollback undoes the setting; here it is put back.
        cursor.execute("SELECT set_config('enable_seqscan', %s, true)", [previous])
    return rows


def person_get(*, user, pk) -> Person | None:
    """One person in the user's reach (archived ones included, to show why), or None."""
    qs = scope(Person.objects.all(), user).select_related(
        "village__parent__parent__parent", "current_placement", "merged_into"
    )
    try:
        return qs.filter(pk=int(pk)).first()
    except (TypeError, ValueError):  # a hand-typed ?person=abc is "not found", never a 500
        return None


def person_by_nik(*, user, nik: str) -> Person | None:
    """Exact NIK lookup within the user's reach."""
    return scope(Person.objects.all(), user).filter(nik=clean_nik(nik)).first()


def person_family(*, person: Person) -> list[FamilyMember]:
    """The person's family members (the person was already fetched through scoping)."""
    return list(person.family.filter(archived_at__isnull=True).order_by("relation", "name"))


def person_duplicates(
    *,
    user,
    full_name: str,
    birth_date: date | None,
    village_code: str = "",
    kk_number: str = "",
    exclude_pk=None,
) -> list[Person]:
    """Likely duplicates in the user's reach: same name key and birth date; same name in the
    same village with a birth date within a year; same KK and name."""
    key = name_key(full_name or "")
    if not key:
        return []
    conditions = Q(pk__in=[])
    if birth_date:
        conditions |= Q(name_key=key, birth_date=birth_date)
        if village_code:
            conditions |= Q(
                name_key=key,
                village_id=village_code,
                birth_date__gte=birth_date - timedelta(days=366),
                birth_date__lte=birth_date + timedelta(days=366),
            )
    if kk_number:
        conditions |= Q(kk_number=kk_number, name_key=key)
    qs = scope(Person.objects.filter(archived_at__isnull=True), user).filter(conditions)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return list(qs.select_related("village")[:20])


def verification_queue(*, user) -> QuerySet[Person]:
    """Records in the user's reach not yet verified by the village head, oldest first."""
    qs = scope(
        Person.objects.filter(
            archived_at__isnull=True, verified_at__isnull=True, restricted_at__isnull=True
        ),
        user,
    )
    return qs.select_related("village", "current_placement").order_by("created_at", "id")


def person_can_edit(*, user, person: Person | None = None) -> bool:
    """Whether the user records residents (and, given a person, may change this one)."""
    if not getattr(user, "is_authenticated", False) or user.role not in EDITOR_ROLES:
        return False
    return person is None or (not person.is_archived and code_in_scope(user, person.village_id))


def person_can_merge(*, user) -> bool:
    """Whether the user may merge duplicate records (the regency's Disnaker)."""
    return getattr(user, "is_authenticated", False) and user.role in MERGER_ROLES


def recordable_villages(*, user) -> list[Area]:
    """The villages where the user may register residents, by name."""
    if not person_can_edit(user=user):
        return []
    qs = scope(Area.objects.filter(level=Level.VILLAGE), user, field="code")
    return list(qs.select_related("parent").order_by("parent__name", "name")[:1000])


def filter_villages(*, user, limit: int = 400) -> list[Area] | None:
    """The villages in the user's reach, for the list filter (None when there are too many for
    a drop-down). Read from the areas, so its cost does not grow with the registry."""
    qs = scope(Area.objects.filter(level=Level.VILLAGE), user, field="code")
    # Too many is found by reading limit + 1 codes in index order, not by sorting every
    # village of the reach (83,762 for the nation) by name first.
    if len(qs.order_by("code").values_list("code", flat=True)[: limit + 1]) > limit:
        return None
    return list(qs.select_related("parent").order_by("parent__name", "name"))


def person_letters(*, person: Person) -> list[Letter]:
    """The letters issued from the person's record, newest first."""
    return list(person.letters.filter(archived_at__isnull=True).select_related("created_by"))


def letter_get(*, user, pk) -> Letter | None:
    """One letter in the user's reach, or None."""
    qs = scope(Letter.objects.all(), user).select_related(
        "village__parent__parent__parent", "person", "placement", "family_member"
    )
    return qs.filter(pk=pk).first()


def village_head(*, village_code: str):
    """The active village head account of a village, or None."""
    return (
        User.objects.filter(role=Role.VILLAGE_HEAD, jurisdiction_id=village_code, is_active=True)
        .order_by("id")
        .first()
    )


def person_timeline(*, user, person: Person) -> list[TimelineEntry]:
    """The registry's own entries: when the record was made, verified, and letters issued."""
    entries = []
    if person.verified_at:
        entries.append(
            TimelineEntry(
                on=timezone.localdate(person.verified_at),
                title=_("Record verified by the village head"),
                badge=_("Verified"),
                tone="ok",
                kind="verified_record",
            )
        )
    for letter in person_letters(person=person):
        entries.append(
            TimelineEntry(
                on=letter.issued_on,
                title=letter.get_kind_display(),
                detail=_("No. %(number)s") % {"number": letter.reference},
                url=reverse("registry:letter_detail", args=[letter.pk]),
                kind="letter",
            )
        )
    return entries


def person_timeline_all(*, user, person: Person) -> list[TimelineEntry]:
    """Every app's timeline entries for the person, newest first."""
    entries: list[TimelineEntry] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("lindung."):
            continue
        name = f"{config.name}.selectors"
        if util.find_spec(name) is None:
            continue
        contribute = getattr(import_module(name), "person_timeline", None)
        if contribute is not None:
            entries.extend(contribute(user=user, person=person))
    # Verifying a calon PMI also adds a "verified" event to the episode: show it once.
    episode_verified = {e.on for e in entries if e.kind == "verified"}
    entries = [e for e in entries if not (e.kind == "verified_record" and e.on in episode_verified)]
    return sorted(entries, key=lambda entry: entry.on, reverse=True)
