"""Need-to-know on the pages: the case page, attachments, the summary, the party search and
the audit trail show a case's story only to those the policy names (written against the pages
alone, so it runs on a checkout without the policy module too)."""

import pytest
from django.urls import reverse

from lindung.audit.models import Action, AuditEvent
from lindung.cases.tests.conftest import (
    DEMAND,
    NARRATIVE,
    PARTY,
    PHONE,
)

pytestmark = pytest.mark.django_db


# -- every place asks the policy ---------------------------------------------------------------


def test_the_case_page_and_attachments_follow_the_policy(client_as, personas, held_by_regency):
    attachment = held_by_regency.attachments.get()
    download = reverse("cases:attachment_download", args=[held_by_regency.pk, attachment.pk])
    page = reverse("cases:case_detail", args=[held_by_regency.pk])
    for persona, reads in (("disnaker", True), ("operator_a", True), ("bp3mi", False)):
        client = client_as(personas[persona])
        assert (NARRATIVE in client.get(page).content.decode()) is reads
        assert client.get(download).status_code == (200 if reads else 404)


def test_the_summary_names_parties_only_of_cases_the_user_reads(
    client_as, personas, held_by_regency
):
    assert (
        PARTY in client_as(personas["disnaker"]).get(reverse("cases:case_summary")).content.decode()
    )
    assert (
        PARTY
        not in client_as(personas["bp3mi"]).get(reverse("cases:case_summary")).content.decode()
    )


def test_searching_by_reported_party_finds_only_cases_the_user_reads(
    client_as, personas, held_by_regency
):
    url = reverse("cases:case_list") + "?view=all&party=" + PARTY
    assert held_by_regency.number in client_as(personas["disnaker"]).get(url).content.decode()
    assert held_by_regency.number not in client_as(personas["bp3mi"]).get(url).content.decode()


# -- the audit trail keeps which fields changed, never the story ------------------------------

STORY = (NARRATIVE, DEMAND, PARTY, PHONE, "memar.pdf")


def _audit_page(client, case):
    url = reverse("audit:event_list") + f"?object_type=cases.case&object_id={case.pk}"
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_new_audit_entries_name_the_fields_but_keep_no_story(personas, held_by_regency):
    events = AuditEvent.objects.filter(object_type__startswith="cases.case")
    stored = " ".join(str(e.changes) + e.object_repr for e in events)
    for text in STORY:
        assert text not in stored
    created = events.get(object_type="cases.case", action=Action.CREATE)
    assert {"narrative", "demand", "party_name", "reporter_phone"} <= set(created.changes)


def test_the_audit_page_shows_an_administrator_no_story(client_as, personas, held_by_regency):
    page = _audit_page(client_as(personas["admin"]), held_by_regency)
    assert "narrative" in page  # which field changed is kept
    for text in STORY:
        assert text not in page


def test_the_audit_page_hides_the_story_of_entries_written_before(
    client_as, personas, held_by_regency
):
    # An entry as the trail stored them before: the contents of every field.
    old = AuditEvent.objects.create(
        actor=personas["operator_a"],
        actor_username="operator.a",
        action=Action.CREATE,
        object_type="cases.case",
        object_id=str(held_by_regency.pk),
        object_repr=str(held_by_regency),
        area_code=held_by_regency.village_id,
        changes={
            "narrative": [None, NARRATIVE],
            "demand": [None, DEMAND],
            "party_name": [None, PARTY],
            "reporter_phone": [None, PHONE],
            "status": [None, "received"],
        },
    )
    AuditEvent.objects.create(
        actor_username="operator.a",
        action=Action.CREATE,
        object_type="cases.caseattachment",
        object_id="999",
        object_repr="memar.pdf",
        area_code=held_by_regency.village_id,
        changes={"original_name": [None, "memar.pdf"], "case": [None, str(held_by_regency.pk)]},
    )
    for persona in ("admin", "disnaker", "kp2mi"):
        page = _audit_page(client_as(personas[persona]), held_by_regency)
        assert old.object_repr in page
        for text in STORY:
            assert text not in page
        attachments = client_as(personas[persona]).get(
            reverse("audit:event_list") + "?object_type=cases.caseattachment"
        )
        assert "memar.pdf" not in attachments.content.decode()
