"""API tokens: shown once, stored hashed, expire, revoked; every call audited; 401 otherwise."""

import hashlib
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from lindung.api.models import ApiToken
from lindung.api.services import api_token_create, api_token_revoke
from lindung.audit.models import Action, AuditEvent

pytestmark = pytest.mark.django_db

URL = "/api/v1/persons?name=siti"


def test_token_is_stored_only_as_its_digest(personas):
    token, raw = api_token_create(actor=None, user=personas["operator_a"])
    assert raw.startswith("lnd_")
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in (stored.digest, stored.prefix, stored.name)
    assert raw.split("_")[1] == stored.prefix


def test_a_valid_token_answers_as_its_user(call):
    assert call("operator_a", "get", URL).status_code == 200


@pytest.mark.parametrize(
    "header",
    [
        None,
        "Bearer",
        "Bearer nonsense",
        "Token lnd_0123456789_abcdefghijklmnopqrstuvwxyz",
        "Basic x",
    ],
)
def test_missing_or_malformed_token_gets_401_problem(client, header):
    headers = {"Authorization": header} if header else {}
    response = client.get(URL, headers=headers)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    body = response.json()
    assert body["status"] == 401
    assert body["errors"][0]["code"] == "token"
    assert body["errors"][0]["message_id"] != body["errors"][0]["message_en"]


def test_a_token_with_a_wrong_secret_gets_401(call, tokens):
    raw = tokens["operator_a"]
    forged = raw[:-4] + ("AAAA" if not raw.endswith("AAAA") else "BBBB")
    assert call(None, "get", URL, token=forged).status_code == 401


def test_revoked_token_gets_401(call, tokens, personas):
    token = ApiToken.objects.get(user=personas["operator_a"])
    api_token_revoke(actor=personas["operator_a"], token=token)
    assert call("operator_a", "get", URL).status_code == 401


def test_expired_token_gets_401(call, personas):
    _token, raw = api_token_create(actor=None, user=personas["operator_b"], days=2)
    assert call(None, "get", URL, token=raw).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=2, minutes=1)):
        assert call(None, "get", URL, token=raw).status_code == 401


def test_token_of_a_deactivated_user_gets_401(call, personas):
    user = personas["operator_a"]
    user.is_active = False
    user.save()
    assert call("operator_a", "get", URL).status_code == 401


def test_a_demo_accounts_token_is_refused_outside_demo_mode(call, personas, settings):
    user = personas["operator_a"]
    user.is_demo = True
    user.save()
    assert call("operator_a", "get", URL).status_code == 200
    settings.DEMO_MODE = False
    assert call("operator_a", "get", URL).status_code == 401


def test_every_call_leaves_one_audit_entry_with_the_owner(call, personas):
    before = AuditEvent.objects.filter(action=Action.API_CALL).count()
    call("disnaker", "get", URL)
    call("disnaker", "get", "/api/v1/persons?nik=1811014203950001")
    events = list(AuditEvent.objects.filter(action=Action.API_CALL).order_by("id"))[before:]
    assert len(events) == 2
    assert {e.actor_id for e in events} == {personas["disnaker"].pk}
    assert events[1].object_repr == "GET /api/v1/persons?nik=1811014203950001"


def test_rejected_calls_are_not_written_as_the_owners(client):
    client.get(URL, headers={"Authorization": "Bearer lnd_0123456789_abcdefghijklmnopqrstuvwxyz"})
    assert not AuditEvent.objects.filter(action=Action.API_CALL).exists()


def test_rate_limit_answers_429_with_retry_after(call, settings):
    from django.core.cache import cache

    cache.clear()
    settings.API_RATE_LIMIT = "3/min"
    codes = [call("operator_a", "get", URL).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    response = call("operator_a", "get", URL)
    assert int(response["Retry-After"]) >= 1
    assert response.json()["errors"][0]["code"] == "rate_limit"
    # The limit is per token: another token still works.
    assert call("operator_b", "get", URL).status_code == 200
    cache.clear()


def test_create_api_token_prints_the_token_on_its_last_line(personas, capsys, client):
    call_command("create_api_token", "operator.a", "--days", "30")
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith("lnd_")
    token = ApiToken.objects.get(prefix=last.split("_")[1])
    assert token.user == personas["operator_a"]
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)
    response = client.get(URL, headers={"Authorization": f"Bearer {last}"})
    assert response.status_code == 200


def test_account_page_lists_makes_once_and_revokes_own_tokens(client_as, personas, tokens):
    client = client_as(personas["operator_a"])
    page = client.get("/akun/token-api/")
    assert page.status_code == 200
    own = ApiToken.objects.get(user=personas["operator_a"])
    assert own.prefix in page.content.decode()
    other = ApiToken.objects.get(user=personas["operator_b"])
    assert other.prefix not in page.content.decode()

    made = client.post("/akun/token-api/", {"name": "OpenSID", "days": "90"})
    raw = made.context["new_token"]
    assert raw in made.content.decode()
    assert raw not in client.get("/akun/token-api/").content.decode()  # shown once

    # Someone else's token cannot be revoked from this account.
    assert client.post(f"/akun/token-api/{other.pk}/cabut/").status_code == 404
    assert client.post(f"/akun/token-api/{own.pk}/cabut/").status_code == 302
    own.refresh_from_db()
    other.refresh_from_db()
    assert own.revoked_at is not None and other.revoked_at is None


def test_openapi_document_is_valid_openapi_3(client):
    from openapi_spec_validator import validate

    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    validate(schema)
    assert "bearer" in str(schema["components"]["securitySchemes"]).lower()
    limit = next(
        p for p in schema["paths"]["/api/v1/persons"]["get"]["parameters"] if p["name"] == "limit"
    )
    assert limit["schema"]["maximum"] == 100
    assert "429" in schema["paths"]["/api/v1/persons"]["get"]["responses"]
