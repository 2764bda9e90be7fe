"""Dashboards, NIK lookup and name search at two registry sizes, on SQLite and PostgreSQL.

Reports, per engine: the median latency of each at the small and the large size and the growth
ratio between them, and the regency dashboard's throughput as a share of a bare "hello" view
served the same way (Django's test Client, same middleware, same logged-in session).

Environment:
  LINDUNG_BENCH_SIZES    two sizes, small,large (default 100000,1000000, the goal's sizes;
                         the first run generates them: about 3 min per engine on a
                         quiet machine here. 20000,200000 is a quicker tenfold step)
  LINDUNG_BENCH_ENGINES  sqlite,postgresql (default both; PostgreSQL is skipped when it does
                         not answer)
  LINDUNG_BENCH_PG       server URL without a database (default postgres://postgres@127.0.0.1:5432)
  LINDUNG_BENCH_PG_DB    prefix of the PostgreSQL database names (default lindung_bench), so
                         two checkouts on one server keep their own
  LINDUNG_BENCH_REPEAT   requests per measurement (default 30)
  LINDUNG_BENCH_ROUNDS   rounds, alternating the sizes; figures are their median (default 3)

Databases are kept between runs (var/bench-<size>.sqlite3, PostgreSQL lindung_bench_<size>) and
reused when they already hold the synthetic data of that size.
"""

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
SEED = 1
# Raised whenever the generator draws other data for the same seed, so kept databases are
# generated again (2: certificates and the trained-before-departure enrolments; 3: programmes
# hold a quota).
DATA = 3
PG_DB = os.environ.get("LINDUNG_BENCH_PG_DB", "lindung_bench")
GOALS = {
    "regency_dashboard": ("≤ 1.5×", 1.5),
    "national_dashboard": ("≤ 1.5×", 1.5),
    "regency_dashboard_uncached": ("≤ 1.5×", 1.5),
    "national_dashboard_uncached": ("≤ 1.5×", 1.5),
    "nik_lookup": ("flat (≤ 1.2×)", 1.2),
    "name_search_regency": ("≤ 2×", 2.0),
}


def _env(database_url: str) -> dict:
    env = {
        **os.environ,
        "DJANGO_ENV": "development",
        "DEBUG": "false",
        "LINDUNG_DEMO": "false",
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "lindung.settings",
        "PYTHONPATH": str(ROOT),
    }
    return env


def _manage(env, *args) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=sys.stderr
    )


def _pg_ready(server: str) -> bool:
    try:
        import psycopg

        with psycopg.connect(f"{server}/postgres", connect_timeout=3):
            return True
    except Exception:
        return False


def _compact_counters(url: str) -> None:
    """Rewrite the counter table and its indexes once the rebuild has deleted and written every
    row again: otherwise the next measurement reads each row twice, once dead (repeated
    rebuilds left the 100,000-person table at 1.4 GB, 294 MB once rewritten)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("VACUUM (FULL, ANALYZE) reports_counter")


def _pg_database(server: str, name: str, fresh: bool) -> str:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        if fresh:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
    return f"{server}/{name}"


# The apps whose migrations shape the counters: reports made them, lindung.counters keeps them,
# programs counts its enrolments in them.
COUNTER_APPS = ("reports", "counters", "programs")


def _reports_migrations(env: dict | None = None) -> list[str]:
    """The counters' migrations on disk (of COUNTER_APPS, "app.name"), or (given a database's
    env) those applied to it."""
    if env is None:
        return sorted(
            f"{app}.{p.stem}"
            for app in COUNTER_APPS
            for p in (ROOT / "lindung" / app / "migrations").glob("0*.py")
        )
    out = subprocess.run(
        [sys.executable, "manage.py", "showmigrations", *COUNTER_APPS],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    applied, app = [], ""
    for line in out.splitlines():
        if not line.startswith(" "):
            app = line.strip()
        elif line.strip().startswith("[X]"):
            applied.append(f"{app}.{line.split()[-1]}")
    return sorted(applied)


def prepare(engine: str, size: int, pg_server: str) -> str:
    """A database holding `size` synthetic persons of SEED and DATA (generated once, then
    reused).

    The marker var/bench-<engine>-<size>.done records the seed, DATA and the counters' migrations
    (COUNTER_APPS) they were built with: another seed or DATA regenerates; a new migration (e.g.
    another counter level) migrates the kept database and rebuilds its counters instead.
    """
    marker = VAR / f"bench-{engine}-{size}.done"
    recorded = json.loads(marker.read_text()) if marker.exists() else None
    fresh = recorded is None or recorded.get("seed", 1) != SEED or recorded.get("data", 1) != DATA
    if engine == "sqlite":
        path = VAR / f"bench-{size}.sqlite3"
        if fresh:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    else:
        url = _pg_database(pg_server, f"{PG_DB}_{size}", fresh)
    env = _env(url)
    if fresh:
        marker.unlink(missing_ok=True)
        started = time.monotonic()
        _manage(env, "migrate", "--noinput", "-v0")
        _manage(env, "load_regions")
        applied = _reports_migrations(env)
        generated = time.monotonic()
        _manage(env, "generate_synthetic", "--people", str(size), "--seed", str(SEED))
        done = time.monotonic()
        recorded = {
            "seed": SEED,
            "data": DATA,
            "setup_s": round(generated - started, 1),
            "generate_s": round(done - generated, 1),
            "reports_migrations": applied,
        }
    elif recorded.get("reports_migrations") != _reports_migrations():
        _manage(env, "migrate", "--noinput", "-v0")
        started = time.monotonic()
        _manage(env, "rebuild_counters")
        if engine == "postgresql":
            _compact_counters(url)
        recorded.update(
            reports_migrations=_reports_migrations(),
            rebuild_s=round(time.monotonic() - started, 1),
        )
    else:
        _manage(env, "migrate", "--noinput", "-v0")
    marker.write_text(json.dumps(recorded))
    return url


def measure_here(repeat: int) -> dict:
    """Runs inside a process whose DATABASE_URL names the bench database."""
    import django

    django.setup()
    from django.test import Client, override_settings

    from lindung.accounts.models import Role, User
    from lindung.accounts.services import user_create
    from lindung.regions.models import Area
    from lindung.registry.models import Person
    from lindung.reports import views as report_views

    def user(username, role, code):
        found = User.objects.filter(username=username).first()
        if found:
            return found
        area = Area.objects.get(code=code) if code else None
        return user_create(
            actor=None,
            username=username,
            password="bench-only-pass",  # noqa: S106 (a local benchmark database)
            role=role,
            jurisdiction=area,
        )

    disnaker = user("bench.disnaker", Role.DISNAKER, "18.11")
    kp2mi = user("bench.kp2mi", Role.KP2MI, None)
    # A NIK from the middle of the registry, inside the regency's reach.
    nik = (
        Person.objects.filter(village__code__startswith="18.")
        .order_by("id")
        .values_list("nik", flat=True)[Person.objects.count() // 20 :][:1]
        .get()
    )
    fragment = report_views.FIGURES_FRAGMENT
    regency_client, national_client = Client(), Client()
    regency_client.force_login(disnaker)
    national_client.force_login(kp2mi)

    def median_ms(client, url, cold=False) -> float:
        assert client.get(url).status_code == 200, url  # warm up and check
        times = []
        for i in range(repeat):
            if cold:  # a new fragment key each time: the figures are rendered from the
                # counters, as on the first view after a change (warnings stay cached)
                report_views.FIGURES_FRAGMENT = f"bench-cold-{time.monotonic()}-{i}"
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
            assert response.status_code == 200
        report_views.FIGURES_FRAGMENT = fragment
        return round(statistics.median(times) * 1000, 2)

    def throughput(pairs, seconds=1.0, rounds=3) -> dict:
        """Requests per second of each (client, url), measured in alternating slices so that
        a change of load on the machine weighs on all of them alike."""
        counts = {url: 0 for _, url in pairs}
        spent = {url: 0.0 for _, url in pairs}
        for client, url in pairs:
            client.get(url)
        for _ in range(rounds):
            for client, url in pairs:
                started = time.perf_counter()
                while time.perf_counter() - started < seconds:
                    client.get(url)
                    counts[url] += 1
                spent[url] += time.perf_counter() - started
        return {url: counts[url] / spent[url] for url in counts}

    with override_settings(ROOT_URLCONF="bench.urls"):
        results = {
            "persons": Person.objects.count(),
            "regency_dashboard": median_ms(regency_client, "/wilayah/18.11/"),
            "national_dashboard": median_ms(national_client, "/wilayah/"),
            "regency_dashboard_uncached": median_ms(regency_client, "/wilayah/18.11/", cold=True),
            "national_dashboard_uncached": median_ms(national_client, "/wilayah/", cold=True),
            "nik_lookup": median_ms(regency_client, f"/penduduk/?q={nik}"),
            "name_search_regency": median_ms(regency_client, "/penduduk/?q=wahyuni"),
        }
        rps = throughput(
            [
                (regency_client, "/bench-hello/"),
                (regency_client, "/wilayah/18.11/"),
                (national_client, "/wilayah/"),
            ]
        )
        hello = rps["/bench-hello/"]
        results.update(
            hello_rps=round(hello, 1),
            dashboard_rps=round(rps["/wilayah/18.11/"], 1),
            dashboard_share=round(100 * rps["/wilayah/18.11/"] / hello, 1),
            national_rps=round(rps["/wilayah/"], 1),
            national_share=round(100 * rps["/wilayah/"] / hello, 1),
        )
    return results


def measure(url: str, repeat: int) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--measure", str(repeat)],
        cwd=ROOT,
        env=_env(url),
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _cell(runs: dict, size: int, key: str) -> str:
    low, high = runs[size]["spread"][key]
    return f"{runs[size][key]:.1f} ({low:.1f}–{high:.1f})"


def main() -> int:
    sizes = [int(s) for s in os.environ.get("LINDUNG_BENCH_SIZES", "100000,1000000").split(",")]
    engines = os.environ.get("LINDUNG_BENCH_ENGINES", "sqlite,postgresql").split(",")
    pg_server = os.environ.get("LINDUNG_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    repeat = int(os.environ.get("LINDUNG_BENCH_REPEAT", "30"))
    rounds_count = int(os.environ.get("LINDUNG_BENCH_ROUNDS", "3"))
    VAR.mkdir(exist_ok=True)
    small, large = sizes
    for engine in engines:
        if engine == "postgresql" and not _pg_ready(pg_server):
            print(f"PostgreSQL does not answer at {pg_server}: skipped.")
            continue
        urls = {size: prepare(engine, size, pg_server) for size in sizes}
        # Sizes alternate round by round and each figure is the median of the rounds, so a
        # burst of load on a shared machine does not land on one size only.
        rounds: dict[int, list[dict]] = {size: [] for size in sizes}
        for _ in range(rounds_count):
            for size in sizes:
                rounds[size].append(measure(urls[size], repeat))
        runs = {}
        for size in sizes:
            runs[size] = {
                key: statistics.median(r[key] for r in rounds[size]) for key in rounds[size][0]
            }
            runs[size]["spread"] = {
                key: (min(r[key] for r in rounds[size]), max(r[key] for r in rounds[size]))
                for key in rounds[size][0]
            }
            setup = json.loads((VAR / f"bench-{engine}-{size}.done").read_text())
            runs[size]["generate_s"] = setup["generate_s"]
        print(
            f"\n{engine}: {runs[small]['persons']:,} → {runs[large]['persons']:,} persons "
            f"(median of {rounds_count} rounds; min–max in brackets)"
        )
        print(
            f"  generating the large registry took {runs[large]['generate_s']} s "
            f"({large / max(runs[large]['generate_s'], 0.1):,.0f} persons/s)"
        )
        print(f"  {'median latency (ms)':<28}{'small':>18}{'large':>18}{'ratio':>8}  goal")

        for key, (goal, limit) in GOALS.items():
            a, b = runs[small][key], runs[large][key]
            ratio = b / a if a else float("nan")
            verdict = "met" if ratio <= limit else "NOT met"
            a_cell, b_cell = _cell(runs, small, key), _cell(runs, large, key)
            print(f"  {key:<28}{a_cell:>18}{b_cell:>18}{ratio:>7.2f}×  {goal} {verdict}")
        for size in sizes:
            c = {key: _cell(runs, size, key) for key in runs[size]["spread"]}
            print(
                f"  throughput at {size:,}: hello {c['hello_rps']}/s; regency dashboard "
                f"{c['dashboard_rps']}/s = {c['dashboard_share']}%, national "
                f"{c['national_rps']}/s = {c['national_share']}% (goal ≥ 20%)"
            )
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--measure":
        sys.path.insert(0, str(ROOT))
        print(json.dumps(measure_here(int(sys.argv[2]))))
    else:
        sys.exit(main())
