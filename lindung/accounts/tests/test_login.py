"""Logging in and out: landing on the own area, throttling after repeated failures, the idle
timeout, and sessions ending when an account is deactivated or its password reset."""

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from conftest import PASSWORD
from lindung.accounts.services import login_locked_until, user_set_active, user_set_password
from lindung.audit.models import Action, AuditEvent

pytestmark = pytest.mark.django_db

LOGIN = "/akun/masuk/"
START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def post_login(client, username, password, ip="10.1.1.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def error_codes(response):
    form = response.context["form"]
    return [error.code for error in form.errors.as_data().get("__all__", [])]


def fail(client, username, times, ip="10.1.1.1"):
    for _ in range(times):
        response = post_login(client, username, "wrong-password", ip)
        assert response.status_code == 200


def test_the_login_page_is_in_indonesian_by_default(client):
    html = client.get(LOGIN).content.decode()
    assert 'lang="id"' in html
    assert "Masuk ke Lindung" in html
    assert "Kata sandi" in html


def test_the_english_switch_translates_the_page(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": LOGIN}, follow=True)
    html = response.content.decode()
    assert 'lang="en"' in html
    assert "Log in to Lindung" in html


def test_a_village_operator_logs_in_and_lands_on_the_own_village(client, personas):
    response = post_login(client, "operator.a", PASSWORD)
    assert response.status_code == 302
    response = client.get(response["Location"], follow=True)
    assert response.context["area"].code == "18.11.01.2001"


def test_the_username_is_not_case_sensitive(client, personas):
    response = post_login(client, " Operator.A ", PASSWORD)
    assert response.status_code == 302


def test_a_wrong_password_gives_a_plain_message_and_is_recorded(client, personas):
    response = post_login(client, "operator.a", "wrong-password", ip="10.9.9.9")
    assert error_codes(response) == ["invalid_login"]
    assert "Nama pengguna atau kata sandi salah" in response.content.decode()
    event = AuditEvent.objects.get(action=Action.LOGIN_FAILED)
    assert (event.actor_username, event.ip, event.actor) == ("operator.a", "10.9.9.9", None)


def test_login_and_logout_are_recorded_with_the_address(client, personas):
    post_login(client, "operator.a", PASSWORD, ip="10.2.2.2")
    client.post("/akun/keluar/", REMOTE_ADDR="10.2.2.3")
    login = AuditEvent.objects.get(action=Action.LOGIN)
    logout = AuditEvent.objects.get(action=Action.LOGOUT)
    assert (login.actor, login.ip, login.area_code) == (
        personas["operator_a"],
        "10.2.2.2",
        "18.11.01.2001",
    )
    assert (logout.actor, logout.ip) == (personas["operator_a"], "10.2.2.3")
    assert client.get("/").status_code == 302


def test_logging_out_needs_a_post(client, personas):
    client.force_login(personas["operator_a"])
    assert client.get("/akun/keluar/").status_code == 405


def test_an_already_logged_in_user_skips_the_login_page(client, personas):
    client.force_login(personas["operator_a"])
    assert client.get(LOGIN).status_code == 302


def test_the_next_parameter_is_followed_only_within_the_site(client, personas):
    response = client.post(
        LOGIN + "?next=/wilayah/cari/",
        {"username": "operator.a", "password": PASSWORD, "next": "/wilayah/cari/"},
    )
    assert response["Location"] == "/wilayah/cari/"
    client.logout()
    response = client.post(
        LOGIN,
        {"username": "operator.a", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert "evil.example" not in response["Location"]


# Throttling: LOGIN_FAILURE_LIMIT failures within LOGIN_LOCKOUT lock the username from that
# address for LOGIN_LOCKOUT (the address alone: test_throttle_pairs.py).


def test_the_limits_are_five_failures_and_fifteen_minutes():
    assert settings.LOGIN_FAILURE_LIMIT == 5
    assert timedelta(minutes=15) == settings.LOGIN_LOCKOUT


def test_four_failures_do_not_lock(client, personas):
    with time_machine.travel(START, tick=False):
        fail(client, "operator.a", 4)
        assert post_login(client, "operator.a", PASSWORD).status_code == 302


def test_five_failures_lock_the_account_even_for_the_right_password(client, personas):
    with time_machine.travel(START, tick=False) as clock:
        fail(client, "operator.a", 5)
        clock.shift(timedelta(minutes=1))
        response = post_login(client, "operator.a", PASSWORD)
        assert response.status_code == 200
        assert error_codes(response) == ["locked"]
        html = response.content.decode()
        # Asia/Jakarta is UTC+7; the lock ends 15 minutes after the first failure.
        assert "ditunda sampai pukul 08:15" in html
        assert "sekitar 14 menit" in html
        assert AuditEvent.objects.filter(action=Action.LOGIN_LOCKED).count() == 1
        assert not AuditEvent.objects.filter(action=Action.LOGIN).exists()


def test_five_failures_from_one_address_lock_only_that_username_there(client, personas):
    """A village office shares one address: one user's failures do not lock a colleague
    (the address alone locks at LOGIN_ADDRESS_FAILURE_LIMIT, test_throttle_pairs.py)."""
    with time_machine.travel(START, tick=False):
        fail(client, "operator.a", 2, ip="10.3.3.3")
        fail(client, "nobody", 3, ip="10.3.3.3")
        assert post_login(client, "operator.b", PASSWORD, ip="10.3.3.3").status_code == 302
        client.logout()
        fail(client, "operator.a", 3, ip="10.3.3.3")
        assert error_codes(post_login(client, "operator.a", PASSWORD, ip="10.3.3.3")) == ["locked"]
        # Another address may still log in to that account.
        assert post_login(client, "operator.a", PASSWORD, ip="10.4.4.4").status_code == 302


def test_the_lock_ends_after_fifteen_minutes(client, personas):
    with time_machine.travel(START, tick=False) as clock:
        fail(client, "operator.a", 5)
        clock.shift(timedelta(minutes=14, seconds=59))
        assert error_codes(post_login(client, "operator.a", PASSWORD)) == ["locked"]
        clock.shift(timedelta(seconds=2))
        assert post_login(client, "operator.a", PASSWORD).status_code == 302


def test_tries_during_a_lock_do_not_make_it_last_longer(client, personas):
    """An attacker hammering a locked account cannot keep its owner out: refused tries are
    not counted as failures, so the lock still ends 15 minutes after the last real one."""
    with time_machine.travel(START, tick=False) as clock:
        fail(client, "operator.a", 5)
        for _ in range(14):
            clock.shift(timedelta(minutes=1))
            fail(client, "operator.a", 1)
        assert AuditEvent.objects.filter(action=Action.LOGIN_FAILED).count() == 5
        assert AuditEvent.objects.filter(action=Action.LOGIN_LOCKED).count() == 14
        clock.shift(timedelta(minutes=1, seconds=1))
        assert post_login(client, "operator.a", PASSWORD).status_code == 302


def test_failures_spread_over_more_than_fifteen_minutes_do_not_lock(client, personas):
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(6):
            fail(client, "operator.a", 1)
            clock.shift(timedelta(minutes=4))
        # Only the last four failures lie within the window.
        assert login_locked_until(username="operator.a", ip="10.1.1.1") is None
        assert post_login(client, "operator.a", PASSWORD).status_code == 302


def test_the_lock_is_per_account_name_whatever_its_case(client, personas):
    with time_machine.travel(START, tick=False):
        fail(client, "OPERATOR.A", 3)
        fail(client, " Operator.a ", 2)
        assert error_codes(post_login(client, "operator.a", PASSWORD)) == ["locked"]


# Sessions


def test_a_session_ends_after_thirty_idle_minutes(personas):
    client = Client()
    with time_machine.travel(START, tick=False) as clock:
        assert post_login(client, "operator.a", PASSWORD).status_code == 302
        clock.shift(timedelta(minutes=31))
        response = client.get("/wilayah/cari/")
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)


def test_activity_keeps_a_session_alive(personas):
    client = Client()
    with time_machine.travel(START, tick=False) as clock:
        post_login(client, "operator.a", PASSWORD)
        for _ in range(4):
            clock.shift(timedelta(minutes=20))
            assert client.get("/wilayah/cari/").status_code == 200


def test_deactivation_logs_the_user_out_everywhere(personas):
    phone, laptop = Client(), Client()
    post_login(phone, "operator.a", PASSWORD)
    post_login(laptop, "operator.a", PASSWORD)
    user_set_active(actor=personas["admin"], user=personas["operator_a"], active=False)
    for client in (phone, laptop):
        response = client.get("/wilayah/cari/")
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)
    assert post_login(Client(), "operator.a", PASSWORD).status_code == 200


def test_a_password_reset_ends_the_users_sessions(personas):
    client = Client()
    post_login(client, "operator.a", PASSWORD)
    user_set_password(
        actor=personas["admin"], user=personas["operator_a"], password="kebun-kopi-2026"
    )
    response = client.get("/wilayah/cari/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_passwords_are_hashed_with_argon2_outside_the_test_settings(tmp_path):
    env = {**os.environ, "DJANGO_ENV": "development", "LINDUNG_VAR_DIR": str(tmp_path)}
    result = subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.contrib.auth.hashers import make_password; print(make_password('x'))",
        ],
        cwd=Path(settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].startswith("argon2$argon2id$")


# Changing one's own password


def test_a_user_changes_the_own_password_and_stays_logged_in_here_only(personas):
    here, elsewhere = Client(), Client()
    post_login(here, "operator.a", PASSWORD)
    post_login(elsewhere, "operator.a", PASSWORD)
    response = here.post(
        "/akun/sandi/",
        {
            "old_password": PASSWORD,
            "new_password1": "sungai-mesuji-88",
            "new_password2": "sungai-mesuji-88",
        },
    )
    assert response.status_code == 302
    assert here.get("/wilayah/cari/").status_code == 200
    assert elsewhere.get("/wilayah/cari/")["Location"].startswith(LOGIN)
    personas["operator_a"].refresh_from_db()
    assert personas["operator_a"].check_password("sungai-mesuji-88")
    event = AuditEvent.objects.get(action=Action.UPDATE, changes__has_key="password")
    assert event.actor == personas["operator_a"]


@pytest.mark.parametrize(
    ("old", "new1", "new2", "field"),
    [
        ("wrong-password", "sungai-mesuji-88", "sungai-mesuji-88", "old_password"),
        (PASSWORD, "sungai-mesuji-88", "sungai-mesuji-99", "new_password2"),
        (PASSWORD, "12345678", "12345678", "new_password2"),
    ],
)
def test_a_password_change_is_refused_with_the_reason_on_the_field(
    client, personas, old, new1, new2, field
):
    client.force_login(personas["operator_a"])
    response = client.post(
        "/akun/sandi/", {"old_password": old, "new_password1": new1, "new_password2": new2}
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    personas["operator_a"].refresh_from_db()
    assert personas["operator_a"].check_password(PASSWORD)


def test_the_password_page_speaks_lindungs_words(client, personas):
    client.force_login(personas["operator_a"])
    html = client.get("/akun/sandi/").content.decode()
    assert "Kata sandi saat ini" in html and "Ubah kata sandi saya" in html
