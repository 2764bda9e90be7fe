"""Keeping the counters in step with persons and events.

Services take `counters_for_person` (and the other tallies) before and after a change and
`counters_apply` the difference, inside the transaction that changes the record, so a
dashboard never sees a count that disagrees with the rows. Keys name a village; each is
counted at the village, at every area above it and for the nation (code "").

Below the registry and the episodes in the layers: a person, an episode or an event is handed
in, and a person's events are read through `person.events`. Recomputing the counters from every
record (a rebuild, a check) reads all of them and stays in `lindung.reports.counters`.
"""

from collections import Counter as Tally

from django.db import IntegrityError, connection, transaction
from django.db.models import F

from lindung.counters.models import Counter, CounterVersion, Metric
from lindung.counters.trends import trend_villages, trends_refresh
from lindung.regions.models import ancestor_codes, level_of_code

NATION = ""  # the code of the national counter rows
EVENT_METRICS = {"departed": Metric.DEPARTURE, "returned": Metric.RETURN}


def procedural_flag(value: bool | None) -> str:
    return "" if value is None else ("y" if value else "n")


def person_key(person) -> tuple | None:
    """The counter dimensions a person counts under now (None when not counted)."""
    if person.archived_at is not None:
        return None
    placement = person.current_placement
    return (
        person.village_id,
        Metric.RESIDENT.value,
        person.phase,
        placement.destination_country if placement else "",
        person.sex,
        placement.job if placement else "",
        procedural_flag(placement.procedural) if placement else "",
        "",
    )


def event_key(event, placement, person) -> tuple | None:
    """The counter dimensions of a departure or return event (None for other events)."""
    metric = EVENT_METRICS.get(event.kind)
    if metric is None:
        return None
    return (
        event.village_id,
        metric.value,
        "",
        placement.destination_country,
        person.sex,
        placement.job,
        procedural_flag(placement.procedural),
        event.occurred_on.isoformat()[:7],  # "YYYY-MM", six times faster than strftime
    )


def enrolment_keys(enrollment) -> list[tuple]:
    """The counter keys of a programme enrolment now: its status, and whether it holds a
    competency certificate (a number and a date). An archived enrolment counts nowhere."""
    if enrollment.pk is None or enrollment.archived_at is not None:
        return []
    blank = ("", "", "", "", "")
    keys = [(enrollment.village_id, Metric.ENROLMENT.value, enrollment.status, *blank)]
    if enrollment.certificate_number and enrollment.certificate_date is not None:
        keys.append((enrollment.village_id, Metric.CERTIFIED.value, "", *blank))
    return keys


# What the Quick Win asks of an enrolment and an episode (programs.Kind, placements.Sector).
QUICKWIN_TRAINING = "vocational_training"
QUICKWIN_SECTOR = "formal"


def quickwin_keys(departures, certificates) -> list[tuple]:
    """The Quick Win's counter keys of one person: for each year, the village of their first
    procedural formal-sector departure dated on or after a competency certificate.

    `departures`: (departed_on, id, village) of the person's live procedural formal-sector
    episodes that departed; `certificates`: the dates of their live, completed and certified
    vocational trainings. A person counts once a year, however many trainings and departures.
    """
    if not certificates:
        return []
    first_certificate = min(certificates)
    villages: dict[int, str] = {}
    for departed_on, _id, village in sorted(departures):
        if departed_on >= first_certificate:
            villages.setdefault(departed_on.year, village)
    return [
        (village, Metric.QUICKWIN.value, "", "", "", "", "", f"{year:04d}")
        for year, village in sorted(villages.items())
    ]


def quickwin_certificates(enrollments):
    """Of these enrolments, the live, completed and certified vocational trainings of a live
    programme: the certificates the Quick Win counts from."""
    return enrollments.filter(
        archived_at__isnull=True,
        status="completed",
        program__kind=QUICKWIN_TRAINING,
        program__archived_at__isnull=True,
        certificate_date__isnull=False,
    ).exclude(certificate_number="")


def quickwin_departures(placements):
    """Of these episodes, the live procedural formal-sector ones that departed."""
    return placements.filter(
        archived_at__isnull=True,
        procedural=True,
        sector=QUICKWIN_SECTOR,
        departed_on__isnull=False,
    )


def quickwin_tally(person) -> Tally:
    """The person's Quick Win keys now, read through their enrolments and episodes (none for
    an archived person)."""
    if person.pk is None or person.archived_at is not None:
        return Tally()
    certificates = list(
        quickwin_certificates(person.enrollments).values_list("certificate_date", flat=True)
    )
    if not certificates:
        return Tally()
    departures = quickwin_departures(person.placements).values_list(
        "departed_on", "id", "village_id"
    )
    return Tally(quickwin_keys(departures, certificates))


# What the early warnings ask of an episode and an enrolment (placements.Status,
# programs.Kind): programs.models.EMPOWERMENT_KINDS is built from these kinds.
WARNED_ABROAD = "abroad"
EMPOWERMENT_KINDS = ("empowerment_business", "empowerment_finance", "empowerment_cooperative")


def ordinal_day(day) -> str:
    """A day as the counters' `month` holds it for the warnings: the ISO 8601 ordinal date
    "YYYYDDD", seven characters that sort as the days do."""
    return f"{day.year:04d}{day.timetuple().tm_yday:03d}"


def _warning_key(village: str, metric: Metric, day) -> tuple:
    return (village, metric.value, "", "", "", "", "", "" if day is None else ordinal_day(day))


def episode_warning_keys(
    *, village, status, contract_end, documents_due_on, last_check_in_on, departed_on, procedural
) -> list[tuple]:
    """The warning counter keys of one live episode of a live, unrestricted person, at the
    episode's village (reports.selectors: the contract, documents, no-check-in and
    non-procedural warnings). `documents_due_on` is the episode's computed column: empty unless
    it prepares or is abroad."""
    keys = []
    if documents_due_on is not None:
        keys.append(_warning_key(village, Metric.DOCUMENTS_DUE, documents_due_on))
    if status == WARNED_ABROAD:
        if contract_end is not None:
            keys.append(_warning_key(village, Metric.CONTRACT_END, contract_end))
        last_contact = last_check_in_on or departed_on
        if last_contact is not None:
            keys.append(_warning_key(village, Metric.LAST_CONTACT, last_contact))
        if procedural is False:
            keys.append(_warning_key(village, Metric.NON_PROCEDURAL, None))
    return keys


EPISODE_WARNING_FIELDS = (
    "village_id",
    "status",
    "contract_end",
    "documents_due_on",
    "last_check_in_on",
    "departed_on",
    "procedural",
)


def episode_warning_tally(rows) -> Tally:
    """The warning keys of episodes given as tuples of EPISODE_WARNING_FIELDS."""
    tally: Tally = Tally()
    for village, status, contract_end, due, checked, departed, procedural in rows:
        tally.update(
            episode_warning_keys(
                village=village,
                status=status,
                contract_end=contract_end,
                documents_due_on=due,
                last_check_in_on=checked,
                departed_on=departed,
                procedural=procedural,
            )
        )
    return tally


def unempowered_key(*, village, phase, returned_on, empowered: bool) -> tuple | None:
    """The returnee's key for the warning "returned, no empowerment programme": a live,
    unrestricted person whose current episode returned, with no live enrolment in an
    empowerment programme, counted by the day they returned."""
    if phase != "returned" or returned_on is None or empowered:
        return None
    return _warning_key(village, Metric.UNEMPOWERED, returned_on)


def empowerment_enrolments(enrollments):
    """Of these enrolments, the live ones in an empowerment programme (archived or not)."""
    return enrollments.filter(archived_at__isnull=True, program__kind__in=EMPOWERMENT_KINDS)


def warnings_tally(person) -> Tally:
    """The person's warning keys now, read through their episodes and enrolments (none for
    an archived person or one whose processing is restricted)."""
    if person.pk is None or person.archived_at is not None or person.restricted_at is not None:
        return Tally()
    live = person.placements.filter(archived_at__isnull=True)
    tally = episode_warning_tally(live.values_list(*EPISODE_WARNING_FIELDS))
    if person.phase == "returned" and person.returned_on is not None:
        key = unempowered_key(
            village=person.village_id,
            phase=person.phase,
            returned_on=person.returned_on,
            empowered=empowerment_enrolments(person.enrollments).exists(),
        )
        if key is not None:
            tally[key] += 1
    return tally


def case_keys(*, village, is_open: bool, urgent: bool, due_on, categories) -> list[tuple]:
    """The counter keys of one case at its village (the cases' dashboard panel): an open,
    live case by whether it is urgent ("y"/"n", in `procedural`) and the day it is due (in
    `month`, so "overdue" is a range of days), and once for each of its categories (in `job`).
    None for a case that is closed or archived."""
    if not is_open:
        return []
    day = "" if due_on is None else ordinal_day(due_on)
    keys = [(village, Metric.CASE_OPEN.value, "", "", "", "", "y" if urgent else "n", day)]
    keys += [
        (village, Metric.CASE_CATEGORY.value, "", "", "", code, "", "")
        for code in sorted(set(categories))
    ]
    return keys


def session_keys(*, area, is_live: bool, men: int, women: int) -> Tally:
    """The counter keys of one information session at the area it was held for (a village, a
    district or a regency), each with its weight: one session, and the men and the women it
    reached (`sex` "M" and "F"; n sums them). None for an archived session."""
    tally: Tally = Tally()
    if not is_live:
        return tally
    tally[(area, Metric.OUTREACH.value, "", "", "", "", "", "")] = 1
    for sex, n in (("M", men), ("F", women)):
        if n:
            tally[(area, Metric.REACHED.value, "", "", sex, "", "", "")] = n
    return tally


def counter_level(code: str) -> int:
    """The `level` a counter row of this code is written with (regions' level of the code:
    0 for the nation, 1 province … 4 village)."""
    return level_of_code(code)


def rolled_up(key: tuple) -> list[tuple]:
    """The key of a village and the same key for each area above it, the nation first."""
    return [(code, *key[1:]) for code in (NATION, *ancestor_codes(key[0]))]


def _add_one(key: tuple, delta: int) -> None:
    dims = dict(zip(Counter.DIMENSIONS, key, strict=True))
    if Counter.objects.filter(**dims).update(n=F("n") + delta):
        return
    try:
        with transaction.atomic():
            Counter.objects.create(n=delta, level=counter_level(key[0]), **dims)
    except IntegrityError:
        # Another transaction created the row between our update and insert.
        Counter.objects.filter(**dims).update(n=F("n") + delta)


def counters_for_person(person) -> Tally:
    """Every counter key a person contributes to now: their state, their departures and
    returns, the Quick Win and the early warnings. Services take this before and after a change
    and apply the difference, so any change (village, sex, country, merge, archive) keeps the
    counters exact.

    An anonymised record (archived by the retention job) no longer counts as a resident, but
    its departures and returns stay counted: the statistics of past years do not change."""
    tally: Tally = Tally()
    if person.pk is None or (person.archived_at is not None and person.anonymised_at is None):
        return tally
    key = person_key(person)
    if key is not None:
        tally[key] += 1

    events = person.events.filter(kind__in=list(EVENT_METRICS))
    for event in events.select_related("placement"):
        tally[event_key(event, event.placement, person)] += 1
    tally.update(quickwin_tally(person))
    tally.update(warnings_tally(person))
    return tally


# What a person's counter keys read of the person row itself.
COUNTED_FIELDS = (
    "village",
    "phase",
    "sex",
    "archived_at",
    "anonymised_at",
    "restricted_at",
    "current_placement",
    "returned_on",
)


def counted_lock(*persons) -> None:
    """Lock the persons' rows until the transaction ends, in id order, and reload on each
    instance what its counter keys read. Every writer that takes `counters_for_person` (or
    another tally of a person's keys) before a change calls this first.

    Two requests that change the same person then take turns: the second waits for the first
    to commit and counts from what it committed. Without it, both would read the same old state
    (READ COMMITTED on PostgreSQL; on either engine, an instance loaded before the other
    request committed), both subtract the same old keys, and the counters drift from the rows.
    """
    persons = [p for p in persons if p is not None and p.pk is not None]
    if not persons:
        return
    model = persons[0]._meta.model
    ids = sorted({p.pk for p in persons})
    # SQLite ignores FOR UPDATE: its IMMEDIATE transactions already let one writer at a time.
    list(
        model.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for person in persons:
        person.refresh_from_db(fields=COUNTED_FIELDS)


def counters_apply(*, before: Tally, after: Tally) -> None:
    """Apply the difference between two tallies of village counter keys, rolled up to every
    level above.

    The deltas of each counter row are summed first, so what cancels out above the villages
    (a move between two villages of one district) writes nothing there; the rows are then
    written in the order of their full keys, so two transactions that touch the same rows lock
    them in the same order, whichever villages their keys name. The villages whose
    non-procedural departures changed have their trend summed again (`trends_refresh`)."""
    deltas: Tally = Tally()
    for key in set(before) | set(after):
        delta = after.get(key, 0) - before.get(key, 0)
        if delta:
            for level_key in rolled_up(key):
                deltas[level_key] += delta
    for level_key in sorted(deltas):
        if deltas[level_key]:
            _add_one(level_key, deltas[level_key])
    trends_refresh(trend_villages(key for key, delta in deltas.items() if delta))


def enrolments_tally(enrollments) -> Tally:
    """Every counter key the enrolments contribute to now (`enrolment_keys` of each). Services
    take it before and after a change and `counters_apply` the difference."""
    return Tally(key for enrollment in enrollments for key in enrolment_keys(enrollment))


def counters_version(area_code: str | None) -> tuple[int, int, bool]:
    """(number, token, dirty): the first two change whenever a counter of the area (None: the
    nation) changes; dirty is true when the current transaction itself has changed one.

    Read it before the counters: the triggers bump it in the transaction that changes them.
    A dirty reader sees its own uncommitted counters and must not cache what it renders.
    """
    table = connection.ops.quote_name(CounterVersion._meta.db_table)
    where, params = "", []
    if area_code is not None and len(area_code) >= 5:
        where, params = "WHERE area = %s", [area_code[:5]]
    elif area_code is not None:
        where = "WHERE area = %s OR (area >= %s AND area < %s)"
        params = [area_code, area_code + ".", area_code + "/"]
    if connection.vendor == "postgresql":
        # Bumped once per transaction (see reports migration 0003), so a transaction that has bumped
        # it can change the counters again under the same number.
        dirty = "COALESCE(BOOL_OR(tx = txid_current_if_assigned()), false)"
    else:
        dirty = "0"  # every change bumps the number, inside a transaction too
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COALESCE(SUM(n), 0), COALESCE(SUM(token), 0), {dirty} "  # noqa: S608
            f"FROM {table} {where}",
            params,
        )
        n, token, is_dirty = cursor.fetchone()
    return int(n), int(token), bool(is_dirty)
