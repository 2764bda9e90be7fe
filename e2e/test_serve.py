"""`make serve` with production settings, as a district office runs it: gunicorn + WhiteNoise,
the task worker and the scheduler under one supervisor. A non-demo account made by the
`create_user` command logs in, uploads a workbook, and the import is checked and applied by
the worker; `/healthz` is green; static files are compressed with a year-long cache; Ctrl+C
stops everything. Loopback HTTP needs two opt-outs for this test only (SECURE_SSL_REDIRECT,
SECURE_COOKIES); `check --deploy` is run without them."""

import datetime as dt
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from openpyxl import Workbook

from e2e.conftest import ROOT, _free_port
from lindung.lib.nik import encode_nik
from lindung.ops.tests.helpers import drop_database, env_for, fresh_database, manage

pytestmark = pytest.mark.e2e

USERNAME = "operator.produksi"
PASSWORD = "kata-sandi-produksi-7391"


def _get(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - our own server
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _book(path):
    wb = Workbook()
    ws = wb.active
    ws.append(["NIK", "Nama", "Jenis Kelamin", "Tanggal Lahir"])
    born = dt.date(1993, 8, 17)
    for serial in range(8101, 8106):
        nik = encode_nik(district_code="18.11.01", birth_date=born, sex="F", serial=serial)
        ws.append([nik, f"Warga Sintetis {serial}", "P", born.strftime("%d/%m/%Y")])
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("lindung-serve")
    database_url = fresh_database(var_dir, "serve_e2e")
    port = _free_port()
    env = env_for(
        database_url,
        var_dir,
        DJANGO_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        PORT=str(port),
        TASK_WORKERS="1",
        WEB_CONCURRENCY="2",
    )
    env.pop("DEBUG", None)
    # What docs/deploy.md has an operator do before the first start.
    manage(env, "migrate", "--noinput")
    manage(env, "load_regions")
    manage(
        env,
        "create_user",
        USERNAME,
        "--role",
        "village_operator",
        "--area",
        "18.11.01.2001",
        input=PASSWORD + "\n",
    )
    log_path = var_dir / "serve.log"
    log = open(log_path, "w")  # noqa: SIM115 - open for the server's whole life
    process = subprocess.Popen(
        ["make", "--no-print-directory", "serve"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240
        while True:
            assert process.poll() is None, log_path.read_text()[-4000:]
            try:
                status, _, body = _get(f"{base}/healthz")
                if status == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, log_path.read_text()[-4000:]
            time.sleep(0.5)
        yield {"base": base, "env": env, "process": process, "log": log_path, "port": port}
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)  # Ctrl+C in the terminal
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log.close()
        drop_database(database_url)


def test_healthz_is_green_and_says_nothing_personal(production):
    status, headers, body = _get(f"{production['base']}/healthz")
    assert status == 200
    assert json.loads(body) == {"database": "ok", "migrations": "ok", "worker": "ok"}
    assert headers["Content-Type"].startswith("application/json")


def test_static_files_are_compressed_with_a_year_long_cache(production):
    status, _, body = _get(f"{production['base']}/akun/masuk/")
    assert status == 200
    stylesheet = re.search(rb'href="(/static/[^"]+\.css)"', body).group(1).decode()
    assert re.search(r"\.[0-9a-f]{12}\.css$", stylesheet), stylesheet  # hashed name
    for encoding in ("br", "gzip"):
        status, headers, _ = _get(production["base"] + stylesheet, {"Accept-Encoding": encoding})
        assert status == 200
        assert headers.get("Content-Encoding") == encoding
        max_age = int(re.search(r"max-age=(\d+)", headers["Cache-Control"]).group(1))
        assert max_age >= 365 * 24 * 3600


def test_logs_are_json_lines(production):
    _get(f"{production['base']}/akun/masuk/")
    time.sleep(0.5)
    requests = []
    for line in production["log"].read_text().splitlines():
        if line.startswith("{"):
            record = json.loads(line)
            if record.get("logger") == "lindung.requests":
                requests.append(record)
    assert any(r["path"] == "/akun/masuk/" and r["status"] == 200 for r in requests)


def test_a_new_account_imports_a_workbook_through_the_worker(production, browser, tmp_path):
    context = browser.new_context(
        base_url=production["base"], viewport={"width": 360, "height": 740}
    )
    context.set_default_timeout(20_000)
    page = context.new_page()
    try:
        page.goto("/akun/masuk/")
        page.fill("#id_username", USERNAME)
        page.fill("#id_password", PASSWORD)
        page.click("form button[type=submit]")
        page.wait_for_load_state()
        assert "/akun/masuk/" not in page.url, page.content()[:2000]
        page.goto("/impor/")
        page.set_input_files("#id_file", str(_book(tmp_path / "buku-desa.xlsx")))
        if page.locator("#id_area").count():
            page.select_option("#id_area", "18.11.01.2001")
        page.locator("form.upload-form button.primary").click()
        page.wait_for_url(re.compile(r"/impor/\d+/$"))
        page.locator("button[name=action][value=mapping]").click()
        page.wait_for_url(re.compile(r"/impor/\d+/$"))
        # The check (dry run) runs in the task worker; the page polls until it is done.
        page.wait_for_selector("button[value=apply]", timeout=90_000)
        page.locator("button[value=apply]").click()
        page.wait_for_selector(".badge.ok:has-text('Sudah diterapkan')", timeout=90_000)
        assert "5\nbaru" in page.locator(".stats").inner_text()
        page.reload()
        tasks = page.locator("#tasks").inner_text()
        assert tasks.count("Selesai") >= 2, tasks  # the check and the application
    finally:
        context.close()


def test_tasks_are_logged_as_json_lines(production):
    """The worker's lines (after the import above ran through it) are JSON too: each task's
    start and finish with its path and state, and the scheduler's enqueued jobs."""
    records = [
        json.loads(line)
        for line in production["log"].read_text().splitlines()
        if line.startswith("{")
    ]
    finished = [
        r["message"]
        for r in records
        if r["logger"] == "django_tasks" and "lindung.imports.jobs.import_run" in r["message"]
    ]
    assert any("state=SUCCESSFUL" in m for m in finished), finished
    jobs = {r.get("job") for r in records if r["logger"] == "lindung.tasks"}
    assert "cases_escalate" in jobs and "report_files_purge" in jobs, jobs


def test_check_deploy_is_clean_with_production_settings(production):
    env = {**production["env"]}
    env.pop("SECURE_SSL_REDIRECT")
    env.pop("SECURE_COOKIES")
    result = manage(env, "check", "--deploy", "--fail-level", "WARNING", check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ctrl_c_stops_everything(production):
    process = production["process"]
    os.killpg(process.pid, signal.SIGINT)
    process.wait(timeout=60)
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", production["port"]), 2):
        pass
    # No worker or scheduler is left behind.
    marker = f"LINDUNG_VAR_DIR={production['env']['LINDUNG_VAR_DIR']}".encode()
    left = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if marker in environ.read_bytes().split(b"\0"):
                left.append(environ.parent.name)
        except OSError:
            continue
    assert not left, f"processes still running: {left}"
