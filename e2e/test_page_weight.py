"""Every page stays light on a phone's first visit: the bytes transferred (HTML, stylesheet,
scripts, icon; the browser cache disabled) for the landing, residents, person and case
intake pages of each role stay under 150 KB. Also saves the 360 px homes of the demo roles."""

import pytest

pytestmark = pytest.mark.e2e

LIMIT = 150_000
HOMES = [
    "operator.wiralaga1",
    "kades.wiralaga1",
    "disnaker.mesuji",
    "dpmd.mesuji",
    "bp3mi.lampung",
    "kp2mi",
]


def transferred(page, path) -> int:
    """Bytes on the wire for one page load with an empty cache."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    sizes = {}
    cdp.on(
        "Network.loadingFinished", lambda e: sizes.update({e["requestId"]: e["encodedDataLength"]})
    )
    page.goto(path)
    page.wait_for_load_state("networkidle")
    cdp.detach()
    return sum(sizes.values())


@pytest.mark.parametrize("username", ["operator.wiralaga1", "disnaker.mesuji", "bp3mi.lampung"])
def test_first_loads_stay_under_150_kb(page, login, username):
    login(page, username)
    assert page.goto("/penduduk/").ok
    person_url = page.locator("table.people a.strong").first.get_attribute("href")
    weights = {
        path: transferred(page, path) for path in ("/", "/penduduk/", person_url, "/kasus/baru/")
    }
    print(username, {k: f"{v / 1000:.1f} KB" for k, v in weights.items()})
    assert all(0 < n <= LIMIT for n in weights.values()), weights


@pytest.mark.parametrize("username", HOMES)
def test_the_homes_of_the_demo_roles_at_360_px(page, login, screenshot, username):
    login(page, username)
    assert page.url.endswith("/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot(page, f"home-{username.split('.')[0]}")
