"""Writes of Pelindungan Data Pribadi: subject requests, erasure and retention, breach records.

Every write is audited with its actor; values that the law says must go (names, NIK, phone
numbers) are never copied into the trail when they are erased.
"""

from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.accounts.models import ROLE_LEVEL, Role
from lindung.accounts.scoping import code_in_scope, scope
from lindung.audit.models import Action
from lindung.audit.services import audit_record
from lindung.audit.tracking import tracked_create, tracked_update
from lindung.cases.models import ActingLevel, Case
from lindung.cases.models import Status as CaseStatus
from lindung.counters.keeping import (
    counted_lock,
    counters_apply,
    counters_for_person,
    enrolments_tally,
)
from lindung.lib.errors import ApplicationError
from lindung.lib.names import name_key
from lindung.lib.processing import RETENTION
from lindung.placements.models import Placement, PlacementEvent, ReadinessCheck
from lindung.placements.models import Status as PlacementStatus
from lindung.privacy import deadlines
from lindung.privacy.models import (
    OPEN_REQUEST_STATUSES,
    Breach,
    RequestKind,
    RequestStatus,
    SubjectRequest,
)
from lindung.programs.models import Enrollment
from lindung.registry.models import Consent, FamilyMember, Letter, Person
from lindung.registry.services import consent_withdraw, person_update

# Who records and answers subject requests: the village and every office that serves PMI.
REQUEST_ROLES = {
    Role.VILLAGE_OPERATOR,
    Role.VILLAGE_HEAD,
    Role.DISNAKER,
    Role.BP3MI,
    Role.KP2MI,
}
# Who records a suspected breach: any office, and the administrator who runs the system.
BREACH_ROLES = REQUEST_ROLES | {Role.ADMIN}
OPEN_CASE_STATUSES = [s for s in CaseStatus.values if s != CaseStatus.CLOSED]
# Fields a correction request may change, through the registry's own service.
CORRECTABLE = (
    "full_name",
    "birth_place",
    "birth_date",
    "kk_number",
    "dusun",
    "rt",
    "rw",
    "address",
    "education",
    "marital_status",
)


def can_handle_requests(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.role in REQUEST_ROLES


def can_record_breach(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.role in BREACH_ROLES


def actor_level(user) -> int:
    level = ROLE_LEVEL.get(user.role)
    return ActingLevel.NATIONAL if level is None else int(level)


def _check_request_scope(actor, request: SubjectRequest) -> None:
    if not can_handle_requests(actor) or not code_in_scope(actor, request.village_id):
        raise ApplicationError(_("This request is outside your area of work."))


def _check_open(request: SubjectRequest) -> None:
    if not request.is_open:
        raise ApplicationError(_("This request has already been answered."))


@transaction.atomic
def subject_request_create(
    *,
    actor,
    person: Person,
    kind: str,
    channel: str,
    requester_name: str = "",
    details: str = "",
    received_at: datetime | None = None,
) -> SubjectRequest:
    """Record a person's request; the 3×24-hour clock starts when it was received."""
    if not can_handle_requests(actor) or not code_in_scope(actor, person.village_id):
        raise ApplicationError(_("This person is outside your area of work."))
    if person.anonymised_at is not None:
        raise ApplicationError(_("This record has been anonymised: nothing is held any more."))
    if kind not in RequestKind.values:
        raise ApplicationError(_("Choose what the person asks for."), field="kind")
    now = timezone.now()
    received_at = received_at or now
    if received_at > now:
        raise ApplicationError(
            _("The request cannot be received in the future."), field="received_at"
        )
    request = SubjectRequest(
        person=person,
        village_id=person.village_id,
        kind=kind,
        channel=channel,
        requester_name=(requester_name or "").strip(),
        details=(details or "").strip(),
        received_at=received_at,
        due_at=deadlines.due_at(received_at),
        intake_level=actor_level(actor),
    )
    return tracked_create(request, actor=actor, area_code=person.village_id)


@transaction.atomic
def subject_request_start(*, actor, request: SubjectRequest) -> None:
    """Say that someone is handling the request (the clock keeps running)."""
    _check_request_scope(actor, request)
    if request.status != RequestStatus.RECEIVED:
        raise ApplicationError(_("This request is already being handled."))
    tracked_update(
        request,
        actor=actor,
        data={"status": RequestStatus.IN_PROGRESS},
        area_code=request.village_id,
        validate=False,
    )


@transaction.atomic
def subject_request_correct(*, actor, request: SubjectRequest, field: str, value) -> dict:
    """Correct one field of the person's record through the registry's service."""
    _check_request_scope(actor, request)
    _check_open(request)
    if request.kind != RequestKind.CORRECT:
        raise ApplicationError(_("Only a correction request changes the record."))
    if field not in CORRECTABLE:
        raise ApplicationError(_("Choose the field to correct."), field="field")
    changes = person_update(actor=actor, person=request.person, data={field: value})
    if request.status == RequestStatus.RECEIVED:
        subject_request_start(actor=actor, request=request)
    return changes


def erasure_holds(person: Person) -> list[str]:
    """What the law makes Lindung keep, in words for the requester (empty: nothing holds)."""
    holds = []
    open_cases = Case.objects.filter(person=person, archived_at__isnull=True).exclude(
        status=CaseStatus.CLOSED
    )
    if open_cases.exists():
        holds.append(
            _(
                "A protection case is still open: the record is kept until the case is "
                "closed (UU 18/2017 Pasal 7; UU 27/2022 Pasal 15)."
            )
        )
    open_placements = Placement.objects.filter(
        person=person,
        archived_at__isnull=True,
        status__in=[PlacementStatus.PLANNED, PlacementStatus.ABROAD],
    )
    if open_placements.exists():
        holds.append(
            _(
                "The person is preparing to depart or working abroad: the village must record "
                "and monitor the departure and return (UU 18/2017 Pasal 42)."
            )
        )
    return holds


def erasure_keeps() -> list[str]:
    """What stays after an erasure, without a name, as the statutory reports require."""
    return [
        _(
            "Departures and returns stay counted by village, sex, country, job and month, "
            "without a name (the statutory reports and statistics)."
        ),
        _(
            "The audit trail keeps who saw and changed the record (the accountability the "
            "law requires of the data controller)."
        ),
    ]


@transaction.atomic
def subject_request_complete(*, actor, request: SubjectRequest, answer: str = "") -> None:
    """Answer the request: carry out what it asks and record the answer to the person."""
    _check_request_scope(actor, request)
    _check_open(request)
    person = request.person
    answer = (answer or "").strip()
    kept: list[str] = []
    status = RequestStatus.DONE
    if request.kind == RequestKind.ACCESS and request.copy_made_at is None:
        raise ApplicationError(_("Make the copy of the person's data first."))
    if request.kind == RequestKind.RESTRICT:
        counted_lock(person)
    if request.kind == RequestKind.RESTRICT and person.restricted_at is None:
        before = person.restricted_at
        counted = counters_for_person(person)  # a restricted person leaves the warnings
        Person.objects.filter(pk=person.pk).update(restricted_at=timezone.now())
        person.refresh_from_db(fields=["restricted_at"])
        counters_apply(before=counted, after=counters_for_person(person))
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=person,
            area_code=person.village_id,
            changes={"restricted_at": [before, person.restricted_at.isoformat()]},
        )
    elif request.kind == RequestKind.WITHDRAW:
        consent_withdraw(actor=actor, person=person, note=request.number)
    elif request.kind == RequestKind.DELETE:
        kept = erasure_holds(person)
        if kept:
            status = RequestStatus.REFUSED
        else:
            person_anonymise(actor=actor, person=person, reason=request.number)
            kept = erasure_keeps()
    if not answer:
        answer = default_answer(request.kind, status)
    tracked_update(
        request,
        actor=actor,
        data={
            "status": status,
            "answered_at": timezone.now(),
            "answer": answer,
            "kept": [str(k) for k in kept],
        },
        area_code=request.village_id,
        validate=False,
    )


def default_answer(kind: str, status: str) -> str:
    """The answer said to the person when the officer writes none."""
    if status == RequestStatus.REFUSED:
        return _("Your data cannot be deleted yet, for the reasons below.")
    return {
        RequestKind.ACCESS: _("A copy of all the data held about you was handed to you."),
        RequestKind.CORRECT: _("Your data was corrected as you asked."),
        RequestKind.RESTRICT: _(
            "Your data is no longer processed: it is left out of every list and export."
        ),
        RequestKind.DELETE: _("Your data was deleted (anonymised); what the law keeps is below."),
        RequestKind.WITHDRAW: _(
            "Your consent is withdrawn: the phone numbers kept with it were erased."
        ),
    }[kind]


@transaction.atomic
def subject_request_refuse(*, actor, request: SubjectRequest, answer: str) -> None:
    """Refuse a request with its reason (e.g. the requester could not show who they are)."""
    _check_request_scope(actor, request)
    _check_open(request)
    answer = (answer or "").strip()
    if not answer:
        raise ApplicationError(_("Give the reason for the refusal."), field="answer")
    tracked_update(
        request,
        actor=actor,
        data={"status": RequestStatus.REFUSED, "answered_at": timezone.now(), "answer": answer},
        area_code=request.village_id,
        validate=False,
    )


@transaction.atomic
def subject_request_lift_restriction(*, actor, request: SubjectRequest) -> None:
    """The person allows processing again: the record comes back into lists and exports."""
    _check_request_scope(actor, request)
    person = request.person
    counted_lock(person)
    if request.kind != RequestKind.RESTRICT or person.restricted_at is None:
        raise ApplicationError(_("Processing of this person is not restricted."))
    before = counters_for_person(person)
    Person.objects.filter(pk=person.pk).update(restricted_at=None)
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=person,
        area_code=person.village_id,
        changes={"restricted_at": [person.restricted_at.isoformat(), None]},
    )
    person.restricted_at = None
    counters_apply(before=before, after=counters_for_person(person))


def subject_copy_record(*, actor, request: SubjectRequest, fmt: str) -> None:
    """Audit that the copy of a person's data was shown or downloaded (UU 27/2022 Pasal 32)."""
    _check_request_scope(actor, request)
    if request.kind != RequestKind.ACCESS:
        raise ApplicationError(_("Only an access request produces a copy."))
    with transaction.atomic():
        if request.copy_made_at is None:
            SubjectRequest.objects.filter(pk=request.pk).update(copy_made_at=timezone.now())
            request.refresh_from_db(fields=["copy_made_at"])
        audit_record(
            actor=actor,
            action=Action.EXPORT if fmt == "json" else Action.VIEW,
            obj=request.person,
            area_code=request.village_id,
            changes={"subject_copy": request.number, "format": fmt},
        )


# Anonymisation -------------------------------------------------------------------------------


def anonymous_nik(person: Person) -> str:
    """A placeholder NIK: 16 characters, unique, and never a real NIK (it is not digits)."""
    return f"X{person.pk:015d}"


def _erase_around(person: Person, *, actor, reason: str, now: datetime) -> None:
    """Erase what names or reaches the person in the records around them: family, consents,
    letters, episodes and their events, enrolments and the cases where they are the worker."""
    FamilyMember.objects.filter(person=person).update(
        name=_("Family member"),
        nik="",
        phone="",
        birth_date=None,
        contact_consent_at=None,
        archived_at=now,
        archive_reason=reason,
    )
    Consent.objects.filter(person=person, withdrawn_at__isnull=True).update(
        withdrawn_at=now, withdrawn_by=actor, withdrawal_note=reason[:200]
    )
    Letter.objects.filter(person=person).update(data={"anonymised": True})
    Placement.objects.filter(person=person).update(
        employer_name="",
        employer_address="",
        passport_number="",
        bpjs_number="",
        epmi_number="",
    )
    ReadinessCheck.objects.filter(placement__person=person).update(reference="", note="")
    # Events are append-only; erasing their free-text notes is the one change the law asks.
    PlacementEvent.objects.filter(person=person).update(note="", data={})
    # A certificate without its number no longer counts as one.
    enrollments = Enrollment.objects.filter(person=person)
    before = enrolments_tally(enrollments)
    enrollments.update(certificate_number="")
    counters_apply(before=before, after=enrolments_tally(enrollments.all()))
    Case.objects.filter(person=person).update(
        reporter_name="",
        reporter_phone="",
        place="",
        narrative=_("(anonymised)"),
        demand="",
        party_contact="",
    )


@transaction.atomic
def person_anonymise(*, actor, person: Person, reason: str, now: datetime | None = None) -> None:
    """Replace everything that names or reaches the person, archive the record, and keep its
    departures and returns counted (UU 27/2022 Pasal 16 (2) h; the statutory reports)."""
    if person.anonymised_at is not None:
        raise ApplicationError(_("This record is already anonymised."))
    holds = erasure_holds(person)
    if holds:
        raise ApplicationError(" ".join(holds))
    now = now or timezone.now()
    person = (
        Person.objects.select_for_update(of=("self",))
        .select_related("current_placement")
        .get(pk=person.pk)
    )
    before = counters_for_person(person)
    label = _("Anonymised %(id)s") % {"id": person.pk}
    Person.objects.filter(pk=person.pk).update(
        full_name=label,
        name_key=name_key(label),
        nik=anonymous_nik(person),
        kk_number="",
        birth_place="",
        # The year stays for the age statistics; the day and month go.
        birth_date=date(person.birth_date.year, 1, 1),
        dusun="",
        rt="",
        rw="",
        address="",
        phone="",
        nik_exception="",
        contact_consent_at=None,
        contact_consent_by=None,
        restricted_at=None,
        anonymised_at=now,
        archived_at=person.archived_at or now,
        archived_by=person.archived_by if person.archived_at else actor,
        archive_reason=person.archive_reason or reason,
        modified_at=now,
    )
    _erase_around(person, actor=actor, reason=reason, now=now)
    person.refresh_from_db()
    counters_apply(before=before, after=counters_for_person(person))
    # No value is copied into the trail: it would keep what was erased.
    audit_record(
        actor=actor,
        action=Action.ARCHIVE,
        obj=person,
        area_code=person.village_id,
        changes={"anonymised": [None, reason]},
    )


# Retention ----------------------------------------------------------------------------------


def retention_candidates(*, now: datetime | None = None, user=None) -> list[tuple[object, Person]]:
    """(rule, person) for each active record past its retention period and not held; only
    those within `user`'s jurisdiction when a user is given (the dry-run page)."""
    now = now or timezone.now()
    found = []
    for rule in RETENTION:
        cutoff = now - timedelta(days=365 * rule.years)
        cutoff_day = timezone.localdate(cutoff)
        qs = (
            Person.objects.filter(
                archived_at__isnull=True,
                phase__in=rule.phases,
                modified_at__lt=cutoff,
            )
            .exclude(events__occurred_on__gte=cutoff_day)
            .exclude(cases__modified_at__gte=cutoff)
            .exclude(cases__archived_at__isnull=True, cases__status__in=OPEN_CASE_STATUSES)
            .exclude(
                placements__archived_at__isnull=True,
                placements__status__in=[PlacementStatus.PLANNED, PlacementStatus.ABROAD],
            )
            .exclude(enrollments__modified_at__gte=cutoff)
            .exclude(
                subject_requests__status__in=OPEN_REQUEST_STATUSES,
            )
            .distinct()
            .order_by("village_id", "id")
        )
        if user is not None:
            qs = scope(qs, user)
        found.extend((rule, person) for person in qs)
    return found


def retention_run(*, actor=None, dry_run: bool = True, now: datetime | None = None) -> dict:
    """Anonymise every record past its retention (or, dry, only say which); one audit entry
    records the run. Returns the report: rows per rule, and the total."""
    now = now or timezone.now()
    candidates = retention_candidates(now=now)
    report: dict = {"dry_run": dry_run, "at": now.isoformat(), "rules": {}, "total": 0}
    for rule in RETENTION:
        report["rules"][rule.code] = {"label": str(rule.label), "years": rule.years, "rows": []}
    for rule, person in candidates:
        report["rules"][rule.code]["rows"].append(
            {"id": person.pk, "village": person.village_id, "phase": person.phase}
        )
        if not dry_run:
            person_anonymise(
                actor=actor,
                person=person,
                reason=_("Retention: %(rule)s, %(years)s years")
                % {
                    "rule": rule.label,
                    "years": rule.years,
                },
                now=now,
            )
    report["total"] = len(candidates)
    audit_record(
        actor=actor,
        action=Action.REPORT if dry_run else Action.ARCHIVE,
        object_type="privacy.retention",
        object_repr=_("Retention run (dry run)") if dry_run else _("Retention run"),
        changes={
            "dry_run": dry_run,
            **{code: len(r["rows"]) for code, r in report["rules"].items()},
        },
    )
    return report


# The clock ---------------------------------------------------------------------------------


@transaction.atomic
def privacy_deadlines_run(*, now: datetime | None = None) -> dict:
    """Send reminders in the last 24 hours and escalate what is overdue, for open requests and
    breaches (run by `privacy_deadlines`, like `escalate_cases`). Each change is audited."""
    now = now or timezone.now()
    result = {"reminded": [], "escalated": []}
    requests = SubjectRequest.objects.filter(
        archived_at__isnull=True, status__in=OPEN_REQUEST_STATUSES
    ).select_for_update()
    breaches = Breach.objects.filter(archived_at__isnull=True, closed_at__isnull=True).filter(
        Q(persons_notified_at__isnull=True) | Q(authority_notified_at__isnull=True)
    )
    for item in [*requests, *breaches.select_for_update()]:
        area = item.village_id if isinstance(item, SubjectRequest) else item.area
        data = {}
        if item.reminded_at is None and deadlines.reminder_due(item.due_at, now):
            data["reminded_at"] = now
            result["reminded"].append(item)
        level = deadlines.acting_level(item.intake_level, item.due_at, now)
        if level != item.intake_level and level != item.escalated_level:
            data["escalated_level"] = level
            result["escalated"].append(item)
        if data:
            tracked_update(item, actor=None, data=data, area_code=area, validate=False)
    return result
