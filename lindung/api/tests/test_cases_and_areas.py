"""Cases, figures, warnings, programmes, regulations and statistics through the API, each within
the token's area; case stories only on a need to know."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from conftest import VILLAGE_A, VILLAGE_B
from lindung.cases.models import Case
from lindung.placements import services as placement_services
from lindung.registry.tests.factories import make_person, open_episode

pytestmark = pytest.mark.django_db

NARRATIVE = "Majikan menahan paspor dan gaji belum dibayar enam bulan."


def case_data(person, **extra):
    return {
        "person": person.pk,
        "categories": ["wages_unpaid"],
        "reporter_kind": "family",
        "reporter_relation": "parent",
        "reporter_name": "Sumarni",
        "reporter_phone": "081234567890",
        "channel": "walk_in",
        "narrative": NARRATIVE,
        "reported_on": date.today().isoformat(),
        **extra,
    }


def abroad(actor, person, country="MY"):
    placement = open_episode(actor, person, destination_country=country)
    placement_services.placement_depart(
        actor=actor, placement=placement, departed_on=timezone.localdate() - timedelta(days=3)
    )
    return placement


def test_village_token_records_a_case_through_the_cases_service(call, personas):
    person = make_person(personas["operator_a"])
    response = call("operator_a", "post", "/api/v1/cases", json=case_data(person))
    assert response.status_code == 201, response.content
    case = Case.objects.get(pk=response.json()["id"])
    assert case.created_by == personas["operator_a"]
    assert case.status == "received" and case.due_on is not None  # the service's deadlines


def test_village_token_cannot_record_a_case_outside_its_village(call, personas):
    person = make_person(personas["operator_b"], village=VILLAGE_B)
    response = call("operator_a", "post", "/api/v1/cases", json=case_data(person))
    assert response.status_code == 404
    assert not Case.objects.exists()


def test_case_story_is_withheld_from_those_without_a_need_to_know(call, personas):
    person = make_person(personas["operator_a"])
    created = call("operator_a", "post", "/api/v1/cases", json=case_data(person)).json()
    # The village head and the regency's other agency see the case in scope, not its story.
    for persona in ("head_a", "opd"):
        response = call(persona, "get", f"/api/v1/cases/{created['id']}")
        assert response.status_code == 200
        assert response.json()["story"] is None
        assert NARRATIVE not in response.content.decode()
        assert "081234567890" not in response.content.decode()
        listed = call(persona, "get", "/api/v1/cases")
        assert [c["id"] for c in listed.json()["items"]] == [created["id"]]
        assert NARRATIVE not in listed.content.decode()
    # Outside the area the case does not exist.
    assert call("operator_b", "get", f"/api/v1/cases/{created['id']}").status_code == 404
    assert call("operator_b", "get", "/api/v1/cases").json()["items"] == []


def test_case_story_is_read_by_the_recorder_and_the_units_handling_it(call, personas):
    from lindung.cases.tests.conftest import advance

    person = make_person(personas["operator_a"])
    created = call("operator_a", "post", "/api/v1/cases", json=case_data(person)).json()
    assert created["story"]["narrative"] == NARRATIVE  # the recorder
    listed = call("operator_a", "get", "/api/v1/cases").json()["items"]
    assert listed[0]["story"]["reporter_phone"] == "081234567890"
    assert call("bp3mi", "get", f"/api/v1/cases/{created['id']}").json()["story"] is None
    advance(Case.objects.get(pk=created["id"]), personas, "in_handling")  # referred to BP3MI
    for persona in ("bp3mi", "disnaker"):
        detail = call(persona, "get", f"/api/v1/cases/{created['id']}").json()
        assert detail["story"]["narrative"] == NARRATIVE, persona
        listed = call(persona, "get", "/api/v1/cases").json()["items"]
        assert listed[0]["story"]["narrative"] == NARRATIVE, persona
    assert call("opd", "get", f"/api/v1/cases/{created['id']}").json()["story"] is None
    assert call("bp3mi_other", "get", f"/api/v1/cases/{created['id']}").status_code == 404


def test_figures_are_the_counters_of_the_area_and_refused_beyond_it(call, personas):
    siti = make_person(personas["operator_a"])
    abroad(personas["operator_a"], siti, "MY")
    sri = make_person(personas["operator_b"], name="Sri Wahyuni", village=VILLAGE_B)
    abroad(personas["operator_b"], sri, "HK")
    village = call("operator_a", "get", "/api/v1/figures").json()
    assert village["area"] == VILLAGE_A
    assert village["abroad_by_country"] == {"MY": 1}
    regency = call("disnaker", "get", "/api/v1/figures?area=18.11").json()
    assert regency["abroad_by_country"] == {"MY": 1, "HK": 1}
    assert sum(regency["departures"].values()) == 2
    assert call("operator_a", "get", "/api/v1/figures?area=18.11").status_code == 404
    assert call("operator_a", "get", f"/api/v1/figures?area={VILLAGE_B}").status_code == 404
    assert call("bp3mi_other", "get", "/api/v1/figures?area=18.11").status_code == 404


def test_figures_equal_the_dashboard_page(call, client_as, personas):
    siti = make_person(personas["operator_a"])
    abroad(personas["operator_a"], siti, "MY")
    api = call("disnaker", "get", "/api/v1/figures?area=18.11").json()
    page = client_as(personas["disnaker"]).get("/wilayah/18.11/")
    assert page.status_code == 200
    assert api["total"] == 1 and api["phases"] == {"abroad": 1}


def test_warnings_count_and_list_within_the_area(call, personas):
    siti = make_person(personas["operator_a"])
    abroad(personas["operator_a"], siti)  # departed with an empty checklist: non-procedural
    counts = {w["id"]: w["count"] for w in call("disnaker", "get", "/api/v1/warnings").json()}
    assert counts["non_procedural"] == 1
    detail = call("disnaker", "get", "/api/v1/warnings/non_procedural").json()
    assert detail["items"][0]["person"] == siti.pk
    other = call("operator_b", "get", "/api/v1/warnings/non_procedural").json()
    assert other["count"] == 0 and other["items"] == []
    assert call("disnaker", "get", "/api/v1/warnings/nonsense").status_code == 404
    # Her village is now one whose non-procedural departures rose: it is listed by its code.
    assert counts["rising_non_procedural"] == 1
    rising = call("disnaker", "get", "/api/v1/warnings/rising_non_procedural").json()
    assert rising["count"] == 1
    assert rising["items"] == [{"village": VILLAGE_A, "person": None, "episode": None}]
    elsewhere = call("operator_b", "get", "/api/v1/warnings/rising_non_procedural").json()
    assert elsewhere["count"] == 0


def test_statistics_feed_counts_departures_per_month_regency_and_country(call, personas):
    siti = make_person(personas["operator_a"])
    abroad(personas["operator_a"], siti, "MY")
    month = f"{timezone.localdate() - timedelta(days=3):%Y-%m}"
    lines = call("disnaker", "get", "/api/v1/statistics/placements").json()
    assert lines == [
        {
            "month": month,
            "province": "18",
            "province_name": lines[0]["province_name"],
            "regency": "18.11",
            "regency_name": lines[0]["regency_name"],
            "country": "MY",
            "country_name": "Malaysia",
            "departures_male": 0,
            "departures_female": 1,
            "departures_total": 1,
            "departures_non_procedural": 1,
            "returns_male": 0,
            "returns_female": 0,
            "returns_total": 0,
        }
    ]
    assert "Mesuji" in lines[0]["regency_name"]
    assert call("operator_a", "get", "/api/v1/statistics/placements").json() == []
    assert call("bp3mi_other", "get", "/api/v1/statistics/placements").json() == []
    bad = call("disnaker", "get", "/api/v1/statistics/placements?month_from=2020-01")
    assert bad.status_code == 422


def test_programmes_regulations_and_coverage_answer_within_the_area(call):
    assert call("operator_a", "get", "/api/v1/programmes").status_code == 200
    assert call("operator_a", "get", "/api/v1/regulations").status_code == 200
    coverage = call("disnaker", "get", "/api/v1/regulations/coverage").json()
    assert coverage["coverage"]["area"] == "18.11"
    assert coverage["coverage"]["villages"] > 50
    assert {c["area"][:5] for c in coverage["children"]} == {"18.11"}
    assert call("operator_a", "get", "/api/v1/regulations/coverage?area=18.11").status_code == 404
    assert call("operator_a", "get", "/api/v1/programmes/999999/enrolments").status_code == 404
