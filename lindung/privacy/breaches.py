"""Breach records (UU 27/2022 Pasal 46): a suspected breach, the written notices to the
persons and to the authority within 3×24 hours of finding it, and its closing.

Every write is audited with its actor.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.accounts.scoping import code_in_scope
from lindung.audit.tracking import tracked_create, tracked_update
from lindung.lib.errors import ApplicationError
from lindung.privacy import deadlines
from lindung.privacy.models import Breach
from lindung.privacy.services import actor_level, can_record_breach


def _check_breach_scope(actor, breach: Breach) -> None:
    if not can_record_breach(actor) or not code_in_scope(actor, breach.area):
        raise ApplicationError(_("This breach record is outside your area of work."))


@transaction.atomic
def breach_create(
    *,
    actor,
    found_at: datetime,
    description: str,
    data_kinds: str,
    affected_count: int = 0,
    persons=(),
    mitigation: str = "",
) -> Breach:
    """Record a suspected breach; the 3×24-hour notice clock starts when it was found."""
    if not can_record_breach(actor):
        raise ApplicationError(_("Your role does not record breaches."))
    if found_at > timezone.now():
        raise ApplicationError(_("The breach cannot be found in the future."), field="found_at")
    area = actor.jurisdiction_id or ""
    persons = list(persons)
    for person in persons:
        if not code_in_scope(actor, person.village_id):
            raise ApplicationError(_("This person is outside your area of work."))
    breach = Breach(
        area=area,
        found_at=found_at,
        description=(description or "").strip(),
        data_kinds=(data_kinds or "").strip(),
        affected_count=max(affected_count or 0, len(persons)),
        mitigation=(mitigation or "").strip(),
        due_at=deadlines.due_at(found_at),
        intake_level=actor_level(actor),
    )
    if not breach.description:
        raise ApplicationError(_("Say what happened."), field="description")
    tracked_create(breach, actor=actor, area_code=area)
    if persons:
        breach.persons.set(persons)
    return breach


@transaction.atomic
def breach_notify(*, actor, breach: Breach, whom: str, notice: str, at: datetime | None = None):
    """Record the written notice to the persons ("persons") or to the authority ("authority")."""
    _check_breach_scope(actor, breach)
    if breach.closed_at:
        raise ApplicationError(_("This breach record is closed."))
    notice = (notice or "").strip()
    if not notice:
        raise ApplicationError(_("Say how and what was notified."), field="notice")
    at = at or timezone.now()
    if at > timezone.now() or at < breach.found_at:
        raise ApplicationError(_("The notice date must lie between the finding and now."))
    if whom == "persons":
        data = {"persons_notified_at": at, "persons_notice": notice}
    elif whom == "authority":
        data = {"authority_notified_at": at, "authority_notice": notice}
    else:
        raise ApplicationError(_("Choose whom the notice went to."))
    tracked_update(breach, actor=actor, data=data, area_code=breach.area, validate=False)


@transaction.atomic
def breach_close(*, actor, breach: Breach, mitigation: str = "") -> None:
    """Close a breach record once the persons and the authority were notified."""
    _check_breach_scope(actor, breach)
    if breach.closed_at:
        raise ApplicationError(_("This breach record is closed."))
    if not (breach.persons_notified_at and breach.authority_notified_at):
        raise ApplicationError(_("Notify the persons and the authority first."))
    data = {"closed_at": timezone.now(), "closed_by": actor}
    if (mitigation or "").strip():
        data["mitigation"] = mitigation.strip()
    tracked_update(breach, actor=actor, data=data, area_code=breach.area, validate=False)
