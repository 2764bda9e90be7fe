"""The world the access matrix probes: one object of each kind inside village A and the same
outside, in a village of Jawa Tengah (see test_access_matrix.py)."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from conftest import (
    OTHER_PROVINCE,
    OTHER_REGENCY_VILLAGE,
    PROVINCE,
    REGENCY,
    VILLAGE_A,
    VILLAGE_B,
    _make,
)
from lindung.accounts.tests.access_probes import INSIDE_NAME, NARRATIVE, OUTSIDE_NAME

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

_serials = itertools.count(7001)


def _person(operator, village, name: str, birth):
    from lindung.registry.tests.factories import make_person

    return make_person(
        operator, name=name, birth=birth, village=village.code, serial=next(_serials)
    )


def _resident(actors: dict, village, name: str, narrative: str, birth, today) -> dict:
    """The side's resident, with a family member, an episode, a letter and a case."""
    from lindung.cases.services import case_create
    from lindung.cases.story import case_attachment_add
    from lindung.placements.person_services import letter_issue
    from lindung.registry.services import family_member_add
    from lindung.registry.tests.factories import open_episode

    operator = actors["operator"]
    person = _person(operator, village, name, birth)
    member = family_member_add(actor=operator, person=person, name="Sumarni", relation="parent")
    placement = open_episode(operator, person)
    letter = letter_issue(actor=actors["head"], person=person, kind="certificate")
    case = case_create(
        actor=operator,
        person=person,
        categories=["wages_unpaid"],
        reporter_kind="family",
        reporter_relation="parent",
        reporter_name="Sumarni",
        channel="walk_in",
        narrative=narrative,
        reported_on=today,
    )
    attachment = case_attachment_add(
        actor=operator, case=case, upload=SimpleUploadedFile("surat.pdf", PDF), description="Surat"
    )
    return {
        "person": person,
        "family_member": member,
        "placement": placement,
        "letter": letter,
        "case": case,
        "attachment": attachment,
    }


def _programme_and_outreach(actors: dict, village, person, today) -> dict:
    """A programme of the regency the resident is enrolled in, a session, an announcement and a
    Perdes of the village."""
    from lindung.outreach import services as outreach
    from lindung.programs import services as programs
    from lindung.regulations.services import regulation_create

    operator, office = actors["operator"], actors["office"]
    program = programs.program_create(
        actor=office,
        kind="vocational_training",
        area=village.parent.parent,
        title="Pelatihan Caregiver",
        organiser="disnaker",
        starts_on=today - timedelta(days=10),
        ends_on=today + timedelta(days=30),
        target_groups=["candidate"],
        sessions=10,
    )
    enrollment = programs.enrollment_create(
        actor=office, program=program, person=person, accept_hints=True
    )
    session = outreach.session_create(
        actor=operator,
        held_on=today - timedelta(days=3),
        area=village,
        organiser_kind="village",
        organiser_name="Pemerintah Desa",
        channel="village_meeting",
        topics=["procedure"],
        attendees_female=5,
    )
    material = outreach.material_add(
        actor=operator, session=session, title="Leaflet", file=SimpleUploadedFile("l.pdf", PDF)
    )
    announcement = outreach.announcement_create(
        actor=operator,
        area=village,
        kind="warning",
        title="Waspada calo",
        body="Jangan percaya perekrut tanpa izin.",
        valid_from=today - timedelta(days=1),
    )
    regulation = regulation_create(
        actor=operator, area=village, kind="perdes", document=SimpleUploadedFile("p.pdf", PDF)
    )
    return {
        "program": program,
        "enrollment": enrollment,
        "session": session,
        "material": material,
        "announcement": announcement,
        "regulation": regulation,
    }


def _departed(operator, village, name: str, birth, today) -> dict:
    """A second resident (same name, so the same marker) who has left: the departure pages."""
    from lindung.placements.services import placement_depart
    from lindung.registry.tests.factories import open_episode

    gone = _person(operator, village, name, birth)
    departed = open_episode(operator, gone, destination_country="MY")
    placement_depart(actor=operator, placement=departed, departed_on=today - timedelta(days=30))
    return {"gone": gone, "departed": departed}


def _requests_and_imports(operator, village, person, name: str) -> dict:
    """A data-subject request, a breach, a checked import and an API token of the operator."""
    from lindung.api.services import api_token_create
    from lindung.imports.services import import_execute, import_start, import_upload
    from lindung.privacy import breaches
    from lindung.privacy import services as privacy

    subject_request = privacy.subject_request_create(
        actor=operator, person=person, kind="access", channel="village"
    )
    breach = breaches.breach_create(
        actor=operator,
        found_at=timezone.now() - timedelta(hours=1),
        description="Buku register hilang",
        data_kinds="nama, NIK",
        persons=[person],
    )
    csv = f"NIK,Nama Lengkap\n{person.nik},{name}\n".encode()
    batch = import_upload(actor=operator, upload=SimpleUploadedFile("data.csv", csv), area=village)
    # Checked (a dry run), so that it has an error report and may be applied.
    batch = import_execute(batch=import_start(actor=operator, batch=batch, apply=False))
    token, _ = api_token_create(actor=None, user=operator, name="matrix")
    return {"subject_request": subject_request, "breach": breach, "batch": batch, "token": token}


def _report_file(office, regency):
    """The office's regency recap as a file a worker made."""
    from django.core.files.base import ContentFile

    from lindung.reports.models import ReportFile

    report_file = ReportFile.objects.create(
        requested_by=office,
        report="regency-recap",
        area_code=regency.code,
        month=timezone.localdate().strftime("%Y-%m"),
        output="xlsx",
        language="id",
        status=ReportFile.Status.DONE,
        filename="recap.xlsx",
    )
    report_file.file.save("recap.xlsx", ContentFile(b"PK\x03\x04"), save=True)
    return report_file


def _side(actors: dict, village_code: str, name: str, narrative: str) -> dict:
    from lindung.lib.nik import encode_nik
    from lindung.regions.models import Area

    village = Area.objects.get(code=village_code)
    regency = village.parent.parent
    operator = actors["operator"]
    today = timezone.localdate()
    birth = today.replace(year=today.year - 30, day=2)
    side = _resident(actors, village, name, narrative, birth, today)
    person = side["person"]
    side |= _programme_and_outreach(actors, village, person, today)
    side |= _departed(operator, village, name, birth, today)
    side |= _requests_and_imports(operator, village, person, name)
    side["report_file"] = _report_file(actors["office"], regency)
    return side | {
        "village": village.code,
        "regency": regency.code,
        "province": regency.parent.code,
        "user": operator,
        "nik": person.nik,
        "birth": birth.isoformat(),
        "today": today.isoformat(),
        "new_nik": encode_nik(
            district_code=village.code[:8], birth_date=birth, sex="F", serial=next(_serials)
        ),
        "month": today.strftime("%Y-%m"),
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Personas and both sides' objects, made once; all of it rolled back at the end."""
    from lindung.accounts.models import Role
    from lindung.regions.models import Area

    media = tmp_path_factory.mktemp("matrix-media")
    with (
        # Thousands of API calls per token here: the rate limit is tested in lindung/api.
        override_settings(MEDIA_ROOT=media, API_RATE_LIMIT="1000000/min"),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        users = {
            "operator_a": _make("operator.a", Role.VILLAGE_OPERATOR, VILLAGE_A),
            "head_a": _make("head.a", Role.VILLAGE_HEAD, VILLAGE_A),
            "operator_b": _make("operator.b", Role.VILLAGE_OPERATOR, VILLAGE_B),
            "disnaker": _make("disnaker.regency", Role.DISNAKER, REGENCY),
            "opd": _make("opd.regency", Role.OPD, REGENCY),
            "bp3mi": _make("bp3mi.province", Role.BP3MI, PROVINCE),
            "bp3mi_other": _make("bp3mi.other", Role.BP3MI, OTHER_PROVINCE),
            "kp2mi": _make("kp2mi.national", Role.KP2MI, None),
            "admin": _make("admin.national", Role.ADMIN, None),
        }
        assert Area.objects.filter(code=OTHER_REGENCY_VILLAGE).exists()
        inside = {"operator": users["operator_a"], "head": users["head_a"]}
        inside["office"] = users["disnaker"]
        outside = {
            "operator": _make("x.operator", Role.VILLAGE_OPERATOR, OTHER_REGENCY_VILLAGE),
            "head": _make("x.head", Role.VILLAGE_HEAD, OTHER_REGENCY_VILLAGE),
            "office": _make("x.disnaker", Role.DISNAKER, OTHER_REGENCY_VILLAGE[:5]),
        }
        sides = {
            # operator_a records the inside resident and case (so is the case's recorder);
            # the outside ones are recorded by users of that village who are no persona.
            "inside": _side(inside, VILLAGE_A, INSIDE_NAME, NARRATIVE["inside"]),
            "outside": _side(outside, OTHER_REGENCY_VILLAGE, OUTSIDE_NAME, NARRATIVE["outside"]),
        }
        from lindung.api.services import api_token_create

        tokens = {name: api_token_create(actor=None, user=u)[1] for name, u in users.items()}
        yield {"users": users, "sides": sides, "tokens": tokens}
        transaction.set_rollback(True)
