"""Programmes, Quick Win and Perdes coverage in a real browser: Disnaker creates a training on
a phone, enrols two calon PMI and marks one completed with a competency certificate; his
departure, now procedural, moves the Quick Win; a village enacts its Perdes and the regency's
coverage rises. The public village page is read without logging in."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

pytestmark = pytest.mark.e2e

TITLE = "Pelatihan Vokasi Caregiver Angkatan E2E"


def overflows(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")


def switch_user(page, login, username):
    page.context.clear_cookies()
    login(page, username)


def quickwin_count(page, title: str) -> int:
    """The Quick Win count shown on the level card with this title."""
    card = page.locator(".quickwin-level", has=page.locator("h2", has_text=title)).first
    return int(re.sub(r"\D", "", card.locator(".qw-count").inner_text()))


def enrol(page, query: str) -> None:
    page.fill("#q", query)
    page.click("form[role=search] button")
    page.wait_for_load_state()
    page.locator("ul.candidates li form button").first.click()
    page.wait_for_load_state()


def test_training_enrolment_completion_and_the_quick_win(page, login, screenshot):
    login(page, "disnaker.mesuji")
    page.goto("/program/quick-win/")
    before = quickwin_count(page, "Mesuji")

    today = timezone.localdate()
    page.goto("/program/baru/")
    assert not overflows(page)
    page.fill("#id_title", TITLE)
    page.select_option("#id_kind", "vocational_training")
    page.select_option("#id_organiser", "lpk")
    page.fill("#id_organiser_name", "LPK Sakura Mesuji")
    page.fill("#id_starts_on", (today - timedelta(days=10)).isoformat())
    page.fill("#id_ends_on", (today + timedelta(days=20)).isoformat())
    page.fill("#id_quota", "20")
    page.check("input[name=target_groups][value=candidate]")
    page.fill("#id_sessions", "12")
    page.fill("#id_competency_scheme", "Caregiver (SKKNI)")
    page.click("form.card button.primary")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == TITLE

    program_url = page.url
    page.goto(program_url + "daftarkan/")
    enrol(page, "Rizal Fahmi")
    assert "/program/peserta/" in page.url
    enrollment_url = page.url
    page.goto(program_url + "daftarkan/")
    enrol(page, "Fitri Yani")
    page.goto(program_url)
    rows = page.locator("table.list tbody tr")
    assert rows.count() == 2
    screenshot(page, "programs-participants-phone")

    page.goto(enrollment_url)
    page.fill("#id_c-completed_on", today.isoformat())
    page.fill("#id_c-certificate_number", "BNSP/CG/E2E/0001")
    page.fill("#id_c-certificate_date", today.isoformat())
    page.locator("form[action$='/selesai/'] button").click()
    page.wait_for_load_state()
    assert page.locator(".badge.ok").first.is_visible()
    assert not overflows(page)

    # The certificate ticked the last checklist item: the departure is procedural.
    page.click("dd a[href*='/penduduk/']")
    page.wait_for_load_state()
    page.locator("#episodes a[href*='/penempatan/']").first.click()
    page.wait_for_load_state()
    page.click("a[href$='/berangkat/']")
    page.wait_for_load_state()
    assert page.locator("[data-testid=non-procedural-warning]").count() == 0
    page.fill("#id_occurred_on", today.isoformat())
    page.locator("form.card button.primary").click()
    page.wait_for_load_state()

    page.goto("/program/quick-win/")
    assert quickwin_count(page, "Mesuji") == before + 1
    assert not overflows(page)
    screenshot(page, "programs-quickwin-phone")


def test_a_village_enacts_its_perdes_and_coverage_rises(page, login, screenshot):
    login(page, "disnaker.mesuji")
    page.goto("/regulasi/cakupan/18.11/")
    regency = page.locator(".coverage-level").last.inner_text()
    before = int(re.search(r"(\d+)\D+105", regency).group(1))
    assert "Talang Batu" in page.locator("ul.todo").inner_text()

    switch_user(page, login, "operator.talangbatu")
    page.goto("/regulasi/")
    page.click("a[href*='kind=perdes']")
    page.wait_for_load_state()
    page.select_option("#id_status", "enacted")
    page.fill("#id_number", "Nomor 1 Tahun 2026")
    page.fill("#id_enacted_on", timezone.localdate().isoformat())
    page.fill("#id_responsible_official", "Kepala Desa Talang Batu")
    page.locator("form.card button.primary").click()
    page.wait_for_load_state()
    assert "/regulasi/" in page.url and page.locator(".badge.ok").count() >= 1

    switch_user(page, login, "disnaker.mesuji")
    page.goto("/regulasi/cakupan/18.11/")
    regency = page.locator(".coverage-level").last.inner_text()
    assert int(re.search(r"(\d+)\D+105", regency).group(1)) == before + 1
    assert "Talang Batu" not in page.locator("ul.todo").inner_text()
    assert not overflows(page)
    screenshot(page, "regulations-coverage-phone")


def test_the_public_village_page_reads_on_a_phone_without_login(page, screenshot):
    response = page.goto("/info/18.11.01.2001/")
    assert response.status == 200
    assert "Wiralaga I" in page.locator("h1").inner_text()
    assert page.locator("script").count() == 0
    assert "0800-1000" in page.content()
    assert not overflows(page)
    screenshot(page, "outreach-public-village-phone")
