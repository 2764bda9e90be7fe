"""Writes of programmes, participants, outcomes and Quick Win targets."""

from collections import Counter as Tally
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.accounts.models import Role
from lindung.accounts.scoping import code_in_scope, in_reach, is_within
from lindung.audit.models import Action
from lindung.audit.services import audit_record
from lindung.audit.tracking import (
    proposed,
    tracked_archive,
    tracked_create,
    tracked_set,
    tracked_update,
)
from lindung.counters.keeping import (
    counted_lock,
    counters_apply,
    enrolments_tally,
    quickwin_tally,
    warnings_tally,
)
from lindung.lib.dates import check_not_future
from lindung.lib.errors import ApplicationError
from lindung.placements import services as placement_services
from lindung.placements.models import Placement, ReadinessItem, Status
from lindung.programs.eligibility import Hint, eligibility_hints
from lindung.programs.models import (
    Enrollment,
    EnrollmentStatus,
    IncomeBand,
    Kind,
    Organiser,
    Outcome,
    OutcomeKind,
    Program,
    QuickWinTarget,
    TargetGroup,
)
from lindung.regions.models import Area, Level
from lindung.registry.models import Person

# Who runs programmes: the regency offices, BP3MI and KP2MI. Villages read them.
MANAGER_ROLES = {Role.DISNAKER, Role.OPD, Role.BP3MI, Role.KP2MI}
# Completing a programme of these kinds ticks the matching item of a calon PMI's checklist.
CHECKLIST_ITEM_OF_KIND = {
    Kind.VOCATIONAL_TRAINING: ReadinessItem.COMPETENCY,
    Kind.ORIENTATION: ReadinessItem.ORIENTATION,
}


def can_manage_programs(user) -> bool:
    return getattr(user, "role", None) in MANAGER_ROLES


def _check_manager(actor) -> None:
    if not can_manage_programs(actor):
        raise ApplicationError(_("Your role cannot manage programmes."))


def _check_program_writer(actor, program: Program) -> None:
    """A manager changes only the programmes of their own area (not those offered from above)."""
    _check_manager(actor)
    if not code_in_scope(actor, program.area_id):
        raise ApplicationError(_("This programme is outside your area of work."))


def _check_program(program: Program, covered: list[Area]) -> None:
    program.title = " ".join((program.title or "").split())
    if not program.title:
        raise ApplicationError(_("Give the programme a title."), field="title")
    if program.kind not in Kind.values:
        raise ApplicationError(_("Choose the kind of programme."), field="kind")
    if program.organiser not in Organiser.values:
        raise ApplicationError(_("Choose the organiser."), field="organiser")
    if program.area_id is None:
        raise ApplicationError(_("Choose the area."), field="area")
    if program.starts_on and program.ends_on and program.ends_on < program.starts_on:
        raise ApplicationError(_("The programme cannot end before it starts."), field="ends_on")
    unknown = [g for g in program.target_groups if g not in TargetGroup.values]
    if unknown:
        raise ApplicationError(_("Unknown target group."), field="target_groups")
    if program.sessions < 1:
        raise ApplicationError(_("A programme has at least one session."), field="sessions")
    for area in covered:
        if not is_within(area.code, program.area_id):
            raise ApplicationError(
                _("%(area)s lies outside the programme's area.") % {"area": area.title},
                field="covered_areas",
            )


@transaction.atomic
def program_create(
    *,
    actor,
    title: str,
    kind: str,
    organiser: str,
    area: Area,
    starts_on: date,
    ends_on: date,
    organiser_name: str = "",
    covered_areas: list[Area] | None = None,
    quota: int | None = None,
    target_groups: list[str] | None = None,
    sessions: int = 1,
    competency_scheme: str = "",
    description: str = "",
) -> Program:
    """Create a programme run in an area within the actor's reach."""
    _check_manager(actor)
    if area is None or not code_in_scope(actor, area.code):
        raise ApplicationError(_("This area is outside your area of work."), field="area")
    program = Program(
        title=title,
        kind=kind,
        organiser=organiser,
        organiser_name=organiser_name.strip(),
        area=area,
        starts_on=starts_on,
        ends_on=ends_on,
        quota=quota,
        target_groups=list(target_groups or []),
        sessions=sessions,
        competency_scheme=competency_scheme.strip(),
        description=description.strip(),
    )
    covered = list(covered_areas or [])
    _check_program(program, covered)
    tracked_create(program, actor=actor, area_code=area.code)
    program.covered_areas.set(covered)
    return program


@transaction.atomic
def program_update(*, actor, program: Program, data: dict) -> dict:
    """Change a programme's details; returns what changed."""
    _check_program_writer(actor, program)
    data = dict(data)
    covered = data.pop("covered_areas", None)
    if "area" in data and not code_in_scope(actor, data["area"].code):
        raise ApplicationError(_("This area is outside your area of work."), field="area")
    candidate = proposed(program, data)
    covered_list = list(covered) if covered is not None else list(program.covered_areas.all())
    _check_program(candidate, covered_list)
    data["title"] = candidate.title
    _lock_program(program)
    before = _participants_tally(program, lock=True)
    changes = tracked_update(program, actor=actor, data=data, area_code=program.area_id)
    counters_apply(before=before, after=_participants_tally(program))  # its kind may change
    if covered is not None:
        change = tracked_set(
            program, "covered_areas", covered_list, actor=actor, area_code=program.area_id
        )
        if change:
            changes["covered_areas"] = change
    return changes


@transaction.atomic
def program_archive(*, actor, program: Program, reason: str) -> None:
    """Archive a programme (it stays on the participants' records)."""
    _check_program_writer(actor, program)
    _lock_program(program)
    before = _participants_tally(program, lock=True)
    tracked_archive(program, actor=actor, reason=reason, area_code=program.area_id)
    counters_apply(before=before, after=_participants_tally(program))


def _lock_program(program: Program) -> None:
    """Lock the programme's row until the transaction ends. Taken before its participants
    (and, on enrolment, before the person): no one is enrolled while its kind changes, so the
    participants counted before and after a change are the same."""
    list(Program.objects.select_for_update().filter(pk=program.pk).values_list("pk", flat=True))


def _participants_tally(program: Program, *, lock: bool = False) -> Tally:
    """The Quick Win and warning keys of the programme's live participants: its kind (and
    whether it is archived) decides whether their certificates count, and whether they still
    wait for an empowerment programme. With `lock`, the participants' rows are locked first,
    in id order, as counters.keeping.counted_lock does for one person."""
    live = program.enrollments.filter(archived_at__isnull=True)
    people = Person.objects.filter(pk__in=live.values("person_id")).select_related(
        "current_placement"
    )
    if lock:
        people = people.select_for_update(of=("self",)).order_by("pk")
    tally: Tally = Tally()
    for person in people:
        tally.update(quickwin_tally(person))
        tally.update(warnings_tally(person))
    return tally


def program_covers(program: Program, village_code: str) -> bool:
    """Whether a village lies in the programme's area and, if limited, in its covered areas."""
    if not is_within(village_code, program.area_id):
        return False
    covered = [a.code for a in program.covered_areas.all()]
    return not covered or any(is_within(village_code, c) for c in covered)


def last_return_date(person: Person) -> date | None:
    """When the person last came home from an episode."""
    return (
        Placement.objects.filter(person=person, archived_at__isnull=True, returned_on__isnull=False)
        .order_by("-returned_on")
        .values_list("returned_on", flat=True)
        .first()
    )


def enrollment_hints(*, program: Program, person: Person, today: date | None = None) -> list[Hint]:
    """The eligibility hints for enrolling this person in this programme."""
    enrolled = program.enrollments.filter(archived_at__isnull=True).exclude(
        status=EnrollmentStatus.DROPPED
    )
    return eligibility_hints(
        kind=program.kind,
        target_groups=program.target_groups,
        ends_on=program.ends_on,
        quota=program.quota,
        enrolled=enrolled.count(),
        phase=person.phase,
        birth_date=person.birth_date,
        returned_on=last_return_date(person),
        today=today or timezone.localdate(),
    )


@transaction.atomic
def enrollment_create(
    *,
    actor,
    program: Program,
    person: Person,
    enrolled_on: date | None = None,
    accept_hints: bool = False,
) -> Enrollment:
    """Enrol a registered person of the actor's area; hints must be seen and accepted."""
    _check_manager(actor)
    if program.is_archived:
        raise ApplicationError(_("This programme is archived."))
    if not in_reach(actor, program.area_id):
        raise ApplicationError(_("This programme is outside your area of work."))
    _lock_program(program)
    counted_lock(person)
    if person.is_archived or not code_in_scope(actor, person.village_id):
        raise ApplicationError(_("This person is outside your area of work."), field="person")
    if not program_covers(program, person.village_id):
        raise ApplicationError(
            _("The programme does not cover %(village)s.") % {"village": person.village.title},
            field="person",
        )
    if program.enrollments.filter(person=person, archived_at__isnull=True).exists():
        raise ApplicationError(_("This person is already a participant."), field="person")
    today = timezone.localdate()
    enrolled_on = enrolled_on or today
    check_not_future(enrolled_on, field="enrolled_on", today=today)
    hints = enrollment_hints(program=program, person=person, today=today)
    if hints and not accept_hints:
        raise ApplicationError(
            _("Check the eligibility hints and confirm the enrolment."), code="hints"
        )
    enrollment = Enrollment(
        program=program,
        person=person,
        village_id=person.village_id,
        enrolled_on=enrolled_on,
        hints_accepted=[h.code for h in hints],
    )
    before = warnings_tally(person)  # an empowerment programme ends the returnee's warning
    tracked_create(enrollment, actor=actor, area_code=person.village_id)
    after = enrolments_tally([enrollment]) + warnings_tally(person)
    counters_apply(before=before, after=after)
    return enrollment


def _lock_enrollment(enrollment: Enrollment) -> None:
    """Lock the participant (counters.keeping.counted_lock) and reload the enrolment, so its
    counter keys before a change are what is committed."""
    person = enrollment.person
    counted_lock(person)
    enrollment.refresh_from_db()
    enrollment.person = person


def _check_enrollment_writer(actor, enrollment: Enrollment) -> None:
    _check_manager(actor)
    if not code_in_scope(actor, enrollment.village_id):
        raise ApplicationError(_("This participant is outside your area of work."))
    if enrollment.is_archived:
        raise ApplicationError(_("This participant record is archived."))


@transaction.atomic
def enrollment_record_attendance(*, actor, enrollment: Enrollment, sessions_attended: int) -> dict:
    """Record how many of the programme's sessions the participant attended."""
    _check_enrollment_writer(actor, enrollment)
    total = enrollment.program.sessions
    if sessions_attended is None or not 0 <= sessions_attended <= total:
        raise ApplicationError(
            _("Attendance must be between 0 and %(n)s sessions.") % {"n": total},
            field="sessions_attended",
        )
    return tracked_update(
        enrollment,
        actor=actor,
        data={"sessions_attended": sessions_attended},
        area_code=enrollment.village_id,
    )


@transaction.atomic
def enrollment_complete(
    *,
    actor,
    enrollment: Enrollment,
    completed_on: date,
    certificate_number: str = "",
    certificate_scheme: str = "",
    certificate_date: date | None = None,
) -> dict:
    """Mark the participant as having completed, with the competency certificate if any."""
    _lock_enrollment(enrollment)
    _check_enrollment_writer(actor, enrollment)
    program = enrollment.program
    today = timezone.localdate()
    if completed_on is None:
        raise ApplicationError(_("Enter the completion date."), field="completed_on")
    check_not_future(completed_on, field="completed_on", today=today)
    if completed_on < enrollment.enrolled_on and completed_on < program.starts_on:
        raise ApplicationError(
            _("The completion date is before the programme started."), field="completed_on"
        )
    certificate_number = (certificate_number or "").strip()
    if certificate_number and certificate_date is None:
        raise ApplicationError(_("Enter the certificate's date."), field="certificate_date")
    if certificate_date is not None and not certificate_number:
        raise ApplicationError(_("Enter the certificate number."), field="certificate_number")
    if certificate_date is not None:
        check_not_future(certificate_date, field="certificate_date", today=today)
    before = enrolments_tally([enrollment]) + quickwin_tally(enrollment.person)
    changes = tracked_update(
        enrollment,
        actor=actor,
        data={
            "status": EnrollmentStatus.COMPLETED,
            "completed_on": completed_on,
            "certificate_number": certificate_number,
            "certificate_scheme": (certificate_scheme or program.competency_scheme).strip()
            if certificate_number
            else "",
            "certificate_date": certificate_date,
            "sessions_attended": max(enrollment.sessions_attended, 0),
        },
        area_code=enrollment.village_id,
    )
    after = enrolments_tally([enrollment]) + quickwin_tally(enrollment.person)
    counters_apply(before=before, after=after)
    _tick_checklist(actor, enrollment)
    return changes


def _tick_checklist(actor, enrollment: Enrollment) -> None:
    """A calon PMI preparing to depart gets the training on their episode's history and the
    matching checklist item (a competency certificate, or the orientation) ticked."""
    item = CHECKLIST_ITEM_OF_KIND.get(enrollment.program.kind)
    if item is None:
        return
    placement = Placement.objects.filter(
        person_id=enrollment.person_id, status=Status.PLANNED, archived_at__isnull=True
    ).first()
    if placement is None or not code_in_scope(actor, placement.village_id):
        return
    placement_services.placement_training_completed(
        actor=actor,
        placement=placement,
        occurred_on=enrollment.completed_on,
        note=enrollment.program.title,
    )
    if item == ReadinessItem.COMPETENCY and not enrollment.certified:
        return
    if not placement.checks.filter(item=item).exists():
        placement_services.placement_check(
            actor=actor,
            placement=placement,
            item=item,
            checked_on=enrollment.certificate_date or enrollment.completed_on,
            reference=enrollment.certificate_number,
            note=enrollment.program.title,
        )


@transaction.atomic
def enrollment_drop(*, actor, enrollment: Enrollment) -> dict:
    """Record that the participant dropped out."""
    _lock_enrollment(enrollment)
    _check_enrollment_writer(actor, enrollment)
    if enrollment.status == EnrollmentStatus.COMPLETED:
        raise ApplicationError(_("A participant who completed cannot drop out."))
    before = enrolments_tally([enrollment])
    changes = tracked_update(
        enrollment,
        actor=actor,
        data={"status": EnrollmentStatus.DROPPED},
        area_code=enrollment.village_id,
    )
    counters_apply(before=before, after=enrolments_tally([enrollment]))
    return changes


@transaction.atomic
def outcome_record(
    *,
    actor,
    enrollment: Enrollment,
    kind: str,
    observed_on: date,
    income_band: str = "",
    note: str = "",
) -> Outcome:
    """Add a dated outcome (placed abroad, business started, income…) to a participant."""
    _check_enrollment_writer(actor, enrollment)
    if kind not in OutcomeKind.values:
        raise ApplicationError(_("Choose the outcome."), field="kind")
    check_not_future(observed_on, field="observed_on")
    if observed_on < enrollment.enrolled_on:
        raise ApplicationError(
            _("An outcome cannot be dated before the enrolment."), field="observed_on"
        )
    if kind == OutcomeKind.INCOME and income_band not in IncomeBand.values:
        raise ApplicationError(_("Choose the income band."), field="income_band")
    if income_band and income_band not in IncomeBand.values:
        raise ApplicationError(_("Choose the income band."), field="income_band")
    outcome = Outcome.objects.create(
        enrollment=enrollment,
        village_id=enrollment.village_id,
        kind=kind,
        observed_on=observed_on,
        income_band=income_band,
        note=note.strip(),
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=outcome,
        area_code=enrollment.village_id,
        changes={"kind": [None, kind], "observed_on": [None, observed_on.isoformat()]},
    )
    return outcome


@transaction.atomic
def quickwin_target_set(*, actor, year: int, area: Area | None, target: int) -> QuickWinTarget:
    """Set the Quick Win target of a year for the nation, a province or a regency (admin)."""
    if not getattr(actor, "is_admin", False):
        raise ApplicationError(_("Only an administrator sets Quick Win targets."))
    if area is not None and area.level not in (Level.PROVINCE, Level.REGENCY):
        raise ApplicationError(
            _("Targets are set for the nation, a province or a regency."), field="area"
        )
    if not 2000 <= (year or 0) <= 2100:
        raise ApplicationError(_("Enter a year such as 2026."), field="year")
    if target is None or target < 0:
        raise ApplicationError(_("The target cannot be negative."), field="target")
    current = QuickWinTarget.objects.filter(year=year, area=area, archived_at__isnull=True).first()
    code = area.code if area else ""
    if current is None:
        return tracked_create(
            QuickWinTarget(year=year, area=area, target=target), actor=actor, area_code=code
        )
    tracked_update(current, actor=actor, data={"target": target}, area_code=code)
    return current
