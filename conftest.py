"""Shared test fixtures: the areas loaded once per test database, and the personas.

Personas (all in Kabupaten Mesuji, 18.11, unless said): the operator and the head of village A
(Wiralaga I), the operator of village B (Sido Mulyo, same district), Disnaker and an OPD of the
regency, BP3MI Lampung, BP3MI of another province (Jawa Tengah), KP2MI, an administrator, and
the anonymous visitor.
"""

import os
from datetime import date

import pytest
import time_machine

os.environ.setdefault("DJANGO_ENV", "test")

PASSWORD = "persona-pass-2026"  # noqa: S105 (test personas only)
VILLAGE_A = "18.11.01.2001"  # Wiralaga I
VILLAGE_B = "18.11.01.2005"  # Sido Mulyo
VILLAGE_C = "18.11.02.2001"  # Talang Batu, another district of Mesuji
REGENCY = "18.11"
PROVINCE = "18"
OTHER_PROVINCE = "33"  # Jawa Tengah
OTHER_REGENCY_VILLAGE = "33.01.01.2001"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from lindung.regions.services import regions_load

    with django_db_blocker.unblock():
        regions_load()


def _make(username, role, code):
    from lindung.accounts.services import user_create
    from lindung.regions.models import Area

    return user_create(
        actor=None,
        username=username,
        password=PASSWORD,
        role=role,
        jurisdiction=Area.objects.get(code=code) if code else None,
        first_name=username.replace(".", " ").title(),
    )


PERSONAS = (
    "operator_a",
    "head_a",
    "operator_b",
    "disnaker",
    "opd",
    "bp3mi",
    "bp3mi_other",
    "kp2mi",
    "admin",
)


# Who reaches a person of village A (scoping), and who may change it (scoping and role).
READERS_A = frozenset({"operator_a", "head_a", "disnaker", "opd", "bp3mi", "kp2mi", "admin"})
EDITORS_A = frozenset({"operator_a", "head_a", "disnaker"})


def statuses(*, refused) -> list[tuple[str, int]]:
    """(persona, expected status) for every persona: 404 for those `refused`, else 200."""
    return [(who, 404 if who in refused else 200) for who in PERSONAS]


@pytest.fixture
def personas(db):
    """Every persona as a saved user, by name."""
    from lindung.accounts.models import Role

    return {
        "operator_a": _make("operator.a", Role.VILLAGE_OPERATOR, VILLAGE_A),
        "head_a": _make("head.a", Role.VILLAGE_HEAD, VILLAGE_A),
        "operator_b": _make("operator.b", Role.VILLAGE_OPERATOR, VILLAGE_B),
        "disnaker": _make("disnaker.regency", Role.DISNAKER, REGENCY),
        "opd": _make("opd.regency", Role.OPD, REGENCY),
        "bp3mi": _make("bp3mi.province", Role.BP3MI, PROVINCE),
        "bp3mi_other": _make("bp3mi.other", Role.BP3MI, OTHER_PROVINCE),
        "kp2mi": _make("kp2mi.national", Role.KP2MI, None),
        "admin": _make("admin.national", Role.ADMIN, None),
    }


# The day the clock stands still on in tests that use the `frozen` fixture.
TODAY = date(2026, 6, 15)


@pytest.fixture
def frozen():
    """The clock stopped at the start of TODAY, which it yields."""
    with time_machine.travel(TODAY, tick=False):
        yield TODAY


@pytest.fixture
def client_as(client):
    """client_as(user) logs the test client in as that user (None stays anonymous)."""

    def login(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return login


# Skips are said plainly, and under CI=true nothing may be skipped: a skipped test is a test
# that did not run, and CI must prove everything ran (Chromium, PostgreSQL, gettext present).

_skipped: list[tuple[str, str]] = []


def _on_postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` run only in the PostgreSQL pass of `make test`, those marked
    `sqlite` only in the SQLite pass; elsewhere they are deselected (not skipped), so both
    passes under CI=true still pass."""
    other = "sqlite" if _on_postgres() else "postgres"
    keep = [item for item in items if item.get_closest_marker(other) is None]
    if len(keep) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in keep])
        config._lindung_engine_only = (other, len(items) - len(keep))
        items[:] = keep


def pytest_runtest_logreport(report):
    if report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        _skipped.append((report.nodeid, reason.removeprefix("Skipped: ")))


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    other, left_out = getattr(config, "_lindung_engine_only", ("", 0))
    if left_out:
        name = {"postgres": "PostgreSQL", "sqlite": "SQLite"}[other]
        terminalreporter.write_line(
            f"{left_out} {name}-only tests were left out here; "
            f"`make test` runs them in its {name} pass."
        )
    if not _skipped:
        return
    reasons: dict[str, int] = {}
    for _, reason in _skipped:
        reasons[reason] = reasons.get(reason, 0) + 1
    terminalreporter.section("skipped tests", sep="-")
    for reason, count in sorted(reasons.items()):
        terminalreporter.write_line(f"{count} skipped: {reason}")
    if os.environ.get("CI") == "true":
        terminalreporter.write_line(
            f"CI=true: {len(_skipped)} tests were skipped, and under CI nothing may be "
            "skipped. The run fails.",
            red=True,
            bold=True,
        )


def pytest_sessionfinish(session, exitstatus):
    if os.environ.get("CI") == "true" and _skipped and exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
