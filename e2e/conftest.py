"""End-to-end fixtures: a real Lindung server with the full Mesuji demo, and Debian's Chromium.

Contract for every e2e test (mark it `@pytest.mark.e2e`):
- `server`: base URL ("http://127.0.0.1:<port>") of a real `manage.py runserver --insecure`
  (development settings, DEBUG off so error pages are the real ones) started once per session
  in a temporary LINDUNG_VAR_DIR, on a fresh SQLite file, or on a fresh PostgreSQL database
  `<suite database>_e2e` when the suite itself runs on PostgreSQL; migrated, all areas loaded,
  the demo seeded, with a task worker (`manage.py task_worker`) that runs the imports. The
  server runs as if behind one proxy (TRUSTED_PROXY_COUNT=1): the last X-Forwarded-For entry is
  the client address, so a test that trips the login throttle can send its own address and
  lock out no other test.
- `browser`: headless Chromium (session); `page`: a fresh phone context (360x740) whose relative
  URLs resolve against `server`; `desktop_page`: the same at 1280x800.
- `login(page, username, password="lindung-demo")`: logs in and waits to leave the login page.
- `screenshot(page, name)`: saves e2e/artifacts/<name>.png (the whole page) and returns its path.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "e2e" / "artifacts"
CHROMIUM = os.environ.get("LINDUNG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DEMO_PASSWORD = "lindung-demo"
E2E_SUFFIX = "_e2e"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _postgres_url() -> str | None:
    """A fresh, empty `<suite database>_e2e` database on the suite's PostgreSQL server, or None.

    Named after the suite's own database, so two checkouts testing on one server at once
    (each with its own TEST_POSTGRES_URL) never drop each other's.
    """
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return None
    import psycopg

    parts = urlsplit(url)
    name = f"{parts.path.strip('/') or 'lindung'}{E2E_SUFFIX}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def _run(args, env, log):
    log.write(f"$ manage.py {' '.join(args)}\n")
    log.flush()
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, stdout=log, stderr=log
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed; see {log.name}")


def _wait_until_up(url: str, process, log_path: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"The server stopped:\n{log_path.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310 (our own local server)
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"The server did not answer within {timeout} s:\n{log_path.read_text()}")


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """The base URL of a real Lindung server with the full demo."""
    var_dir = tmp_path_factory.mktemp("lindung-e2e")
    database_url = _postgres_url() or f"sqlite:///{var_dir / 'lindung.sqlite3'}"
    env = {
        **os.environ,
        "DJANGO_ENV": "development",
        # DEBUG stays off so pages are what users see (the real 404 page, not Django's
        # technical one); runserver --insecure serves the static files instead.
        "DEBUG": "false",
        "LINDUNG_DEMO": "true",
        "LINDUNG_VAR_DIR": str(var_dir),
        "DATABASE_URL": database_url,
        "DEMO_PASSWORD": DEMO_PASSWORD,
        "TRUSTED_PROXY_COUNT": "1",
        "PYTHONUNBUFFERED": "1",
    }
    for name in ("SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)
    log_path = var_dir / "server.log"
    with open(log_path, "a") as log:
        for args in (["migrate", "--noinput"], ["load_regions"], ["seed_demo"]):
            _run(args, env, log)
    port = _free_port()
    log = open(log_path, "a")  # noqa: SIM115 (kept open for the server's whole life)
    process = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "runserver",
            f"127.0.0.1:{port}",
            "--noreload",
            "--insecure",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    # Imports run in a task worker, as under `make run` and `make serve`.
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "task_worker", "--no-startup-delay", "--interval", "0.2"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(f"{base_url}/akun/masuk/", process, log_path)
        yield base_url
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium, driven by Playwright."""
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.skip(f"Chromium not found at {CHROMIUM} (install Debian's chromium package)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield instance
        finally:
            instance.close()


def _page(browser, server, viewport, **options):
    context = browser.new_context(base_url=server, viewport=viewport, **options)
    context.set_default_timeout(15_000)
    page = context.new_page()
    return context, page


@pytest.fixture
def page(browser, server):
    """A fresh phone-sized page (360x740)."""
    context, page = _page(browser, server, PHONE, is_mobile=True, has_touch=True)
    yield page
    context.close()


@pytest.fixture
def desktop_page(browser, server):
    """A fresh desktop-sized page (1280x800)."""
    context, page = _page(browser, server, DESKTOP)
    yield page
    context.close()


def login_as(page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Log in through the real form and wait until the login page is left."""
    page.goto("/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form button[type=submit]")
    page.wait_for_load_state()
    if "/akun/masuk/" in page.url:
        errors = page.locator(".errors, .error").all_inner_texts()
        raise AssertionError(f"Logging in as {username} failed: {errors}")


@pytest.fixture
def login():
    """login(page, username, password="lindung-demo")."""
    return login_as


def save_screenshot(page, name: str) -> Path:
    """Save the whole page to e2e/artifacts/<name>.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def screenshot():
    """screenshot(page, name) -> Path of e2e/artifacts/<name>.png."""
    return save_screenshot
