"""Perbup/Perdes records, their scoping, and the coverage figures."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from conftest import VILLAGE_A, VILLAGE_B, VILLAGE_C, statuses
from lindung.lib.errors import ApplicationError
from lindung.outreach import services as outreach_services
from lindung.programs.tests.factories import area, depart
from lindung.regions.models import Area
from lindung.registry.tests.factories import make_person
from lindung.regulations import selectors, services

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MESUJI_VILLAGES = 105


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def perdes(actor, code, status="draft", **extra):
    if status == "enacted":
        extra.setdefault("number", "1 Tahun 2026")
        extra.setdefault("enacted_on", timezone.localdate() - timedelta(days=10))
    return services.regulation_create(
        actor=actor, area=area(code), kind="perdes", status=status, **extra
    )


@pytest.fixture
def perdes_a(personas):
    return perdes(personas["operator_a"], VILLAGE_A)


@pytest.mark.parametrize(
    "who, expected",
    statuses(refused={"operator_b", "bp3mi_other"}),
)
def test_a_village_perdes_is_seen_within_scope(personas, client_as, perdes_a, who, expected):
    url = reverse("regulations:regulation_detail", args=[perdes_a.pk])
    assert client_as(personas[who]).get(url).status_code == expected


def test_the_regency_perbup_is_seen_by_its_villages_but_changed_only_by_the_regency(
    personas, client_as
):
    perbup = services.regulation_create(
        actor=personas["disnaker"], area=area("18.11"), kind="perbup", status="discussed"
    )
    url = reverse("regulations:regulation_detail", args=[perbup.pk])
    response = client_as(personas["operator_a"]).get(url)
    assert response.status_code == 200 and response.context["form"] is None
    assert client_as(personas["operator_a"]).post(url, {"status": "enacted"}).status_code == 404
    assert client_as(personas["bp3mi_other"]).get(url).status_code == 404
    assert client_as(personas["disnaker"]).get(url).context["form"] is not None


@pytest.mark.parametrize(
    "who", ["operator_a", "head_a", "disnaker", "opd", "bp3mi", "kp2mi", "admin"]
)
def test_list_and_coverage_pages_open_for_logged_in_users(personas, client_as, who):
    client = client_as(personas[who])
    assert client.get(reverse("regulations:regulation_list")).status_code == 200
    assert client.get(reverse("regulations:coverage")).status_code == 200


def test_anonymous_visitors_are_sent_to_login(client_as, perdes_a):
    for url in [
        reverse("regulations:regulation_list"),
        reverse("regulations:coverage"),
        reverse("regulations:regulation_detail", args=[perdes_a.pk]),
        reverse("regulations:regulation_document", args=[perdes_a.pk]),
    ]:
        assert client_as(None).get(url).status_code == 302


@pytest.mark.parametrize(
    "who, code, expected",
    [
        ("operator_a", "18.11", 404),
        ("disnaker", "18.11", 200),
        ("disnaker", "18.11.01", 200),
        ("disnaker", "33", 404),
        ("bp3mi", "18", 200),
        ("bp3mi_other", "18.11", 404),
        ("kp2mi", "33", 200),
    ],
)
def test_coverage_of_an_area_opens_only_within_reach(personas, client_as, who, code, expected):
    url = reverse("regulations:coverage_area", args=[code])
    assert client_as(personas[who]).get(url).status_code == expected


@pytest.mark.parametrize("who", ["bp3mi", "kp2mi", "admin"])
def test_roles_that_do_not_record_regulations_cannot_create_them(personas, who):
    with pytest.raises(ApplicationError):
        perdes(personas[who], VILLAGE_A)


def test_a_village_cannot_record_another_villages_perdes(personas):
    with pytest.raises(ApplicationError) as error:
        perdes(personas["operator_a"], VILLAGE_B)
    assert error.value.field == "area"


def test_kinds_belong_to_their_level_and_each_is_recorded_once(personas, perdes_a):
    with pytest.raises(ApplicationError):
        services.regulation_create(actor=personas["disnaker"], area=area("18.11"), kind="perdes")
    with pytest.raises(ApplicationError):
        services.regulation_create(actor=personas["disnaker"], area=area(VILLAGE_A), kind="perbup")
    with pytest.raises(ApplicationError) as error:
        perdes(personas["disnaker"], VILLAGE_A)
    assert error.value.field == "kind"


def test_enacting_needs_a_number_and_a_date(personas, perdes_a):
    operator = personas["operator_a"]
    with pytest.raises(ApplicationError) as error:
        services.regulation_update(actor=operator, regulation=perdes_a, data={"status": "enacted"})
    assert error.value.field == "number"
    with pytest.raises(ApplicationError) as error:
        services.regulation_update(
            actor=operator, regulation=perdes_a, data={"status": "enacted", "number": "2/2026"}
        )
    assert error.value.field == "enacted_on"
    services.regulation_update(
        actor=operator,
        regulation=perdes_a,
        data={"status": "enacted", "number": "2/2026", "enacted_on": date(2026, 1, 5)},
    )
    perdes_a.refresh_from_db()
    assert perdes_a.status == "enacted"
    assert perdes_a.status_changed_on == timezone.localdate()


def test_the_document_must_really_be_a_pdf(personas, client_as, perdes_a):
    client = client_as(personas["operator_a"])
    url = reverse("regulations:regulation_detail", args=[perdes_a.pk])
    fake = SimpleUploadedFile("perdes.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    response = client.post(url, {"status": "draft", "document": fake})
    assert response.status_code == 400
    assert response.context["form"].errors["document"]
    real = SimpleUploadedFile("perdes.pdf", PDF)
    response = client.post(url, {"status": "draft", "document": real})
    assert response.status_code == 302
    perdes_a.refresh_from_db()
    assert perdes_a.document.name.endswith(".pdf")
    download = reverse("regulations:regulation_document", args=[perdes_a.pk])
    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["Content-Disposition"].endswith('.pdf"')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client_as(personas["operator_b"]).get(download).status_code == 404


def test_coverage_counts_enacted_villages_at_every_level(personas):
    disnaker = personas["disnaker"]
    perdes(disnaker, VILLAGE_A, status="enacted")
    perdes(disnaker, VILLAGE_B, status="discussed")
    perdes(disnaker, VILLAGE_C, status="enacted")
    regency = selectors.coverage_of(area_code="18.11")
    assert regency.villages == MESUJI_VILLAGES
    assert (regency.enacted, regency.discussed, regency.draft) == (2, 1, 0)
    assert regency.none == MESUJI_VILLAGES - 3
    assert regency.share == pytest.approx(200 / MESUJI_VILLAGES)

    districts = selectors.coverage_by_child(area_code="18.11")
    assert len(districts) == 7
    assert sum(d.villages for d in districts) == MESUJI_VILLAGES
    assert sum(d.enacted for d in districts) == 2
    shares = [d.share for d in districts]
    assert shares == sorted(shares, reverse=True)

    province = selectors.coverage_of(area_code="18")
    lampung_villages = Area.objects.filter(code__startswith="18.", level=4).count()
    assert province.villages == lampung_villages and province.enacted == 2
    levels = selectors.coverage_levels(area_code="18.11.01")
    assert [c.area.code for c in levels] == ["18", "18.11", "18.11.01"]


def test_villages_without_even_a_draft_are_the_regencys_to_do_list(personas):
    disnaker = personas["disnaker"]
    perdes(disnaker, VILLAGE_A, status="draft")
    perdes(disnaker, VILLAGE_B, status="none")
    todo = set(selectors.villages_without_draft(area_code="18.11").values_list("code", flat=True))
    assert len(todo) == MESUJI_VILLAGES - 1
    assert VILLAGE_A not in todo and VILLAGE_B in todo


def test_enacting_a_perdes_raises_coverage_on_the_page(personas, client_as, perdes_a):
    client = client_as(personas["disnaker"])
    url = reverse("regulations:coverage_area", args=["18.11"])
    before = client.get(url).context["levels"][-1].enacted
    client_as(personas["operator_a"]).post(
        reverse("regulations:regulation_detail", args=[perdes_a.pk]),
        {"status": "enacted", "number": "3 Tahun 2026", "enacted_on": "2026-01-10"},
    )
    after = client_as(personas["disnaker"]).get(url).context["levels"][-1].enacted
    assert after == before + 1


def test_side_by_side_groups_villages_by_perdes_and_outreach(personas):
    disnaker = personas["disnaker"]
    perdes(disnaker, VILLAGE_A, status="enacted")
    outreach_services.session_create(
        actor=disnaker,
        held_on=timezone.localdate() - timedelta(days=40),
        area=area(VILLAGE_A),
        organiser_kind="opd",
        organiser_name="Disnaker",
        channel="village_meeting",
        topics=["procedure"],
    )
    on = timezone.localdate() - timedelta(days=5)
    depart(disnaker, make_person(disnaker, village=VILLAGE_A), on=on)
    depart(disnaker, make_person(disnaker, village=VILLAGE_B), on=on, procedural=False)
    depart(disnaker, make_person(disnaker, village=VILLAGE_B), on=on)

    groups = {(g.perdes, g.outreach): g for g in selectors.side_by_side(area_code="18.11")}
    with_both = groups[(True, True)]
    assert (with_both.villages, with_both.departures, with_both.non_procedural) == (1, 1, 0)
    neither = groups[(False, False)]
    assert neither.villages == MESUJI_VILLAGES - 1
    assert (neither.departures, neither.non_procedural) == (2, 1)
    assert neither.share == 50.0
    assert groups[(True, False)].share is None


def test_the_dashboard_panel_shows_the_village_perdes_or_the_coverage(personas, perdes_a):
    from django.template.loader import render_to_string

    village = selectors.dashboard_panel(user=personas["operator_a"], area_code=VILLAGE_A)
    assert village["perdes"] == perdes_a
    regency = selectors.dashboard_panel(user=personas["disnaker"], area_code="18.11")
    assert regency["coverage"].villages == MESUJI_VILLAGES
    html = render_to_string("regulations/dashboard_panel.html", {"panel": regency})
    assert reverse("regulations:coverage_area", args=["18.11"]) in html
