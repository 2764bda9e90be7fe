"""Early warnings list real people within reach; reports render, print, download and are audited."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from openpyxl import load_workbook

from lindung.audit.models import Action, AuditEvent
from lindung.lib.keyset import keyset_page
from lindung.placements import services as placements
from lindung.regions.models import Area
from lindung.reports import selectors
from lindung.reports.declared import REPORTS, month_bounds
from lindung.reports.tests.factories import make_abroad, make_person, make_placement

TODAY = date.today()


@pytest.fixture
def cases(personas):
    """One person for each warning, all in village A, plus an unremarkable one in village B."""
    actor = personas["disnaker"]
    # Abroad: a contract ending, a passport expiring, no check-in since a non-procedural departure.
    for name, days_abroad, details in [
        ("Kontrak Habis", 30, {"contract_end": TODAY + timedelta(days=20)}),
        ("Paspor Habis", 30, {"passport_expiry": TODAY + timedelta(days=90)}),
        ("Tanpa Kabar", 300, {"procedural": False}),
    ]:
        make_abroad(
            actor,
            "18.11.01.2001",
            departed_on=TODAY - timedelta(days=days_abroad),
            person={"name": name},
            **details,
        )
    make_placement(
        actor,
        make_person(
            actor, "18.11.01.2001", birth_date=TODAY - timedelta(days=17 * 365), name="Masih Kecil"
        ),
    )
    _, placement = make_abroad(
        actor, "18.11.01.2001", departed_on=TODAY - timedelta(days=500), person={"name": "Purna"}
    )
    placements.placement_return(
        actor=actor, placement=placement, returned_on=TODAY - timedelta(days=60), reason="leave"
    )
    _, fine = make_abroad(
        actor, "18.11.01.2005", departed_on=TODAY - timedelta(days=20), person={"name": "Aman"}
    )
    return personas


def _names(user, warning_id, area_code=None):
    items = selectors.warning_items(user=user, warning_id=warning_id, area_code=area_code)
    return sorted((i.full_name if hasattr(i, "full_name") else i.person.full_name) for i in items)


def test_each_warning_lists_the_people_to_act_on(cases):
    user = cases["disnaker"]
    assert _names(user, "contract_ending") == ["Kontrak Habis"]
    assert _names(user, "documents_expiring") == ["Paspor Habis"]
    assert _names(user, "no_check_in") == ["Tanpa Kabar"]
    assert _names(user, "non_procedural") == ["Tanpa Kabar"]
    assert _names(user, "minor_candidates") == ["Masih Kecil"]
    assert _names(user, "returned_not_empowered") == ["Purna"]


def test_a_family_check_in_clears_the_no_check_in_warning(cases):
    user = cases["disnaker"]
    placement = selectors.warning_items(user=user, warning_id="no_check_in").get()
    placements.placement_check_in(
        actor=user, placement=placement, occurred_on=TODAY - timedelta(days=3), result="fine"
    )
    assert _names(user, "no_check_in") == []


def _rising(user, today=TODAY):
    return [
        (r.village_id, r.recent, r.before)
        for r in selectors.warning_rising_non_procedural(user, None, today)
    ]


def test_villages_with_rising_non_procedural_departures_are_listed(cases):
    assert _rising(cases["disnaker"]) == []
    make_abroad(cases["disnaker"], "18.11.01.2005", departed_on=TODAY, procedural=False)
    assert _rising(cases["disnaker"]) == [("18.11.01.2005", 1, 0)]


def test_rising_villages_come_steepest_first_a_page_at_a_time(cases, django_assert_num_queries):
    user = cases["disnaker"]
    rises = {"18.11.01.2004": 1, "18.11.01.2005": 2, "18.11.01.2003": 2, "18.11.01.2006": 3}
    for code, n in rises.items():
        for _ in range(n):
            make_abroad(user, code, departed_on=TODAY, procedural=False)
    # Sido Mulyo also had one in the three months before: it rose by 1, like Nipah Kuning.
    make_abroad(user, "18.11.01.2005", departed_on=TODAY - timedelta(days=130), procedural=False)
    assert _rising(user) == [
        ("18.11.01.2006", 3, 0),
        ("18.11.01.2003", 2, 0),
        ("18.11.01.2004", 1, 0),
        ("18.11.01.2005", 2, 1),
    ]
    rising = selectors.warning_rising_non_procedural(user, None, TODAY)
    order = selectors.WARNING_ORDER["rising_non_procedural"]
    first = keyset_page(rising, order=order, after=None, size=2)
    with django_assert_num_queries(2):  # the window's month, then the page with its areas
        second = keyset_page(
            selectors.warning_rising_non_procedural(user, None, TODAY),
            order=order,
            after=first.next_token,
            size=2,
            count=False,
        )
        names = [(r.village.name, r.village.parent.parent.code) for r in second]
    assert names == [("Nipah Kuning", "18.11"), ("Sido Mulyo", "18.11")]
    assert second.next_token is None and (first.count, first.count_capped) == (4, False)
    counted = selectors.warning_counts(user=user, today=TODAY)["rising_non_procedural"]
    assert counted == 4


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("operator_a", 1),
        ("head_a", 1),
        ("operator_b", 0),
        ("disnaker", 1),
        ("bp3mi", 1),
        ("bp3mi_other", 0),
        ("kp2mi", 1),
    ],
)
def test_warnings_are_scoped_to_the_users_reach(cases, persona, expected):
    counts = selectors.warning_counts(user=cases[persona])
    assert counts["minor_candidates"] == expected


def test_warning_pages_list_names_within_reach(cases, client_as):
    client = client_as(cases["operator_a"])
    assert client.get("/laporan/peringatan/").status_code == 200
    response = client.get("/laporan/peringatan/minor_candidates/")
    assert "Masih Kecil" in response.content.decode()
    response = client_as(cases["operator_b"]).get("/laporan/peringatan/minor_candidates/")
    assert "Masih Kecil" not in response.content.decode()


def test_warning_page_refuses_an_area_out_of_reach(cases, client_as):
    response = client_as(cases["operator_b"]).get(
        "/laporan/peringatan/minor_candidates/?area=18.11.01.2001"
    )
    assert response.status_code == 404
    assert client_as(cases["opd"]).get("/laporan/peringatan/nope/").status_code == 404


def test_anonymous_visitor_cannot_see_warnings_or_reports(db, client_as):
    for url in ("/laporan/peringatan/", "/laporan/", "/laporan/village-monthly/"):
        assert client_as(None).get(url).status_code == 302


def test_monthly_village_report_lists_the_months_movements_and_is_audited(cases, client_as):
    month = TODAY.strftime("%Y-%m")
    client = client_as(cases["head_a"])
    response = client.get(f"/laporan/village-monthly/?area=18.11.01.2001&month={month}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kontrak Habis" in html and "Aman" not in html
    event = AuditEvent.objects.filter(action=Action.REPORT).latest("id")
    assert event.actor == cases["head_a"]
    assert event.object_id == "village-monthly"
    assert event.area_code == "18.11.01.2001"


def test_monthly_village_report_has_a_section_per_movement_with_its_columns(cases):
    month = TODAY - timedelta(days=30)
    first, last = month_bounds(month.strftime("%Y-%m"))
    village = Area.objects.get(code="18.11.01.2001")
    spec = REPORTS["village-monthly"]
    sections = spec.build(village, first, last, user=cases["head_a"])
    assert [[c.key for c in s.columns] for s in sections] == [
        ["date", "name", "sex", "country", "job", "procedural"],
        ["date", "name", "country", "reason"],
        ["date", "name", "country", "result"],
        ["date", "categories", "status"],
        ["name", "country", "job", "departed", "contract_end"],
    ]
    departures, _, _, _, abroad = sections
    departed = {r["name"] for r in departures.rows}
    assert {"Kontrak Habis", "Paspor Habis"} <= departed and "Aman" not in departed
    assert all(r["country"] and r["sex"] and r["procedural"] for r in departures.rows)
    assert {r["name"] for r in abroad.rows} >= {"Kontrak Habis", "Paspor Habis", "Tanpa Kabar"}
    back = month_bounds((TODAY - timedelta(days=60)).strftime("%Y-%m"))
    returns = spec.build(village, *back, user=cases["head_a"])[1]
    assert [(r["name"], bool(r["reason"])) for r in returns.rows] == [("Purna", True)]


def test_report_prints_on_a4_and_downloads_as_xlsx(cases, client_as):
    client = client_as(cases["disnaker"])
    month = TODAY.strftime("%Y-%m")
    query = f"?area=18.11&month={month}"
    printed = client.get(f"/laporan/regency-recap/{query}&format=print")
    assert printed.status_code == 200
    html = printed.content.decode()
    assert "data-print" in html and "lindung/lindung.js" in html  # the Print button works
    download = client.get(f"/laporan/regency-recap/{query}&format=xlsx")
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(BytesIO(download.content))
    districts = book.worksheets[0]
    rows = list(districts.iter_rows(values_only=True))
    mesuji = next(r for r in rows if r[0] == "Kecamatan Mesuji")
    assert mesuji[1:4] == (1, 4, 1)  # calon, abroad, purna in district 18.11.01
    assert rows[-1][0] == "Total"
    assert rows[-1][2] == 4  # everyone abroad in the regency
    formats = AuditEvent.objects.filter(action=Action.REPORT).values_list("changes", flat=True)
    assert {c["format"] for c in formats} == {"print", "xlsx"}


def test_province_recap_sums_by_regency(cases, client_as):
    month = TODAY.strftime("%Y-%m")
    response = client_as(cases["bp3mi"]).get(f"/laporan/province-recap/?area=18&month={month}")
    section = response.context["sections"][0]
    mesuji = next(r for r in section.rows if r["code"] == "18.11")
    assert (mesuji["abroad"], mesuji["candidate"], mesuji["returned"]) == (4, 1, 1)


@pytest.mark.parametrize(
    ("persona", "report", "area", "status"),
    [
        ("operator_a", "village-monthly", "18.11.01.2001", 200),
        ("operator_a", "village-monthly", "18.11.01.2005", 400),
        ("operator_a", "regency-recap", "18.11", 404),
        ("disnaker", "regency-recap", "18.11", 200),
        ("opd", "village-monthly", "18.11.02.2001", 200),
        ("disnaker", "province-recap", "18", 404),
        ("bp3mi", "province-recap", "18", 200),
        ("bp3mi_other", "province-recap", "18", 400),
        ("bp3mi_other", "regency-recap", "18.11", 400),
        ("kp2mi", "regency-recap", "18.11", 200),
        ("admin", "regency-recap", "18.11", 404),
    ],
)
def test_reports_run_only_for_allowed_roles_and_areas(
    cases, client_as, persona, report, area, status
):
    response = client_as(cases[persona]).get(f"/laporan/{report}/?area={area}&month=2026-01")
    assert response.status_code == status


def test_a_malformed_month_is_a_form_error_not_a_crash(cases, client_as):
    response = client_as(cases["disnaker"]).get("/laporan/regency-recap/?area=18.11&month=2026-13")
    assert response.status_code == 400
    assert response.context["form"].errors["month"]


def test_report_list_shows_the_reports_of_the_role(cases, client_as):
    response = client_as(cases["operator_a"]).get("/laporan/")
    ids = [item["spec"].id for item in response.context["reports"]]
    assert ids == ["village-monthly"]
    response = client_as(cases["bp3mi"]).get("/laporan/")
    ids = [item["spec"].id for item in response.context["reports"]]
    assert ids == ["village-monthly", "regency-recap", "province-recap"]


def test_a_declared_report_reads_only_what_the_user_running_it_may_see(cases):
    from lindung.regions.models import Area
    from lindung.reports.declared import REPORTS, month_bounds

    village = Area.objects.get(code="18.11.01.2001")
    first, last = month_bounds(TODAY.strftime("%Y-%m"))
    build = REPORTS["village-monthly"].build

    def names(user):
        sections = build(village, first, last, user=user)
        return {row.get("name") for section in sections for row in section.rows}

    assert "Kontrak Habis" in names(cases["head_a"])
    # The form keeps other areas out; the build itself also reads nothing beyond the user's reach.
    assert names(cases["operator_b"]) == set()
    assert names(cases["bp3mi_other"]) == set()
