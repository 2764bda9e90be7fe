"""Reads of Pelindungan Data Pribadi, always through the scoping rule."""

from datetime import datetime

from django.apps import apps
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindung.accounts.scoping import scope
from lindung.audit.models import Action, AuditEvent
from lindung.cases.models import Case
from lindung.cases.need_to_know import may_read_story
from lindung.lib.countries import country_name
from lindung.lib.processing import REGISTER, RETENTION
from lindung.lib.timeline import TimelineEntry
from lindung.placements.models import Placement, PlacementEvent
from lindung.privacy import deadlines
from lindung.privacy.models import OPEN_REQUEST_STATUSES, Breach, SubjectRequest
from lindung.privacy.services import actor_level, can_handle_requests, can_record_breach
from lindung.programs.models import Enrollment
from lindung.registry.models import Consent, FamilyMember, Letter, Person

REQUEST_VIEWS = ("open", "overdue", "escalated", "all")


def subject_request_list(*, user, view: str = "open") -> QuerySet[SubjectRequest]:
    """Requests in the user's reach: open, overdue, escalated to the user's level, or all."""
    if not can_handle_requests(user):
        return SubjectRequest.objects.none()
    qs = scope(SubjectRequest.objects.filter(archived_at__isnull=True), user)
    if view == "open":
        qs = qs.filter(status__in=OPEN_REQUEST_STATUSES)
    elif view == "overdue":
        qs = qs.filter(status__in=OPEN_REQUEST_STATUSES, due_at__lt=timezone.now())
    elif view == "escalated":
        qs = qs.filter(status__in=OPEN_REQUEST_STATUSES, escalated_level=actor_level(user))
    return qs.select_related("person", "village").order_by("due_at", "id")


def subject_request_get(*, user, pk) -> SubjectRequest | None:
    """One request in the user's reach, or None."""
    if not can_handle_requests(user):
        return None
    qs = scope(SubjectRequest.objects.filter(archived_at__isnull=True), user)
    try:
        return qs.select_related("person__village", "village", "created_by").get(pk=int(pk))
    except (SubjectRequest.DoesNotExist, TypeError, ValueError):
        return None


def person_for_request(*, user, pk) -> Person | None:
    """The person a request is recorded for: in reach, not anonymised. Restricted persons are
    found here too (they are hidden from lists, not from the office handling their request)."""
    if not can_handle_requests(user):
        return None
    qs = scope(Person.objects.filter(archived_at__isnull=True), user)
    try:
        return qs.select_related("village").get(pk=int(pk))
    except (Person.DoesNotExist, TypeError, ValueError):
        return None


def person_requests(*, person: Person) -> list[SubjectRequest]:
    """The person's requests, newest first (the person was fetched through scoping)."""
    return list(person.subject_requests.filter(archived_at__isnull=True))


def clock(item, now=None) -> dict:
    """How the 3×24-hour clock stands for a request or a breach, for the pages."""
    now = now or timezone.now()
    left = deadlines.hours_left(item.due_at, now)
    if not item.is_open:
        state = "closed"
    elif left <= 0:
        state = "overdue"
    elif left <= deadlines.REMIND_HOURS:
        state = "due_soon"
    else:
        state = "running"
    return {"state": state, "hours_left": int(left) if left > 0 else 0, "hours_late": int(-left)}


def breach_list(*, user, view: str = "open") -> QuerySet[Breach]:
    """Breach records of the user's area (and those below it)."""
    if not can_record_breach(user):
        return Breach.objects.none()
    qs = scope(Breach.objects.filter(archived_at__isnull=True), user, field="area")
    if view == "open":
        qs = qs.filter(closed_at__isnull=True)
    return qs.order_by("-found_at", "-id")


def breach_get(*, user, pk) -> Breach | None:
    """One breach record in the user's reach, or None."""
    qs = breach_list(user=user, view="all").select_related("created_by")
    try:
        return qs.get(pk=int(pk))
    except (Breach.DoesNotExist, TypeError, ValueError):
        return None


def person_timeline(*, user, person: Person) -> list[TimelineEntry]:
    """The person's data subject requests on their page (for the offices that handle them)."""
    if not can_handle_requests(user):
        return []
    entries = []
    for request in person_requests(person=person):
        entries.append(
            TimelineEntry(
                on=timezone.localdate(request.received_at),
                title=f"{request.get_kind_display()} ({request.number})",
                detail=str(_("Data subject request")),
                url=reverse("privacy:request_detail", args=[request.pk]),
                badge=request.get_status_display(),
                tone="ok" if not request.is_open else ("bad" if request.is_overdue else "warn"),
                kind="subject_request",
            )
        )
    return entries


def processing_register() -> dict:
    """The processing register and the retention schedule, for the page that prints them."""
    rows = []
    for entry in REGISTER:
        meta = apps.get_model(entry.model)._meta
        fields = [str(meta.get_field(name).verbose_name) for name in entry.fields]
        rows.append({"entry": entry, "record": meta.verbose_name, "fields": fields})
    return {"entries": REGISTER, "rows": rows, "retention": RETENTION}


def _country(code: str) -> str:
    return country_name(code, "id")


def _date(value):
    """A date as YYYY-MM-DD, a moment as local YYYY-MM-DD HH:MM (readable and parseable)."""
    if not value:
        return None
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def subject_copy(*, user, request: SubjectRequest) -> dict:
    """Everything held about the request's person (UU 27/2022 Pasal 32), as plain data: the
    record, family, episodes and their events, letters, enrolments, consents, requests, the
    facts of the cases where they are the worker, and who viewed their record.

    Other people's narratives never appear: a case's story is included only when the
    need-to-know policy lets this officer read it."""
    person = request.person
    cases = Case.objects.filter(person=person, archived_at__isnull=True).prefetch_related(
        "categories"
    )
    return {
        "made_at": _date(timezone.now()),
        "request": request.number,
        "controller": str(person.village),
        "person": _person_facts(person),
        "family": _family_facts(person),
        "placements": _placement_facts(person),
        "events": _event_facts(person),
        "letters": _letter_facts(person),
        "enrollments": _enrollment_facts(person),
        "cases": [_case_facts(user, case) for case in cases],
        "consents": _consent_facts(person),
        "requests": _request_facts(person),
        "viewed_by": _viewers(person, cases),
    }


def _person_facts(person) -> dict:
    return {
        "nik": person.nik,
        "kk_number": person.kk_number,
        "full_name": person.full_name,
        "sex": person.get_sex_display(),
        "birth_place": person.birth_place,
        "birth_date": _date(person.birth_date),
        "village": f"{person.village} ({person.village_id})",
        "dusun": person.dusun,
        "rt": person.rt,
        "rw": person.rw,
        "address": person.address,
        "phone": person.phone,
        "contact_consent_at": _date(person.contact_consent_at),
        "education": person.get_education_display(),
        "marital_status": person.get_marital_status_display(),
        "phase": person.get_phase_display(),
        "legal_basis": person.get_legal_basis_display(),
        "verified_at": _date(person.verified_at),
        "registered_at": _date(person.created_at),
        "processing_restricted_since": _date(person.restricted_at),
    }


def _family_facts(person) -> list[dict]:
    family = FamilyMember.objects.filter(person=person, archived_at__isnull=True)
    return [
        {
            "name": m.name,
            "relation": m.get_relation_display(),
            "nik": m.nik,
            "birth_date": _date(m.birth_date),
            "phone": m.phone,
        }
        for m in family
    ]


def _placement_facts(person) -> list[dict]:
    placements = Placement.objects.filter(person=person, archived_at__isnull=True).order_by(
        "created_at", "id"
    )
    return [
        {
            "country": _country(p.destination_country),
            "scheme": p.get_scheme_display(),
            "job": p.get_job_display(),
            "employer": p.employer_name,
            "agency": p.agency_name,
            "contract_start": _date(p.contract_start),
            "contract_end": _date(p.contract_end),
            "passport_number": p.passport_number,
            "status": p.get_status_display(),
            "procedural": p.procedural,
            "departed_on": _date(p.departed_on),
            "returned_on": _date(p.returned_on),
        }
        for p in placements
    ]


def _event_facts(person) -> list[dict]:
    events = PlacementEvent.objects.filter(person=person).order_by("occurred_on", "id")
    return [
        {
            "date": _date(e.occurred_on),
            "event": e.get_kind_display(),
            "return_reason": e.get_return_reason_display() if e.return_reason else "",
            "note": e.note,
        }
        for e in events
    ]


def _letter_facts(person) -> list[dict]:
    letters = Letter.objects.filter(person=person, archived_at__isnull=True)
    return [
        {
            "number": letter.reference,
            "kind": letter.get_kind_display(),
            "date": _date(letter.issued_on),
        }
        for letter in letters
    ]


def _enrollment_facts(person) -> list[dict]:
    enrollments = Enrollment.objects.filter(person=person, archived_at__isnull=True)
    return [
        {
            "programme": str(e.program),
            "enrolled_on": _date(e.enrolled_on),
            "status": e.get_status_display(),
            "certificate_number": e.certificate_number,
        }
        for e in enrollments.select_related("program")
    ]


def _consent_facts(person) -> list[dict]:
    consents = Consent.objects.filter(person=person).select_related("recorded_by")
    return [
        {
            "purpose": str(_("Contact by phone or WhatsApp"))
            if c.purpose == "contact"
            else c.purpose,
            "given_at": _date(c.given_at),
            "how": c.get_method_display(),
            "recorded_by": c.recorded_by.username if c.recorded_by else "",
            "withdrawn_at": _date(c.withdrawn_at),
        }
        for c in consents
    ]


def _request_facts(person) -> list[dict]:
    return [
        {
            "number": r.number,
            "request": r.get_kind_display(),
            "received_at": _date(r.received_at),
            "status": r.get_status_display(),
        }
        for r in person.subject_requests.filter(archived_at__isnull=True)
    ]


def _viewers(person, cases) -> list[dict]:
    """Who viewed or exported the person's record or their cases (the latest 500)."""
    object_ids = Q(object_type="registry.person", object_id=str(person.pk)) | Q(
        object_type="cases.case", object_id__in=[str(c.pk) for c in cases]
    )
    viewers = (
        AuditEvent.objects.filter(object_ids, action__in=[Action.VIEW, Action.EXPORT])
        .select_related("actor")
        .order_by("-at", "-id")[:500]
    )
    return [
        {
            "at": _date(e.at),
            "user": e.actor_username,
            "role": e.actor.get_role_display() if e.actor else "",
            "action": e.get_action_display(),
            "record": e.object_type,
        }
        for e in viewers
    ]


def _case_facts(user, case: Case) -> dict:
    facts = {
        "number": case.number,
        "reported_on": _date(case.reported_on),
        "categories": ", ".join(str(c) for c in case.categories.all()),
        "country": _country(case.country),
        "status": case.get_status_display(),
        "outcome": case.get_outcome_display() if case.outcome else "",
        "resolved_on": _date(case.resolved_on),
        "closed_on": _date(case.closed_on),
    }
    if may_read_story(user, case):
        facts["narrative"] = case.narrative
        facts["demand"] = case.demand
    return facts


COPY_LABELS = {
    "nik": _("NIK"),
    "kk_number": _("Family card number (KK)"),
    "full_name": _("Full name"),
    "sex": _("Sex"),
    "birth_place": _("Place of birth"),
    "birth_date": _("Date of birth"),
    "village": _("Village"),
    "dusun": _("Hamlet (dusun)"),
    "rt": "RT",
    "rw": "RW",
    "address": _("Address"),
    "phone": _("Phone/WhatsApp"),
    "contact_consent_at": _("Consent to be contacted given"),
    "education": _("Education"),
    "marital_status": _("Marital status"),
    "phase": _("Phase"),
    "legal_basis": _("Legal basis"),
    "verified_at": _("Verified by the village"),
    "registered_at": _("Registered"),
    "processing_restricted_since": _("Processing restricted since"),
    "name": _("Name"),
    "relation": _("Relation"),
    "country": _("Country"),
    "scheme": _("Placement scheme"),
    "job": _("Job"),
    "employer": _("Employer"),
    "agency": "P3MI",
    "contract_start": _("Contract start"),
    "contract_end": _("Contract end"),
    "passport_number": _("Passport number"),
    "status": _("Status"),
    "procedural": _("Procedural"),
    "departed_on": _("Departed"),
    "returned_on": _("Returned"),
    "date": _("Date"),
    "event": _("Event"),
    "return_reason": _("Return reason"),
    "note": _("Note"),
    "number": _("Number"),
    "kind": _("Kind"),
    "programme": _("Programme"),
    "enrolled_on": _("Enrolled"),
    "certificate_number": _("Certificate number"),
    "reported_on": _("Reported"),
    "categories": _("Problem"),
    "outcome": _("Outcome"),
    "resolved_on": _("Resolved"),
    "closed_on": _("Closed"),
    "narrative": _("What happened"),
    "demand": _("The worker's demand"),
    "purpose": _("Purpose"),
    "given_at": _("Given"),
    "how": _("How"),
    "recorded_by": _("Recorded by"),
    "withdrawn_at": _("Withdrawn"),
    "request": _("Request"),
    "received_at": _("Received"),
    "at": _("When"),
    "user": _("User"),
    "role": _("Role"),
    "action": _("Action"),
    "record": _("Record"),
}


def copy_labelled(copy: dict) -> dict:
    """The copy with each key named in the interface language, for the printed page."""

    def label(key):
        return COPY_LABELS.get(key, key)

    def rows(items):
        keys = list(dict.fromkeys(k for item in items for k in item))
        return {
            "head": [label(k) for k in keys],
            "rows": [[item.get(k) for k in keys] for item in items],
        }

    result = {"person": [(label(k), v) for k, v in copy["person"].items()]}
    for section in (
        "family",
        "placements",
        "events",
        "letters",
        "enrollments",
        "cases",
        "consents",
        "requests",
        "viewed_by",
    ):
        result[section] = rows(copy[section])
    return result
