"""The Content-Security-Policy, Permissions-Policy and the absolute session lifetime.

The policy forbids inline script and style, so no template may carry any: a `<script>` without
`src`, a `<style>` block, a `style="…"` attribute or an `on…=` handler would be blocked by the
browser (the e2e suite checks real pages for violations in Chromium)."""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.template import engines
from django.test import Client

from conftest import PASSWORD

ROOT = Path(settings.BASE_DIR) / "lindung"
INLINE = [
    ("inline script", re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)),
    ("style block", re.compile(r"<style\b", re.I)),
    ("style attribute", re.compile(r"\sstyle\s*=", re.I)),
    ("event handler attribute", re.compile(r"\son[a-z]+\s*=", re.I)),
    ("javascript: URL", re.compile(r"javascript:", re.I)),
]


def templates():
    return sorted(ROOT.rglob("templates/**/*.html"))


def test_there_are_templates_to_check():
    assert len(templates()) > 50


@pytest.mark.parametrize("path", templates(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_carries_inline_script_or_style(path):
    text = path.read_text()
    found = [name for name, pattern in INLINE if pattern.search(text)]
    assert not found, f"{path.relative_to(ROOT)} has {found}: move it into a static file"


def test_the_bar_class_filter_clamps_and_rounds():
    render = engines["django"].from_string
    html = render("{{ a|bar_class }} {{ b|bar_class }} {{ c|bar_class }} {{ d|bar_class }}")
    assert html.render({"a": "45.6%", "b": 130, "c": -3, "d": None}) == "w46 w100 w0 w0"


def csp(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    return {
        part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part
    }


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/akun/masuk/", "/info/", "/tidak-ada/"])
def test_every_page_sends_a_policy_without_unsafe_inline(client, url):
    response = client.get(url)
    policy = csp(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"]
    permissions = response.headers["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in permissions


@pytest.mark.django_db
def test_a_logged_in_page_sends_the_policies_too(client_as, personas):
    response = client_as(personas["operator_a"]).get("/wilayah/cari/")
    assert response.status_code == 200
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def test_the_absolute_lifetime_defaults_to_twelve_hours():
    assert timedelta(hours=12) == settings.SESSION_ABSOLUTE_LIFETIME


@pytest.mark.django_db
def test_a_busy_session_still_ends_at_its_absolute_lifetime(personas):
    client = Client()
    with time_machine.travel(START, tick=False) as clock:
        response = client.post("/akun/masuk/", {"username": "operator.a", "password": PASSWORD})
        assert response.status_code == 302
        # Busy all day: never idle for 30 minutes, so only the absolute lifetime can end it.
        for _ in range(12 * 3 - 1):  # a request every 20 minutes up to 11 h 40 min
            clock.shift(timedelta(minutes=20))
            assert client.get("/wilayah/cari/").status_code == 200
        clock.shift(timedelta(minutes=20))  # 12 h after the login, 20 minutes after the last
        response = client.get("/wilayah/cari/")
        assert response.status_code == 302
        assert response["Location"].startswith("/akun/masuk/")


@pytest.mark.django_db
def test_a_session_without_a_login_time_is_ended(client, personas):
    client.force_login(personas["operator_a"])
    session = client.session
    del session["lindung_login_at"]
    session.save()
    assert client.get("/wilayah/cari/").status_code == 302
