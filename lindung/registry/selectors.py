"""Reads of persons, always through the scoping rule."""

from datetime import date, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from lindung.accounts.scoping import code_q, scope
from lindung.lib.names import name_key
from lindung.lib.nik import clean_nik
from lindung.registry.models import FamilyMember, Person

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


def person_list(*, user, filters: dict | None = None) -> QuerySet[Person]:
    """Active persons in the user's reach, filtered (q, phase, country, procedural, sex,
    age_band, village, verified)."""
    filters = filters or {}
    qs = scope(Person.objects.filter(archived_at__isnull=True), user)
    qs = qs.select_related("village", "current_placement")
    query = (filters.get("q") or "").strip()
    if query:
        digits = clean_nik(query)
        if digits.isdigit() and len(digits) >= 6:
            qs = qs.filter(nik__startswith=digits) if len(digits) < 16 else qs.filter(nik=digits)
        else:
            key = name_key(query)
            qs = qs.filter(name_key__contains=key) if key else qs.none()
    if filters.get("phase"):
        qs = qs.filter(phase=filters["phase"])
    if filters.get("country"):
        qs = qs.filter(current_placement__destination_country=filters["country"])
    if filters.get("procedural") in ("yes", "no"):
        qs = qs.filter(current_placement__procedural=filters["procedural"] == "yes")
    if filters.get("sex"):
        qs = qs.filter(sex=filters["sex"])
    if filters.get("age_band") in AGE_BANDS:
        earliest, latest = _birth_range(*AGE_BANDS[filters["age_band"]], timezone.localdate())
        qs = qs.filter(birth_date__gte=earliest, birth_date__lte=latest)
    village = filters.get("village")
    if village:
        code = getattr(village, "code", village)
        qs = qs.filter(code_q(code, "village"))
    if filters.get("verified") == "no":
        qs = qs.filter(verified_at__isnull=True)
    return qs.order_by("name_key", "id")


def person_get(*, user, pk) -> Person | None:
    """One person in the user's reach (archived ones included, to show why), or None."""
    qs = scope(Person.objects.all(), user).select_related(
        "village__parent__parent__parent", "current_placement", "merged_into"
    )
    return qs.filter(pk=pk).first()


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
    qs = scope(Person.objects.filter(archived_at__isnull=True, verified_at__isnull=True), user)
    return qs.select_related("village", "current_placement").order_by("created_at", "id")
