"""The API against the equivalent pages: a person looked up by NIK and a regency's figures.

Reports, per engine, the median latency of each API call and of the page a person would open
for the same answer, and their ratio (API ÷ page), measured in the same process with Django's
test Client (same middleware; the page with a logged-in session, the API with a bearer token,
so each pays its own authentication and its audit entry):

- NIK lookup: `GET /api/v1/persons?nik=…` against the residents page `/penduduk/?q=…`;
- area figures: `GET /api/v1/figures?area=18.11` against the regency dashboard `/wilayah/18.11/`
  as served (its figures fragment cached) and uncached (a new fragment key on every request:
  rendered from the counters, as the API always reads them).

Environment:
  LINDUNG_BENCH_API_SIZE  synthetic persons (default 100000; the database is the dashboards
                          bench's var/bench-<size>.sqlite3 / lindung_bench_<size>, reused when
                          it exists, else generated once: about 3 min for 100000)
  LINDUNG_BENCH_ENGINES   sqlite,postgresql (default both; PostgreSQL skipped when it does not
                          answer), LINDUNG_BENCH_PG as for the dashboards bench
  LINDUNG_BENCH_REPEAT    requests per measurement (default 30), LINDUNG_BENCH_ROUNDS (default 3)
"""

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench_dashboards import VAR, _env, _pg_ready, prepare  # noqa: E402

PAIRS = {
    "nik_lookup": ("api_nik", "page_nik"),
    "area_figures": ("api_figures", "page_figures"),
    "area_figures_uncached_page": ("api_figures", "page_figures_uncached"),
}


def measure_here(repeat: int) -> dict:
    import django

    django.setup()
    from django.test import Client

    from lindung.accounts.models import Role, User
    from lindung.accounts.services import user_create
    from lindung.api.services import api_token_create
    from lindung.regions.models import Area
    from lindung.registry.models import Person
    from lindung.reports import views as report_views

    disnaker = User.objects.filter(username="bench.disnaker").first() or user_create(
        actor=None,
        username="bench.disnaker",
        password="bench-only-pass",  # noqa: S106 (a local benchmark database)
        role=Role.DISNAKER,
        jurisdiction=Area.objects.get(code="18.11"),
    )
    _token, raw = api_token_create(actor=None, user=disnaker, name="bench", days=1)
    in_regency = Person.objects.filter(village__code__startswith="18.11.").order_by("id")
    # A NIK from the middle of the regency's persons.
    nik = in_regency.values_list("nik", flat=True)[in_regency.count() // 2 :][:1].get()
    page_client, api_client = Client(), Client(headers={"Authorization": f"Bearer {raw}"})
    page_client.force_login(disnaker)
    fragment = report_views.FIGURES_FRAGMENT
    urls = {
        "api_nik": (api_client, f"/api/v1/persons?nik={nik}", False),
        "page_nik": (page_client, f"/penduduk/?q={nik}", False),
        "api_figures": (api_client, "/api/v1/figures?area=18.11", False),
        "page_figures": (page_client, "/wilayah/18.11/", False),
        "page_figures_uncached": (page_client, "/wilayah/18.11/", True),
    }
    times: dict[str, list[float]] = {key: [] for key in urls}
    for client, url, _cold in urls.values():
        response = client.get(url)  # warm up and check
        assert response.status_code == 200, (url, response.status_code)
    assert nik in api_client.get(urls["api_nik"][1]).content.decode()
    # Interleaved, one request of each in turn, so a change of load weighs on all alike.
    for i in range(repeat):
        for key, (client, url, cold) in urls.items():
            if cold:
                report_views.FIGURES_FRAGMENT = f"bench-api-cold-{time.monotonic()}-{i}"
            started = time.perf_counter()
            response = client.get(url)
            times[key].append(time.perf_counter() - started)
            report_views.FIGURES_FRAGMENT = fragment
            assert response.status_code == 200
    result = {key: round(statistics.median(values) * 1000, 2) for key, values in times.items()}
    result["persons"] = Person.objects.count()
    return result


def measure(url: str, repeat: int) -> dict:
    env = {**_env(url), "API_RATE_LIMIT": "1000000/min"}
    out = subprocess.run(
        [sys.executable, __file__, "--measure", str(repeat)],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.PIPE,  # the figures; errors go to the terminal as they are
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    size = int(os.environ.get("LINDUNG_BENCH_API_SIZE", "100000"))
    engines = os.environ.get("LINDUNG_BENCH_ENGINES", "sqlite,postgresql").split(",")
    pg_server = os.environ.get("LINDUNG_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    repeat = int(os.environ.get("LINDUNG_BENCH_REPEAT", "30"))
    rounds_count = int(os.environ.get("LINDUNG_BENCH_ROUNDS", "3"))
    VAR.mkdir(exist_ok=True)
    for engine in engines:
        if engine == "postgresql" and not _pg_ready(pg_server):
            print(f"PostgreSQL does not answer at {pg_server}: skipped.")
            continue
        url = prepare(engine, size, pg_server)
        rounds = [measure(url, repeat) for _ in range(rounds_count)]
        median = {key: statistics.median(r[key] for r in rounds) for key in rounds[0]}
        print(
            f"\n{engine}: {median['persons']:,.0f} persons (median of {rounds_count} rounds of "
            f"{repeat} requests each)"
        )
        print(f"  {'':<30}{'API ms':>9}{'page ms':>9}{'API ÷ page':>12}")
        for name, (api_key, page_key) in PAIRS.items():
            ratios = [r[api_key] / r[page_key] for r in rounds]
            print(
                f"  {name:<30}{median[api_key]:>9.1f}{median[page_key]:>9.1f}"
                f"{statistics.median(ratios):>11.2f}×  ({min(ratios):.2f}–{max(ratios):.2f})"
            )
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--measure":
        sys.path.insert(0, str(ROOT))
        print(json.dumps(measure_here(int(sys.argv[2]))))
    else:
        sys.exit(main())
