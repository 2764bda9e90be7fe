"""Writing users: the role fits the area, managers stay within their reach, every change is
audited, passwords follow the ASVS L2 rules."""

import pytest
from django.contrib.auth import authenticate

from conftest import PASSWORD
from lindung.accounts.models import Role, User
from lindung.accounts.services import (
    jurisdiction_validate,
    user_can_manage,
    user_create,
    user_set_active,
    user_set_password,
    user_update,
)
from lindung.audit.models import Action, AuditEvent
from lindung.lib.errors import ApplicationError
from lindung.regions.models import Area

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "kebun-kopi-2026"


def area(code):
    return Area.objects.get(code=code)


@pytest.mark.parametrize(
    ("role", "code"),
    [
        (Role.VILLAGE_OPERATOR, "18.11.01.2001"),
        (Role.VILLAGE_HEAD, "18.71.01.1003"),
        (Role.DISNAKER, "18.11"),
        (Role.OPD, "18.71"),
        (Role.BP3MI, "18"),
        (Role.KP2MI, None),
        (Role.ADMIN, None),
    ],
)
def test_each_role_accepts_an_area_of_its_own_level(role, code):
    jurisdiction_validate(role=role, area=area(code) if code else None)


@pytest.mark.parametrize(
    ("role", "code"),
    [
        (Role.VILLAGE_OPERATOR, "18.11"),
        (Role.VILLAGE_OPERATOR, "18.11.01"),
        (Role.VILLAGE_HEAD, None),
        (Role.DISNAKER, "18.11.01.2001"),
        (Role.DISNAKER, "18"),
        (Role.BP3MI, "18.11"),
        (Role.BP3MI, None),
    ],
)
def test_a_role_refuses_an_area_of_another_level_with_a_clear_message(role, code):
    with pytest.raises(ApplicationError) as raised:
        jurisdiction_validate(role=role, area=area(code) if code else None)
    assert raised.value.field == "jurisdiction"
    assert str(Role(role).label) in str(raised.value.message)


@pytest.mark.parametrize("role", [Role.KP2MI, Role.ADMIN])
def test_a_national_role_refuses_any_area(role):
    with pytest.raises(ApplicationError, match="nasional|nationally") as raised:
        jurisdiction_validate(role=role, area=area("18"))
    assert raised.value.field == "jurisdiction"


def test_an_unknown_role_is_refused():
    with pytest.raises(ApplicationError) as raised:
        jurisdiction_validate(role="mayor", area=None)
    assert raised.value.field == "role"


def test_creating_a_user_stores_the_lower_cased_name_a_hashed_password_and_an_audit_entry(
    personas,
):
    user = user_create(
        actor=personas["admin"],
        username="  Operator.Baru ",
        password=GOOD_PASSWORD,
        role=Role.VILLAGE_OPERATOR,
        jurisdiction=area("18.11.01.2003"),
        first_name="Siti Aminah",
    )
    assert user.username == "operator.baru"
    assert user.password != GOOD_PASSWORD and user.check_password(GOOD_PASSWORD)
    assert not user.is_staff and not user.is_superuser
    event = AuditEvent.objects.get(action=Action.CREATE, object_id=str(user.pk))
    assert event.actor == personas["admin"]
    assert event.object_type == "accounts.user"
    assert event.area_code == "18.11.01.2003"
    assert event.changes["jurisdiction"] == [None, "18.11.01.2003"]
    assert event.changes["role"] == [None, "village_operator"]
    assert "password" not in event.changes


def test_a_username_is_taken_whatever_its_case(personas):
    with pytest.raises(ApplicationError) as raised:
        user_create(
            actor=personas["admin"],
            username="OPERATOR.A",
            password=GOOD_PASSWORD,
            role=Role.VILLAGE_OPERATOR,
            jurisdiction=area("18.11.01.2001"),
        )
    assert raised.value.field == "username"


@pytest.mark.parametrize(
    "password",
    ["short1", "password123", "12345678", "siti.aminah", "sitiaminah"],
)
def test_weak_passwords_are_refused(personas, password):
    with pytest.raises(ApplicationError) as raised:
        user_create(
            actor=personas["admin"],
            username="siti.aminah",
            password=password,
            role=Role.VILLAGE_OPERATOR,
            jurisdiction=area("18.11.01.2001"),
            first_name="Siti Aminah",
        )
    assert raised.value.field == "password"
    assert not User.objects.filter(username="siti.aminah").exists()


def test_a_long_passphrase_without_symbols_is_accepted(personas):
    """ASVS L2 wants length, not composition rules."""
    user = user_create(
        actor=personas["admin"],
        username="panjang",
        password="sawah hijau di tepi sungai",
        role=Role.KP2MI,
        jurisdiction=None,
    )
    assert user.check_password("sawah hijau di tepi sungai")


def test_administrators_manage_every_role(personas):
    admin = personas["admin"]
    assert user_can_manage(actor=admin, target_role=Role.BP3MI, target_area=area("33"))
    assert user_can_manage(actor=admin, target_role=Role.ADMIN, target_area=None)


def test_a_disnaker_manages_village_accounts_of_its_own_regency_only(personas):
    disnaker = personas["disnaker"]
    own_village = area("18.11.02.2001")
    assert user_can_manage(actor=disnaker, target_role=Role.VILLAGE_HEAD, target_area=own_village)
    assert not user_can_manage(
        actor=disnaker, target_role=Role.VILLAGE_OPERATOR, target_area=area("18.01.04.2001")
    )
    assert not user_can_manage(actor=disnaker, target_role=Role.DISNAKER, target_area=area("18.11"))
    assert not user_can_manage(actor=disnaker, target_role=Role.OPD, target_area=area("18.11"))


@pytest.mark.parametrize("persona", ["operator_a", "head_a", "opd", "bp3mi", "kp2mi"])
def test_other_roles_manage_nobody(personas, persona):
    assert not user_can_manage(
        actor=personas[persona],
        target_role=Role.VILLAGE_OPERATOR,
        target_area=area("18.11.01.2001"),
    )


def test_a_disnaker_creates_a_village_operator_in_its_regency(personas):
    user = user_create(
        actor=personas["disnaker"],
        username="operator.talangbatu2",
        password=GOOD_PASSWORD,
        role=Role.VILLAGE_OPERATOR,
        jurisdiction=area("18.11.02.2001"),
    )
    assert user.jurisdiction_id == "18.11.02.2001"


@pytest.mark.parametrize(
    ("role", "code"),
    [
        (Role.VILLAGE_OPERATOR, "33.01.01.2001"),
        (Role.DISNAKER, "18.11"),
        (Role.ADMIN, None),
    ],
)
def test_a_disnaker_cannot_create_accounts_beyond_its_reach(personas, role, code):
    with pytest.raises(ApplicationError):
        user_create(
            actor=personas["disnaker"],
            username="intruder",
            password=GOOD_PASSWORD,
            role=role,
            jurisdiction=area(code) if code else None,
        )
    assert not User.objects.filter(username="intruder").exists()


def test_updating_a_user_records_old_and_new_values(personas):
    target = personas["operator_a"]
    changes = user_update(
        actor=personas["admin"],
        user=target,
        data={"jurisdiction": area("18.11.01.2005"), "phone": "0812345678"},
    )
    assert changes == {
        "jurisdiction": ["18.11.01.2001", "18.11.01.2005"],
        "phone": ["", "0812345678"],
    }
    target.refresh_from_db()
    assert target.jurisdiction_id == "18.11.01.2005"
    event = AuditEvent.objects.filter(action=Action.UPDATE, object_id=str(target.pk)).get()
    assert event.changes == changes


def test_an_update_that_changes_nothing_writes_nothing(personas):
    before = AuditEvent.objects.count()
    assert user_update(actor=personas["admin"], user=personas["operator_a"], data={}) == {}
    assert AuditEvent.objects.count() == before


def test_a_role_change_must_fit_the_area(personas):
    target = personas["operator_a"]
    with pytest.raises(ApplicationError) as raised:
        user_update(actor=personas["admin"], user=target, data={"role": Role.DISNAKER})
    assert raised.value.field == "jurisdiction"
    target.refresh_from_db()
    assert target.role == Role.VILLAGE_OPERATOR


def test_a_disnaker_cannot_promote_a_village_operator_or_move_it_out_of_the_regency(personas):
    target = personas["operator_a"]
    with pytest.raises(ApplicationError):
        user_update(
            actor=personas["disnaker"],
            user=target,
            data={"role": Role.DISNAKER, "jurisdiction": area("18.11")},
        )
    with pytest.raises(ApplicationError):
        user_update(
            actor=personas["disnaker"], user=target, data={"jurisdiction": area("18.01.04.2001")}
        )
    target.refresh_from_db()
    assert (target.role, target.jurisdiction_id) == (Role.VILLAGE_OPERATOR, "18.11.01.2001")


def test_the_username_and_unknown_fields_cannot_be_changed(personas):
    for field in ("username", "is_superuser", "password"):
        with pytest.raises(ApplicationError) as raised:
            user_update(actor=personas["admin"], user=personas["operator_a"], data={field: "x"})
        assert raised.value.field == field


def test_deactivating_a_user_is_audited_and_blocks_login(personas):
    target = personas["operator_a"]
    user_set_active(actor=personas["disnaker"], user=target, active=False)
    target.refresh_from_db()
    assert not target.is_active
    assert authenticate(username="operator.a", password=PASSWORD) is None
    event = AuditEvent.objects.get(action=Action.UPDATE, object_id=str(target.pk))
    assert event.changes == {"is_active": [True, False]}
    user_set_active(actor=personas["disnaker"], user=target, active=True)
    assert authenticate(username="operator.a", password=PASSWORD) == target


def test_setting_the_same_state_again_writes_nothing(personas):
    before = AuditEvent.objects.count()
    user_set_active(actor=personas["admin"], user=personas["operator_a"], active=True)
    assert AuditEvent.objects.count() == before


def test_nobody_deactivates_their_own_account(personas):
    with pytest.raises(ApplicationError):
        user_set_active(actor=personas["admin"], user=personas["admin"], active=False)


def test_a_disnaker_cannot_deactivate_a_bp3mi_account(personas):
    with pytest.raises(ApplicationError):
        user_set_active(actor=personas["disnaker"], user=personas["bp3mi"], active=False)
    personas["bp3mi"].refresh_from_db()
    assert personas["bp3mi"].is_active


def test_a_password_reset_is_audited_without_the_password(personas):
    target = personas["operator_b"]
    user_set_password(actor=personas["disnaker"], user=target, password=GOOD_PASSWORD)
    assert authenticate(username="operator.b", password=GOOD_PASSWORD) == target
    event = AuditEvent.objects.get(action=Action.UPDATE, object_id=str(target.pk))
    assert event.changes == {"password": ["***", "***"]}
    assert GOOD_PASSWORD not in str(event.changes)


def test_a_user_may_change_the_own_password_but_not_anothers(personas):
    user_set_password(actor=personas["opd"], user=personas["opd"], password=GOOD_PASSWORD)
    with pytest.raises(ApplicationError):
        user_set_password(
            actor=personas["opd"], user=personas["operator_a"], password=GOOD_PASSWORD
        )


def test_a_weak_reset_password_is_refused(personas):
    with pytest.raises(ApplicationError) as raised:
        user_set_password(actor=personas["admin"], user=personas["operator_a"], password="1234")
    assert raised.value.field == "password"
