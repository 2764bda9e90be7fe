from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from conftest import VILLAGE_B
from lindung.cases.models import Outcome
from lindung.cases.selectors import dashboard_panel, person_timeline
from lindung.cases.services import case_resolve
from lindung.cases.tests.conftest import TODAY, advance, record
from lindung.registry.tests.factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(personas, frozen):
    a = make_person(personas["operator_a"], serial=1)
    b = make_person(personas["operator_b"], village=VILLAGE_B, serial=2)
    old = record(personas["operator_a"], a, on=TODAY - timedelta(days=20))  # overdue
    fresh = record(personas["operator_b"], b, categories=["sick", "wages_unpaid"], on=TODAY)
    return {"a": a, "b": b, "old": old, "fresh": fresh}


def test_the_panel_counts_open_cases_by_category_and_overdue_within_scope(personas, cases):
    regency = dashboard_panel(user=personas["disnaker"], area_code="18.11")
    assert (regency["open"], regency["overdue"]) == (2, 1)
    assert {row["code"]: row["n"] for row in regency["by_category"]} == {
        "wages_unpaid": 2,
        "sick": 1,
    }
    village_a = dashboard_panel(user=personas["disnaker"], area_code="18.11.01.2001")
    assert (village_a["open"], village_a["overdue"]) == (1, 1)
    own = dashboard_panel(user=personas["operator_a"], area_code=None)
    assert own["open"] == 1
    outsider = dashboard_panel(user=personas["bp3mi_other"], area_code="18.11")
    assert (outsider["open"], outsider["overdue"], outsider["by_category"]) == (0, 0, [])


def test_the_panel_counts_urgent_cases_among_the_open_ones(personas, cases):
    record(personas["operator_a"], cases["a"], categories=["detained"], on=TODAY)
    panel = dashboard_panel(user=personas["kp2mi"], area_code=None)
    assert (panel["open"], panel["urgent"], panel["overdue"]) == (3, 1, 1)


def test_closed_cases_leave_the_panel(personas, cases):
    advance(cases["old"], personas, "closed", on=TODAY)
    panel = dashboard_panel(user=personas["kp2mi"], area_code=None)
    assert (panel["open"], panel["overdue"]) == (1, 0)


def test_the_panel_template_renders_the_counts_and_links(personas, cases):
    panel = dashboard_panel(user=personas["disnaker"], area_code="18.11")
    html = render_to_string("cases/dashboard_panel.html", {"panel": panel})
    assert reverse("cases:case_list") + "?village=18.11&amp;view=overdue" in html
    assert ">2<" in html


def test_a_case_shows_on_the_persons_timeline_without_its_details(personas, cases):
    entries = person_timeline(user=personas["head_a"], person=cases["a"])
    assert len(entries) == 1
    entry = entries[0]
    assert entry.on == cases["old"].reported_on
    assert cases["old"].number in entry.title
    assert entry.url == reverse("cases:case_detail", args=[cases["old"].pk])
    assert entry.tone == "bad"  # overdue
    assert "enam bulan" not in entry.title + entry.detail


def test_a_resolution_adds_a_second_timeline_entry(personas, cases):
    case = advance(cases["old"], personas, "in_handling", on=TODAY)
    case_resolve(actor=personas["bp3mi"], case=case, outcome=Outcome.MEDIATED, occurred_on=TODAY)
    entries = person_timeline(user=personas["disnaker"], person=cases["a"])
    assert [e.kind for e in entries] == ["case_reported", "case_resolved"]
    assert entries[1].tone == "ok"


def test_the_timeline_is_scoped(personas, cases):
    assert person_timeline(user=personas["operator_b"], person=cases["a"]) == []
    assert person_timeline(user=personas["bp3mi_other"], person=cases["a"]) == []
