"""Information sessions, materials, announcements, and the public village page."""

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from conftest import VILLAGE_A, VILLAGE_B, VILLAGE_C, statuses
from lindung.lib.errors import ApplicationError
from lindung.outreach import selectors, services
from lindung.outreach.models import Material
from lindung.programs.tests.factories import area
from lindung.registry.tests.factories import make_person

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make_session(actor, code=VILLAGE_A, **extra):
    values = {
        "held_on": timezone.localdate() - timedelta(days=3),
        "organiser_kind": "village",
        "organiser_name": "Pemerintah Desa",
        "channel": "village_meeting",
        "topics": ["procedure", "costs"],
        "attendees_male": 12,
        "attendees_female": 20,
    }
    values.update(extra)
    return services.session_create(actor=actor, area=area(code), **values)


def make_announcement(actor, code, **extra):
    values = {
        "kind": "warning",
        "title": "Waspada calo",
        "body": "Jangan percaya perekrut tanpa izin.",
        "valid_from": timezone.localdate() - timedelta(days=1),
    }
    values.update(extra)
    return services.announcement_create(actor=actor, area=area(code) if code else None, **values)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def session(personas):
    return make_session(personas["operator_a"])


@pytest.mark.parametrize(
    "who, expected",
    statuses(refused={"operator_b", "bp3mi_other"}),
)
def test_a_village_session_is_seen_within_scope(personas, client_as, session, who, expected):
    url = reverse("outreach:session_detail", args=[session.pk])
    assert client_as(personas[who]).get(url).status_code == expected


@pytest.mark.parametrize(
    "who, expected",
    [
        ("operator_a", 200),
        ("operator_b", 404),
        ("disnaker", 200),
        ("bp3mi_other", 404),
        ("admin", 404),
    ],
)
def test_only_writers_in_scope_may_change_a_session(personas, client_as, session, who, expected):
    url = reverse("outreach:session_edit", args=[session.pk])
    assert client_as(personas[who]).get(url).status_code == expected


def test_a_regency_radio_spot_is_seen_by_its_villages(personas, client_as):
    radio = make_session(personas["disnaker"], code="18.11", channel="radio")
    url = reverse("outreach:session_detail", args=[radio.pk])
    assert client_as(personas["operator_b"]).get(url).status_code == 200
    assert client_as(personas["bp3mi_other"]).get(url).status_code == 404
    response = client_as(personas["operator_b"]).get(
        reverse("outreach:session_edit", args=[radio.pk])
    )
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["operator_a", "disnaker", "kp2mi", "admin"])
def test_list_pages_open_for_logged_in_users_and_not_for_visitors(personas, client_as, who):
    for name in ("outreach:session_list", "outreach:announcement_list"):
        assert client_as(personas[who]).get(reverse(name)).status_code == 200
        response = client_as(None).get(reverse(name))
        assert response.status_code == 302


def test_the_session_list_is_scoped(personas, client_as):
    make_session(personas["operator_a"], organiser_name="PKK Wiralaga")
    make_session(personas["operator_b"], code=VILLAGE_B, organiser_name="PKK Sidomulyo")
    page = client_as(personas["operator_b"]).get(reverse("outreach:session_list"))
    html = page.content.decode()
    assert "PKK Sidomulyo" in html and "PKK Wiralaga" not in html


def test_a_village_operator_cannot_record_for_another_village(personas):
    with pytest.raises(ApplicationError) as error:
        make_session(personas["operator_a"], code=VILLAGE_B)
    assert error.value.field == "area"


def test_a_session_needs_a_topic_and_a_past_date(personas):
    with pytest.raises(ApplicationError) as error:
        make_session(personas["operator_a"], topics=[])
    assert error.value.field == "topics"
    with pytest.raises(ApplicationError) as error:
        make_session(personas["operator_a"], held_on=timezone.localdate() + timedelta(days=1))
    assert error.value.field == "held_on"


def test_reach_is_summed_by_sex_and_by_district(personas):
    make_session(personas["operator_a"])
    make_session(personas["operator_b"], code=VILLAGE_B, attendees_male=5, attendees_female=1)
    make_session(personas["disnaker"], code=VILLAGE_C, attendees_male=1, attendees_female=2)
    make_session(
        personas["disnaker"], code="18.11", channel="radio", attendees_male=100, attendees_female=0
    )
    totals = selectors.reach_totals(area_code="18.11")
    assert totals == {"sessions": 4, "men": 118, "women": 23, "total": 141}
    rows = {
        r["area"].code if r["area"] else None: r
        for r in selectors.reach_by_child(area_code="18.11")
    }
    assert rows["18.11.01"]["men"] == 17 and rows["18.11.01"]["women"] == 21
    assert rows["18.11.02"]["total"] == 3
    assert rows[None]["total"] == 100
    assert sum(r["total"] for r in rows.values()) == totals["total"]


def test_villages_with_outreach_include_those_reached_by_a_shared_session(personas):
    make_session(personas["disnaker"], code=VILLAGE_A, villages=[area(VILLAGE_B)])
    make_session(personas["disnaker"], code="18.11", channel="radio")
    assert selectors.villages_with_outreach(area_code="18.11") == {VILLAGE_A, VILLAGE_B}


def test_a_material_is_accepted_by_its_content_not_its_name(personas, client_as, session):
    client = client_as(personas["operator_a"])
    url = reverse("outreach:material_add", args=[session.pk])
    fake = SimpleUploadedFile(
        "leaflet.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
    )
    response = client.post(url, {"title": "Leaflet", "file": fake})
    assert response.status_code == 400
    assert not Material.objects.exists()

    real = SimpleUploadedFile("leaflet.bin", PDF, content_type="application/octet-stream")
    response = client.post(url, {"title": "Leaflet", "file": real})
    assert response.status_code == 302
    material = Material.objects.get()
    assert material.content_type == "application/pdf"
    assert material.file.name.endswith(".pdf")

    download = reverse("outreach:material_download", args=[material.pk])
    response = client_as(personas["disnaker"]).get(download)
    assert response.status_code == 200
    # Named and typed by its content, downloaded (never shown as a page of Lindung).
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="leaflet.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client_as(personas["operator_b"]).get(download).status_code == 404


def test_announcements_need_a_valid_period_and_vacancies_a_source(personas):
    with pytest.raises(ApplicationError) as error:
        make_announcement(
            personas["disnaker"],
            "18.11",
            valid_until=timezone.localdate() - timedelta(days=5),
        )
    assert error.value.field == "valid_until"
    with pytest.raises(ApplicationError) as error:
        make_announcement(personas["disnaker"], "18.11", kind="vacancy")
    assert error.value.field == "source"
    with pytest.raises(ApplicationError):
        make_announcement(personas["disnaker"], None)
    assert make_announcement(personas["kp2mi"], None, kind="hotline").area is None


@pytest.mark.parametrize(
    "who, expected",
    [("operator_a", 404), ("disnaker", 200), ("opd", 200), ("bp3mi", 200), ("bp3mi_other", 404)],
)
def test_a_regency_announcement_is_changed_only_within_scope(personas, client_as, who, expected):
    announcement = make_announcement(personas["disnaker"], "18.11")
    url = reverse("outreach:announcement_edit", args=[announcement.pk])
    assert client_as(personas[who]).get(url).status_code == expected


# --- The public page -------------------------------------------------------------------------


def test_the_public_page_shows_current_announcements_of_the_village_and_above(personas, client_as):
    make_announcement(personas["operator_a"], VILLAGE_A, title="Rapat desa A")
    make_announcement(personas["operator_b"], VILLAGE_B, title="Rapat desa B")
    make_announcement(
        personas["disnaker"], "18.11", kind="vacancy", title="Lowongan Taiwan", source="SISKOP2MI"
    )
    make_announcement(personas["kp2mi"], None, kind="hotline", title="Call center KP2MI")
    make_announcement(
        personas["disnaker"],
        "18.11",
        title="Sudah lewat",
        valid_from=date(2020, 1, 1),
        valid_until=date(2020, 2, 1),
    )
    make_announcement(
        personas["disnaker"],
        "18.11",
        title="Belum berlaku",
        valid_from=timezone.localdate() + timedelta(days=3),
    )
    html = client_as(None).get(reverse("public:village", args=[VILLAGE_A])).content.decode()
    assert "Rapat desa A" in html and "Lowongan Taiwan" in html and "Call center KP2MI" in html
    assert "Rapat desa B" not in html
    assert "Sudah lewat" not in html and "Belum berlaku" not in html


def test_the_public_page_exists_only_for_villages(client_as):
    assert client_as(None).get(reverse("public:village", args=["18.11"])).status_code == 404
    assert client_as(None).get(reverse("public:village", args=["99.99.99.9999"])).status_code == 404
    assert client_as(None).get(reverse("public:village", args=[VILLAGE_C])).status_code == 200


def test_the_public_page_never_shows_personal_data(personas, client_as):
    operator = personas["operator_a"]
    persons = [
        make_person(operator, name="Siti Rahmawati"),
        make_person(operator, name="Joko Santoso", sex="M", birth=date(1990, 7, 7)),
    ]
    make_session(operator)
    make_announcement(operator, VILLAGE_A)
    html = client_as(None).get(reverse("public:village", args=[VILLAGE_A])).content.decode()
    for person in persons:
        assert person.nik not in html
        assert person.full_name not in html
    assert operator.first_name not in html and operator.username not in html


def test_the_public_page_is_small_and_has_no_scripts(personas, client_as):
    for _ in range(5):
        make_announcement(personas["disnaker"], "18.11", body="Teks pengumuman. " * 20)
    response = client_as(None).get(reverse("public:village", args=[VILLAGE_A]))
    assert response.status_code == 200
    assert len(response.content) < 20_000
    assert b"<script" not in response.content
    # One small stylesheet of its own (the Content-Security-Policy forbids inline style) and
    # the small icon, no font and nothing from elsewhere to fetch on a slow line.
    html = response.content.decode()
    links = re.findall(r'<link rel="([^"]+)" href="([^"]+)"', html)
    assert links == [
        ("stylesheet", "/static/lindung/public.css"),
        ("icon", "/static/lindung/favicon.svg"),
    ]
    css = (Path(settings.BASE_DIR) / "lindung/static/lindung/public.css").stat().st_size
    assert css < 2_000


def test_the_public_page_switches_language_without_a_session(client_as):
    url = reverse("public:village", args=[VILLAGE_A])
    english = client_as(None).get(url + "?lang=en").content.decode()
    assert 'lang="en"' in english
    index = client_as(None).get(reverse("public:index"), {"q": "wiralaga"}).content.decode()
    assert reverse("public:village", args=[VILLAGE_A]) in index


def test_the_dashboard_panel_links_a_village_to_its_public_page(personas):
    from django.template.loader import render_to_string

    make_session(personas["operator_a"])
    panel = selectors.dashboard_panel(user=personas["operator_a"], area_code=VILLAGE_A)
    html = render_to_string("outreach/dashboard_panel.html", {"panel": panel})
    assert reverse("public:village", args=[VILLAGE_A]) in html
    regency = selectors.dashboard_panel(user=personas["disnaker"], area_code="18.11")
    assert regency["totals"]["total"] == 32
