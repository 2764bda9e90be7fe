"""Reads of protection cases, always through the scoping rule."""

from datetime import date

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.accounts.models import CASE_HANDLER_ROLES, User
from lindung.accounts.scoping import NOWHERE, code_q, narrowest_area, scope
from lindung.accounts.trail import audit_event_list
from lindung.audit.models import Action
from lindung.cases import deadlines
from lindung.cases.models import (
    OPEN_STATUSES,
    ActingLevel,
    Case,
    CaseAttachment,
    CaseCategory,
    CaseEmergencyRead,
    CaseStep,
    Category,
    PartyKind,
    Status,
)
from lindung.cases.need_to_know import story_q, story_readable
from lindung.cases.rules import party_key
from lindung.cases.workflow import actor_level, can_act_for_unit
from lindung.counters.keeping import NATION, ordinal_day
from lindung.counters.models import Counter, Metric
from lindung.lib.countries import country_name
from lindung.lib.filters import filter_chosen
from lindung.lib.names import name_key
from lindung.lib.nik import clean_nik
from lindung.lib.timeline import TimelineEntry
from lindung.regions.models import ancestor_codes

VIEWS = ("open", "mine", "overdue", "escalated", "all")


def _base(user) -> QuerySet[Case]:
    return scope(Case.objects.filter(archived_at__isnull=True), user)


def case_list(*, user, filters: dict | None = None) -> QuerySet[Case]:
    """Cases in the user's reach, filtered by view (open, mine, overdue, escalated, all),
    status, category, country, urgency, reported party, village and a name or NIK."""
    filters = filters or {}
    today = timezone.localdate()
    qs = _base(user)
    view = filters.get("view") or "open"
    if view == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif view == "mine":
        qs = qs.filter(Q(assigned_to=user) | Q(created_by=user))
    elif view == "overdue":
        qs = qs.filter(status__in=OPEN_STATUSES, due_on__lt=today)
    elif view == "escalated":
        qs = qs.filter(status__in=OPEN_STATUSES, escalated_level=actor_level(user))
    qs = filter_chosen(qs, filters, status="status", country="country")
    if filters.get("category"):
        # EXISTS, not a join: a case of several categories stays one row, so the list needs
        # no DISTINCT (which sorted every case in reach on every column to drop repeats).
        categories = CaseCategory.objects.filter(case=OuterRef("pk"), code=filters["category"])
        qs = qs.filter(Exists(categories))
    if filters.get("urgent"):
        qs = qs.filter(urgent=True)
    if filters.get("party"):
        # The reported party is part of the story: found only among cases the user reads.
        key = party_key(filters["party"])
        qs = qs.filter(story_q(user)).filter(Q(party_key=key) | Q(agency_key=key)) if key else qs
    village = filters.get("village")
    if village:
        qs = qs.filter(code_q(getattr(village, "code", village), "village"))
    query = (filters.get("q") or "").strip()
    if query:
        digits = clean_nik(query)
        if digits.isdigit() and len(digits) >= 6:
            qs = qs.filter(person__nik__startswith=digits)
        else:
            key = name_key(query)
            qs = qs.filter(person__name_key__contains=key) if key else qs.none()
    return (
        qs.select_related("person", "village", "assigned_to")
        .prefetch_related(Prefetch("categories", queryset=CaseCategory.objects.order_by("id")))
        .order_by(*case_order(view))
    )


def case_order(view: str | None) -> tuple[str, ...]:
    """The order of a case list view, its last field the unique id (lists page by it):
    the most urgent deadline first where deadlines are the point, else the newest report."""
    return ("due_on", "-id") if view in ("overdue", "escalated") else ("-reported_on", "-id")


def case_get(*, user, pk) -> Case | None:
    """One case in the user's reach, or None."""
    return (
        _base(user)
        .select_related(
            "person__village",
            "village__parent__parent",
            "placement",
            "assigned_to",
            "unit_area",
            "created_by",
            "supervisor",
        )
        .prefetch_related(Prefetch("categories", queryset=CaseCategory.objects.order_by("id")))
        .filter(pk=pk)
        .first()
    )


def case_deadline_state(case: Case, *, today: date | None = None) -> dict:
    """How late the case is and which level must now act."""
    today = today or timezone.localdate()
    if case.status == Status.CLOSED:
        return {"overdue_days": 0, "acting_level": None, "acting_label": "", "escalated": False}
    late = deadlines.overdue_days(case.due_on, today)
    responsible = case.responsible_level
    level = deadlines.acting_level(
        responsible, case.due_on, today, step_days=deadlines.configured_step_days()
    )
    return {
        "overdue_days": late,
        "acting_level": level,
        "acting_label": ActingLevel(level).label,
        "escalated": level != responsible,
    }


def cases_with_deadlines(cases, *, today: date | None = None) -> list[Case]:
    """The cases with `deadline` (see case_deadline_state) set on each, for lists."""
    today = today or timezone.localdate()
    rows = list(cases)
    for case in rows:
        case.deadline = case_deadline_state(case, today=today)
    return rows


def case_steps(*, case: Case) -> list[CaseStep]:
    """The case's history, oldest first (the case was fetched through scoping)."""
    return list(case.steps.select_related("actor", "assigned_to", "unit_area").order_by("id"))


def case_attachments(*, case: Case) -> list[CaseAttachment]:
    """The case's attachments (shown only to those who may read the details)."""
    return list(case.attachments.filter(archived_at__isnull=True).select_related("created_by"))


def case_attachment_get(*, user, case_pk, pk) -> CaseAttachment | None:
    """One attachment of a case in the user's reach, or None."""
    case = case_get(user=user, pk=case_pk)
    if case is None:
        return None
    return case.attachments.filter(pk=pk, archived_at__isnull=True).select_related("case").first()


def case_viewers(*, user, case: Case):
    """Who opened the case or its attachments, newest first (audit trail, for supervisors)."""
    case_views = audit_event_list(
        user=user, action=Action.VIEW, object_type="cases.case", object_id=str(case.pk)
    )
    attachment_ids = [str(pk) for pk in case.attachments.values_list("pk", flat=True)]
    attachment_views = audit_event_list(
        user=user, action=Action.VIEW, object_type="cases.caseattachment"
    ).filter(object_id__in=attachment_ids)
    return (case_views | attachment_views).select_related("actor").order_by("-at", "-id")


def case_emergency_reads(*, case: Case) -> list[CaseEmergencyRead]:
    """Every emergency read of the case, newest first (shown to those who read the story)."""
    return list(case.emergency_reads.filter(archived_at__isnull=True).select_related("reader"))


def supervisor_choices(*, case: Case) -> list[User]:
    """Active Disnaker, BP3MI and KP2MI officers whose area includes the case."""
    codes = ancestor_codes(case.village_id)
    users = User.objects.filter(is_active=True, role__in=CASE_HANDLER_ROLES).filter(
        Q(jurisdiction__isnull=True) | Q(jurisdiction_id__in=codes)
    )
    return list(users.order_by("role", "first_name", "username"))


def officer_choices(*, case: Case, unit: str | None = None) -> list[User]:
    """Active case handlers whose area includes the case and who work for its unit."""
    codes = ancestor_codes(case.village_id)
    users = User.objects.filter(is_active=True, role__in=CASE_HANDLER_ROLES).filter(
        Q(jurisdiction__isnull=True) | Q(jurisdiction_id__in=codes)
    )
    probe = Case(unit=unit if unit is not None else case.unit)
    return [
        u for u in users.order_by("role", "first_name", "username") if can_act_for_unit(u, probe)
    ]


def case_counts_by_category(qs: QuerySet[Case]) -> list[dict]:
    """[{code, label, n}] for the cases of `qs`, most frequent first."""
    rows = (
        CaseCategory.objects.filter(case__in=qs.order_by().values("pk"))
        .values("code")
        .annotate(n=Count("case_id", distinct=True))
        .order_by("-n", "code")
    )
    return [{"code": r["code"], "label": Category(r["code"]).label, "n": r["n"]} for r in rows]


def case_counts_by_country(qs: QuerySet[Case]) -> list[dict]:
    """[{code, name, n}] for the cases of `qs` that name a country, most frequent first."""
    rows = (
        qs.order_by()
        .exclude(country="")
        .values("country")
        .annotate(n=Count("id"))
        .order_by("-n", "country")
    )
    return [
        {"code": r["country"], "name": country_name(r["country"], "id"), "n": r["n"]} for r in rows
    ]


def case_parties(*, user, min_cases: int = 2, min_villages: int = 2) -> list[dict]:
    """P3MI, employers and recruiters named in the user's cases, most named first, with a
    `recurring` flag when they appear in several cases from several villages. Decision
    support for handlers, not a verdict; only from the cases whose story the user reads."""
    found: dict[tuple, dict] = {}
    sources = (
        ("agency_key", "agency_name", lambda _kind: PartyKind.AGENCY),
        ("party_key", "party_name", lambda kind: kind),
    )
    rows = story_readable(_base(user), user).values(
        "pk", "village_id", "agency_key", "agency_name", "party_key", "party_name", "party_kind"
    )
    for row in rows:
        seen_here = set()
        for key_field, name_field, kind_of in sources:
            key = row[key_field]
            if not key:
                continue
            kind = kind_of(row["party_kind"])
            entry = found.setdefault(
                (kind, key),
                {
                    "kind": kind,
                    "key": key,
                    "name": row[name_field],
                    "cases": set(),
                    "villages": set(),
                },
            )
            if (kind, key) in seen_here:
                continue
            seen_here.add((kind, key))
            entry["cases"].add(row["pk"])
            entry["villages"].add(row["village_id"])
    result = []
    for entry in found.values():
        n_cases, n_villages = len(entry["cases"]), len(entry["villages"])
        result.append(
            {
                "kind": entry["kind"],
                "kind_label": PartyKind(entry["kind"]).label,
                "name": entry["name"],
                "key": entry["key"],
                "cases": n_cases,
                "villages": n_villages,
                "recurring": n_cases >= min_cases and n_villages >= min_villages,
            }
        )
    result.sort(key=lambda e: (not e["recurring"], -e["cases"], -e["villages"], e["key"]))
    return result


def case_summary(*, user) -> dict:
    """Counts of the user's cases by status, category and country, and the named parties."""
    qs = _base(user)
    today = timezone.localdate()
    by_status = dict(qs.order_by().values_list("status").annotate(n=Count("id")))
    return {
        "by_status": [
            {"code": code, "label": label, "n": by_status.get(code, 0)}
            for code, label in Status.choices
        ],
        "open": qs.filter(status__in=OPEN_STATUSES).count(),
        "overdue": qs.filter(status__in=OPEN_STATUSES, due_on__lt=today).count(),
        "by_category": case_counts_by_category(qs),
        "by_country": case_counts_by_country(qs),
        "parties": case_parties(user=user),
    }


def dashboard_panel(*, user, area_code: str | None) -> dict:
    """Open cases by category, the urgent and the overdue count, within the user's scope and
    under `area_code` (None: all the user may see). Rendered by cases/dashboard_panel.html.

    Read from the counters of the one area the case list would show (decision record 22), a
    few rows whatever the number of cases."""
    area = narrowest_area(user, area_code)
    metrics = (Metric.CASE_OPEN.value, Metric.CASE_CATEGORY.value)
    rows = (
        Counter.objects.none()
        if area == NOWHERE
        else Counter.objects.filter(village=area or NATION, metric__in=metrics)
    )
    today = ordinal_day(timezone.localdate())
    opened = Q(metric=Metric.CASE_OPEN.value)
    counts = rows.aggregate(
        open=Coalesce(Sum("n", filter=opened), 0),
        urgent=Coalesce(Sum("n", filter=opened & Q(procedural="y")), 0),
        overdue=Coalesce(Sum("n", filter=opened & Q(month__gt="", month__lt=today)), 0),
    )
    categories = (
        rows.filter(metric=Metric.CASE_CATEGORY.value, n__gt=0)
        .values_list("job", "n")
        .order_by("-n", "job")
    )
    list_url = reverse("cases:case_list")
    query = f"?village={area_code}" if area_code else ""
    return {
        "area_code": area_code,
        **counts,
        "by_category": [
            {"code": code, "label": Category(code).label, "n": n} for code, n in categories
        ],
        "list_url": list_url + query,
        "overdue_url": list_url + (query + "&" if query else "?") + "view=overdue",
    }


def person_timeline(*, user, person) -> list[TimelineEntry]:
    """The person's cases as timeline entries; only categories and status, never details."""
    cases = (
        _base(user)
        .filter(person=person)
        .prefetch_related(Prefetch("categories", queryset=CaseCategory.objects.order_by("id")))
    )
    today = timezone.localdate()
    entries = []
    for case in cases:
        categories = ", ".join(str(c.get_code_display()) for c in case.categories.all())
        late = case.status != Status.CLOSED and deadlines.overdue_days(case.due_on, today) > 0
        tone = "ok" if case.status in (Status.RESOLVED, Status.CLOSED) else "warn"
        if (case.urgent and tone != "ok") or late:
            tone = "bad"
        url = reverse("cases:case_detail", args=[case.pk])
        entries.append(
            TimelineEntry(
                on=case.reported_on,
                title=_("Case %(number)s reported: %(categories)s")
                % {"number": case.number, "categories": categories},
                detail=_("Urgent") if case.urgent else "",
                url=url,
                badge=str(case.get_status_display()),
                tone=tone,
                kind="case_reported",
            )
        )
        if case.resolved_on:
            entries.append(
                TimelineEntry(
                    on=case.resolved_on,
                    title=_("Case %(number)s resolved: %(outcome)s")
                    % {"number": case.number, "outcome": case.get_outcome_display()},
                    url=url,
                    badge=str(case.get_status_display()),
                    tone="ok",
                    kind="case_resolved",
                )
            )
    return entries
