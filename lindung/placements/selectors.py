"""Reads of migration episodes and their events, always through the scoping rule."""

from django.db.models import QuerySet

from lindung.accounts.scoping import code_q, scope
from lindung.placements.models import Placement, PlacementEvent


def placement_list(*, user, filters: dict | None = None) -> QuerySet[Placement]:
    """Active episodes in the user's reach, filtered (status, country, procedural, job,
    village, person)."""
    filters = filters or {}
    qs = scope(Placement.objects.filter(archived_at__isnull=True), user)
    qs = qs.select_related("person", "village")
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("country"):
        qs = qs.filter(destination_country=filters["country"])
    if filters.get("procedural") in ("yes", "no"):
        qs = qs.filter(procedural=filters["procedural"] == "yes")
    if filters.get("job"):
        qs = qs.filter(job=filters["job"])
    if filters.get("person"):
        qs = qs.filter(person=filters["person"])
    village = filters.get("village")
    if village:
        code = getattr(village, "code", village)
        qs = qs.filter(code_q(code, "village"))
    return qs.order_by("-created_at", "-id")


def placement_get(*, user, pk) -> Placement | None:
    """One episode in the user's reach, or None."""
    qs = scope(Placement.objects.all(), user).select_related("person", "village")
    return qs.filter(pk=pk).first()


def person_placements(*, person) -> list[Placement]:
    """A person's episodes, newest first, with their checks and events."""
    return list(
        person.placements.filter(archived_at__isnull=True)
        .prefetch_related("checks", "events")
        .order_by("-created_at", "-id")
    )


def placement_events(*, user, placement) -> QuerySet[PlacementEvent]:
    """An episode's history in order, within the user's reach."""
    return scope(placement.events.all(), user).select_related("recorded_by")
