"""The episode pages: who may open them, and the few taps that record each step."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import EDITORS_A, PERSONAS, READERS_A
from lindung.placements.models import Placement, ReadinessCheck, Status
from lindung.placements.services import placement_depart
from lindung.registry.tests.factories import check_all, make_person, open_episode

pytestmark = pytest.mark.django_db


@pytest.fixture
def person_a(personas):
    return make_person(personas["operator_a"])


@pytest.fixture
def planned(personas, person_a):
    return open_episode(personas["operator_a"], person_a)


@pytest.fixture
def abroad(personas, planned):
    placement_depart(
        actor=personas["operator_a"],
        placement=planned,
        departed_on=timezone.localdate() - timedelta(days=200),
    )
    planned.refresh_from_db()
    return planned


def code(client_as, user, url, method="get", data=None):
    return getattr(client_as(user), method)(url, data or {}).status_code


@pytest.mark.parametrize("who", PERSONAS)
def test_episode_page_is_open_to_those_who_reach_the_village(personas, client_as, planned, who):
    url = reverse("placements:placement_detail", args=[planned.pk])
    assert code(client_as, personas[who], url) == (200 if who in READERS_A else 404)


@pytest.mark.parametrize(
    "url_name,args",
    [
        ("placements:placement_edit", []),
        ("placements:placement_event", ["berangkat"]),
        ("placements:placement_event", ["batal"]),
    ],
)
@pytest.mark.parametrize("who", PERSONAS)
def test_recording_pages_are_for_editors_in_reach(
    personas, client_as, planned, url_name, args, who
):
    url = reverse(url_name, args=[planned.pk, *args])
    assert code(client_as, personas[who], url) == (200 if who in EDITORS_A else 404)


@pytest.mark.parametrize("who", PERSONAS)
def test_planning_work_abroad_is_for_editors_in_reach(personas, client_as, person_a, who):
    url = reverse("placements:placement_create", args=[person_a.pk])
    assert code(client_as, personas[who], url) == (200 if who in EDITORS_A else 404)


@pytest.mark.parametrize(
    "url",
    [
        "/penempatan/1/",
        "/penempatan/1/ubah/",
        "/penempatan/1/berangkat/",
        "/penempatan/berangkat/1/",
        "/penempatan/baru/1/",
    ],
)
def test_anonymous_visitors_are_sent_to_login(client_as, planned, url):
    response = client_as(None).get(url.replace("1", str(planned.pk), 1))
    assert response.status_code == 302 and "/akun/" in response["Location"]


def test_an_unknown_step_is_not_found(personas, client_as, planned):
    url = reverse("placements:placement_event", args=[planned.pk, "teleport"])
    assert code(client_as, personas["operator_a"], url) == 404


def test_operator_plans_work_abroad(personas, client_as, person_a):
    response = client_as(personas["operator_a"]).post(
        reverse("placements:placement_create", args=[person_a.pk]),
        {
            "destination_country": "TW",
            "job": "caregiver",
            "sector": "informal",
            "scheme": "p2p",
            "agency_name": "PT Sinar Jaya",
            "passport_number": "c1234567",
        },
    )
    placement = Placement.objects.get(person=person_a)
    assert response["Location"] == reverse("placements:placement_detail", args=[placement.pk])
    assert placement.destination_country == "TW" and placement.passport_number == "C1234567"
    person_a.refresh_from_db()
    assert person_a.phase == "candidate"


def test_an_unknown_country_is_refused_on_the_field(personas, client_as, person_a):
    response = client_as(personas["operator_a"]).post(
        reverse("placements:placement_create", args=[person_a.pk]),
        {"destination_country": "XX", "job": "caregiver", "sector": "informal", "scheme": "p2p"},
    )
    assert response.status_code == 200 and not Placement.objects.exists()


def test_correcting_the_plan_saves_and_audits(personas, client_as, planned):
    data = {
        "destination_country": "MY",
        "job": "plantation",
        "sector": "formal",
        "scheme": "p2p",
        "contract_end": "2030-01-31",
    }
    response = client_as(personas["operator_a"]).post(
        reverse("placements:placement_edit", args=[planned.pk]), data
    )
    assert response.status_code == 302
    planned.refresh_from_db()
    assert planned.destination_country == "MY" and planned.contract_end == date(2030, 1, 31)


def test_one_tap_checks_a_checklist_item_with_date_and_checker(personas, client_as, planned):
    today = timezone.localdate()
    response = client_as(personas["operator_a"]).post(
        reverse("placements:placement_check", args=[planned.pk]),
        {"item": "passport", "checked_on": today.isoformat(), "reference": "C1234567"},
    )
    assert response.status_code == 302
    check = ReadinessCheck.objects.get(placement=planned)
    assert check.item == "passport" and check.checked_by == personas["operator_a"]
    assert check.checked_on == today and check.reference == "C1234567"


@pytest.mark.parametrize("who", ["operator_b", "opd", "bp3mi", "kp2mi", "admin", "bp3mi_other"])
def test_others_cannot_check_an_item(personas, client_as, planned, who):
    url = reverse("placements:placement_check", args=[planned.pk])
    data = {"item": "passport", "checked_on": timezone.localdate().isoformat()}
    assert code(client_as, personas[who], url, "post", data) == 404
    assert not ReadinessCheck.objects.exists()


def test_a_future_check_date_is_refused_with_a_message(personas, client_as, planned):
    tomorrow = timezone.localdate() + timedelta(days=1)
    client = client_as(personas["operator_a"])
    response = client.post(
        reverse("placements:placement_check", args=[planned.pk]),
        {"item": "passport", "checked_on": tomorrow.isoformat()},
        follow=True,
    )
    assert not ReadinessCheck.objects.exists()
    assert 'class="error"' in response.text or "error" in response.text


def test_depart_page_warns_that_an_incomplete_checklist_makes_it_non_procedural(
    personas, client_as, planned
):
    page = client_as(personas["operator_a"]).get(
        reverse("placements:placement_event", args=[planned.pk, "berangkat"])
    )
    assert 'data-testid="non-procedural-warning"' in page.text


def test_departure_with_incomplete_checklist_is_recorded_and_marked_everywhere(
    personas, client_as, planned
):
    client = client_as(personas["operator_a"])
    response = client.post(
        reverse("placements:placement_event", args=[planned.pk, "berangkat"]),
        {
            "occurred_on": timezone.localdate().isoformat(),
            "note": "Via Jakarta",
            "confirm": "non-procedural",
        },
    )
    assert response["Location"] == reverse("registry:person_detail", args=[planned.person_id])
    planned.refresh_from_db()
    assert planned.status == Status.ABROAD and planned.procedural is False
    for url in (
        response["Location"],
        reverse("placements:placement_detail", args=[planned.pk]),
        reverse("registry:person_list"),
    ):
        assert 'class="badge bad"' in client.get(url).text


def test_departure_with_complete_checklist_is_procedural(personas, client_as, planned):
    check_all(personas["operator_a"], planned)
    page = client_as(personas["operator_a"]).get(
        reverse("placements:placement_event", args=[planned.pk, "berangkat"])
    )
    assert 'data-testid="non-procedural-warning"' not in page.text
    client_as(personas["operator_a"]).post(
        reverse("placements:placement_event", args=[planned.pk, "berangkat"]),
        {"occurred_on": timezone.localdate().isoformat()},
    )
    planned.refresh_from_db()
    assert planned.procedural is True


def test_departure_of_a_minor_asks_for_the_reason(personas, client_as):
    operator = personas["operator_a"]
    today = timezone.localdate()
    minor = make_person(operator, birth=today.replace(year=today.year - 17), sex="M")
    placement = open_episode(operator, minor)
    client = client_as(operator)
    url = reverse("placements:placement_event", args=[placement.pk, "berangkat"])
    assert 'name="blocked_reason"' in client.get(url).text
    response = client.post(url, {"occurred_on": today.isoformat()})
    assert response.status_code == 200
    placement.refresh_from_db()
    assert placement.status == Status.PLANNED
    client.post(
        url,
        {
            "occurred_on": today.isoformat(),
            "blocked_reason": "Left with an agent",
            "confirm": "non-procedural",
        },
    )
    placement.refresh_from_db()
    assert placement.blocked_flag and placement.status == Status.ABROAD


def test_family_check_in_and_return_are_recorded(personas, client_as, abroad):
    client = client_as(personas["operator_a"])
    today = timezone.localdate()
    client.post(
        reverse("placements:placement_event", args=[abroad.pk, "pemantauan"]),
        {"occurred_on": today.isoformat(), "result": "no_contact", "note": "Phone off"},
    )
    abroad.refresh_from_db()
    assert abroad.last_check_in_on == today
    client.post(
        reverse("placements:placement_event", args=[abroad.pk, "pulang"]),
        {"occurred_on": today.isoformat(), "reason": "abuse"},
    )
    abroad.refresh_from_db()
    assert abroad.status == Status.RETURNED and abroad.return_reason == "abuse"
    abroad.person.refresh_from_db()
    assert abroad.person.phase == "returned"


def test_a_return_before_the_departure_is_refused_with_a_clear_message(personas, client_as, abroad):
    before = abroad.departed_on - timedelta(days=1)
    response = client_as(personas["operator_a"]).post(
        reverse("placements:placement_event", args=[abroad.pk, "pulang"]),
        {"occurred_on": before.isoformat(), "reason": "leave"},
    )
    assert response.status_code == 200 and 'class="error"' in response.text
    abroad.refresh_from_db()
    assert abroad.status == Status.ABROAD


def test_a_return_without_departure_is_refused(personas, client_as, planned):
    response = client_as(personas["operator_a"]).post(
        reverse("placements:placement_event", args=[planned.pk, "pulang"]),
        {"occurred_on": timezone.localdate().isoformat(), "reason": "leave"},
    )
    assert response.status_code == 200
    planned.refresh_from_db()
    assert planned.status == Status.PLANNED


def test_contract_extension_moves_the_end_date(personas, client_as, abroad):
    client_as(personas["operator_a"]).post(
        reverse("placements:placement_event", args=[abroad.pk, "perpanjang"]),
        {"occurred_on": timezone.localdate().isoformat(), "contract_end": "2031-05-01"},
    )
    abroad.refresh_from_db()
    assert abroad.contract_end == date(2031, 5, 1)


def test_episode_page_warns_about_an_expiring_passport_and_silence(personas, client_as, abroad):
    from lindung.placements.services import placement_update

    placement_update(
        actor=personas["operator_a"],
        placement=abroad,
        data={"passport_expiry": timezone.localdate() + timedelta(days=30)},
    )
    page = client_as(personas["operator_a"]).get(
        reverse("placements:placement_detail", args=[abroad.pk])
    )
    assert page.text.count('class="alert warn"') == 2


def test_person_timeline_gathers_the_episode_steps(personas, client_as, abroad):
    page = client_as(personas["disnaker"]).get(
        reverse("registry:person_detail", args=[abroad.person_id])
    )
    history = page.text[page.text.index('id="history"') :]
    assert "Hong Kong" in history
    assert history.count("<li>") >= 2


@pytest.mark.parametrize(("old", "new"), [("depart", "berangkat"), ("check-in", "pemantauan")])
def test_the_english_step_urls_of_earlier_releases_redirect(personas, client_as, planned, old, new):
    response = client_as(personas["operator_a"]).get(f"/penempatan/{planned.pk}/{old}/")
    assert response.status_code == 302
    assert response["Location"] == f"/penempatan/{planned.pk}/{new}/"


def test_a_non_procedural_departure_is_saved_only_after_the_confirmation_says_what_it_means(
    personas, client_as, planned
):
    client = client_as(personas["operator_a"])
    url = reverse("placements:placement_event", args=[planned.pk, "berangkat"])
    page = client.get(url)
    assert "Pasal 5" in page.text and 'value="non-procedural"' in page.text
    response = client.post(url, {"occurred_on": timezone.localdate().isoformat()})
    assert response.status_code == 200
    planned.refresh_from_db()
    assert planned.status == Status.PLANNED


def test_the_step_forms_open_with_today_and_the_current_episode(personas, client_as, abroad):
    page = client_as(personas["operator_a"]).get(
        reverse("placements:placement_event", args=[abroad.pk, "pulang"])
    )
    assert f'value="{timezone.localdate().isoformat()}"' in page.text
    assert abroad.person.full_name in page.text


def test_a_departure_without_an_episode_opens_it_in_the_same_form(personas, client_as, person_a):
    client = client_as(personas["operator_a"])
    url = reverse("placements:placement_depart_new", args=[person_a.pk])
    assert 'name="destination_country"' in client.get(url).text
    today = timezone.localdate()
    data = {"occurred_on": today.isoformat(), "destination_country": "MY", "job": "plantation"}
    assert client.post(url, data).status_code == 200  # not confirmed yet
    assert not Placement.objects.filter(person=person_a).exists()
    response = client.post(url, {**data, "confirm": "non-procedural"})
    assert response["Location"] == reverse("registry:person_detail", args=[person_a.pk])
    placement = Placement.objects.get(person=person_a)
    assert placement.status == Status.ABROAD and placement.departed_on == today
    assert placement.procedural is False
    assert (placement.scheme, placement.sector) == ("individual", "formal")
    # With an episode open, the same link leads to that episode's departure.
    again = client.get(url)
    assert again.status_code == 302


@pytest.mark.parametrize("who", PERSONAS)
def test_only_the_disnaker_in_reach_corrects_the_procedural_flag(personas, client_as, abroad, who):
    url = reverse("placements:placement_procedural", args=[abroad.pk])
    assert code(client_as, personas[who], url) == (200 if who == "disnaker" else 404)


def test_the_disnaker_corrects_a_non_procedural_departure_with_an_audited_reason(
    personas, client_as, abroad
):
    from lindung.audit.models import AuditEvent
    from lindung.reports.counters import counters_differences

    assert abroad.procedural is False
    client = client_as(personas["disnaker"])
    url = reverse("placements:placement_procedural", args=[abroad.pk])
    assert client.post(url, {"procedural": "yes", "reason": ""}).status_code == 200
    abroad.refresh_from_db()
    assert abroad.procedural is False
    reason = "All documents complete at LTSA, ticked late"
    response = client.post(url, {"procedural": "yes", "reason": reason})
    assert response.status_code == 302
    abroad.refresh_from_db()
    assert abroad.procedural is True
    event = AuditEvent.objects.filter(object_id=str(abroad.pk)).latest("id")
    assert event.changes["procedural"] == [False, True]
    assert event.changes["reason"] == [None, reason]
    assert event.actor_id == personas["disnaker"].pk
    assert counters_differences() == []
