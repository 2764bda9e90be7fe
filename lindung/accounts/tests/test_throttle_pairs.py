"""Login throttling that holds behind a proxy and in a shared village office.

- The client address is the X-Forwarded-For entry the trusted proxy appended, never the
  leftmost one the client wrote (TRUSTED_PROXY_COUNT).
- Failures lock the (username, address) pair; the address alone only at a higher threshold.
- The current-password field of the password change is throttled like the login.
"""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client, RequestFactory, override_settings

from conftest import PASSWORD
from lindung.accounts.services import login_locked_until
from lindung.audit.middleware import client_ip
from lindung.audit.models import Action, AuditEvent

pytestmark = pytest.mark.django_db

LOGIN = "/akun/masuk/"
START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
OFFICE = "10.20.30.40"  # one village office, one address


def post_login(client, username, password, **headers):
    return client.post(LOGIN, {"username": username, "password": password}, **headers)


def locked(response):
    form = response.context["form"]
    return "locked" in [e.code for e in form.errors.as_data().get("__all__", [])]


# The client address behind proxies


def request(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@override_settings(TRUSTED_PROXY_COUNT=0)
def test_without_proxies_the_header_is_ignored():
    assert client_ip(request("10.0.0.9", "1.2.3.4")) == "10.0.0.9"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_the_entry_it_appended_counts_not_the_clients():
    # The client wrote "1.2.3.4"; the proxy appended the address it saw, 198.51.100.7.
    assert client_ip(request("10.0.0.2", "1.2.3.4, 198.51.100.7")) == "198.51.100.7"
    assert client_ip(request("10.0.0.2", "198.51.100.7")) == "198.51.100.7"


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_behind_two_proxies_the_outer_ones_entry_counts():
    header = "6.6.6.6, 198.51.100.7, 10.0.0.3"
    assert client_ip(request("10.0.0.2", header)) == "198.51.100.7"


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_a_request_that_bypassed_the_proxies_gets_its_peer_address():
    assert client_ip(request("203.0.113.5", "1.2.3.4")) == "203.0.113.5"  # too short
    assert client_ip(request("203.0.113.5")) == "203.0.113.5"
    assert client_ip(request("203.0.113.5", "junk, <script>")) == "203.0.113.5"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_a_forged_leftmost_entry_neither_escapes_the_lock_nor_lands_in_the_trail(personas):
    client = Client()
    with time_machine.travel(START, tick=False):
        for n in range(settings.LOGIN_FAILURE_LIMIT):
            post_login(
                client,
                "operator.a",
                "wrong-password",
                REMOTE_ADDR="10.0.0.2",
                HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 198.51.100.7",
            )
        response = post_login(
            client,
            "operator.a",
            PASSWORD,
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR="192.0.2.200, 198.51.100.7",
        )
        assert locked(response)
    ips = set(AuditEvent.objects.filter(action=Action.LOGIN_FAILED).values_list("ip", flat=True))
    assert ips == {"198.51.100.7"}


# Pairs and addresses


def test_five_failures_for_one_user_do_not_lock_a_colleague_in_the_same_office(personas):
    client = Client()
    with time_machine.travel(START, tick=False):
        for _ in range(settings.LOGIN_FAILURE_LIMIT):
            post_login(client, "operator.a", "wrong-password", REMOTE_ADDR=OFFICE)
        assert locked(post_login(client, "operator.a", PASSWORD, REMOTE_ADDR=OFFICE))
        assert post_login(Client(), "head.a", PASSWORD, REMOTE_ADDR=OFFICE).status_code == 302


def test_the_locked_user_may_still_log_in_from_another_address(personas):
    """An attacker elsewhere cannot keep an operator out of her own office."""
    client = Client()
    with time_machine.travel(START, tick=False):
        for _ in range(settings.LOGIN_FAILURE_LIMIT):
            post_login(client, "operator.a", "wrong-password", REMOTE_ADDR="203.0.113.9")
        assert post_login(Client(), "operator.a", PASSWORD, REMOTE_ADDR=OFFICE).status_code == 302


def test_the_address_alone_locks_at_the_higher_threshold(personas):
    assert settings.LOGIN_ADDRESS_FAILURE_LIMIT > settings.LOGIN_FAILURE_LIMIT
    client = Client()
    with time_machine.travel(START, tick=False):
        # Spraying many usernames from one address: each pair stays under its limit.
        for n in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT - 1):
            post_login(client, f"guess{n}", "wrong-password", REMOTE_ADDR=OFFICE)
        assert login_locked_until(username="head.a", ip=OFFICE) is None
        post_login(client, "guess-last", "wrong-password", REMOTE_ADDR=OFFICE)
        assert locked(post_login(Client(), "head.a", PASSWORD, REMOTE_ADDR=OFFICE))
        assert post_login(Client(), "head.a", PASSWORD, REMOTE_ADDR="10.9.9.9").status_code == 302


# The password change's current-password field


NEW = "sungai-mesuji-88"


def change(client, old, ip=OFFICE):
    return client.post(
        "/akun/sandi/",
        {
            "old_password": old,
            "new_password1": "sungai-mesuji-88",
            "new_password2": "sungai-mesuji-88",
        },
        REMOTE_ADDR=ip,
    )


def test_wrong_current_passwords_are_recorded_and_throttled(client_as, personas):
    client = client_as(personas["operator_a"])
    with time_machine.travel(START, tick=False):
        for _ in range(settings.LOGIN_FAILURE_LIMIT):
            response = change(client, "wrong-password")
            assert response.status_code == 200
            assert response.context["form"].errors["old_password"]
        failures = AuditEvent.objects.filter(
            action=Action.LOGIN_FAILED, actor_username="operator.a"
        )
        assert failures.count() == settings.LOGIN_FAILURE_LIMIT
        # Now even the right current password is refused, and the password stays.
        response = change(client, PASSWORD)
        assert response.status_code == 200
        codes = [e.code for e in response.context["form"].errors.as_data()["old_password"]]
        assert codes == ["locked"]
        personas["operator_a"].refresh_from_db()
        assert personas["operator_a"].check_password(PASSWORD)
        assert AuditEvent.objects.filter(action=Action.LOGIN_LOCKED).count() == 1


def test_the_password_change_works_again_after_the_lockout(client_as, personas):
    client = client_as(personas["operator_a"])
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(settings.LOGIN_FAILURE_LIMIT):
            change(client, "wrong-password")
        clock.shift(settings.LOGIN_LOCKOUT + timedelta(seconds=1))
        client.force_login(personas["operator_a"])  # the idle timeout ended the session
        assert change(client, PASSWORD).status_code == 302
