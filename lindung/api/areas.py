"""Figures of an area (the dashboards' counters), early warnings, programmes, regulations and
Perdes coverage, and the monthly placement statistics: all within the token's area."""

from datetime import date

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field as F
from ninja import Query, Router, Schema

from lindung.accounts.areas import area_get
from lindung.accounts.scoping import code_in_scope, user_area_code
from lindung.api.api import NotFound
from lindung.api.paging import page_answer
from lindung.api.schemas import PAGE_SIZE, PAGE_SIZE_MAX, AreaCode, Id, Month, Problem, text
from lindung.lib.countries import country_name
from lindung.lib.errors import ApplicationError
from lindung.programs.selectors import enrollment_list, program_get, program_list
from lindung.regions.models import Area
from lindung.regulations.selectors import coverage_by_child, coverage_of, regulation_list
from lindung.reports.selectors import WARNINGS, dashboard_figures, warning_counts, warning_items
from lindung.reports.statistics import placement_statistics, regency_names

router = Router(tags=["areas"])

READ = {401: Problem, 422: Problem, 429: Problem}
ONE = {**READ, 404: Problem}


class AreaQuery(Schema):
    area: AreaCode | None = F(
        None, description="Kemendagri code; by default the token's own area (the nation)."
    )


def _area(user, code: str | None) -> Area | None:
    """The area asked for (None: the nation), if the user may open it; else NotFound."""
    code = code or user_area_code(user)
    if code is None:
        return None
    area = area_get(user=user, code=code)
    if area is None:
        raise NotFound("area")
    return area


class FiguresOut(Schema):
    area: str | None = F(description="The area's code; null for the nation.")
    area_name: str
    total: int = F(description="Persons counted (every phase).")
    phases: dict[str, int] = F(description="Persons by phase: none, candidate, abroad, returned.")
    abroad_by_country: dict[str, int]
    abroad_by_job: dict[str, int]
    abroad_by_sex: dict[str, int]
    abroad_by_procedural: dict[str, int] = F(description="y procedural, n non-procedural.")
    residents_by_sex: dict[str, int] = F(description="Migrating persons (any phase but none).")
    months: list[str]
    departures: dict[str, int] = F(description="Departures by month (YYYY-MM).")
    returns: dict[str, int]
    non_procedural_departures: dict[str, int]


@router.get("/figures", response={200: FiguresOut, **ONE}, summary="An area's figures")
def figures(request, query: Query[AreaQuery]):
    """The same numbers as the area's dashboard, from the same counters."""
    area = _area(request.user, query.area)
    dashboard = dashboard_figures(area=area)
    return {
        "area": area.code if area else None,
        "area_name": area.title if area else "Indonesia",
        "total": dashboard.total,
        "phases": dashboard.phases,
        "abroad_by_country": dashboard.abroad_by_country,
        "abroad_by_job": dashboard.abroad_by_job,
        "abroad_by_sex": dashboard.abroad_by_sex,
        "abroad_by_procedural": dashboard.abroad_by_procedural,
        "residents_by_sex": dashboard.residents_by_sex,
        "months": dashboard.months,
        "departures": dashboard.departures,
        "returns": dashboard.returns,
        "non_procedural_departures": dashboard.non_procedural_departures,
    }


class WarningCount(Schema):
    id: str
    count: int


@router.get("/warnings", response={200: list[WarningCount], **ONE}, summary="Early warnings")
def warnings(request, query: Query[AreaQuery]):
    """How many persons, episodes or villages each early warning lists in the area."""
    area = _area(request.user, query.area)
    counts = warning_counts(user=request.user, area_code=area.code if area else None)
    return [{"id": key, "count": n} for key, n in counts.items()]


class WarningItem(Schema):
    village: str
    person: int | None
    episode: int | None


class WarningItems(Schema):
    id: str
    count: int
    items: list[WarningItem] = F(description="The first `limit` items, in the warning's order.")


class WarningQuery(AreaQuery):
    limit: int = F(PAGE_SIZE, ge=1, le=PAGE_SIZE_MAX)


@router.get(
    "/warnings/{warning_id}",
    response={200: WarningItems, **ONE},
    summary="What one early warning lists",
)
def warning_detail(request, warning_id: text(40), query: Query[WarningQuery]):
    if warning_id not in WARNINGS:
        raise NotFound("warning_id")
    area = _area(request.user, query.area)
    items = warning_items(
        user=request.user, warning_id=warning_id, area_code=area.code if area else None
    )
    subject = WARNINGS[warning_id].subject
    count = items.count() if isinstance(items, QuerySet) else len(items)
    rows = []
    for item in items[: query.limit]:
        if subject == "village":
            rows.append({"village": item.village_id, "person": None, "episode": None})
        elif subject == "person":
            rows.append({"village": item.village_id, "person": item.pk, "episode": None})
        else:
            rows.append({"village": item.village_id, "person": item.person_id, "episode": item.pk})
    return {"id": warning_id, "count": count, "items": rows}


class ProgramOut(Schema):
    id: int
    title: str
    kind: str
    organiser: str
    area: str
    starts_on: date
    ends_on: date
    quota: int | None
    participants: int = F(description="Participants from the token's area.")
    completed: int


class ProgramPage(Schema):
    items: list[ProgramOut]
    next: str | None


class PageQuery(Schema):
    cursor: text(400) | None = None
    limit: int = F(PAGE_SIZE, ge=1, le=PAGE_SIZE_MAX)


@router.get("/programmes", response={200: ProgramPage, **READ}, summary="Programmes")
def programmes(request, query: Query[PageQuery]):
    """Programmes run in the token's area or offered to it, newest start first."""
    qs = program_list(user=request.user)
    return page_answer(qs, order=("-starts_on", "-id"), query=query, item=_programme_out)


def _programme_out(p) -> dict:
    return {
        "id": p.pk,
        "title": p.title,
        "kind": p.kind,
        "organiser": p.organiser,
        "area": p.area_id,
        "starts_on": p.starts_on,
        "ends_on": p.ends_on,
        "quota": p.quota,
        "participants": p.participants,
        "completed": p.completed,
    }


class EnrollmentOut(Schema):
    id: int
    programme: int
    person: int
    village: str
    enrolled_on: date
    status: str
    completed_on: date | None
    certificate_number: str


class EnrollmentPage(Schema):
    items: list[EnrollmentOut]
    next: str | None


@router.get(
    "/programmes/{programme_id}/enrolments",
    response={200: EnrollmentPage, **ONE},
    summary="A programme's participants from the token's area",
)
def enrolments(request, programme_id: Id, query: Query[PageQuery]):
    program = program_get(user=request.user, pk=programme_id)
    if program is None:
        raise NotFound("programme_id")
    qs = enrollment_list(user=request.user, program=program)
    return page_answer(qs, order=("enrolled_on", "id"), query=query, item=_enrolment_out)


def _enrolment_out(e) -> dict:
    return {
        "id": e.pk,
        "programme": e.program_id,
        "person": e.person_id,
        "village": e.village_id,
        "enrolled_on": e.enrolled_on,
        "status": e.status,
        "completed_on": e.completed_on,
        "certificate_number": e.certificate_number,
    }


class RegulationOut(Schema):
    id: int
    area: str
    kind: str
    status: str
    title: str
    number: str
    enacted_on: date | None


class RegulationPage(Schema):
    items: list[RegulationOut]
    next: str | None


@router.get("/regulations", response={200: RegulationPage, **READ}, summary="Regulations")
def regulations(request, query: Query[PageQuery]):
    """The regent's Perbup/Perda and the villages' Perdes of the token's area, and those above
    it that bind it, by area code."""
    qs = regulation_list(user=request.user)
    return page_answer(qs, order=("area_id", "id"), query=query, item=_regulation_out)


def _regulation_out(r) -> dict:
    return {
        "id": r.pk,
        "area": r.area_id,
        "kind": r.kind,
        "status": r.status,
        "title": r.title,
        "number": r.number,
        "enacted_on": r.enacted_on,
    }


class CoverageOut(Schema):
    area: str | None
    area_name: str
    villages: int
    enacted: int
    discussed: int
    draft: int
    none: int
    share_enacted: float = F(description="Percent of villages with an enacted Perdes.")


class CoverageAnswer(Schema):
    coverage: CoverageOut
    children: list[CoverageOut] = F(description="Each area one level below (none for a district).")


def _coverage(c) -> dict:
    return {
        "area": c.area.code if c.area else None,
        "area_name": c.area.title if c.area else "Indonesia",
        "villages": c.villages,
        "enacted": c.enacted,
        "discussed": c.discussed,
        "draft": c.draft,
        "none": c.none,
        "share_enacted": round(c.share, 1),
    }


@router.get(
    "/regulations/coverage", response={200: CoverageAnswer, **ONE}, summary="Perdes coverage"
)
def coverage(request, query: Query[AreaQuery]):
    area = _area(request.user, query.area)
    code = area.code if area else None
    return {
        "coverage": _coverage(coverage_of(area_code=code)),
        "children": [_coverage(c) for c in coverage_by_child(area_code=code)],
    }


class StatisticsQuery(Schema):
    month_from: Month | None = F(None, description="YYYY-MM; by default 12 months ago.")
    month_to: Month | None = F(None, description="YYYY-MM; by default this month.")
    area: AreaCode | None = F(None, description="Only regencies in this area.")


class StatisticsLine(Schema):
    month: str
    province: str
    province_name: str
    regency: str
    regency_name: str
    country: str = F(description="ISO 3166 alpha-2 code of the destination.")
    country_name: str
    departures_male: int
    departures_female: int
    departures_total: int
    departures_non_procedural: int
    returns_male: int
    returns_female: int
    returns_total: int


@router.get(
    "/statistics/placements",
    response={200: list[StatisticsLine], **READ},
    summary="Monthly placement statistics",
)
def statistics(request, query: Query[StatisticsQuery]):
    """Departures and returns per month, regency and destination country, by sex, as the
    ministry publishes its placement tables (at most 36 months per call). Regency figures: a
    village token gets none."""
    today = timezone.localdate()
    month_to = query.month_to or f"{today:%Y-%m}"
    year, month = int(month_to[:4]), int(month_to[5:])
    month_from = query.month_from or f"{year - 1 if month < 12 else year:04d}-{month % 12 + 1:02d}"
    span = (int(month_to[:4]) * 12 + int(month_to[5:])) - (
        int(month_from[:4]) * 12 + int(month_from[5:])
    )
    if span < 0 or span >= 36:
        raise ApplicationError(
            _("Ask for 1 to 36 months, the first not after the last."),
            field="month_from",
            code="months",
        )
    if query.area and not code_in_scope(request.user, query.area):
        return []
    rows = placement_statistics(
        user=request.user, month_from=month_from, month_to=month_to, area_code=query.area
    )
    names = regency_names(r.regency for r in rows)
    lines = []
    for r in rows:
        regency_name, province, province_name = names.get(r.regency, ("", "", ""))
        lines.append(
            {
                "month": r.month,
                "province": province,
                "province_name": province_name,
                "regency": r.regency,
                "regency_name": regency_name,
                "country": r.country,
                "country_name": country_name(r.country, "id"),
                "departures_male": r.departures_male,
                "departures_female": r.departures_female,
                "departures_total": r.departures_male + r.departures_female,
                "departures_non_procedural": r.departures_non_procedural,
                "returns_male": r.returns_male,
                "returns_female": r.returns_female,
                "returns_total": r.returns_male + r.returns_female,
            }
        )
    return lines
