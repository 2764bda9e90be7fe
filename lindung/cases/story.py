"""Writes about a case's story and who reads it: the units that handle (or handled) the case,
the supervisor they name, an officer who breaks the glass, and the attachments."""

import hashlib
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.accounts.scoping import code_in_scope
from lindung.audit.tracking import tracked_create, tracked_update
from lindung.cases import need_to_know
from lindung.cases.counting import on_the_committed_case
from lindung.cases.models import Case, CaseAttachment, CaseEmergencyRead, CaseHandlingUnit
from lindung.cases.workflow import check_scope, check_unit, responsible_level
from lindung.lib.errors import ApplicationError
from lindung.lib.uploads import DOCUMENT_TYPES, upload_check


def handled_by(case: Case, *units: tuple[str, str | None] | None) -> None:
    """Remember the units that now hold (or held) the case: they read its story."""
    known = set(case.handling_units.values_list("unit", "area_id"))
    for unit in units:
        if unit is None or unit[0] not in need_to_know.LEVEL_UNIT.values() or unit in known:
            continue
        known.add(unit)
        CaseHandlingUnit.objects.create(case=case, unit=unit[0], area_id=unit[1])


def units_now(case: Case, actor=None) -> list:
    """The unit holding the case (or, before a referral, the one at its responsible level)
    and the acting officer's own unit."""
    if case.unit:
        holder = (case.unit, case.unit_area_id)
    else:
        holder = need_to_know.level_unit(responsible_level(case), case.village_id)
    units = [holder]
    if actor is not None and actor.is_case_handler:
        units.append(need_to_know.user_unit(actor))
    return units


@transaction.atomic
def case_attachment_add(*, actor, case: Case, upload, description: str = "") -> CaseAttachment:
    """Keep a PDF, JPG or PNG with the case, its type checked from the content."""
    check_scope(actor, case)
    if not need_to_know.may_read_story(actor, case, emergency=False):
        raise ApplicationError(_("Only those who handle the case add attachments to it."))
    mime = upload_check(
        upload, allowed=DOCUMENT_TYPES, field="file", limit=settings.CASE_ATTACHMENT_MAX_BYTES
    )
    upload.seek(0)
    content = upload.read()
    extension = DOCUMENT_TYPES[mime]
    attachment = CaseAttachment(
        case=case,
        original_name=(upload.name or "").strip()[:150] or f"file.{extension}",
        content_type=mime,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        description=(description or "").strip()[:200],
    )
    # The stored name comes from the detected type, never from what the uploader called it.
    attachment.file.save(f"{uuid.uuid4().hex}.{extension}", ContentFile(content), save=False)
    tracked_create(attachment, actor=actor, area_code=case.village_id, validate=False)
    return attachment


@transaction.atomic
@on_the_committed_case
def case_supervisor_set(*, actor, case: Case, supervisor) -> Case:
    """Name (or, with None, remove) the supervisor who reads the case's story besides its
    handlers. Only an officer of the unit holding the case names one."""
    check_unit(actor, case)
    if not need_to_know.may_read_story(actor, case, emergency=False):
        raise ApplicationError(_("Only the unit handling the case names its supervisor."))
    if supervisor is not None:
        if not supervisor.is_active or not supervisor.is_case_handler:
            raise ApplicationError(
                _("Choose an active Disnaker, BP3MI or KP2MI officer."), field="supervisor"
            )
        if not code_in_scope(supervisor, case.village_id):
            raise ApplicationError(
                _("This officer's area of work does not include the case."), field="supervisor"
            )
    tracked_update(
        case,
        actor=actor,
        data={"supervisor": supervisor},
        area_code=case.village_id,
        validate=False,
    )
    return case


@transaction.atomic
def case_emergency_read(*, actor, case: Case, reason: str) -> CaseEmergencyRead:
    """Break the glass: open the story of a case one does not handle, for a written reason,
    for CASE_EMERGENCY_READ_HOURS. Audited and shown to the case's handlers."""
    check_scope(actor, case)
    if actor.role not in need_to_know.EMERGENCY_READ_ROLES:
        raise ApplicationError(_("Only Disnaker, BP3MI and KP2MI officers use emergency access."))
    if need_to_know.may_read_story(actor, case):
        raise ApplicationError(_("You already read this case."))
    reason = " ".join((reason or "").split())
    if len(reason) < need_to_know.EMERGENCY_REASON_MIN_LENGTH:
        raise ApplicationError(
            _("Write the reason in at least %(n)s characters: the handlers will read it.")
            % {"n": need_to_know.EMERGENCY_REASON_MIN_LENGTH},
            field="reason",
        )
    now = timezone.now()
    grant = CaseEmergencyRead(
        case=case,
        reader=actor,
        reason=reason[:2000],
        granted_at=now,
        expires_at=now + timedelta(hours=need_to_know.emergency_read_hours()),
    )
    tracked_create(grant, actor=actor, area_code=case.village_id, validate=False)
    return grant
