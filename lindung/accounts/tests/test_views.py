"""Managing users in the interface: administrators manage everyone, a regency Disnaker the
village accounts of its own regency and nobody else's."""

import pytest
from django.urls import reverse

from conftest import PASSWORD
from lindung.accounts.models import Role, User
from lindung.audit.models import Action, AuditEvent

pytestmark = pytest.mark.django_db

NEW = {
    "username": "operator.nipah",
    "first_name": "Nur Aini",
    "email": "",
    "phone": "",
    "organisation": "Desa Nipah Kuning",
    "role": Role.VILLAGE_OPERATOR,
    "jurisdiction": "18.11.01.2004",
    "password": "kebun-kopi-2026",
}


def detail(user):
    return reverse("accounts:user_detail", args=[user.pk])


def test_an_administrator_sees_every_account(personas, client_as):
    response = client_as(personas["admin"]).get(reverse("accounts:user_list"))
    names = {u.username for u in response.context["page"]}
    assert names == {u.username for u in personas.values()}


def test_a_disnaker_sees_only_the_village_accounts_of_its_regency(personas, client_as):
    response = client_as(personas["disnaker"]).get(reverse("accounts:user_list"))
    names = {u.username for u in response.context["page"]}
    assert names == {"operator.a", "head.a", "operator.b"}


def test_the_user_list_searches_username_and_name(personas, client_as):
    response = client_as(personas["admin"]).get(reverse("accounts:user_list"), {"q": "regency"})
    assert {u.username for u in response.context["page"]} == {"disnaker.regency", "opd.regency"}


def test_an_administrator_creates_an_account_and_lands_on_it(personas, client_as):
    response = client_as(personas["admin"]).post(reverse("accounts:user_create"), NEW)
    user = User.objects.get(username="operator.nipah")
    assert response.status_code == 302
    assert response["Location"] == detail(user)
    assert user.jurisdiction_id == "18.11.01.2004"
    assert user.check_password("kebun-kopi-2026")


def test_a_disnaker_creates_a_village_account_of_its_regency(personas, client_as):
    response = client_as(personas["disnaker"]).post(reverse("accounts:user_create"), NEW)
    assert response.status_code == 302
    assert User.objects.filter(username="operator.nipah").exists()


def test_a_disnaker_is_refused_a_bp3mi_account_with_the_reason_on_the_form(personas, client_as):
    data = {**NEW, "role": Role.BP3MI, "jurisdiction": "18"}
    response = client_as(personas["disnaker"]).post(reverse("accounts:user_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["role"]
    assert "Anda tidak boleh mengelola akun" in response.content.decode()
    assert not User.objects.filter(username="operator.nipah").exists()


def test_a_role_and_area_mismatch_is_shown_on_the_area_field(personas, client_as):
    data = {**NEW, "jurisdiction": "18.11"}
    response = client_as(personas["admin"]).post(reverse("accounts:user_create"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors["jurisdiction"]
    assert errors == ["Operator Desa bekerja di satu desa: pilih wilayah dengan tingkat itu."]


def test_an_unknown_area_code_is_named_in_the_error(personas, client_as):
    data = {**NEW, "jurisdiction": "99.99.99"}
    response = client_as(personas["admin"]).post(reverse("accounts:user_create"), data)
    assert response.context["form"].errors["jurisdiction"] == [
        "Tidak ada wilayah dengan kode 99.99.99."
    ]


def test_a_weak_password_is_shown_on_the_password_field(personas, client_as):
    data = {**NEW, "password": "12345678"}
    response = client_as(personas["admin"]).post(reverse("accounts:user_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["password"]


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"username": "x" * 200, "role": "village_operator"},
        {**NEW, "role": "emperor"},
        {**NEW, "email": "not-an-email"},
        {**NEW, "jurisdiction": "<script>"},
    ],
)
def test_bad_input_never_gives_a_server_error(personas, client_as, data):
    response = client_as(personas["admin"]).post(reverse("accounts:user_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors


def test_the_detail_page_changes_name_role_and_area(personas, client_as):
    target = personas["operator_a"]
    data = {
        "username": "ignored",
        "first_name": "Operator A Baru",
        "email": "a@desa.example",
        "phone": "",
        "organisation": "",
        "role": Role.VILLAGE_HEAD,
        "jurisdiction": "18.11.01.2001",
    }
    response = client_as(personas["admin"]).post(detail(target), data)
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.username, target.first_name, target.role) == (
        "operator.a",
        "Operator A Baru",
        Role.VILLAGE_HEAD,
    )
    event = AuditEvent.objects.get(action=Action.UPDATE, object_id=str(target.pk))
    assert event.changes["role"] == ["village_operator", "village_head"]


def test_a_disnaker_cannot_move_a_village_account_to_another_regency(personas, client_as):
    target = personas["operator_a"]
    data = {
        "first_name": "",
        "role": Role.VILLAGE_OPERATOR,
        "jurisdiction": "33.01.01.2001",
    }
    response = client_as(personas["disnaker"]).post(detail(target), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    target.refresh_from_db()
    assert target.jurisdiction_id == "18.11.01.2001"


def test_deactivating_from_the_detail_page(personas, client_as):
    target = personas["operator_b"]
    client = client_as(personas["disnaker"])
    response = client.post(reverse("accounts:user_set_active", args=[target.pk]), {"active": "0"})
    assert response["Location"] == detail(target)
    target.refresh_from_db()
    assert not target.is_active
    page = client.get(detail(target)).content.decode()
    assert "Nonaktif" in page and "Aktifkan akun" in page
    client.post(reverse("accounts:user_set_active", args=[target.pk]), {"active": "1"})
    target.refresh_from_db()
    assert target.is_active


def test_an_administrator_cannot_deactivate_the_own_account(personas, client_as):
    admin = personas["admin"]
    response = client_as(admin).post(
        reverse("accounts:user_set_active", args=[admin.pk]), {"active": "0"}, follow=True
    )
    admin.refresh_from_db()
    assert admin.is_active
    assert "tidak dapat menonaktifkan akun Anda sendiri" in response.content.decode()


def test_resetting_a_password_from_the_detail_page(personas, client_as):
    target = personas["operator_a"]
    url = reverse("accounts:user_reset_password", args=[target.pk])
    response = client_as(personas["disnaker"]).post(
        url, {"password": "sawah-hijau-77"}, follow=True
    )
    target.refresh_from_db()
    assert target.check_password("sawah-hijau-77")
    assert "Kata sandi telah diatur ulang." in response.content.decode()


def test_a_weak_reset_password_is_refused_with_a_message(personas, client_as):
    target = personas["operator_a"]
    url = reverse("accounts:user_reset_password", args=[target.pk])
    response = client_as(personas["admin"]).post(url, {"password": "123"}, follow=True)
    target.refresh_from_db()
    assert target.check_password(PASSWORD)
    assert response.status_code == 200
    assert list(response.context["messages"])


def test_an_empty_reset_password_asks_for_one(personas, client_as):
    target = personas["operator_a"]
    url = reverse("accounts:user_reset_password", args=[target.pk])
    response = client_as(personas["admin"]).post(url, {"password": ""}, follow=True)
    assert "Ketik kata sandi baru." in response.content.decode()


def test_the_detail_page_links_to_the_accounts_history(personas, client_as):
    target = personas["operator_a"]
    html = client_as(personas["admin"]).get(detail(target)).content.decode()
    assert f"object_type=accounts.user&amp;object_id={target.pk}" in html


def test_the_menu_shows_only_what_the_role_may_open(personas, client_as):
    html = client_as(personas["operator_a"]).get("/wilayah/18.11.01.2001/").content.decode()
    assert reverse("accounts:user_list") not in html
    assert reverse("audit:event_list") not in html
    html = client_as(personas["disnaker"]).get("/wilayah/18.11/").content.decode()
    assert reverse("accounts:user_list") in html
    assert reverse("audit:event_list") in html


def test_the_menu_names_the_user_role_and_area(personas, client_as):
    html = client_as(personas["operator_a"]).get("/wilayah/18.11.01.2001/").content.decode()
    assert "Operator Desa" in html
    assert "Desa Wiralaga I" in html
