"""Helpers for the cases tests: persons at home and abroad, and cases in each status."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import TODAY
from lindung.cases import services, story
from lindung.cases.models import Outcome, Unit
from lindung.lib.tests.test_uploads import PDF
from lindung.placements import services as placement_services
from lindung.registry.tests.factories import make_person, open_episode


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Attachments the cases tests upload are written to a folder of their own."""
    settings.MEDIA_ROOT = tmp_path


def send_abroad(
    actor,
    person,
    *,
    country="MY",
    agency="PT Maju Jaya",
    departed=None,
    returned=None,
    reason="contract_ended",
):
    """A placement that departed (on 10 January 2025 unless said) and, when `returned` is given,
    came back then for `reason`."""
    placement = open_episode(actor, person, destination_country=country, agency_name=agency)
    placement_services.placement_depart(
        actor=actor, placement=placement, departed_on=departed or date(2025, 1, 10)
    )
    if returned is not None:
        placement_services.placement_return(
            actor=actor, placement=placement, returned_on=returned, reason=reason
        )
    person.refresh_from_db()
    return placement


def record(actor, person, *, on=None, categories=("wages_unpaid",), **fields):
    data = {
        "reporter_kind": "family",
        "reporter_relation": "parent",
        "reporter_name": "Sumarni",
        "channel": "walk_in",
        "narrative": "Gaji belum dibayar enam bulan.",
        "reported_on": on or date.today(),
    }
    data.update(fields)
    return services.case_create(actor=actor, person=person, categories=list(categories), **data)


def advance(case, personas, status, *, on=None):
    """Move a case (recorded by operator_a) up to `status` by the usual path."""
    on = on or date.today()
    disnaker, bp3mi = personas["disnaker"], personas["bp3mi"]
    order = ["verified", "referred", "in_handling", "resolved", "closed"]
    for step in order[: order.index(status) + 1]:
        if step == "verified":
            services.case_verify(actor=disnaker, case=case, occurred_on=on)
        elif step == "referred":
            services.case_refer(actor=disnaker, case=case, unit=Unit.BP3MI, occurred_on=on)
        elif step == "in_handling":
            services.case_take_up(actor=bp3mi, case=case, occurred_on=on)
        elif step == "resolved":
            services.case_resolve(actor=bp3mi, case=case, outcome=Outcome.MEDIATED, occurred_on=on)
        elif step == "closed":
            services.case_close(actor=bp3mi, case=case, occurred_on=on)
        case.refresh_from_db()
    return case


def days_ago(n):
    return date.today() - timedelta(days=n)


# A case whose story holds every kind of detail need-to-know guards.
NARRATIVE = "Majikan mengunci korban di gudang belakang"
DEMAND = "Dipulangkan minggu ini"
PARTY = "Tuan Lim Boon Keng"
PHONE = "081277712345"
REASON = "Keluarga menelepon hotline: korban dilaporkan hilang, perlu lokasi terakhir segera."


def story_case(personas, serial=1):
    """Recorded by village A's operator, with a narrative, a demand, a reported party, the
    reporter's phone and an attachment."""
    operator = personas["operator_a"]
    case = record(
        operator,
        make_person(operator, serial=serial),
        on=TODAY,
        narrative=NARRATIVE,
        demand=DEMAND,
        party_kind="employer",
        party_name=PARTY,
        reporter_phone=PHONE,
    )
    story.case_attachment_add(
        actor=operator, case=case, upload=SimpleUploadedFile("memar.pdf", PDF)
    )
    return case


@pytest.fixture
def held_by_regency(personas, frozen):
    """Recorded by the village, verified and taken up by Disnaker Mesuji: it never left."""
    case = story_case(personas)
    services.case_verify(actor=personas["disnaker"], case=case, occurred_on=TODAY)
    services.case_take_up(actor=personas["disnaker"], case=case, occurred_on=TODAY)
    case.refresh_from_db()
    return case


@pytest.fixture
def passed_to_province(personas, frozen):
    """Recorded by the village, verified and referred by Disnaker, taken up by BP3MI."""
    case = story_case(personas)
    services.case_verify(actor=personas["disnaker"], case=case, occurred_on=TODAY)
    services.case_refer(actor=personas["disnaker"], case=case, unit=Unit.BP3MI, occurred_on=TODAY)
    services.case_take_up(actor=personas["bp3mi"], case=case, occurred_on=TODAY)
    case.refresh_from_db()
    return case
