"""Demo accounts never work outside demo mode: they are marked when seed_demo creates them,
refused at login and in open sessions, and `check --deploy` fails while any exists."""

from importlib import import_module

import pytest
from django.apps import apps
from django.core.checks import run_checks
from django.test import Client, override_settings

from conftest import PASSWORD
from lindung.accounts.demo import DEMO_ACCOUNTS, seed
from lindung.accounts.models import User

pytestmark = pytest.mark.django_db

LOGIN = "/akun/masuk/"
DEMO_PASSWORD = "lindung-demo"


def post_login(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def deploy_errors():
    return [m.id for m in run_checks(include_deployment_checks=True) if m.id == "accounts.E001"]


def test_seed_demo_marks_its_accounts_and_only_those(personas):
    seed({})
    marked = set(User.objects.filter(is_demo=True).values_list("username", flat=True))
    assert marked == {row[0] for row in DEMO_ACCOUNTS}
    assert not any(user.is_demo for user in personas.values())


def test_demo_accounts_log_in_in_demo_mode():
    seed({})
    assert post_login(Client(), "admin", DEMO_PASSWORD).status_code == 302


@override_settings(DEMO_MODE=False)
def test_outside_demo_mode_a_demo_account_is_refused_with_the_right_password(personas):
    seed({})
    response = post_login(Client(), "admin", DEMO_PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in response.wsgi_request.session
    # A real account still logs in.
    assert post_login(Client(), "operator.a", PASSWORD).status_code == 302


def test_an_open_demo_session_ends_when_the_server_leaves_demo_mode():
    seed({})
    client = Client()
    assert post_login(client, "disnaker.mesuji", DEMO_PASSWORD).status_code == 302
    assert client.get("/wilayah/cari/").status_code == 200
    with override_settings(DEMO_MODE=False):
        response = client.get("/wilayah/cari/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_the_deploy_check_fails_while_a_demo_account_exists(personas):
    assert deploy_errors() == []
    seed({})
    assert deploy_errors() == ["accounts.E001"]
    User.objects.filter(is_demo=True).update(is_active=False)
    assert deploy_errors() == ["accounts.E001"]  # deactivated is not gone
    User.objects.filter(is_demo=True).update(is_demo=False)
    assert deploy_errors() == []


def test_the_check_runs_only_with_deploy(personas):
    seed({})
    assert "accounts.E001" not in [m.id for m in run_checks()]


def test_accounts_seeded_before_the_mark_existed_are_marked_by_the_migration(personas):
    """A database seeded by an older Lindung: the demo usernames with the demo password."""
    seed({})
    User.objects.update(is_demo=False)
    # A real production account that happens to be named like a demo one keeps working.
    real = User.objects.get(username="kp2mi")
    real.set_password("a-real-strong-password-2026")
    real.save()
    migration = import_module("lindung.accounts.migrations.0002_user_is_demo")
    migration.mark_seeded_demo_accounts(apps, None)
    marked = set(User.objects.filter(is_demo=True).values_list("username", flat=True))
    assert marked == {row[0] for row in DEMO_ACCOUNTS} - {"kp2mi"}
