"""The four village tasks on a 360 px phone, each from the landing page of operator.wiralaga1,
counting taps: every click and every choice in a list or of a radio button (typing is not
counted). Each task must take at most five. The counts are printed and kept in
e2e/artifacts/village-taps.json."""

import json
import re
from datetime import date

import pytest

from e2e.conftest import ARTIFACTS
from lindung.lib.nik import encode_nik

pytestmark = pytest.mark.e2e

MAX_TAPS = 5
NAME = "Wulan Sekar Arum"  # synthetic
BIRTH = date(2001, 5, 17)
NIK = encode_nik(district_code="18.11.01", birth_date=BIRTH, sex="F", serial=7311)


class Taps:
    """Clicks and selections on a page, counted."""

    def __init__(self, page):
        self.page = page
        self.n = 0

    def click(self, locator):
        self.n += 1
        locator.click()
        self.page.wait_for_load_state()

    def select(self, locator, value):
        self.n += 1
        locator.select_option(value)


def find(page, text):
    """Type into the home's search box (not a tap); the results appear under it."""
    page.fill("#home-q", text)
    results = page.get_by_test_id("search-results")
    results.wait_for()
    return results


def overflows(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")


def in_view(page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] + box["height"] <= page.viewport_size["height"]


def test_the_four_village_tasks_take_at_most_five_taps_each(page, login, screenshot):
    counts = {}
    login(page, "operator.wiralaga1")
    assert page.url.endswith("/")
    assert not overflows(page)

    # 1. Register a resident: the NIK fills the birth date and sex.
    taps = Taps(page)
    taps.click(page.get_by_role("link", name=re.compile("Daftarkan penduduk")))
    page.fill("#id_nik", NIK)
    assert page.input_value("#id_birth_date") == BIRTH.isoformat()
    assert page.is_checked("input[name=sex][value=F]")
    assert "Kecamatan Mesuji" in page.inner_text("#nik-decoded") or "18.11.01" in page.inner_text(
        "#nik-decoded"
    )
    page.fill("#id_full_name", NAME)
    save = page.locator("main form button.primary")
    assert in_view(page, save), "Simpan is not reachable without scrolling"
    screenshot(page, "village-register-phone")
    taps.click(save)
    assert f"{NAME} sudah terdaftar" in page.inner_text(".messages")
    counts["register a resident"] = taps.n

    # 2. Record a departure for someone with no trip recorded: the episode is opened in the
    #    same form, after a confirmation that says what non-procedural means.
    page.goto("/")
    taps = Taps(page)
    taps.click(find(page, "wulan sekar").get_by_role("link", name=NAME, exact=True))
    taps.click(
        page.get_by_test_id("next-steps").get_by_role(
            "link", name=re.compile("Catat keberangkatan")
        )
    )
    assert page.input_value("#id_occurred_on") == date.today().isoformat()
    taps.select(page.locator("#id_destination_country"), "MY")
    taps.select(page.locator("#id_job"), "plantation")
    warning = page.get_by_test_id("non-procedural-warning")
    assert "Pasal 5 dan 13" in warning.inner_text()
    screenshot(page, "village-depart-new-phone")
    confirm = page.locator("main form button[value=non-procedural]")
    assert in_view(page, confirm)
    taps.click(confirm)
    assert page.locator(".person-head .badge.bad", has_text="Non-prosedural").is_visible()
    counts["record a departure (no trip recorded)"] = taps.n

    # 3. Record a departure of a calon PMI whose trip is recorded (checklist incomplete).
    page.goto("/")
    taps = Taps(page)
    taps.click(find(page, "Sumiati").get_by_role("link", name="Sumiati", exact=True))
    taps.click(
        page.get_by_test_id("next-steps").get_by_role(
            "link", name=re.compile("Catat keberangkatan")
        )
    )
    assert page.input_value("#id_occurred_on") == date.today().isoformat()
    screenshot(page, "village-depart-phone")
    taps.click(page.locator("main form button[value=non-procedural]"))
    assert page.locator(".person-head .badge.bad", has_text="Non-prosedural").is_visible()
    assert "Jepang" in page.inner_text("#episodes")
    counts["record a departure (trip recorded)"] = taps.n

    # 4. Record a return.
    page.goto("/")
    taps = Taps(page)
    taps.click(find(page, "Eko Prasetyo").get_by_role("link", name="Eko Prasetyo", exact=True))
    taps.click(
        page.get_by_test_id("next-steps").get_by_role("link", name=re.compile("Catat kepulangan"))
    )
    taps.select(page.locator("#id_reason"), "contract_ended")
    screenshot(page, "village-return-phone")
    taps.click(page.locator("main form button.primary"))
    assert page.locator(".person-head", has_text="Purna PMI").is_visible()
    counts["record a return"] = taps.n

    # 5. Record a family check-in.
    page.goto("/")
    taps = Taps(page)
    taps.click(find(page, "Rohmah").get_by_role("link", name="Rohmah", exact=True))
    taps.click(
        page.get_by_test_id("next-steps").get_by_role(
            "link", name=re.compile("Pemantauan keluarga")
        )
    )
    taps.click(page.locator("input[name=result][value=fine]"))
    screenshot(page, "village-check-in-phone")
    taps.click(page.locator("main form button.primary"))
    assert "Pemantauan dicatat." in page.inner_text(".messages")
    counts["record a family check-in"] = taps.n

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "village-taps.json").write_text(json.dumps(counts, indent=2))
    for task, n in counts.items():
        print(f"{task}: {n} taps")
    assert all(n <= MAX_TAPS for n in counts.values()), counts
