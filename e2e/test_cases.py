"""Protection cases in a real browser: a village operator records a family's complaint on a
phone, Disnaker verifies it and refers it to BP3MI, BP3MI resolves it by repatriation, and the
person's timeline shows the case and the return home."""

import re
from datetime import date

import pytest

from lindung.lib.nik import encode_nik

pytestmark = pytest.mark.e2e

# Rina Marlina, abroad in Hong Kong with no case yet (lindung/cases/demo.py).
NIK = encode_nik(district_code="18.11.01", birth_date=date(1993, 5, 17), sex="F", serial=7011)
NARRATIVE = "Ibu Marni melapor: anaknya tidak digaji empat bulan dan ingin pulang."


def overflows(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")


def switch_user(page, login, username):
    page.context.clear_cookies()
    login(page, username)


def take_step(page, step, **choices):
    """Open a step's panel on the case page, fill it and submit it."""
    panel = page.locator(f"#step-{step}")
    panel.locator("summary").click()
    for name, value in choices.items():
        field = panel.locator(f"[name={name}]")
        if value is True:
            field.check()
        else:
            field.select_option(value)
    panel.locator("button.primary").click()
    page.wait_for_load_state()


def status_of(page) -> str:
    return page.locator("header.case-head [data-status]").get_attribute("data-status")


def test_a_family_complaint_goes_from_the_village_desk_to_repatriation(page, login, screenshot):
    login(page, "operator.wiralaga1")
    page.goto("/kasus/baru/")
    assert not overflows(page)
    page.fill("#id_nik", NIK)
    page.check("input[name=categories][value=wages_unpaid]")
    page.check("input[name=categories][value=wants_to_return]")
    page.select_option("#id_reporter_kind", "family")
    page.select_option("#id_reporter_relation", "parent")
    page.fill("#id_reporter_name", "Ibu Marni")
    page.select_option("#id_channel", "walk_in")
    page.fill("#id_narrative", NARRATIVE)
    screenshot(page, "cases-intake-phone")
    page.click("form.case-form button.primary")
    page.wait_for_load_state()
    assert re.search(r"/kasus/\d+/$", page.url), page.url
    case_url = page.url
    number = page.locator("h1").inner_text().split()[-1]
    assert status_of(page) == "received"
    assert NARRATIVE in page.content()  # the recorder reads what she wrote
    assert not overflows(page)
    screenshot(page, "cases-received-phone")

    # The village head sees that the case exists, not the narrative.
    switch_user(page, login, "kades.wiralaga1")
    page.goto(case_url)
    assert number in page.locator("h1").inner_text()
    assert NARRATIVE not in page.content()

    switch_user(page, login, "disnaker.mesuji")
    page.goto(case_url)
    assert NARRATIVE in page.content()
    take_step(page, "verify")
    assert status_of(page) == "verified"
    take_step(page, "refer", unit="bp3mi")
    assert status_of(page) == "referred"
    assert "BP3MI" in page.locator("dl.facts").first.inner_text()

    switch_user(page, login, "bp3mi.lampung")
    page.goto(case_url)
    take_step(page, "take_up")
    assert status_of(page) == "in_handling"
    take_step(page, "resolve", outcome="repatriated", record_return=True)
    assert status_of(page) == "resolved"
    history = page.locator("ol.timeline").inner_text()
    for label in ("Dicatat", "Terverifikasi", "Dirujuk", "Mulai ditangani", "Selesai ditangani"):
        assert label.lower() in history.lower(), label
    assert "Siapa yang melihat" in page.content()
    screenshot(page, "cases-resolved-phone")

    # The person's timeline shows the case, its resolution and the return home.
    page.locator("dl.facts a").first.click()
    page.wait_for_load_state()
    timeline = page.locator("ol.timeline").inner_text()
    assert number in timeline
    assert re.search(r"(Pulang|Kembali|Returned)[^\n]*Hong Kong", timeline), timeline
    screenshot(page, "cases-person-timeline-phone")


def test_a_village_operator_cannot_open_another_villages_case(page, login):
    login(page, "operator.wiralaga1")
    page.goto("/kasus/?view=all")
    links = page.locator("table.cases td a[href^='/kasus/']")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert hrefs
    switch_user(page, login, "operator.sidomulyo")
    assert {page.goto(href).status for href in hrefs} == {404}
