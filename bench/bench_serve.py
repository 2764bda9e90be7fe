"""gunicorn (as `make serve` runs it) against Django's runserver (as `make run` does), on the
regency dashboard over real HTTP: requests per second with CONCURRENCY clients, and the ratio.

Both servers serve the same SQLite database (LINDUNG_BENCH_SERVE_PEOPLE synthetic persons in
Kabupaten Mesuji, seen by a Disnaker account, built once in var/bench-serve/ and reused) with
DEBUG=false, at the same time; the load alternates between them in SLICE-second slices, ROUNDS
times, so a busy machine slows both alike. Figures are the totals over all slices. The client
threads run on the same 2 cores as the servers.

Environment: LINDUNG_BENCH_SERVE_PEOPLE (default 20000), LINDUNG_BENCH_SERVE_CONCURRENCY (4),
LINDUNG_BENCH_SERVE_SLICE (5 s), LINDUNG_BENCH_SERVE_ROUNDS (3), LINDUNG_BENCH_SERVE_DB (a
postgres:// URL of a database to build and use instead of SQLite; it is emptied first).
"""

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench-serve"
PEOPLE = int(os.environ.get("LINDUNG_BENCH_SERVE_PEOPLE", "20000"))
CONCURRENCY = int(os.environ.get("LINDUNG_BENCH_SERVE_CONCURRENCY", "4"))
SLICE = float(os.environ.get("LINDUNG_BENCH_SERVE_SLICE", "5"))
ROUNDS = int(os.environ.get("LINDUNG_BENCH_SERVE_ROUNDS", "3"))
URL = "/wilayah/18.11/"
USERNAME, PASSWORD = "bench.disnaker", "bench-only-password-4471"
DATABASE = os.environ.get("LINDUNG_BENCH_SERVE_DB") or f"sqlite:///{VAR / 'lindung.sqlite3'}"
ENGINE = "PostgreSQL" if DATABASE.startswith("postgres") else "SQLite"


def _env() -> dict:
    env = {**os.environ}
    for name in ("SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE", "LINDUNG_DEMO"):
        env.pop(name, None)
    env.update(
        {
            "DJANGO_ENV": "development",
            "DEBUG": "false",
            "STATIC_HASHED": "true",
            "LINDUNG_VAR_DIR": str(VAR),
            "DATABASE_URL": DATABASE,
            "REQUEST_LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def _manage(env, *args) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=sys.stderr
    )


def prepare(env) -> None:
    marker = VAR / f"ready-{ENGINE.lower()}-{PEOPLE}"
    if marker.exists():
        _manage(env, "migrate", "--noinput", "-v0")
    else:
        VAR.mkdir(parents=True, exist_ok=True)
        (VAR / "lindung.sqlite3").unlink(missing_ok=True)
        if ENGINE == "PostgreSQL":
            import psycopg

            parts = urllib.parse.urlsplit(DATABASE)
            admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
            name = parts.path.strip("/")
            with psycopg.connect(admin, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                connection.execute(f'CREATE DATABASE "{name}"')
        for args in (
            ["migrate", "--noinput", "-v0"],
            ["load_regions"],
            ["generate_synthetic", "--people", str(PEOPLE), "--area", "18.11"],
        ):
            _manage(env, *args)
        subprocess.run(
            [sys.executable, "manage.py", "create_user", USERNAME, "--role", "disnaker"]
            + ["--area", "18.11"],
            cwd=ROOT,
            env=env,
            check=True,
            input=PASSWORD + "\n",
            text=True,
            stdout=sys.stderr,
        )
        marker.touch()
    _manage(env, "collectstatic", "--noinput", "-v0")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(base: str, process) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{base} stopped")
        try:
            urllib.request.urlopen(base + "/akun/masuk/", timeout=5).read()  # noqa: S310
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{base} did not answer")


def login(base: str) -> http.cookiejar.CookieJar:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/akun/masuk/", timeout=10).read().decode()  # noqa: S310
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": USERNAME, "password": PASSWORD}
    ).encode()
    request = urllib.request.Request(  # noqa: S310
        base + "/akun/masuk/", data=data, headers={"Referer": base + "/akun/masuk/"}
    )
    opener.open(request, timeout=10).read()  # noqa: S310
    check = opener.open(base + URL, timeout=30)  # noqa: S310
    if "/akun/masuk/" in check.url:
        raise RuntimeError("login failed")
    return jar


def load(base: str, jar, seconds: float) -> tuple[int, int]:
    """Requests completed (status 200) and failed by CONCURRENCY threads in `seconds`."""
    done = [0, 0]
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client():
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        while time.monotonic() < stop_at:
            try:
                with opener.open(base + URL, timeout=30) as response:  # noqa: S310
                    response.read()
                    ok = response.status == 200
            except OSError:
                ok = False
            with lock:
                done[0 if ok else 1] += 1

    threads = [threading.Thread(target=client) for _ in range(CONCURRENCY)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return done[0], done[1]


def main() -> int:
    env = _env()
    prepare(env)
    cores = os.cpu_count() or 1
    servers = {}
    runserver_port, gunicorn_port = _free_port(), _free_port()
    servers["runserver"] = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{runserver_port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    servers["gunicorn"] = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--port", str(gunicorn_port), "--task-workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    bases = {
        "runserver": f"http://127.0.0.1:{runserver_port}",
        "gunicorn": f"http://127.0.0.1:{gunicorn_port}",
    }
    totals = {name: [0, 0, 0.0] for name in servers}
    try:
        for name, base in bases.items():
            _wait(base, servers[name])
        jar = login(bases["runserver"])  # one session (same database) for both servers
        for base in bases.values():
            load(base, jar, 5)  # warm-up: every gunicorn worker renders the page once
        for _ in range(ROUNDS):
            for name, base in bases.items():
                ok, failed = load(base, jar, SLICE)
                totals[name][0] += ok
                totals[name][1] += failed
                totals[name][2] += SLICE
    finally:
        for process in servers.values():
            os.killpg(process.pid, signal.SIGTERM)
        for process in servers.values():
            process.wait(timeout=60)
    rates = {name: ok / seconds for name, (ok, _, seconds) in totals.items()}
    print(
        f"Regency dashboard {URL} over HTTP, {CONCURRENCY} concurrent clients, "
        f"{PEOPLE:,} synthetic persons, {ENGINE}, {cores} cores, "
        f"{ROUNDS}×{SLICE:g} s per server:"
    )
    for name in servers:
        ok, failed, seconds = totals[name]
        print(f"  {name:9} {rates[name]:7.1f} requests/s ({ok} ok, {failed} failed)")
    print(f"  gunicorn / runserver = {rates['gunicorn'] / rates['runserver']:.2f}×")
    return 0 if all(t[1] == 0 for t in totals.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
