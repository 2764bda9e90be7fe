"""Writes of regency and village regulations on PMI protection."""

from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.accounts.models import Role
from lindung.accounts.scoping import code_in_scope
from lindung.audit.tracking import proposed, tracked_archive, tracked_create, tracked_update
from lindung.lib.dates import check_not_future
from lindung.lib.errors import ApplicationError
from lindung.lib.uploads import PDF_TYPES, safe_name, upload_check
from lindung.regions.models import Area, Level
from lindung.regulations.models import (
    REGENCY_KINDS,
    Regulation,
    RegulationKind,
    RegulationStatus,
)

# Villages record their own Perdes; the regency's offices record the Perbup and help villages.
WRITER_ROLES = {Role.VILLAGE_OPERATOR, Role.VILLAGE_HEAD, Role.DISNAKER, Role.OPD}


def can_write_regulations(user) -> bool:
    return getattr(user, "role", None) in WRITER_ROLES


def _check_writer(actor, area: Area) -> None:
    if not can_write_regulations(actor):
        raise ApplicationError(_("Your role cannot record regulations."))
    if not code_in_scope(actor, area.code):
        raise ApplicationError(_("This area is outside your area of work."), field="area")


def _check_regulation(regulation: Regulation) -> None:
    if regulation.kind not in RegulationKind.values:
        raise ApplicationError(_("Choose the kind of regulation."), field="kind")
    if regulation.kind == RegulationKind.PERDES and regulation.area.level != Level.VILLAGE:
        raise ApplicationError(_("A Perdes belongs to a village."), field="area")
    if regulation.kind in REGENCY_KINDS and regulation.area.level != Level.REGENCY:
        raise ApplicationError(_("A Perbup or Perda belongs to a regency."), field="area")
    if regulation.status not in RegulationStatus.values:
        raise ApplicationError(_("Choose the status."), field="status")
    regulation.number = " ".join((regulation.number or "").split())
    if regulation.status == RegulationStatus.ENACTED:
        if not regulation.number:
            raise ApplicationError(
                _("An enacted regulation has a number, e.g. 5 Tahun 2026."), field="number"
            )
        if regulation.enacted_on is None:
            raise ApplicationError(_("Enter the date it was enacted."), field="enacted_on")
    if regulation.enacted_on:
        check_not_future(regulation.enacted_on, field="enacted_on")
    if regulation.enacted_on and regulation.status != RegulationStatus.ENACTED:
        raise ApplicationError(
            _("Only an enacted regulation has an enactment date."), field="enacted_on"
        )


def _attach(regulation: Regulation, document) -> None:
    mime = upload_check(document, allowed=PDF_TYPES, field="document")
    regulation.document.save(
        safe_name(document, mime, allowed=PDF_TYPES), ContentFile(document.read()), save=False
    )


@transaction.atomic
def regulation_create(
    *,
    actor,
    area: Area,
    kind: str,
    status: str = RegulationStatus.DRAFT,
    title: str = "",
    number: str = "",
    enacted_on: date | None = None,
    responsible_official: str = "",
    document=None,
) -> Regulation:
    """Record a regency's Perbup/Perda or a village's Perdes and where it stands."""
    if area is None:
        raise ApplicationError(_("Choose the area."), field="area")
    _check_writer(actor, area)
    regulation = Regulation(
        area=area,
        kind=kind,
        status=status,
        title=(title or "").strip(),
        number=number,
        enacted_on=enacted_on,
        responsible_official=(responsible_official or "").strip(),
        status_changed_on=timezone.localdate(),
    )
    _check_regulation(regulation)
    if Regulation.objects.filter(area=area, kind=kind, archived_at__isnull=True).exists():
        raise ApplicationError(
            _("This regulation is already recorded for %(area)s; change it instead.")
            % {"area": area.title},
            field="kind",
        )
    if document:
        _attach(regulation, document)
    return tracked_create(regulation, actor=actor, area_code=area.code, validate=False)


@transaction.atomic
def regulation_update(*, actor, regulation: Regulation, data: dict, document=None) -> dict:
    """Move a regulation along (none → draft → discussed → enacted) or correct it."""
    _check_writer(actor, regulation.area)
    data = {k: v for k, v in data.items() if k not in ("area", "kind")}
    if "status" in data and data["status"] != regulation.status:
        data["status_changed_on"] = timezone.localdate()
    candidate = proposed(regulation, data)
    _check_regulation(candidate)
    data["number"] = candidate.number
    if document:
        _attach(candidate, document)
        data["document"] = candidate.document.name
    return tracked_update(
        regulation, actor=actor, data=data, area_code=regulation.area_id, validate=False
    )


@transaction.atomic
def regulation_archive(*, actor, regulation: Regulation, reason: str) -> None:
    """Archive a regulation recorded by mistake."""
    _check_writer(actor, regulation.area)
    tracked_archive(regulation, actor=actor, reason=reason, area_code=regulation.area_id)
