"""Protection cases: their facts for everyone in scope, their story only on a need to know
(lindung.cases.need_to_know, the one policy); recorded through the cases service."""

from datetime import date
from typing import Literal

from ninja import Field as F
from ninja import Query, Router, Schema, Status

from lindung.api.api import Forbidden, NotFound
from lindung.api.paging import page
from lindung.api.schemas import PAGE_SIZE, PAGE_SIZE_MAX, Id, Problem, text
from lindung.cases.models import Case, Category, Channel, PartyKind, ReporterKind
from lindung.cases.models import Status as CaseStatus
from lindung.cases.need_to_know import may_read_story, story_readable
from lindung.cases.selectors import case_get, case_list
from lindung.cases.services import case_create
from lindung.cases.workflow import can_record
from lindung.registry.models import Relation
from lindung.registry.selectors import person_get

router = Router(tags=["cases"])

READ = {401: Problem, 422: Problem, 429: Problem}
ONE = {**READ, 404: Problem}
WRITE = {**ONE, 400: Problem, 403: Problem}  # 400: a body that is not JSON


class CaseStory(Schema):
    narrative: str
    demand: str
    place: str
    reporter_name: str
    reporter_relation: str
    reporter_phone: str
    party_kind: str
    party_name: str
    party_contact: str
    agency_name: str


class CaseOut(Schema):
    id: int
    number: str
    person: int
    village: str
    status: str
    categories: list[str]
    reported_on: date
    reporter_kind: str
    channel: str
    country: str
    urgent: bool
    status_since: date
    due_on: date | None
    resolved_on: date | None
    closed_on: date | None
    story: CaseStory | None = F(
        description="Only for those the need-to-know policy allows; null for everyone else."
    )


class CasePage(Schema):
    items: list[CaseOut]
    next: str | None


def case_out(case: Case, user, *, readable: bool | None = None) -> dict:
    """The case's facts, and its story when the need-to-know policy lets `user` read it
    (`readable`: the policy's answer already asked for a whole page)."""
    story = None
    if may_read_story(user, case) if readable is None else readable:
        story = {name: getattr(case, name) for name in CaseStory.model_fields}
    return {
        "id": case.pk,
        "number": case.number,
        "person": case.person_id,
        "village": case.village_id,
        "status": case.status,
        "categories": [c.code for c in case.categories.all()],
        "reported_on": case.reported_on,
        "reporter_kind": case.reporter_kind,
        "channel": case.channel,
        "country": case.country,
        "urgent": case.urgent,
        "status_since": case.status_since,
        "due_on": case.due_on,
        "resolved_on": case.resolved_on,
        "closed_on": case.closed_on,
        "story": story,
    }


class CaseFilter(Schema):
    status: Literal[tuple(CaseStatus.values)] | None = None  # type: ignore[valid-type]
    person: Id | None = None
    cursor: text(400) | None = None
    limit: int = F(PAGE_SIZE, ge=1, le=PAGE_SIZE_MAX)


@router.get("/cases", response={200: CasePage, **READ}, summary="Cases in the token's area")
def cases_list(request, filters: Query[CaseFilter]):
    """Newest first. The story of each case is there only when the policy allows."""
    qs = case_list(user=request.user, filters={"view": "all", "status": filters.status or ""})
    if filters.person:
        qs = qs.filter(person_id=filters.person)
    rows, cursor = page(
        qs, order=("-reported_on", "-id"), cursor=filters.cursor, limit=filters.limit
    )
    # One question to the policy for the whole page, not one per case.
    readable = set(
        story_readable(Case.objects.filter(pk__in=[c.pk for c in rows]), request.user).values_list(
            "pk", flat=True
        )
    )
    items = [case_out(c, request.user, readable=c.pk in readable) for c in rows]
    return {"items": items, "next": cursor}


@router.get("/cases/{case_id}", response={200: CaseOut, **ONE}, summary="One case")
def case_read(request, case_id: Id):
    case = case_get(user=request.user, pk=case_id)
    if case is None:
        raise NotFound("case_id")
    return case_out(case, request.user)


class CaseIn(Schema):
    person: Id
    categories: list[Literal[tuple(Category.values)]] = F(  # type: ignore[valid-type]
        min_length=1, max_length=len(Category.values)
    )
    reporter_kind: Literal[tuple(ReporterKind.values)]  # type: ignore[valid-type]
    channel: Literal[tuple(Channel.values)]  # type: ignore[valid-type]
    narrative: text(10000, 1)
    reported_on: date
    reporter_name: text(150) = ""
    reporter_relation: Literal[("", *Relation.values)] = ""  # type: ignore[valid-type]
    reporter_phone: text(20) = ""
    country: text(2) = ""
    place: text(200) = ""
    party_kind: Literal[("", *PartyKind.values)] = ""  # type: ignore[valid-type]
    party_name: text(150) = ""
    party_contact: text(200) = ""
    agency_name: text(150) = ""
    demand: text(5000) = ""
    urgent: bool = False


@router.post("/cases", response={201: CaseOut, **WRITE}, summary="Record a case")
def case_record(request, payload: CaseIn):
    """Record a complaint about a registered person of the token's area (the cases service:
    deadlines, audit, and a "problem reported" event for someone abroad)."""
    user = request.user
    if not can_record(user):
        raise Forbidden
    data = payload.dict()
    person = person_get(user=user, pk=data.pop("person"))
    if person is None:
        raise NotFound("person")
    case = case_create(actor=user, person=person, **data)
    return Status(201, case_out(case_get(user=user, pk=case.pk), user))
