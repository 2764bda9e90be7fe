"""Writes of information sessions, their materials and announcements."""

from collections import Counter as Tally
from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from lindung.accounts.models import Role
from lindung.accounts.scoping import code_in_scope, is_within
from lindung.audit.tracking import (
    proposed,
    tracked_archive,
    tracked_create,
    tracked_set,
    tracked_update,
)
from lindung.lib.dates import check_not_future
from lindung.lib.errors import ApplicationError
from lindung.lib.uploads import safe_name, upload_check
from lindung.outreach.counting import session_counted, session_counted_lock
from lindung.outreach.models import (
    Announcement,
    AnnouncementKind,
    Channel,
    Material,
    OrganiserKind,
    OutreachSession,
    Topic,
)
from lindung.regions.models import Area, Level

# What may be shared as outreach material: documents, posters, radio spots and short videos.
MATERIAL_TYPES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "audio/mpeg": "mp3",
    "audio/mp4": "m4a",
    "video/mp4": "mp4",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
}


# Every role that works in an area spreads information; the administrator does not.
WRITER_ROLES = {
    Role.VILLAGE_OPERATOR,
    Role.VILLAGE_HEAD,
    Role.DISNAKER,
    Role.OPD,
    Role.BP3MI,
    Role.KP2MI,
}


def can_write_outreach(user) -> bool:
    return getattr(user, "role", None) in WRITER_ROLES


def _check_writer(actor, code: str | None) -> None:
    if not can_write_outreach(actor):
        raise ApplicationError(_("Your role cannot record outreach."))
    if code is None:
        if not actor.is_national:
            raise ApplicationError(_("Only KP2MI publishes for the whole nation."), field="area")
    elif not code_in_scope(actor, code):
        raise ApplicationError(_("This area is outside your area of work."), field="area")


def _check_session(session: OutreachSession, villages: list[Area]) -> None:
    if session.held_on is None:
        raise ApplicationError(_("Enter the date."), field="held_on")
    check_not_future(session.held_on, field="held_on")
    if session.area.level == Level.PROVINCE:
        raise ApplicationError(
            _("Choose a regency, a district or a village, not a whole province."), field="area"
        )
    if session.organiser_kind not in OrganiserKind.values:
        raise ApplicationError(_("Choose the organiser."), field="organiser_kind")
    session.organiser_name = " ".join((session.organiser_name or "").split())
    if not session.organiser_name:
        raise ApplicationError(_("Name the organiser."), field="organiser_name")
    if session.channel not in Channel.values:
        raise ApplicationError(_("Choose the channel."), field="channel")
    if not session.topics or any(t not in Topic.values for t in session.topics):
        raise ApplicationError(_("Choose at least one topic."), field="topics")
    if session.attendees_male < 0 or session.attendees_female < 0:
        raise ApplicationError(_("Attendance cannot be negative."), field="attendees_male")
    regency = session.area.code[:5]
    for village in villages:
        if village.level != Level.VILLAGE or not is_within(village.code, regency):
            raise ApplicationError(
                _("%(area)s is not a village of the same regency.") % {"area": village.title},
                field="villages",
            )


def _reached_villages(actor, area: Area, villages) -> list[Area]:
    """The villages a session also reached, besides its own area; each within the actor's."""
    villages = [v for v in villages if v.code != area.code]
    for village in villages:
        if not code_in_scope(actor, village.code):
            raise ApplicationError(
                _("%(area)s is outside your area of work.") % {"area": village.title},
                field="villages",
            )
    return villages


@transaction.atomic
def session_create(
    *,
    actor,
    held_on: date,
    area: Area,
    organiser_kind: str,
    organiser_name: str,
    channel: str,
    topics: list[str],
    attendees_male: int = 0,
    attendees_female: int = 0,
    villages: list[Area] | None = None,
    note: str = "",
) -> OutreachSession:
    """Record an information session held in an area within the actor's reach."""
    if area is None:
        raise ApplicationError(_("Choose the area."), field="area")
    _check_writer(actor, area.code)
    villages = _reached_villages(actor, area, villages or [])
    session = OutreachSession(
        held_on=held_on,
        area=area,
        organiser_kind=organiser_kind,
        organiser_name=organiser_name,
        channel=channel,
        topics=list(dict.fromkeys(topics or [])),
        attendees_male=attendees_male or 0,
        attendees_female=attendees_female or 0,
        note=(note or "").strip(),
    )
    _check_session(session, villages)
    tracked_create(session, actor=actor, area_code=area.code)
    session.villages.set(villages)
    session_counted(session, Tally())
    return session


@transaction.atomic
def session_update(*, actor, session: OutreachSession, data: dict) -> dict:
    """Change a session's details; returns what changed."""
    before = session_counted_lock(session)
    _check_writer(actor, session.area_id)
    data = dict(data)
    villages = data.pop("villages", None)
    if "area" in data:
        _check_writer(actor, data["area"].code)
    candidate = proposed(session, data)
    village_list = list(villages) if villages is not None else list(session.villages.all())
    village_list = _reached_villages(actor, candidate.area, village_list)
    _check_session(candidate, village_list)
    data["organiser_name"] = candidate.organiser_name
    changes = tracked_update(session, actor=actor, data=data, area_code=session.area_id)
    session_counted(session, before)
    change = tracked_set(session, "villages", village_list, actor=actor, area_code=session.area_id)
    if change:
        changes["villages"] = change
    return changes


@transaction.atomic
def session_archive(*, actor, session: OutreachSession, reason: str) -> None:
    """Archive a session recorded by mistake."""
    before = session_counted_lock(session)
    _check_writer(actor, session.area_id)
    tracked_archive(session, actor=actor, reason=reason, area_code=session.area_id)
    session_counted(session, before)


@transaction.atomic
def material_add(*, actor, session: OutreachSession, title: str, file) -> Material:
    """Attach a material to a session; its type is read from its content."""
    _check_writer(actor, session.area_id)
    title = " ".join((title or "").split())
    if not title:
        raise ApplicationError(_("Give the material a title."), field="title")
    mime = upload_check(file, allowed=MATERIAL_TYPES, field="file")
    material = Material(session=session, title=title, content_type=mime, size=file.size)
    material.file.save(
        safe_name(file, mime, allowed=MATERIAL_TYPES), ContentFile(file.read()), save=False
    )
    return tracked_create(material, actor=actor, area_code=session.area_id, validate=False)


def _check_announcement(announcement: Announcement) -> None:
    if announcement.kind not in AnnouncementKind.values:
        raise ApplicationError(_("Choose the kind of announcement."), field="kind")
    announcement.title = " ".join((announcement.title or "").split())
    if not announcement.title:
        raise ApplicationError(_("Give the announcement a title."), field="title")
    if not (announcement.body or "").strip():
        raise ApplicationError(_("Write the announcement's text."), field="body")
    if announcement.area is not None and announcement.area.level == Level.DISTRICT:
        raise ApplicationError(_("Publish for a village, a regency or a province."), field="area")
    if announcement.valid_from is None:
        raise ApplicationError(_("Enter the first day it is valid."), field="valid_from")
    if announcement.valid_until and announcement.valid_until < announcement.valid_from:
        raise ApplicationError(
            _("It cannot stop being valid before it starts."), field="valid_until"
        )
    if announcement.kind == AnnouncementKind.VACANCY and not announcement.source.strip():
        raise ApplicationError(
            _("Name the official source of a job vacancy (e.g. SISKOP2MI, BP3MI, Disnaker)."),
            field="source",
        )


@transaction.atomic
def announcement_create(
    *,
    actor,
    area: Area | None,
    kind: str,
    title: str,
    body: str,
    valid_from: date,
    valid_until: date | None = None,
    source: str = "",
) -> Announcement:
    """Publish an announcement for a village, a regency, a province or the nation."""
    _check_writer(actor, area.code if area else None)
    announcement = Announcement(
        area=area,
        kind=kind,
        title=title,
        body=(body or "").strip(),
        valid_from=valid_from,
        valid_until=valid_until,
        source=(source or "").strip(),
    )
    _check_announcement(announcement)
    return tracked_create(announcement, actor=actor, area_code=area.code if area else "")


@transaction.atomic
def announcement_update(*, actor, announcement: Announcement, data: dict) -> dict:
    """Change an announcement; returns what changed."""
    _check_writer(actor, announcement.area_id)
    if "area" in data:
        _check_writer(actor, data["area"].code if data["area"] else None)
    candidate = proposed(announcement, data)
    _check_announcement(candidate)
    data["title"] = candidate.title
    return tracked_update(
        announcement, actor=actor, data=data, area_code=announcement.area_id or ""
    )


@transaction.atomic
def announcement_archive(*, actor, announcement: Announcement, reason: str) -> None:
    """Withdraw an announcement from the public page."""
    _check_writer(actor, announcement.area_id)
    tracked_archive(announcement, actor=actor, reason=reason, area_code=announcement.area_id or "")
