"""Two-factor sign-in: who must enrol, the TOTP flow with real codes, recovery codes, the lock."""

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD
from lindung.accounts import two_factor
from lindung.audit.models import Action, AuditEvent

pytestmark = pytest.mark.django_db

REQUIRED = ["disnaker", "opd", "bp3mi", "bp3mi_other", "kp2mi", "admin"]
NOT_REQUIRED = ["operator_a", "head_a", "operator_b"]


def code_of(device) -> str:
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):0{device.digits}d}"


def sign_in(user) -> Client:
    """A client past the password step only (a real login through the login form)."""
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302, response.content
    return client


@override_settings(LINDUNG_2FA_REQUIRED=True)
@pytest.mark.parametrize("persona", REQUIRED)
def test_office_roles_must_enrol_before_anything_else_in_production(personas, persona):
    client = sign_in(personas[persona])
    for url in ("/", reverse("registry:person_list"), reverse("accounts:password_change")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:two_factor_enrol"))
    assert client.get(reverse("accounts:two_factor_enrol")).status_code == 200


@override_settings(LINDUNG_2FA_REQUIRED=True)
@pytest.mark.parametrize("persona", NOT_REQUIRED)
def test_village_users_are_not_forced_but_may_enrol(personas, persona):
    client = sign_in(personas[persona])
    assert client.get(reverse("registry:person_list")).status_code == 200
    assert client.get(reverse("accounts:two_factor_enrol")).status_code == 200


@override_settings(LINDUNG_2FA_REQUIRED=False)
def test_enrolment_is_optional_when_the_setting_is_off(personas):
    client = sign_in(personas["disnaker"])
    assert client.get(reverse("registry:person_list")).status_code == 200


@override_settings(LINDUNG_2FA_REQUIRED=True)
def test_enrolment_with_a_real_code_gives_ten_recovery_codes_and_is_audited(personas):
    user = personas["disnaker"]
    client = sign_in(user)
    page = client.get(reverse("accounts:two_factor_enrol")).content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert two_factor.secret_base32(device) in page
    assert reverse("accounts:two_factor_qr") in page
    qr = client.get(reverse("accounts:two_factor_qr"))
    assert qr["Content-Type"] == "image/svg+xml"
    assert qr.content.startswith(b'<svg xmlns="http://www.w3.org/2000/svg"')

    wrong = client.post(reverse("accounts:two_factor_enrol"), {"code": "000000"})
    assert wrong.status_code == 200 and "salah" in wrong.content.decode()
    assert not two_factor.two_factor_enrolled(user)

    response = client.post(reverse("accounts:two_factor_enrol"), {"code": code_of(device)})
    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == 10 and all(code in response.content.decode() for code in codes)
    assert two_factor.two_factor_enrolled(user)
    assert AuditEvent.objects.filter(
        action=Action.CREATE, object_type="otp_totp.totpdevice", actor=user
    ).exists()
    # The session that enrolled is verified: the pages open.
    assert client.get(reverse("registry:person_list")).status_code == 200


def test_an_enrolled_user_gives_a_code_at_every_sign_in_even_in_the_demo(personas):
    user = personas["operator_a"]
    device, _ = two_factor.two_factor_enrol_device(user=user)
    client = sign_in(user)
    response = client.get(reverse("registry:person_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))
    # With only the password, the authenticator cannot be replaced either.
    enrol = client.get(reverse("accounts:two_factor_enrol"))
    assert enrol["Location"].startswith(reverse("accounts:two_factor_verify"))

    verify = reverse("accounts:two_factor_verify")
    wrong = client.post(verify, {"code": "123456", "next": "/penduduk/"})
    assert wrong.status_code == 200
    failed = AuditEvent.objects.filter(action=Action.LOGIN_FAILED, actor=user).get()
    assert failed.changes == {"second_factor": "verify"}

    right = client.post(verify, {"code": code_of(device), "next": "/penduduk/"})
    assert right.status_code == 302 and right["Location"] == "/penduduk/"
    assert client.get(reverse("registry:person_list")).status_code == 200
    event = AuditEvent.objects.filter(action=Action.LOGIN, actor=user).latest("pk")
    assert event.changes == {"second_factor": "authenticator"}


def test_a_recovery_code_works_once(personas):
    user = personas["bp3mi"]
    _, codes = two_factor.two_factor_enrol_device(user=user)
    verify = reverse("accounts:two_factor_verify")

    client = sign_in(user)
    assert client.post(verify, {"code": codes[0].upper()}).status_code == 302
    event = AuditEvent.objects.filter(action=Action.LOGIN, actor=user).latest("pk")
    assert event.changes == {"second_factor": "recovery", "recovery_codes_left": 9}

    again = sign_in(user)
    assert again.post(verify, {"code": codes[0]}).status_code == 200
    assert again.get(reverse("registry:person_list")).status_code == 302
    assert again.post(verify, {"code": codes[1]}).status_code == 302


@override_settings(LOGIN_FAILURE_LIMIT=5)
def test_wrong_codes_lock_the_sign_in_like_wrong_passwords(personas):
    user = personas["kp2mi"]
    device, _ = two_factor.two_factor_enrol_device(user=user)
    client = sign_in(user)
    verify = reverse("accounts:two_factor_verify")
    for _ in range(5):
        assert client.post(verify, {"code": "999999"}).status_code == 200
    locked = client.post(verify, {"code": code_of(device)})
    assert locked.status_code == 200
    assert client.get(reverse("registry:person_list")).status_code == 302
    # The password form of the same user and address is locked too.
    response = Client().post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 200


def test_the_command_enrols_a_key_whose_codes_sign_in(personas, capsys):
    user = personas["admin"]
    key = b"twenty-byte-test-key".hex()
    call_command("two_factor_enrol", user.username, key_hex=key)
    out = capsys.readouterr().out
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    assert device.key == key
    assert two_factor.secret_base32(device) in out
    assert len(out.split("recovery codes: ")[1].split()) == 10
    client = sign_in(user)
    assert (
        client.post(reverse("accounts:two_factor_verify"), {"code": code_of(device)}).status_code
        == 302
    )
    assert client.get(reverse("regions:national")).status_code == 200


def test_the_demo_enrols_one_account_with_the_documented_key(db):
    from lindung.accounts import demo

    context: dict = {}
    demo.seed(context)
    user = context["users"][demo.DEMO_TOTP_USER]
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    assert two_factor.secret_base32(device) == "NRUW4ZDVNZTS2ZDFNVXS2MTGMEWWWZLZ"  # README
    assert len(context["demo_recovery_codes"]) == 10
    assert not TOTPDevice.objects.exclude(user=user).exists()
