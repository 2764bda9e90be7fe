"""The API in a real browser and over real HTTP: the docs page works offline (everything from
Lindung itself, under the Content-Security-Policy) and the demo tokens answer."""

import json
import urllib.error
import urllib.request

import pytest

from lindung.api.demo import DEMO_TOKENS

pytestmark = pytest.mark.e2e


def test_the_api_docs_page_renders_every_operation_offline(desktop_page, server, screenshot):
    page = desktop_page
    requested, blocked = [], []
    page.on("request", lambda request: requested.append(request.url))
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text)
            if "Content Security Policy" in message.text and "script" in message.text
            else None
        ),
    )
    response = page.goto("/api/v1/docs")
    assert response.status == 200
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    page.wait_for_selector(".opblock-summary", timeout=20_000)
    with urllib.request.urlopen(f"{server}/api/v1/openapi.json") as answer:  # noqa: S310
        schema = json.load(answer)
    operations = sum(len(methods) for methods in schema["paths"].values())
    assert page.locator(".opblock").count() == operations
    assert "Lindung API" in page.locator(".info .title").inner_text()
    screenshot(page, "api-docs-desktop")
    # Nothing from a CDN, and no script refused by the Content-Security-Policy.
    assert requested and all(url.startswith(server) for url in requested)
    assert blocked == []


def test_a_demo_token_reads_the_own_village_over_http(server):
    request = urllib.request.Request(  # noqa: S310 (our own local server)
        f"{server}/api/v1/persons?limit=5",
        headers={"Authorization": f"Bearer {DEMO_TOKENS['operator.wiralaga1']}"},
    )
    with urllib.request.urlopen(request) as answer:  # noqa: S310 (our own local server)
        body = json.load(answer)
    assert body["items"]
    assert {p["village"] for p in body["items"]} == {"18.11.01.2001"}


def test_a_user_makes_sees_once_and_revokes_a_token_on_a_phone(page, server, login, screenshot):
    login(page, "operator.sidomulyo")
    page.goto("/akun/token-api/")
    page.fill("#id_name", "OpenSID Sido Mulyo")
    page.fill("#id_days", "30")
    page.click("form:not(.inline) button[type=submit]")
    token = page.locator("#new-token").inner_text().strip()
    assert token.startswith("lnd_")
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
    screenshot(page, "api-token-made-phone")

    def status(raw):
        request = urllib.request.Request(  # noqa: S310 (our own local server)
            f"{server}/api/v1/persons?limit=1", headers={"Authorization": f"Bearer {raw}"}
        )
        try:
            with urllib.request.urlopen(request) as answer:  # noqa: S310
                return answer.status
        except urllib.error.HTTPError as error:
            return error.code

    assert status(token) == 200
    page.goto("/akun/token-api/")
    assert token not in page.content()  # shown once
    row = page.locator("tr", has_text="OpenSID Sido Mulyo")
    row.locator("button").click()
    page.wait_for_load_state()
    assert status(token) == 401
