"""Persons and their episodes: read within the token's area, written through the registry's
and placements' services (the same checks, audit and counters as the forms)."""

from datetime import date
from typing import Literal

from ninja import Field as F
from ninja import Query, Router, Schema, Status

from lindung.accounts.scoping import code_in_scope
from lindung.api.api import Forbidden, NotFound
from lindung.api.paging import page_answer
from lindung.api.schemas import (
    PAGE_SIZE,
    PAGE_SIZE_MAX,
    AreaCode,
    EpisodeOut,
    Id,
    PersonOut,
    PersonPage,
    Problem,
    text,
)
from lindung.placements import services as placement_services
from lindung.placements.models import CheckInResult, Job, ReturnReason, Scheme, Sector
from lindung.placements.selectors import person_placements, placement_get
from lindung.regions.models import Area, Level
from lindung.registry import services as registry_services
from lindung.registry.models import Education, MaritalStatus, Person
from lindung.registry.selectors import person_by_nik, person_can_edit, person_get, person_list

router = Router(tags=["persons"])

READ = {401: Problem, 422: Problem, 429: Problem}
ONE = {**READ, 404: Problem}
WRITE = {**ONE, 400: Problem, 403: Problem}  # 400: a body that is not JSON


def person_out(person: Person) -> dict:
    return {
        "id": person.pk,
        "nik": person.nik,
        "kk_number": person.kk_number,
        "full_name": person.full_name,
        "sex": person.sex,
        "birth_place": person.birth_place,
        "birth_date": person.birth_date,
        "village": person.village_id,
        "village_name": person.village.name,
        "dusun": person.dusun,
        "rt": person.rt,
        "rw": person.rw,
        "address": person.address,
        "education": person.education,
        "marital_status": person.marital_status,
        "phase": person.phase,
        "current_episode": person.current_placement_id,
        "verified": person.verified_at is not None,
        "archived": person.archived_at is not None,
    }


def episode_out(placement, events=None) -> dict:
    events = placement.events.all() if events is None else events
    return {
        "id": placement.pk,
        "person": placement.person_id,
        "village": placement.village_id,
        "scheme": placement.scheme,
        "destination_country": placement.destination_country,
        "sector": placement.sector,
        "job": placement.job,
        "job_title": placement.job_title,
        "employer_name": placement.employer_name,
        "agency_name": placement.agency_name,
        "contract_start": placement.contract_start,
        "contract_end": placement.contract_end,
        "planned_departure": placement.planned_departure,
        "status": placement.status,
        "procedural": placement.procedural,
        "departed_on": placement.departed_on,
        "returned_on": placement.returned_on,
        "return_reason": placement.return_reason,
        "last_check_in_on": placement.last_check_in_on,
        "events": [
            {
                "id": e.pk,
                "kind": e.kind,
                "occurred_on": e.occurred_on,
                "check_in_result": e.check_in_result,
                "return_reason": e.return_reason,
                "note": e.note,
            }
            for e in events
        ],
    }


class PersonFilter(Schema):
    nik: text(32) | None = F(None, description="Exact NIK. Outside the token's area: no items.")
    name: text(100) | None = F(None, description="Part of the name (spelling variants match).")
    area: AreaCode | None = F(None, description="Only this area (within the token's own).")
    cursor: text(400) | None = None
    limit: int = F(PAGE_SIZE, ge=1, le=PAGE_SIZE_MAX)


@router.get("/persons", response={200: PersonPage, **READ}, summary="Find persons")
def persons_find(request, filters: Query[PersonFilter]):
    """By NIK (one person or none: a NIK outside the token's area is answered exactly as an
    unknown one), or by name and area within the token's area, paged with cursors."""
    user = request.user
    if filters.nik is not None:
        person = person_by_nik(user=user, nik=filters.nik)
        return {"items": [person_out(person)] if person else [], "next": None}
    if filters.area and not code_in_scope(user, filters.area):
        return {"items": [], "next": None}
    qs = person_list(user=user, filters={"q": filters.name or "", "village": filters.area or ""})
    return page_answer(qs, order=("name_key", "id"), query=filters, item=person_out)


def _person(user, person_id: int) -> Person:
    person = person_get(user=user, pk=person_id)
    if person is None:
        raise NotFound("person_id")
    return person


@router.get("/persons/{person_id}", response={200: PersonOut, **ONE}, summary="One person")
def person_read(request, person_id: Id):
    return person_out(_person(request.user, person_id))


@router.get(
    "/persons/{person_id}/episodes",
    response={200: list[EpisodeOut], **ONE},
    summary="A person's episodes and their events",
)
def person_episodes(request, person_id: Id):
    person = _person(request.user, person_id)
    return [episode_out(p) for p in person_placements(person=person)]


class PersonIn(Schema):
    nik: text(32, 1)
    full_name: text(150, 1)
    sex: Literal["M", "F"]
    birth_date: date
    village: AreaCode = F(description="Kemendagri code of the village (desa/kelurahan).")
    kk_number: text(32) = ""
    birth_place: text(80) = ""
    dusun: text(80) = ""
    rt: text(4) = ""
    rw: text(4) = ""
    address: text(200) = ""
    phone: text(20) = F("", description="Kept only with contact_consent true.")
    contact_consent: bool = False
    education: Literal[("", *Education.values)] = ""  # type: ignore[valid-type]
    marital_status: Literal[("", *MaritalStatus.values)] = ""  # type: ignore[valid-type]
    nik_exception: text(1000) = F("", description="Why the NIK disagrees with birth date or sex.")


@router.post("/persons", response={201: PersonOut, **WRITE}, summary="Register a person")
def person_register(request, payload: PersonIn):
    """Register a resident once, by NIK, in a village of the token's area (the registry's own
    checks: NIK structure and cross-checks, duplicates, consent for a phone number)."""
    user = request.user
    if not person_can_edit(user=user):
        raise Forbidden
    data = payload.dict()
    village = Area.objects.filter(code=data.pop("village"), level=Level.VILLAGE).first()
    if village is None or not code_in_scope(user, village.code):
        raise NotFound("village")
    person = registry_services.person_create(actor=user, village=village, **data)
    return Status(201, person_out(person))


# The details of an episode the API sets when it opens one and corrects later (a docstring
# would become the schema's description in the OpenAPI document).
class EpisodeUpdateIn(Schema):
    job_title: text(120) = ""
    employer_name: text(150) = ""
    agency_name: text(150) = ""
    contract_start: date | None = None
    contract_end: date | None = None
    planned_departure: date | None = None


class EpisodeIn(EpisodeUpdateIn):
    scheme: Literal[tuple(Scheme.values)]  # type: ignore[valid-type]
    destination_country: text(2, 2) = F(description="ISO 3166 alpha-2 code, e.g. MY.")
    sector: Literal[tuple(Sector.values)]  # type: ignore[valid-type]
    job: Literal[tuple(Job.values)]  # type: ignore[valid-type]
    registered_on: date | None = None


def _editable_person(user, person_id: int) -> Person:
    person = _person(user, person_id)
    if not person_can_edit(user=user, person=person):
        raise Forbidden
    return person


@router.post(
    "/persons/{person_id}/episodes",
    response={201: EpisodeOut, **WRITE},
    summary="Open an episode (a calon PMI)",
)
def episode_open(request, person_id: Id, payload: EpisodeIn):
    person = _editable_person(request.user, person_id)
    data = {k: v for k, v in payload.dict().items() if v not in (None, "")}
    placement = placement_services.placement_create(actor=request.user, person=person, **data)
    return Status(201, episode_out(placement))


def _editable_episode(user, episode_id: int):
    placement = placement_get(user=user, pk=episode_id)
    if placement is None:
        raise NotFound("episode_id")
    if not person_can_edit(user=user, person=placement.person):
        raise Forbidden
    return placement


class DepartIn(Schema):
    departed_on: date
    note: text(2000) = ""
    blocked_reason: text(2000) = F("", description="Required when the person is under 18.")


class ReturnIn(Schema):
    returned_on: date
    reason: Literal[tuple(ReturnReason.values)]  # type: ignore[valid-type]
    note: text(2000) = ""


class CheckInIn(Schema):
    occurred_on: date
    result: Literal[tuple(CheckInResult.values)]  # type: ignore[valid-type]
    note: text(2000) = ""


def _episode_event(request, episode_id: int, service, payload):
    """Record one event on an episode the token may edit; answer with the episode."""
    placement = _editable_episode(request.user, episode_id)
    service(actor=request.user, placement=placement, **payload.dict())
    return _episode_answer(request.user, episode_id)


def _episode_answer(user, episode_id: int):
    placement = placement_get(user=user, pk=episode_id)
    return episode_out(placement)


@router.get("/episodes/{episode_id}", response={200: EpisodeOut, **ONE}, summary="One episode")
def episode_read(request, episode_id: Id):
    placement = placement_get(user=request.user, pk=episode_id)
    if placement is None:
        raise NotFound("episode_id")
    return episode_out(placement)


@router.patch("/episodes/{episode_id}", response={200: EpisodeOut, **WRITE}, summary="Update")
def episode_update(request, episode_id: Id, payload: EpisodeUpdateIn):
    """Correct or complete an episode's details (only the fields sent are changed)."""
    placement = _editable_episode(request.user, episode_id)
    data = payload.dict(exclude_unset=True)
    placement_services.placement_update(actor=request.user, placement=placement, data=data)
    return _episode_answer(request.user, episode_id)


@router.post(
    "/episodes/{episode_id}/depart", response={200: EpisodeOut, **WRITE}, summary="Departure"
)
def episode_depart(request, episode_id: Id, payload: DepartIn):
    """Record a departure (non-procedural when the checklist is incomplete)."""
    return _episode_event(request, episode_id, placement_services.placement_depart, payload)


@router.post(
    "/episodes/{episode_id}/return", response={200: EpisodeOut, **WRITE}, summary="Return home"
)
def episode_return(request, episode_id: Id, payload: ReturnIn):
    """Record the return with its reason (UU 18/2017 Pasal 27)."""
    return _episode_event(request, episode_id, placement_services.placement_return, payload)


@router.post(
    "/episodes/{episode_id}/check-ins",
    response={200: EpisodeOut, **WRITE},
    summary="Family check-in",
)
def episode_check_in(request, episode_id: Id, payload: CheckInIn):
    """Record the village's contact with the family of someone abroad."""
    return _episode_event(request, episode_id, placement_services.placement_check_in, payload)
