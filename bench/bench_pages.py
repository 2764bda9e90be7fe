"""Every page's first view, caches cold, at two registry sizes, for four users.

What is inside each timer: one `Client.get(url)` through the whole Django stack (URL routing,
middleware with the session and user read from the database, the view, every query, the
template render), for a user already signed in. Before each timed request the application's
cache (the database cache table: rendered figures, warning counts, panels) is emptied outside
the timer, so each request is a first view: nothing the application caches is reused. The
database's own buffers stay as warm as the previous requests left them (the benchmark does not
restart the server).

Users: national (KP2MI), provincial (BP3MI, Lampung 18), regency (Disnaker, Mesuji 18.11) and
village (operator of the village of 18.11 with the most residents). Pages: the dashboard, the
early-warning page and each warning's list, residents, cases, reports, programmes, audit, a
name search (any part of a name, "wahyuni") and a misspelt one that finds nobody ("wahyunni");
for the regency user also a NIK lookup that finds
a resident of the regency and one that finds nobody. A page a user may not open (404/403) is
shown as "—".

Environment (the same databases as bench_dashboards.py):
  LINDUNG_BENCH_SIZES    two sizes, small,large (default 100000,1000000)
  LINDUNG_BENCH_ENGINES  sqlite,postgresql (default both; PostgreSQL is skipped when it does
                         not answer)
  LINDUNG_BENCH_PG       server URL without a database (default postgres://postgres@127.0.0.1:5432)
  LINDUNG_BENCH_PG_DB    prefix of the PostgreSQL database names (default lindung_bench)
  LINDUNG_BENCH_REPEAT   first views per page and round, their median (default 1)
  LINDUNG_BENCH_ROUNDS   rounds, alternating the sizes; figures are their median (default 3)
  LINDUNG_BENCH_EXPLAIN  1 (default) prints EXPLAIN of the list queries at the large size

Run: `make bench` (every benchmark) or `.venv/bin/python bench/bench_pages.py`.
"""

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_dashboards import _env, _pg_ready, prepare  # noqa: E402

PROVINCE, REGENCY = "18", "18.11"
GOAL = 1.5  # first view grows at most 1.5× from the small to the large size


def _users():
    from django.db.models import Sum

    from lindung.accounts.models import Role, User
    from lindung.accounts.services import user_create
    from lindung.counters.models import Counter, Metric
    from lindung.regions.models import Area

    def user(username, role, code):
        found = User.objects.filter(username=username).first()
        if found:
            return found
        return user_create(
            actor=None,
            username=username,
            password="bench-only-pass",  # noqa: S106 (a local benchmark database)
            role=role,
            jurisdiction=Area.objects.get(code=code) if code else None,
        )

    village = (
        Counter.objects.filter(
            level=4,
            metric=Metric.RESIDENT,
            village__gte=REGENCY + ".",
            village__lt=REGENCY + "/",
        )
        .values("village")
        .annotate(total=Sum("n"))
        .order_by("-total", "village")
        .values_list("village", flat=True)
        .first()
    )
    return {
        "national": user("bench.kp2mi", Role.KP2MI, None),
        "province": user("bench.bp3mi", Role.BP3MI, PROVINCE),
        "regency": user("bench.disnaker", Role.DISNAKER, REGENCY),
        "village": user("bench.village", Role.VILLAGE_OPERATOR, village),
    }


def _pages(level: str, user) -> dict[str, str]:
    from lindung.reports.selectors import WARNINGS

    code = user.jurisdiction_id
    pages = {"dashboard": f"/wilayah/{code}/" if code else "/wilayah/"}
    pages["home"] = "/"
    pages["warnings"] = "/laporan/peringatan/"
    for warning_id in WARNINGS:
        pages[f"warning:{warning_id}"] = f"/laporan/peringatan/{warning_id}/"
    pages.update(
        residents="/penduduk/",
        cases="/kasus/",
        reports="/laporan/",
        programmes="/program/",
        audit="/audit/",
    )
    return pages


def _explain(users) -> list[str]:
    """EXPLAIN of each list query (its first page and its capped count) for the national, the
    regency and the village user."""
    from lindung.lib.keyset import COUNT_CAP
    from lindung.registry.selectors import PERSON_ORDER, person_list
    from lindung.reports import selectors

    out = []
    for level in ("national", "regency", "village"):
        user = users[level]
        queries = []
        for warning_id, order in selectors.WARNING_ORDER.items():
            qs = selectors.warning_items(user=user, warning_id=warning_id)
            queries.append((f"{warning_id} page", qs.order_by(*order)[:51]))
            queries.append((f"{warning_id} count", qs.order_by()[: COUNT_CAP + 1]))
        residents = person_list(user=user)
        queries.append(("residents page", residents.order_by(*PERSON_ORDER)[:26]))
        queries.append(("residents count", residents.order_by()[: COUNT_CAP + 1]))
        for name, qs in queries:
            out.append(f"--- {level} · {name}")
            out.append(qs.explain())
    return out


def _missing_nik() -> str:
    """A well-formed NIK of the regency that nobody in the registry holds."""
    from lindung.registry.models import Person

    prefix = REGENCY.replace(".", "") + "01" + "010180"
    for serial in range(9999, 0, -1):
        nik = f"{prefix}{serial:04d}"
        if not Person.objects.filter(nik=nik).exists():
            return nik
    raise RuntimeError("no free NIK")


def measure_here(repeat: int, explain: bool) -> dict:
    """Runs inside a process whose DATABASE_URL names the bench database."""
    import django

    django.setup()
    from django.core.cache import cache
    from django.test import Client

    from lindung.registry.models import Person

    users = _users()
    results: dict = {"persons": Person.objects.count(), "pages": {}}

    def first_view_ms(client, url) -> float | None:
        cache.clear()
        if client.get(url).status_code != 200:  # also loads the code paths once
            return None
        times = []
        for _ in range(repeat):
            cache.clear()  # outside the timer: nothing the application caches is reused
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
            assert response.status_code == 200, url
        return round(statistics.median(times) * 1000, 2)

    for level, user in users.items():
        client = Client()
        client.force_login(user)
        pages = _pages(level, user)
        if level == "regency":
            inside = (
                Person.objects.filter(village__gte=REGENCY + ".", village__lt=REGENCY + "/")
                .order_by("id")
                .values_list("nik", flat=True)
                .first()
            )
            pages["nik lookup (hit)"] = f"/penduduk/?q={inside}"
            pages["nik lookup (miss)"] = f"/penduduk/?q={_missing_nik()}"
        pages["name search"] = "/penduduk/?q=wahyuni"
        # A misspelt name that nobody holds: the search must say so without reading everyone.
        pages["name search (nobody)"] = "/penduduk/?q=wahyunni"
        for name, url in pages.items():
            results["pages"][f"{level} · {name}"] = first_view_ms(client, url)
    if explain:
        results["explain"] = _explain(users)
    return results


def measure(url: str, repeat: int, explain: bool) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--measure", str(repeat), "1" if explain else "0"],
        cwd=ROOT,
        env=_env(url),
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _fmt(value) -> str:
    return "—" if value is None else f"{value:.1f}"


def main() -> int:
    sizes = [int(s) for s in os.environ.get("LINDUNG_BENCH_SIZES", "100000,1000000").split(",")]
    engines = os.environ.get("LINDUNG_BENCH_ENGINES", "sqlite,postgresql").split(",")
    pg_server = os.environ.get("LINDUNG_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    repeat = int(os.environ.get("LINDUNG_BENCH_REPEAT", "1"))
    rounds_count = int(os.environ.get("LINDUNG_BENCH_ROUNDS", "3"))
    explain = os.environ.get("LINDUNG_BENCH_EXPLAIN", "1") == "1"
    small, large = sizes
    (ROOT / "var").mkdir(exist_ok=True)
    for engine in engines:
        if engine == "postgresql" and not _pg_ready(pg_server):
            print(f"PostgreSQL does not answer at {pg_server}: skipped.")
            continue
        urls = {size: prepare(engine, size, pg_server) for size in sizes}
        load_before = os.getloadavg()[0]
        rounds: dict[int, list[dict]] = {size: [] for size in sizes}
        for i in range(rounds_count):
            for size in sizes:  # sizes alternate, so a burst of load weighs on both
                last = explain and i == rounds_count - 1 and size == large
                rounds[size].append(measure(urls[size], repeat, last))
        persons = {size: rounds[size][0]["persons"] for size in sizes}
        print(
            f"\n{engine}: first view (caches cold), median ms of {rounds_count} rounds × "
            f"median of {repeat}; {persons[small]:,} → {persons[large]:,} persons "
            f"(load average {load_before:.1f} before the rounds, "
            f"{os.getloadavg()[0]:.1f} after, on {os.cpu_count()} cores)"
        )
        print(f"  {'page':<44}{'small':>10}{'large':>10}{'ratio':>8}  goal ≤ {GOAL}×")
        missed = 0
        for key in rounds[small][0]["pages"]:
            values = {}
            for size in sizes:
                found = [r["pages"][key] for r in rounds[size] if r["pages"][key] is not None]
                values[size] = statistics.median(found) if found else None
            a, b = values[small], values[large]
            if a is None or b is None:
                print(f"  {key:<44}{_fmt(a):>10}{_fmt(b):>10}")
                continue
            ratio = b / a
            missed += ratio > GOAL
            verdict = "met" if ratio <= GOAL else "NOT met"
            print(f"  {key:<44}{a:>10.1f}{b:>10.1f}{ratio:>7.2f}×  {verdict}")
        print(f"  pages over the goal: {missed}")
        if explain:
            print(f"\n{engine}: EXPLAIN of the list queries at {persons[large]:,} persons")
            for line in rounds[large][-1].get("explain", []):
                print("  " + line.replace("\n", "\n  "))
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--measure":
        print(json.dumps(measure_here(int(sys.argv[2]), sys.argv[3] == "1")))
    else:
        sys.exit(main())
