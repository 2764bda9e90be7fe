"""The audit page: administrators read the whole trail, a regency (and a province, and KP2MI)
the trail of its own area; filters by user, object, action and date."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from lindung.audit.models import Action, AuditEvent
from lindung.audit.services import audit_record

pytestmark = pytest.mark.django_db

URL = reverse("audit:event_list")


@pytest.fixture
def trail(personas):
    """A small trail in three places and on two days."""
    admin, operator = personas["admin"], personas["operator_a"]
    with time_machine.travel(datetime(2026, 3, 1, 3, 0, tzinfo=UTC), tick=False):
        in_village = audit_record(
            actor=operator,
            action=Action.UPDATE,
            obj=operator,
            area_code="18.11.01.2001",
            changes={"phone": ["0811", "0812"]},
            ip="10.1.2.3",
        )
    with time_machine.travel(datetime(2026, 3, 5, 3, 0, tzinfo=UTC), tick=False):
        in_other_province = audit_record(
            actor=admin, action=Action.CREATE, obj=personas["bp3mi_other"], area_code="33"
        )
        national = audit_record(actor=None, action=Action.LOGIN_FAILED, username="ghost")
    return {"village": in_village, "other": in_other_province, "national": national}


def listed(response):
    return {e.pk for e in response.context["page"]}


def test_an_administrator_reads_the_whole_trail(personas, client_as, trail):
    response = client_as(personas["admin"]).get(URL)
    assert {e.pk for e in trail.values()} <= listed(response)


def test_a_disnaker_reads_only_the_trail_of_its_regency(personas, client_as, trail):
    ids = listed(client_as(personas["disnaker"]).get(URL))
    assert trail["village"].pk in ids
    assert trail["other"].pk not in ids
    assert trail["national"].pk not in ids
    shown = AuditEvent.objects.filter(pk__in=ids)
    assert all(e.area_code.startswith("18.11") for e in shown)


def test_a_province_of_elsewhere_reads_only_its_own_province(personas, client_as, trail):
    ids = listed(client_as(personas["bp3mi_other"]).get(URL))
    assert trail["other"].pk in ids and trail["village"].pk not in ids


def test_filter_by_user(personas, client_as, trail):
    ids = listed(client_as(personas["admin"]).get(URL, {"actor": "operator.a"}))
    assert trail["village"].pk in ids and trail["other"].pk not in ids


def test_filter_by_action(personas, client_as, trail):
    ids = listed(client_as(personas["admin"]).get(URL, {"action": Action.LOGIN_FAILED}))
    assert ids == {trail["national"].pk}


def test_filter_by_object(personas, client_as, trail):
    target = personas["operator_a"]
    response = client_as(personas["admin"]).get(
        URL, {"object_type": "accounts.user", "object_id": str(target.pk)}
    )
    assert all(e.object_id == str(target.pk) for e in response.context["page"])
    assert trail["village"].pk in listed(response)
    by_text = listed(client_as(personas["admin"]).get(URL, {"text": "Bp3Mi Other"}))
    assert trail["other"].pk in by_text and trail["village"].pk not in by_text


def test_filter_by_date(personas, client_as, trail):
    client = client_as(personas["admin"])
    ids = listed(client.get(URL, {"date_from": "2026-03-01", "date_to": "2026-03-02"}))
    assert trail["village"].pk in ids and trail["other"].pk not in ids
    ids = listed(client.get(URL, {"date_from": "2026-03-04"}))
    assert trail["other"].pk in ids and trail["village"].pk not in ids


def test_a_bad_date_filter_does_not_break_the_page(personas, client_as, trail):
    response = client_as(personas["admin"]).get(URL, {"date_from": "tomorrow", "action": "x"})
    assert response.status_code == 200


def test_the_page_shows_the_local_time_who_changes_and_address(personas, client_as, trail):
    html = client_as(personas["admin"]).get(URL, {"actor": "operator.a"}).content.decode()
    assert "2026-03-01 10:00:00" in html
    assert "operator.a" in html
    assert "0811 → 0812" in html
    assert "10.1.2.3" in html
    assert "Diubah" in html


def test_the_page_offers_no_way_to_change_the_trail(personas, client_as, trail):
    client = client_as(personas["admin"])
    html = client.get(URL).content.decode()
    assert 'method="post"' not in html.split("<main")[1].split("</main>")[0]
    before = AuditEvent.objects.count()
    client.post(URL, {"action": "delete"})
    assert AuditEvent.objects.count() >= before
    assert AuditEvent.objects.filter(pk=trail["village"].pk).exists()


def test_pages_go_on_from_the_last_entry_shown_and_keep_the_filters(personas, client_as):
    for i in range(60):
        audit_record(actor=None, action=Action.LOGIN_FAILED, username=f"ghost{i}")
    client = client_as(personas["admin"])
    response = client.get(URL, {"action": Action.LOGIN_FAILED})
    first = [e.pk for e in response.context["page"]]
    token = response.context["page"].next_token
    assert len(first) == 50 and token
    assert f"action=login_failed&amp;after={token}" in response.content.decode()
    second = client.get(URL, {"action": Action.LOGIN_FAILED, "after": token})
    rest = [e.pk for e in second.context["page"]]
    # Newest first across both pages, nothing shown twice or left out, no third page.
    failed = AuditEvent.objects.filter(action=Action.LOGIN_FAILED).order_by("-at", "-id")
    assert first + rest == list(failed.values_list("pk", flat=True))
    assert second.context["page"].next_token is None
    assert "Halaman pertama" in second.content.decode()


def test_entries_of_one_instant_page_by_id_across_the_page_break(personas, client_as):
    # An import writes many entries at one `now`: the page break falls among them.
    with time_machine.travel(datetime(2026, 3, 9, 3, 0, tzinfo=UTC), tick=False):
        for i in range(70):
            audit_record(actor=None, action=Action.LOGIN_FAILED, username=f"tied{i}")
    client = client_as(personas["admin"])
    first = client.get(URL, {"action": Action.LOGIN_FAILED})
    token = first.context["page"].next_token
    second = client.get(URL, {"action": Action.LOGIN_FAILED, "after": token})
    shown = [e.pk for e in first.context["page"]] + [e.pk for e in second.context["page"]]
    tied = AuditEvent.objects.filter(action=Action.LOGIN_FAILED).order_by("-id")
    assert shown == list(tied.values_list("pk", flat=True)) and len(shown) == 70


def test_an_edited_page_address_shows_the_first_page(personas, client_as, trail):
    client = client_as(personas["admin"])
    first = [e.pk for e in client.get(URL).context["page"]]
    # Not base64 JSON; a time that is no time; one value where the order has two.
    for token in ("not-a-token", "WyJ4IiwxXQ", "WyIyMDI2LTAxLTAxVDAwOjAwOjAwKzAwOjAwIl0"):
        response = client.get(URL, {"after": token})
        assert response.status_code == 200
        assert [e.pk for e in response.context["page"]] == first


def test_changes_read_as_before_and_after_and_other_details_as_they_are(personas, client_as):
    admin = personas["admin"]
    audit_record(actor=admin, action=Action.UPDATE, changes={"phone": ["0811", "0812"]})
    audit_record(
        actor=admin,
        action=Action.IMPORT,
        object_repr="desa.xlsx",
        changes={"file": "desa.xlsx", "rows": [2, 5001], "created": {"registry.person": [[7, 9]]}},
    )
    html = client_as(admin).get(URL).content.decode()
    assert "<b>phone</b>: 0811 → 0812" in html
    # An import's details are not split into before → after (a file name is not a change).
    assert "<b>file</b>: desa.xlsx" in html
    assert "<b>rows</b>: [2, 5001]" in html
    assert "<b>created</b>: {&quot;registry.person&quot;: [[7, 9]]}" in html


def test_the_trail_names_objects_in_words_and_shows_each_areas_own_time(personas, client_as, trail):
    page = client_as(personas["admin"]).get(URL).text
    assert "accounts.user" not in page
    # 03:00 UTC is 10:00 WIB in Lampung (the village event).
    assert "2026-03-01 10:00:00</time> WIB" in page
