"""The Content-Security-Policy holds in a real browser: on the pages a village operator and a
Disnaker officer use, including the ones with scripts (the NIK check on the person form, the
live area search, the import progress that polls while a check runs, the print buttons) and
the charts, Chromium reports no policy violation and no console error."""

import re

import pytest

from e2e.test_imports import messy_book

pytestmark = pytest.mark.e2e

# Runs in every page before its own scripts (Playwright injects it past the policy).
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " +
    (e.sourceFile || "") + ":" + (e.lineNumber || ""));
});
"""

OPERATOR_PAGES = [
    "/",
    "/wilayah/18.11.01.2001/",
    "/penduduk/",
    "/penduduk/baru/",
    "/kasus/",
    "/kasus/baru/",
    "/program/",
    "/program/quick-win/",
    "/sosialisasi/",
    "/sosialisasi/pengumuman/",
    "/regulasi/",
    "/impor/",
    "/laporan/",
    "/laporan/peringatan/",
    "/akun/sandi/",
    "/info/18.11.01.2001/",
]
DISNAKER_PAGES = [
    "/",
    "/wilayah/18.11/",
    "/wilayah/18.11/?split=country",
    "/penduduk/",
    "/kasus/",
    "/kasus/rekap/",
    "/program/",
    "/program/quick-win/",
    "/regulasi/",
    "/regulasi/cakupan/18.11/",
    "/impor/",
    "/laporan/",
    "/laporan/peringatan/",
    "/akun/pengguna/",
    "/audit/",
]


class Watch:
    """Collects policy violations (from the page) and console errors (from Chromium)."""

    def __init__(self, page):
        self.page = page
        self.console: list[str] = []
        page.add_init_script(LISTEN)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.console.append(f"pageerror: {error}"))

    def _console(self, message):
        if message.type == "error":
            self.console.append(f"{message.text} ({self.page.url})")

    def visit(self, url: str) -> None:
        response = self.page.goto(url)
        assert response is not None and response.status < 400, f"{url}: {response.status}"
        policy = response.headers.get("content-security-policy", "")
        assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy, (url, policy)
        self.page.wait_for_load_state("networkidle")
        self.check(url)

    def check(self, where: str) -> None:
        violations = self.page.evaluate("window.__violations || []")
        assert not violations, f"{where}: {violations}"
        assert not self.console, f"{where}: {self.console}"

    def first_link(self, pattern: str) -> str | None:
        for href in self.page.locator("a[href]").evaluate_all(
            "l => l.map(a => a.getAttribute('href'))"
        ):
            if re.fullmatch(pattern, href or ""):
                return href
        return None


def test_the_watch_sees_inline_code_under_lindungs_policy(page, server):
    """The listener is real: a page with an inline style and script under Lindung's own policy
    reports both (so the page tests below would see a template that brought inline code)."""
    policy = page.request.get("/akun/masuk/").headers["content-security-policy"]
    page.route(
        "**/csp-probe/",
        lambda route: route.fulfill(
            status=200,
            headers={"Content-Security-Policy": policy, "Content-Type": "text/html"},
            body='<p style="color:red">x</p><script>document.title = "ran"</script>',
        ),
    )
    Watch(page)
    page.goto("/csp-probe/")
    page.wait_for_load_state("networkidle")
    violations = page.evaluate("window.__violations")
    assert any(v.startswith("style-src") for v in violations), violations
    assert any(v.startswith("script-src") for v in violations), violations
    assert page.title() != "ran"


def visit_details(watch: Watch) -> None:
    """A person, a case, a programme and a report of the area, when the lists have them."""
    for listing, pattern in [
        ("/penduduk/", r"/penduduk/\d+/"),
        ("/kasus/", r"/kasus/\d+/"),
        ("/program/", r"/program/\d+/"),
        ("/laporan/", r"/laporan/[a-z0-9-]+/"),
    ]:
        watch.visit(listing)
        href = watch.first_link(pattern)
        if href:
            watch.visit(href)


def test_a_village_operators_pages_raise_no_policy_violation(page, login):
    watch = Watch(page)
    login(page, "operator.wiralaga1")
    for url in OPERATOR_PAGES:
        watch.visit(url)
    visit_details(watch)
    # The person form's NIK check runs as the NIK is typed.
    watch.visit("/penduduk/baru/")
    page.fill("#id_nik", "1811015403950001")
    page.locator("#id_nik").blur()
    page.wait_for_load_state("networkidle")
    watch.check("person form after typing a NIK")
    # The letter and report print views, with their print buttons.
    watch.visit("/penduduk/")
    person = watch.first_link(r"/penduduk/\d+/")
    watch.visit(person)
    letter = watch.first_link(r"/penduduk/surat/\d+/")
    if letter:
        watch.visit(letter)


def test_disnakers_pages_raise_no_policy_violation_also_while_an_import_polls(
    page, login, tmp_path
):
    watch = Watch(page)
    login(page, "disnaker.mesuji")
    for url in DISNAKER_PAGES:
        watch.visit(url)
    visit_details(watch)
    # The live search on the home page.
    watch.visit("/")
    search = page.locator("input[type=search]").first
    if search.count():
        search.fill("Wira")
        page.wait_for_timeout(800)
        page.wait_for_load_state("networkidle")
        watch.check("home live search")
    # An import: the page polls its progress (progress.js) while the check runs.
    watch.visit("/impor/")
    page.set_input_files("#id_file", str(messy_book(tmp_path / "talang-batu.xlsx")))
    page.select_option("#id_area", "18.11")
    page.locator("form.upload-form button.primary").click()
    page.wait_for_load_state()
    page.locator("button[name=action][value=mapping]").click()
    page.wait_for_url(re.compile(r"/impor/\d+/$"))
    page.wait_for_selector("button[value=apply]", timeout=60_000)
    watch.check("import check with progress polling")
    # The report's print view, with its print button.
    watch.visit("/laporan/")
    report = watch.first_link(r"/laporan/[a-z0-9-]+/")
    if report:
        watch.visit(report)
        printed = watch.first_link(r".*format=print.*")
        if printed:
            watch.visit(printed)
