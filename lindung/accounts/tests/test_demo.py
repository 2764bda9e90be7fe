"""The demo accounts exist only in demo mode and are created once."""

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from lindung.accounts.demo import DEMO_ACCOUNTS, seed
from lindung.accounts.models import User
from lindung.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_the_demo_creates_one_account_per_listed_user_with_the_demo_password():
    context = {}
    seed(context)
    assert set(context["users"]) == {row[0] for row in DEMO_ACCOUNTS}
    kades = User.objects.get(username="kades.wiralaga1")
    assert kades.jurisdiction_id == "18.11.01.2001"
    assert kades.check_password("lindung-demo")
    assert User.objects.get(username="admin").jurisdiction is None


def test_a_second_demo_run_creates_nothing():
    seed({})
    users, events = User.objects.count(), AuditEvent.objects.count()
    context = {}
    seed(context)
    assert (User.objects.count(), AuditEvent.objects.count()) == (users, events)
    assert context["users"]["admin"] == User.objects.get(username="admin")


@override_settings(DEMO_MODE=False)
def test_seed_demo_refuses_outside_demo_mode():
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo")
    assert not User.objects.filter(username="admin").exists()
