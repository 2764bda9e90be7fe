"""The village registry in a real browser on a phone: an operator registers a resident and
plans the departure, prints the family permission letter, records a departure with an
incomplete checklist (shown non-procedural), the village head verifies the record, and the
operator later records the return."""

import re
from datetime import date

import pytest

from lindung.lib.nik import encode_nik

pytestmark = pytest.mark.e2e

NAME = "Ayu Lestari Wulandari"
BIRTH = date(1999, 11, 23)
NIK = encode_nik(district_code="18.11.01", birth_date=BIRTH, sex="F", serial=8123)
HEAD = "Bambang Sutrisno"  # kades.wiralaga1 (lindung/accounts/demo.py)


def overflows(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")


def submit(page, selector="main form button.primary"):
    page.locator(selector).first.click()
    page.wait_for_load_state()


def test_operator_follows_a_resident_abroad_and_back_and_prints_the_letter(page, login, screenshot):
    login(page, "operator.wiralaga1")
    page.goto("/penduduk/")
    assert not overflows(page)
    screenshot(page, "registry-list-phone")
    page.get_by_role("link", name=re.compile("Daftarkan penduduk")).click()

    # Register the resident (and go straight on to the departure plan).
    page.fill("#id_nik", NIK)
    page.fill("#id_full_name", NAME.upper())
    page.check("input[name=sex][value=F]")
    page.fill("#id_birth_place", "Mesuji")
    page.fill("#id_birth_date", BIRTH.isoformat())
    page.fill("#id_dusun", "Karya Makmur")
    page.fill("#id_rt", "3")
    page.fill("#id_rw", "2")
    assert not overflows(page)
    screenshot(page, "registry-register-phone")
    submit(page)
    assert "/penempatan/baru/" in page.url, page.locator(".error").all_inner_texts()
    person_pk = page.url.rstrip("/").rsplit("/", 1)[1]

    page.select_option("#id_destination_country", "TW")
    page.select_option("#id_job", "caregiver")
    page.check("input[name=sector][value=informal]")
    page.check("input[name=scheme][value=p2p]")
    submit(page)
    assert re.search(r"/penempatan/\d+/$", page.url)
    assert page.locator("#checklist").is_visible()
    page.locator("#item-passport button").click()
    page.wait_for_load_state()
    assert "Dicentang" in page.locator(".messages").inner_text()
    screenshot(page, "registry-checklist-phone")

    # The spouse gives permission; the letter gets the village's number and the head's name.
    page.goto(f"/penduduk/{person_pk}/keluarga/")
    page.fill("#id_name", "Rahmat Hidayat")
    page.check("input[name=relation][value=spouse]")
    submit(page)
    page.goto(f"/penduduk/{person_pk}/")
    page.get_by_role("link", name=re.compile("Surat izin keluarga")).click()
    page.check("input[name=kind][value=family_permission]")
    page.select_option("#id_family_member", label="Rahmat Hidayat (Suami/istri)")
    submit(page)
    number = page.get_by_test_id("letter-number").inner_text()
    assert re.fullmatch(rf"474/\d{{3}}/SIK/2001/{date.today().year}", number)
    assert page.get_by_test_id("head-name").inner_text() == HEAD
    assert "SURAT IZIN KELUARGA" in page.inner_text("article.letter")
    assert NAME in page.inner_text("article.letter")
    page.emulate_media(media="print")
    assert not page.locator("header.topbar").is_visible()
    screenshot(page, "registry-letter-print")
    page.emulate_media(media="screen")

    # The departure with an incomplete checklist is recorded, and shown non-procedural.
    page.goto(f"/penduduk/{person_pk}/")
    page.get_by_role("link", name=re.compile("Catat keberangkatan")).click()
    assert page.get_by_test_id("non-procedural-warning").is_visible()
    screenshot(page, "registry-depart-phone")
    submit(page, "main form button[value=non-procedural]")
    assert page.url.endswith(f"/penduduk/{person_pk}/")
    assert page.locator(".person-head .badge.bad", has_text="Non-prosedural").is_visible()
    assert not overflows(page)
    screenshot(page, "registry-person-abroad-phone")
    page.goto("/penduduk/?procedural=no")
    assert page.locator("table.people", has_text=NAME).is_visible()

    # The village head verifies the record from the queue.
    page.context.clear_cookies()
    login(page, "kades.wiralaga1")
    page.goto("/penduduk/verifikasi/")
    item = page.locator("ul.queue li", has_text=NAME)
    screenshot(page, "registry-queue-phone")
    item.locator("button.primary").click()
    page.wait_for_load_state()
    assert page.locator("ul.queue li", has_text=NAME).count() == 0

    # Later the operator records the return (UU 18/2017 Pasal 27 reason).
    page.context.clear_cookies()
    login(page, "operator.wiralaga1")
    page.goto(f"/penduduk/{person_pk}/")
    assert page.locator(".person-head .badge.ok", has_text="Terverifikasi").is_visible()
    page.get_by_role("link", name=re.compile("Catat kepulangan")).click()
    page.select_option("#id_reason", "contract_ended")
    submit(page)
    assert page.locator(".person-head", has_text="Purna PMI").is_visible()
    history = page.inner_text("#history")
    assert "Berangkat ke Taiwan" in history and "Pulang dari Taiwan" in history
    screenshot(page, "registry-person-returned-phone")


def test_pages_read_well_on_a_desktop_too(desktop_page, login, screenshot):
    login(desktop_page, "disnaker.mesuji")
    desktop_page.goto("/penduduk/")
    assert desktop_page.locator("table.people tbody tr").count() >= 20
    screenshot(desktop_page, "registry-list-desktop")
    # Sulastri of Wiralaga I, abroad in Hong Kong (lindung/registry/demo.py, 4th resident).
    nik = encode_nik(district_code="18.11.01", birth_date=date(1988, 1, 21), sex="F", serial=1004)
    desktop_page.goto(f"/penduduk/?q={nik}")
    desktop_page.locator("table.people a", has_text="Sulastri").click()
    desktop_page.wait_for_load_state()
    assert desktop_page.locator("#history li").count() >= 4
    screenshot(desktop_page, "registry-person-desktop")
