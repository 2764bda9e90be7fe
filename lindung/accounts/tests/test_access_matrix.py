"""The access matrix: every foundation page × every persona → the expected answer.

"ok" is 200; "moved" a redirect elsewhere than the login page (home sends each user to the
own area; a regional user opening the national page is sent home; a POST that worked returns
to the account page); 404 is the plain "not found or not allowed" page; "login" is the
redirect of an anonymous visitor to the login page.
"""

import pytest

pytestmark = pytest.mark.django_db

PERSONAS = ["operator_a", "operator_b", "disnaker", "bp3mi_other", "kp2mi", "admin", None]

# page: (method, url, data, expected answer for each persona in PERSONAS order)
MATRIX = {
    "home": ("get", "/", None, ["moved"] * 6),
    "national": ("get", "/wilayah/", None, ["moved"] * 4 + ["ok", "ok"]),
    "own_village_a": ("get", "/wilayah/18.11.01.2001/", None, ["ok", 404, "ok", 404, "ok", "ok"]),
    "village_b": ("get", "/wilayah/18.11.01.2005/", None, [404, "ok", "ok", 404, "ok", "ok"]),
    "district": ("get", "/wilayah/18.11.01/", None, [404, 404, "ok", 404, "ok", "ok"]),
    "regency": ("get", "/wilayah/18.11/", None, [404, 404, "ok", 404, "ok", "ok"]),
    "province": ("get", "/wilayah/18/", None, [404, 404, 404, 404, "ok", "ok"]),
    "other_province": ("get", "/wilayah/33/", None, [404, 404, 404, "ok", "ok", "ok"]),
    "other_village": ("get", "/wilayah/33.01.01.2001/", None, [404, 404, 404, "ok", "ok", "ok"]),
    "area_search": ("get", "/wilayah/cari/?q=mesuji", None, ["ok"] * 6),
    "password_change": ("get", "/akun/sandi/", None, ["ok"] * 6),
    "user_list": ("get", "/akun/pengguna/", None, [404, 404, "ok", 404, 404, "ok"]),
    "user_create": ("get", "/akun/pengguna/baru/", None, [404, 404, "ok", 404, 404, "ok"]),
    "user_detail_village": (
        "get",
        "/akun/pengguna/{operator_a}/",
        None,
        [404, 404, "ok", 404, 404, "ok"],
    ),
    "user_detail_province": (
        "get",
        "/akun/pengguna/{bp3mi}/",
        None,
        [404, 404, 404, 404, 404, "ok"],
    ),
    "user_set_active": (
        "post",
        "/akun/pengguna/{operator_b}/aktif/",
        {"active": "0"},
        [404, 404, "moved", 404, 404, "moved"],
    ),
    "user_reset_password": (
        "post",
        "/akun/pengguna/{operator_b}/sandi/",
        {"password": "sawah-hijau-77"},
        [404, 404, "moved", 404, 404, "moved"],
    ),
    "audit_list": ("get", "/audit/", None, [404, 404, "ok", "ok", "ok", "ok"]),
}

CASES = [
    pytest.param(page, persona, expected[i] if persona else "login", id=f"{page}-{persona}")
    for page, (_, _, _, expected) in MATRIX.items()
    for i, persona in enumerate(PERSONAS)
]


def answer(response) -> str | int:
    if response.status_code == 200:
        return "ok"
    if response.status_code == 302:
        return "login" if response["Location"].startswith("/akun/masuk/") else "moved"
    return response.status_code


@pytest.mark.parametrize(("page", "persona", "expected"), CASES)
def test_access(personas, client_as, page, persona, expected):
    method, url, data, _ = MATRIX[page]
    url = url.format(**{name: user.pk for name, user in personas.items()})
    client = client_as(personas[persona] if persona else None)
    response = getattr(client, method)(url, data or {})
    assert answer(response) == expected


def test_the_matrix_covers_every_foundation_url():
    from django.urls import get_resolver

    named = set()
    for namespace in ("regions", "accounts", "audit"):
        resolver = get_resolver().namespace_dict[namespace][1]
        named |= {f"{namespace}:{name}" for name in resolver.reverse_dict if isinstance(name, str)}
    covered = {
        "regions:national",
        "accounts:password_change",
        "regions:area_search",
        "regions:area_detail",
        "accounts:user_list",
        "accounts:user_create",
        "accounts:user_detail",
        "accounts:user_set_active",
        "accounts:user_reset_password",
        "audit:event_list",
    }
    # Login and logout are open to everyone and tested in test_login.
    assert named - covered == {"accounts:login", "accounts:logout"}


def test_a_refused_page_is_the_plain_not_found_page(personas, client_as):
    response = client_as(personas["operator_b"]).get("/wilayah/18.11.01.2001/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Tidak ditemukan atau tidak diizinkan" in html
    assert "Wiralaga" not in html.split("<main")[1]
