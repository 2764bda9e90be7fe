"""Writes of a person's record that change their episodes: the village head's verification
(it verifies the open episode too), the merge of two records (their episodes and events move)
and the village letters (issued for the open departure plan). Every write keeps the audit
trail and counters."""

from collections.abc import Callable

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.accounts.models import Role, User
from lindung.accounts.scoping import code_in_scope
from lindung.audit.models import Action
from lindung.audit.services import audit_record
from lindung.audit.tracking import tracked_archive, tracked_create
from lindung.counters.keeping import counted_lock, counters_apply, counters_for_person
from lindung.lib.errors import ApplicationError
from lindung.placements.models import Placement, PlacementEvent, Status
from lindung.placements.services import person_refresh_state, placement_mark_verified
from lindung.registry.models import (
    FamilyMember,
    Letter,
    LetterKind,
    LetterSequence,
    Person,
    Relation,
)

# Rows of the apps above the episodes that follow a person into the record a merge keeps: each
# such app registers a move here in its AppConfig.ready (the cases app moves its cases). A move
# takes the duplicate and the record kept and returns how many rows it moved.
PERSON_MERGE_MOVES: dict[str, Callable[..., int]] = {}


@transaction.atomic
def person_verify(*, actor, person: Person) -> None:
    """The village head confirms the record (UU 18/2017 Pasal 42 b)."""
    if actor.role != Role.VILLAGE_HEAD or not code_in_scope(actor, person.village_id):
        raise ApplicationError(_("Only the head of this village can verify the record."))
    if person.verified_at is not None:
        raise ApplicationError(_("This record is already verified."))
    person.verified_at = timezone.now()
    person.verified_by = actor
    person.save(update_fields=["verified_at", "verified_by", "modified_at"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=person,
        area_code=person.village_id,
        changes={"verified_at": [None, person.verified_at.isoformat()]},
    )
    placement_mark_verified(actor=actor, person=person)


@transaction.atomic
def person_merge(*, actor, keep: Person, duplicate: Person) -> Person:
    """Fold a duplicate record into the one kept: every episode, event, family member and
    case moves over, the duplicate is archived pointing at the kept record."""
    if actor.role not in (Role.DISNAKER, Role.ADMIN):
        raise ApplicationError(_("Only the Disnaker can merge records."))
    if keep.pk == duplicate.pk:
        raise ApplicationError(_("Choose two different records."))
    counted_lock(keep, duplicate)
    for person in (keep, duplicate):
        if person.is_archived:
            raise ApplicationError(_("An archived record cannot be merged."))
        if not code_in_scope(actor, person.village_id):
            raise ApplicationError(_("Both records must be within your area of work."))
    open_statuses = (Status.PLANNED, Status.ABROAD)
    if (
        Placement.objects.filter(person=keep, status__in=open_statuses).exists()
        and Placement.objects.filter(person=duplicate, status__in=open_statuses).exists()
    ):
        raise ApplicationError(
            _("Both records have an open episode; close or cancel one of them first.")
        )
    before = counters_for_person(keep) + counters_for_person(duplicate)
    moved = {
        "placements": Placement.objects.filter(person=duplicate).update(person=keep),
        # Events are append-only; re-pointing them to the kept person is the one exception.
        "events": PlacementEvent.objects.filter(person=duplicate).update(person=keep),
        "family": FamilyMember.objects.filter(person=duplicate).update(person=keep),
    }
    for name, move in PERSON_MERGE_MOVES.items():
        moved[name] = move(duplicate=duplicate, keep=keep)
    duplicate.merged_into = keep
    duplicate.save(update_fields=["merged_into"])
    tracked_archive(
        duplicate,
        actor=actor,
        reason=_("Merged into %(name)s (NIK %(nik)s)") % {"name": keep, "nik": keep.nik},
        area_code=duplicate.village_id,
    )
    # The duplicate holds no episode now: no current one, no phase, no return date.
    person_refresh_state(duplicate)
    person_refresh_state(keep)
    audit_record(
        actor=actor,
        action=Action.MERGE,
        obj=keep,
        area_code=keep.village_id,
        changes={"merged": [duplicate.nik, keep.nik], **{k: [0, v] for k, v in moved.items()}},
    )
    counters_apply(before=before, after=counters_for_person(keep))
    return keep


# Who may give the permission of UU 18/2017 Pasal 13 b.
PERMISSION_RELATIONS = (Relation.SPOUSE, Relation.PARENT, Relation.GUARDIAN)


def _next_letter_number(village_code: str, year: int) -> int:
    sequence, _created = LetterSequence.objects.get_or_create(village_id=village_code, year=year)
    # The UPDATE locks the sequence row until the transaction ends, so two letters issued at
    # the same moment never get the same number (the unique constraint is the last guard).
    LetterSequence.objects.filter(pk=sequence.pk).update(last_number=F("last_number") + 1)
    sequence.refresh_from_db(fields=["last_number"])
    return sequence.last_number


@transaction.atomic
def letter_issue(
    *, actor, person: Person, kind: str, family_member: FamilyMember | None = None
) -> Letter:
    """Issue a village letter for a calon PMI with the village's next number for the year."""
    if not actor.is_village_user or not code_in_scope(actor, person.village_id):
        raise ApplicationError(_("Only the village of this person can issue its letters."))
    if person.is_archived:
        raise ApplicationError(_("This record is archived."))
    if kind not in LetterKind.values:
        raise ApplicationError(_("Choose a letter."), field="kind")
    placement = person.current_placement
    if placement is None or placement.status != Status.PLANNED:
        raise ApplicationError(
            _("Letters are issued for a calon PMI: open a departure plan first."), field="kind"
        )
    data = {
        "full_name": person.full_name,
        "nik": person.nik,
        "sex": person.sex,
        "birth_place": person.birth_place,
        "birth_date": person.birth_date.isoformat(),
        "address": person.address,
        "dusun": person.dusun,
        "rt": person.rt,
        "rw": person.rw,
        "marital_status": person.marital_status,
        "destination_country": placement.destination_country,
        "job": placement.job,
        "job_title": placement.job_title,
        "agency_name": placement.agency_name,
        "employer_name": placement.employer_name,
    }
    if kind == LetterKind.FAMILY_PERMISSION:
        if (
            family_member is None
            or family_member.person_id != person.pk
            or family_member.is_archived
            or family_member.relation not in PERMISSION_RELATIONS
        ):
            raise ApplicationError(
                _("Choose the spouse, parent or guardian who gives the permission."),
                field="family_member",
            )
        data.update(
            member_name=family_member.name,
            member_relation=family_member.relation,
            member_nik=family_member.nik,
            member_birth_date=(
                family_member.birth_date.isoformat() if family_member.birth_date else ""
            ),
        )
    else:
        family_member = None
    head = (
        User.objects.filter(
            role=Role.VILLAGE_HEAD, jurisdiction_id=person.village_id, is_active=True
        )
        .order_by("id")
        .first()
    )
    today = timezone.localdate()
    letter = Letter(
        village_id=person.village_id,
        year=today.year,
        number=_next_letter_number(person.village_id, today.year),
        kind=kind,
        person=person,
        placement=placement,
        family_member=family_member,
        issued_on=today,
        head_name=str(head) if head else "",
        data=data,
    )
    return tracked_create(letter, actor=actor, area_code=person.village_id, validate=False)
