"""Shared test fixtures: the areas loaded once per test database, and the personas.

Personas (all in Kabupaten Mesuji, 18.11, unless said): the operator and the head of village A
(Wiralaga I), the operator of village B (Sido Mulyo, same district), Disnaker and an OPD of the
regency, BP3MI Lampung, BP3MI of another province (Jawa Tengah), KP2MI, an administrator, and
the anonymous visitor.
"""

import os

import pytest

os.environ.setdefault("DJANGO_ENV", "test")

PASSWORD = "persona-pass-2026"
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


@pytest.fixture
def client_as(client):
    """client_as(user) logs the test client in as that user (None stays anonymous)."""

    def login(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return login
