"""Two-factor sign-in in a real browser: the demo's enrolled account and the enrolment page."""

import pytest
from django_otp.oath import totp

pytestmark = pytest.mark.e2e

# README: dpmd.mesuji's authenticator key in the demo.
DEMO_KEY = b"lindung-demo-2fa-key"


def test_the_enrolled_demo_account_signs_in_with_a_computed_code(page, login, screenshot):
    login(page, "dpmd.mesuji")
    assert "/akun/dua-langkah/" in page.url
    page.goto("/penduduk/")
    assert "/akun/dua-langkah/" in page.url  # nothing opens before the code
    screenshot(page, "two-factor-code")
    page.fill("#id_code", f"{totp(DEMO_KEY):06d}")
    page.click("main form button.primary")
    page.wait_for_load_state()
    assert "/akun/dua-langkah/" not in page.url
    assert "/penduduk/" in page.url


def test_the_enrolment_page_draws_its_qr_code_from_lindung(page, login):
    login(page, "kades.talangbatu")
    page.goto("/akun/dua-langkah/daftar/")
    image = page.locator("img[src$='qr.svg']")
    image.wait_for()
    page.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    assert page.locator("code").first.inner_text().isalnum()
