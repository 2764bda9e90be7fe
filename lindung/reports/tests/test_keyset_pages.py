"""Warning lists and the residents list page by keyset: the same rows in the same order as the
whole ordered list, for every reach; a count not kept in the counters stops at the cap and
says "more than"."""

import re
from datetime import date, timedelta

import pytest

from lindung.lib import keyset
from lindung.placements import services as placements
from lindung.placements.models import Placement
from lindung.registry import selectors as registry_selectors
from lindung.registry import views as registry_views
from lindung.registry.models import Person
from lindung.reports import selectors
from lindung.reports import views as report_views
from lindung.reports.counters import counters_rebuild
from lindung.reports.tests.factories import make_abroad, make_person, make_placement

TODAY = date.today()
OLD = TODAY - timedelta(days=400)
SOON = TODAY + timedelta(days=30)
# (village, passport expiry, last check-in, departed on): NULLs (check-ins) and ties in the
# order fields, so the pages must carry each engine's place for NULLs and break ties by id.
ROWS = [
    ("18.11.01.2001", None, None, OLD),
    ("18.11.01.2001", SOON, None, OLD),
    ("18.11.01.2005", SOON, OLD, OLD),
    ("18.11.01.2001", None, OLD, OLD - timedelta(days=5)),
    ("18.11.02.2001", SOON + timedelta(days=1), None, OLD - timedelta(days=5)),
    ("18.11.01.2001", SOON, OLD - timedelta(days=1), OLD),
    ("33.01.01.2001", SOON, None, OLD),
]
PLACEMENT_WARNINGS = ("contract_ending", "documents_expiring", "no_check_in", "non_procedural")


@pytest.fixture
def listed(personas):
    actor = personas["kp2mi"]
    for i, (village, passport, check_in, departed) in enumerate(ROWS):
        _, placement = make_abroad(
            actor,
            village,
            departed_on=departed,
            procedural=False,
            contract_end=SOON,
            person={"name": f"Warga {i}", "birth_date": date(1990, 1, 1 + i)},
        )
        # The dates the services derive (check-ins, expiry read from documents) set directly:
        # only the order of the rows matters here.
        Placement.objects.filter(pk=placement.pk).update(
            passport_expiry=passport, visa_expiry=SOON, last_check_in_on=check_in
        )
    for i in range(3):
        person, placement = make_abroad(
            actor, "18.11.01.2001", departed_on=OLD, person={"name": f"Purna {i}"}
        )
        placements.placement_return(
            actor=actor, placement=placement, returned_on=TODAY - timedelta(days=10), reason="leave"
        )
    counters_rebuild()  # the dates set directly above, counted as a rebuild counts them
    return personas


def _walk(qs, order, size):
    """Every row of `qs`, page after page, following each page's token."""
    rows, after, pages = [], None, 0
    while True:
        page = keyset.keyset_page(qs, order=order, after=after, size=size)
        rows.extend(page.rows)
        pages += 1
        assert pages < 50
        if page.next_token is None:
            return rows
        after = page.next_token


@pytest.mark.parametrize("persona", ["operator_a", "disnaker", "bp3mi", "bp3mi_other"])
@pytest.mark.parametrize("warning_id", [*PLACEMENT_WARNINGS, "returned_not_empowered"])
def test_keyset_pages_give_the_whole_list_in_its_order_within_reach(listed, persona, warning_id):
    user = listed[persona]
    qs = selectors.warning_items(user=user, warning_id=warning_id, today=TODAY)
    expected = [row.pk for row in qs]  # the ordered list, as the pages showed it by offset
    for size in (1, 2, 3):
        walked = _walk(qs, selectors.WARNING_ORDER[warning_id], size)
        assert [row.pk for row in walked] == expected
    own = user.jurisdiction_id
    assert all(row.village_id == own or row.village_id.startswith(own + ".") for row in walked)
    if persona == "bp3mi_other" and warning_id == "returned_not_empowered":
        assert expected == []  # every return is in Lampung
    else:
        assert expected  # the reach holds rows of every warning


def test_the_documents_list_goes_by_the_sooner_of_passport_and_visa(listed):
    """Passports without an expiry date (visa only) are listed by their visa, the soonest
    document first, and the returned episodes' old documents are not listed at all."""
    qs = selectors.warning_items(user=listed["kp2mi"], warning_id="documents_expiring", today=TODAY)
    walked = _walk(qs, selectors.WARNING_ORDER["documents_expiring"], 2)
    due = [row.documents_due_on for row in walked]
    expected = [min(d for d in (r.passport_expiry, r.visa_expiry) if d) for r in walked]
    assert due == expected == sorted(due)
    assert [row.passport_expiry for row in walked].count(None) == 2
    assert {row.status for row in walked} == {"abroad"}
    assert len(walked) == len(ROWS)


def test_a_bad_token_is_the_first_page(listed):
    qs = selectors.warning_items(user=listed["kp2mi"], warning_id="no_check_in", today=TODAY)
    order = selectors.WARNING_ORDER["no_check_in"]
    first = keyset.keyset_page(qs, order=order, after=None, size=2)
    for token in ("%%%", "bm90IGpzb24", keyset._encode(["x", "y", "z"]), keyset._encode([1])):
        page = keyset.keyset_page(qs, order=order, after=token, size=2)
        assert page.is_first
        assert [r.pk for r in page.rows] == [r.pk for r in first.rows]


def test_kept_counts_are_exact_past_the_cap_and_listed_ones_say_more_than(
    listed, client_as, monkeypatch
):
    user = listed["kp2mi"]
    for i in range(5):
        child = make_person(user, "18.11.01.2001", birth_date=TODAY - timedelta(days=3000 + i))
        make_placement(user, child)
    exact = selectors.warning_counts(user=user, today=TODAY)
    assert (exact["no_check_in"], exact["minor_candidates"]) == (7, 5)
    capped = selectors.warning_counts(user=user, today=TODAY, cap=3)
    assert capped["no_check_in"] == 7  # kept in the counters: exact at any size
    assert capped["minor_candidates"] == 4  # counted from its list: cap + 1, "more than 3"
    monkeypatch.setattr(report_views, "COUNT_CAP", 3)
    monkeypatch.setattr(keyset, "COUNT_CAP", 3)
    client = client_as(user)
    page = client.get("/laporan/peringatan/").content.decode()
    assert "lebih dari 3" in page and ">7</span>" in page
    page = client.get("/laporan/peringatan/minor_candidates/").content.decode()
    assert "lebih dari 3 tercatat" in page
    page = client.get("/laporan/peringatan/no_check_in/").content.decode()
    assert "7 tercatat" in page and "lebih dari" not in page
    page = client_as(listed["operator_b"]).get("/laporan/peringatan/no_check_in/")
    assert "1 tercatat" in page.content.decode()
    assert "lebih dari" not in page.content.decode()


def test_a_warning_page_goes_on_from_the_last_row_shown(listed, client_as, monkeypatch):
    monkeypatch.setattr(report_views, "WARNING_PAGE", 2)
    user = listed["disnaker"]
    expected = [
        p.person.full_name
        for p in selectors.warning_items(user=user, warning_id="no_check_in", today=TODAY)
    ]
    client, url, seen = client_as(user), "/laporan/peringatan/no_check_in/", []
    while url:
        html = client.get(url).content.decode()
        seen += re.findall(r'<a href="/penduduk/\d+/">([^<]+)</a>', html)
        found = re.search(r'href="\?after=([^"]+)"', html)
        url = f"/laporan/peringatan/no_check_in/?after={found.group(1)}" if found else None
    assert seen == expected


def test_the_residents_list_goes_on_from_the_last_name_shown(listed, client_as, monkeypatch):
    monkeypatch.setattr(registry_views, "PER_PAGE", 3)
    user = listed["disnaker"]
    # Ties on the name: one born later than Warga 3 of ROWS (1 Jan 1990 + 3 days), one on the
    # same day (their ids decide) and one born earlier.
    later = make_person(user, "18.11.01.2001", name="Warga 3")
    same_day = make_person(user, "18.11.01.2001", name="Warga 3", birth_date=date(1990, 1, 4))
    earlier = make_person(user, "18.11.01.2001", name="Warga 3", birth_date=date(1980, 2, 2))
    expected = [p.pk for p in registry_selectors.person_list(user=user)]
    warga_3 = [pk for pk in expected if pk in {later.pk, same_day.pk, earlier.pk}]
    assert warga_3 == [earlier.pk, same_day.pk, later.pk]  # by birth date, then by id
    first_warga_3 = Person.objects.get(
        full_name="Warga 3", birth_date=date(1990, 1, 4), pk__lt=same_day.pk
    )
    assert expected.index(first_warga_3.pk) == expected.index(same_day.pk) - 1
    client, url, seen = client_as(user), "/penduduk/", []
    while url:
        html = client.get(url).content.decode()
        seen += [int(pk) for pk in re.findall(r'class="strong" href="/penduduk/(\d+)/"', html)]
        found = re.search(r'href="\?after=([^"]+)"', html)
        url = f"/penduduk/?after={found.group(1)}" if found else None
    assert seen == expected
    assert len(expected) == 12  # the regency's residents; the other province's stays out


def test_the_village_filter_is_left_out_when_the_reach_has_too_many(personas):
    villages = registry_selectors.filter_villages(user=personas["disnaker"], limit=100000)
    assert villages and [(v.parent.name, v.name) for v in villages] == sorted(
        (v.parent.name, v.name) for v in villages
    )
    assert registry_selectors.filter_villages(user=personas["disnaker"], limit=2) is None
    assert registry_selectors.filter_villages(user=personas["operator_a"], limit=2) == [
        v for v in villages if v.code == "18.11.01.2001"
    ]
