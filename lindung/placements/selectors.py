"""Reads of migration episodes and their events, always through the scoping rule."""

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from lindung.accounts.scoping import code_q, scope
from lindung.lib.filters import filter_chosen, filter_yes_no
from lindung.lib.timeline import TimelineEntry
from lindung.placements.destination import UNKNOWN, destination_name
from lindung.placements.models import (
    CheckInResult,
    EventKind,
    Placement,
    PlacementEvent,
    ReadinessItem,
    ReturnReason,
)

CHECK_IN_TONES = {
    CheckInResult.FINE: "ok",
    CheckInResult.PROBLEM: "bad",
    CheckInResult.NO_CONTACT: "warn",
}


def placement_list(*, user, filters: dict | None = None) -> QuerySet[Placement]:
    """Active episodes in the user's reach, filtered (status, country, procedural, job,
    village, person)."""
    filters = filters or {}
    qs = scope(Placement.objects.filter(archived_at__isnull=True), user)
    if not filters.get("person"):
        # A person whose processing is restricted is left out of lists and exports.
        qs = qs.filter(person__restricted_at__isnull=True)
    qs = qs.select_related("person", "village")
    qs = filter_chosen(
        qs, filters, status="status", country="destination_country", job="job", person="person"
    )
    qs = filter_yes_no(qs, filters, "procedural", "procedural")
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


def person_open_placement(*, person) -> Placement | None:
    """The person's episode in preparation or abroad, if any."""
    return (
        person.placements.filter(archived_at__isnull=True, status__in=["planned", "abroad"])
        .order_by("-created_at", "-id")
        .first()
    )


def placement_events(*, user, placement) -> QuerySet[PlacementEvent]:
    """An episode's history in order, within the user's reach."""
    return scope(placement.events.all(), user).select_related("recorded_by")


def _event_entry(event: PlacementEvent, placement: Placement) -> TimelineEntry:
    country = destination_name(placement.destination_country)
    title = event.get_kind_display()
    detail = event.note
    badge = tone = ""
    if event.kind == EventKind.REGISTERED and placement.destination_country == UNKNOWN:
        title = _("Registered as calon PMI; destination country not yet known")
    elif event.kind == EventKind.REGISTERED:
        title = _("Registered as calon PMI for %(country)s") % {"country": country}
    elif event.kind == EventKind.DEPARTED:
        title = _("Departed for %(country)s") % {"country": country}
        if event.data.get("not_checked"):
            badge, tone = _("Checklist not checked"), "warn"
        elif event.data.get("missing") or event.data.get("under_age"):
            badge, tone = _("Non-procedural"), "bad"
        else:
            badge, tone = _("Procedural"), "ok"
    elif event.kind == EventKind.ARRIVED:
        title = _("Arrived in %(country)s") % {"country": country}
    elif event.kind == EventKind.DOCUMENT_COMPLETED:
        item = event.data.get("item", "")
        label = ReadinessItem(item).label if item in ReadinessItem.values else item
        title = _("Checklist: %(item)s") % {"item": label}
        detail = event.data.get("reference") or detail
    elif event.kind == EventKind.CHECK_IN:
        badge = CheckInResult(event.check_in_result).label if event.check_in_result else ""
        tone = CHECK_IN_TONES.get(event.check_in_result, "")
    elif event.kind == EventKind.PROBLEM_REPORTED:
        tone, badge = "bad", _("Problem")
    elif event.kind == EventKind.CONTRACT_EXTENDED:
        detail = (_("New contract end: %(end)s") % {"end": event.data.get("contract_end", "")}) + (
            f" · {event.note}" if event.note else ""
        )
    elif event.kind == EventKind.RETURNED:
        title = _("Returned from %(country)s") % {"country": country}
        if event.return_reason in ReturnReason.values:
            badge = ReturnReason(event.return_reason).label
            tone = "ok" if event.return_reason in ("contract_ended", "leave") else "warn"
    elif event.kind == EventKind.DIED:
        tone, badge = "bad", _("Died")
    elif event.kind == EventKind.CANCELLED:
        tone, badge = "warn", _("Did not depart")
    return TimelineEntry(
        on=event.occurred_on,
        title=str(title),
        detail=detail,
        url=reverse("placements:placement_detail", args=[placement.pk]),
        badge=str(badge),
        tone=tone,
        kind=event.kind,
    )


def person_timeline(*, user, person) -> list[TimelineEntry]:
    """The person's episodes as dated steps (departures, returns, check-ins…), newest first."""
    events = (
        scope(PlacementEvent.objects.filter(person=person), user)
        .filter(placement__archived_at__isnull=True)
        .select_related("placement")
        .order_by("-occurred_on", "-id")
    )
    return [_event_entry(event, event.placement) for event in events]


# How far ahead the episode page warns about expiring documents and ending contracts, and how
# long the village may go without hearing from the family of someone abroad.
PASSPORT_WARNING_DAYS = 180
CONTRACT_WARNING_DAYS = 60
CHECK_IN_WARNING_DAYS = 90


def placement_alerts(*, placement: Placement, today) -> list[tuple[str, str]]:
    """(tone, sentence) warnings for an open episode: expiring passport or visa, contract
    ending, no recent news from abroad."""
    if placement.status not in ("planned", "abroad"):
        return []
    alerts = []
    for expiry, label in (
        (placement.passport_expiry, _("The passport")),
        (placement.visa_expiry, _("The visa")),
    ):
        if expiry is None:
            continue
        days = (expiry - today).days
        if days < 0:
            alerts.append(("bad", _("%(doc)s has expired.") % {"doc": label}))
        elif days <= PASSPORT_WARNING_DAYS:
            alerts.append(
                ("warn", _("%(doc)s expires in %(days)s days.") % {"doc": label, "days": days})
            )
    if placement.status == "abroad":
        if placement.contract_end:
            days = (placement.contract_end - today).days
            if 0 <= days <= CONTRACT_WARNING_DAYS:
                alerts.append(("warn", _("The contract ends in %(days)s days.") % {"days": days}))
            elif days < 0:
                alerts.append(
                    ("warn", _("The contract has ended: record the return or an extension."))
                )
        last = placement.last_check_in_on or placement.departed_on
        if last and (today - last).days > CHECK_IN_WARNING_DAYS:
            alerts.append(
                (
                    "warn",
                    _("No family check-in for %(days)s days.") % {"days": (today - last).days},
                )
            )
    return alerts
