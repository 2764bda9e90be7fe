"""The regency dashboard in a real Chromium, on a desktop and on a phone, down to a village."""

import re

import pytest

pytestmark = pytest.mark.e2e


def test_regency_dashboard_on_a_desktop_drills_down_to_a_village(desktop_page, login, screenshot):
    page = desktop_page
    login(page, "disnaker.mesuji")
    page.goto("/wilayah/18.11/")
    assert page.locator("h1").inner_text() == "Kabupaten Mesuji"
    # Every figure has its numbers as a table, and the monthly chart is drawn by the server.
    assert page.locator("#fig-country table.bars tbody tr").count() >= 3
    assert page.locator("#fig-months svg rect").count() > 10
    assert page.locator("#fig-months .month-table tbody tr").count() == 24
    screenshot(page, "dashboards-regency-desktop")

    page.click("#drill .splits a:has-text('Negara')")
    assert "split=country" in page.url
    assert page.locator("#drill thead th", has_text="Hong Kong").count() == 1

    page.click("#drill tbody a:has-text('Kecamatan Mesuji')")
    assert re.search(r"/wilayah/18\.11\.01/", page.url)
    assert page.locator("#drill h3").inner_text() in ("Per desa", "By village")
    page.click("#drill tbody a:has-text('Wiralaga I')")
    assert re.search(r"/wilayah/18\.11\.01\.\d{4}/", page.url)
    assert page.locator("#drill").count() == 0  # a village has nothing below it
    assert page.locator(".dashboard .stat").count() >= 3
    screenshot(page, "dashboards-village-desktop")


def test_regency_dashboard_reads_on_a_phone(page, login, screenshot):
    login(page, "disnaker.mesuji")
    page.goto("/wilayah/18.11/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, "the page must not scroll sideways on a 360 px phone"
    assert page.locator("#warnings li").count() == 7
    screenshot(page, "dashboards-regency-phone")
    # The drill-down by country (the widest split) is a card per district, not a wide matrix.
    page.goto("/wilayah/18.11/?split=country#drill")
    table = page.locator("#drill .scroll")
    assert table.evaluate("e => e.scrollWidth <= e.clientWidth"), "no sideways scroll"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    first = page.locator("#drill tbody tr").first
    assert first.locator("td").first.bounding_box()["width"] > 250  # the name spans the card
    full = screenshot(page, "dashboards-drill-phone")
    page.locator("#drill").screenshot(path=str(full.with_name("dashboards-drill-phone-table.png")))


def test_monthly_report_prints_and_downloads(desktop_page, login, screenshot):
    page = desktop_page
    login(page, "operator.wiralaga1")
    page.goto("/laporan/")
    page.click("section.report button.primary")
    assert "/laporan/village-monthly/" in page.url
    assert page.locator("h1").inner_text() in ("Laporan bulanan desa", "Monthly village report")
    with page.expect_download() as download:
        page.click("a:has-text('XLSX')")
    assert download.value.suggested_filename.endswith(".xlsx")
    page.click("a:has-text('A4')")
    assert page.locator("body.print-page").count() == 1
    screenshot(page, "dashboards-report-print")
