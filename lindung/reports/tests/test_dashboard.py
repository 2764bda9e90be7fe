"""The area pages' figures match the records, split by the areas below, within reach."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from lindung.counters.keeping import counters_version
from lindung.counters.models import Counter
from lindung.placements import services as placements
from lindung.regions.models import Area
from lindung.reports import selectors
from lindung.reports.tests.factories import make_abroad, make_person, make_placement

TODAY = date.today()


@pytest.fixture
def residents(personas):
    """Two women abroad in village A (Hong Kong, one non-procedural), a man abroad in village C
    (Taiwan), a calon PMI in village B and a returned woman in village A."""
    actor = personas["disnaker"]
    make_abroad(actor, "18.11.01.2001", departed_on=TODAY - timedelta(days=40))
    make_abroad(actor, "18.11.01.2001", departed_on=TODAY - timedelta(days=70), procedural=False)
    make_abroad(
        actor,
        "18.11.02.2001",
        departed_on=TODAY - timedelta(days=100),
        country="TW",
        job="factory_worker",
        person={"sex": "M", "name": "Budi"},
    )
    make_placement(actor, make_person(actor, "18.11.01.2005"))
    _, placement = make_abroad(actor, "18.11.01.2001", departed_on=TODAY - timedelta(days=400))
    placements.placement_return(
        actor=actor, placement=placement, returned_on=TODAY - timedelta(days=20), reason="leave"
    )
    return personas


def test_regency_figures_match_the_records(residents):
    data = selectors.dashboard_figures(area=Area.objects.get(code="18.11"))
    assert data.phases == {"abroad": 3, "candidate": 1, "returned": 1}
    assert data.abroad_by_country == {"HK": 2, "TW": 1}
    assert data.abroad_by_job == {"domestic_worker": 2, "factory_worker": 1}
    assert data.residents_by_sex == {"F": 4, "M": 1}
    assert data.abroad_by_procedural == {"y": 2, "n": 1}
    assert sum(data.departures.values()) == 4
    assert sum(data.returns.values()) == 1
    assert sum(data.non_procedural_departures.values()) == 1


def test_village_figures_count_only_that_village(residents):
    data = selectors.dashboard_figures(area=Area.objects.get(code="18.11.01.2005"))
    assert data.phases == {"candidate": 1}
    assert data.abroad_by_country == {}


def test_national_figures_sum_the_provinces(residents):
    data = selectors.dashboard_figures(area=None)
    assert data.phases == {"abroad": 3, "candidate": 1, "returned": 1}


def test_regency_splits_every_figure_by_district(residents):
    regency = Area.objects.get(code="18.11")
    assert selectors.dashboard_split(area=regency, split="phase") == {
        "18.11.01": {"abroad": 2, "candidate": 1, "returned": 1},
        "18.11.02": {"abroad": 1},
    }
    assert selectors.dashboard_split(area=regency, split="country") == {
        "18.11.01": {"HK": 2},
        "18.11.02": {"TW": 1},
    }
    assert selectors.dashboard_split(area=regency, split="sex") == {
        "18.11.01": {"F": 4},
        "18.11.02": {"M": 1},
    }
    assert selectors.dashboard_split(area=regency, split="movement") == {
        "18.11.01": {"departure": 3, "return": 1},
        "18.11.02": {"departure": 1},
    }


def test_district_splits_by_village(residents):
    district = Area.objects.get(code="18.11.01")
    split = selectors.dashboard_split(area=district, split="procedural")
    assert split == {"18.11.01.2001": {"y": 1, "n": 1}}


def _drill(response) -> dict[str, int]:
    """{area code: total} of the drill-down table, read from the page."""
    html = response.content.decode()
    body = html[html.index('<table class="list drill">') :]
    body = body[: body.index("<tfoot>")]
    return {
        code: int(total.replace(".", "").replace(",", ""))
        for code, total in re.findall(
            r'<tr><td><a href="/wilayah/([\d.]+)/\?split=\w+">.*?'
            r'<td class="num" data-label="[^"]*">([\d.,]+)</td></tr>',
            body,
        )
    }


def _stats(response) -> list[str]:
    return re.findall(
        r'<span class="n">([\d.,]+)</span><span class="l">([^<]+)</span>', response.content.decode()
    )


def test_regency_page_shows_figures_and_links_down_to_districts(residents, client_as):
    response = client_as(residents["disnaker"]).get("/wilayah/18.11/?split=country")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/wilayah/18.11.01/?split=country"' in html
    assert "Hong Kong" in html
    assert {k: v for k, v in _drill(response).items() if v} == {"18.11.01": 2, "18.11.02": 1}
    assert "<svg" in html


def test_district_page_drills_down_to_its_villages(residents, client_as):
    response = client_as(residents["disnaker"]).get("/wilayah/18.11.01/")
    assert 'href="/wilayah/18.11.01.2001/?split=phase"' in response.content.decode()
    rows = _drill(response)
    assert rows["18.11.01.2001"] == 3
    assert rows["18.11.01.2005"] == 1


def test_national_page_splits_by_province(residents, client_as):
    rows = _drill(client_as(residents["kp2mi"]).get("/wilayah/"))
    assert rows["18"] == 5
    assert rows["33"] == 0


def test_village_page_has_figures_and_no_drill_down(residents, client_as):
    response = client_as(residents["operator_a"]).get("/wilayah/18.11.01.2001/")
    assert response.status_code == 200
    assert 'id="drill"' not in response.content.decode()
    # Bahasa Indonesia unless the user chose English.
    assert ("2", "Bekerja di luar negeri") in _stats(response)
    assert ("1", "Purna PMI") in _stats(response)
    assert ("0", "Calon PMI") not in _stats(response)


def _counter_reads(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in queries if '"reports_counter"' in q["sql"]]


def test_figures_rendered_inside_an_uncommitted_change_are_never_cached(residents, client_as):
    # The test runs in one transaction, never committed: whatever the view renders here could
    # still be rolled back, so it is not kept.
    client = client_as(residents["disnaker"])
    assert _counter_reads(client, "/wilayah/18.11/")
    assert _counter_reads(client, "/wilayah/18.11/")


def test_figures_are_cached_yet_change_with_the_next_service_call(
    residents, client_as, django_capture_on_commit_callbacks
):
    client = client_as(residents["kp2mi"])
    url = "/wilayah/18.01/"  # Lampung Selatan: nothing recorded there yet
    with django_capture_on_commit_callbacks(execute=True):  # as if committed
        assert _counter_reads(client, url)
    assert _counter_reads(client, url) == [], "the second view reads the figures from the cache"
    assert 'class="n">1<' not in client.get(url).content.decode()
    make_placement(residents["bp3mi"], make_person(residents["bp3mi"], "18.01.04.2001"))
    html = client.get(url).content.decode()
    assert '<span class="n">1</span><span class="l">Calon PMI</span>' in html


def test_a_counter_changed_by_any_path_changes_the_version_of_its_regency_only(residents):
    mesuji, lampung, nation = (counters_version(c) for c in ("18.11", "18", None))
    assert counters_version("18.01") == (0, 0, False)  # nothing counted in Lampung Selatan
    # Written straight to the table, as a bulk import or a repair does: the trigger bumps.
    Counter.objects.create(village="18.01.04.2001", level=4, metric="resident", sex="F", n=1)
    first = counters_version("18.01")
    assert first[:2] != (0, 0)
    assert counters_version("18.01.04") == first
    assert counters_version("18")[:2] != lampung[:2]
    assert counters_version(None)[:2] != nation[:2]
    assert counters_version("18.11") == mesuji
    # A second change in the same transaction: a reader gets a new key, or (PostgreSQL bumps
    # once per transaction) learns that its transaction changed the counters, and caches nothing.
    Counter.objects.filter(village="18.01.04.2001").update(n=F("n") + 1)
    second = counters_version("18.01")
    assert second != first or second[2]


# SQLite's triggers fire once per row and event; PostgreSQL's bump a regency once per
# transaction, which in a test (one transaction) has already happened.
@pytest.mark.sqlite
def test_a_counter_row_moved_to_another_regency_changes_both_versions(residents):
    row = Counter.objects.create(village="18.01.04.2001", level=4, metric="resident", n=1)
    lampung_selatan, mesuji = counters_version("18.01"), counters_version("18.11")
    Counter.objects.filter(pk=row.pk).update(village="18.11.01.2001")
    assert counters_version("18.01")[0] == lampung_selatan[0] + 1
    assert counters_version("18.11")[0] == mesuji[0] + 1


@pytest.mark.sqlite
def test_an_update_in_place_bumps_its_regency_once(residents):
    row = Counter.objects.create(village="18.01.04.2001", level=4, metric="resident", n=1)
    before = counters_version("18.01")[0]
    Counter.objects.filter(pk=row.pk).update(n=F("n") + 1)
    assert counters_version("18.01")[0] == before + 1


@pytest.mark.postgres
def test_one_statement_bumps_every_regency_it_touched_once(residents):
    # Regencies no counter has touched yet in this test's transaction (PostgreSQL bumps a
    # regency once per transaction).
    untouched = ["18.02", "18.03", "18.04", "18.05"]
    assert [counters_version(code)[0] for code in untouched] == [0, 0, 0, 0]
    Counter.objects.bulk_create(
        [
            Counter(village="18.02.01.2001", level=4, metric="resident", sex=sex, n=1)
            for sex in ("F", "M")
        ]
        + [Counter(village="18.03.01.2001", level=4, metric="resident", n=1)]
    )
    n, _token, dirty = counters_version("18.02")
    assert (n, dirty) == (1, True)  # two rows, one bump
    assert counters_version("18.03")[0] == 1
    Counter.objects.filter(village="18.03.01.2001").update(village="18.04.01.2001")
    assert counters_version("18.04")[0] == 1
    with connection.cursor() as cursor:  # a row written while the triggers were off
        cursor.execute("ALTER TABLE reports_counter DISABLE TRIGGER USER")
        Counter.objects.create(village="18.05.01.2001", level=4, metric="resident", n=1)
        cursor.execute("ALTER TABLE reports_counter ENABLE TRIGGER USER")
    assert counters_version("18.05")[0] == 0
    Counter.objects.filter(village="18.05.01.2001").delete()
    assert counters_version("18.05")[0] == 1


def test_a_stale_national_row_of_an_older_writer_is_not_counted_twice(residents, client_as):
    # An older bulk path computed the level from the code and wrote the national rows at 1.
    Counter.objects.filter(village="").update(level=1)
    assert selectors.dashboard_figures(area=None).phases == {
        "abroad": 3,
        "candidate": 1,
        "returned": 1,
    }
    assert "" not in selectors.dashboard_split(area=None, split="phase")
    rows = _drill(client_as(residents["kp2mi"]).get("/wilayah/"))
    assert rows["18"] == 5


@pytest.mark.parametrize(
    ("persona", "code", "status"),
    [
        ("operator_a", "18.11.01.2001", 200),
        ("operator_a", "18.11.01.2005", 404),
        ("operator_a", "18.11", 404),
        ("operator_b", "18.11.01.2001", 404),
        ("disnaker", "18.11", 200),
        ("opd", "18.11.02", 200),
        ("bp3mi", "18", 200),
        ("bp3mi_other", "18.11", 404),
        ("kp2mi", "18.11", 200),
        ("admin", "18", 200),
    ],
)
def test_dashboard_pages_are_only_shown_within_reach(residents, client_as, persona, code, status):
    response = client_as(residents[persona]).get(f"/wilayah/{code}/")
    assert response.status_code == status


def test_anonymous_visitor_is_sent_to_log_in(db, client_as):
    response = client_as(None).get("/wilayah/18.11/")
    assert response.status_code == 302
    assert "/akun/masuk/" in response["Location"]


def test_panels_of_other_apps_are_included(residents, client_as):
    response = client_as(residents["disnaker"]).get("/wilayah/18.11/")
    used = {t.name for t in response.templates}
    panels = selectors.dashboard_panels(user=residents["disnaker"], area_code="18.11")
    assert panels, "at least one other app's panel is shown"
    for template, _ in panels:
        assert template.endswith("/dashboard_panel.html")
        assert template in used


@pytest.mark.postgres
def test_counter_pages_leave_room_for_in_place_updates(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'reports_counter'")
        assert "fillfactor=70" in (cursor.fetchone()[0] or [])
