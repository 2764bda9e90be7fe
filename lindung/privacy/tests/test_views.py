"""Every privacy page of one request or breach × every persona, and the pages' own answers."""

import pytest

from lindung.privacy import breaches, services
from lindung.registry.tests.factories import make_person

pytestmark = pytest.mark.django_db

PERSONAS = [
    "operator_a",
    "head_a",
    "operator_b",
    "disnaker",
    "opd",
    "bp3mi",
    "bp3mi_other",
    "kp2mi",
    "admin",
]
# Who reaches a request of village A (and its copy): its village, the regency, the province
# and the nation's handlers; not the other village, the OPD, another province or the admin.
REQUEST_READERS = {"operator_a", "head_a", "disnaker", "bp3mi", "kp2mi"}
# A breach recorded by the regency's Disnaker: the regency and everyone above it.
BREACH_READERS = {"disnaker", "bp3mi", "kp2mi", "admin"}


@pytest.fixture
def request_a(personas):
    person = make_person(personas["operator_a"])
    return services.subject_request_create(
        actor=personas["operator_a"], person=person, kind="access", channel="village"
    )


@pytest.fixture
def breach(personas):
    from django.utils import timezone

    return breaches.breach_create(
        actor=personas["disnaker"],
        found_at=timezone.now(),
        description="Laptop operator hilang",
        data_kinds="nama, NIK",
        affected_count=40,
    )


@pytest.mark.parametrize("who", PERSONAS)
@pytest.mark.parametrize("page", ["", "salinan/", "salinan.json"])
def test_request_pages_are_scoped(personas, client_as, request_a, who, page):
    response = client_as(personas[who]).get(f"/pelindungan-data/permintaan/{request_a.pk}/{page}")
    assert response.status_code == (200 if who in REQUEST_READERS else 404)


@pytest.mark.parametrize("who", PERSONAS)
def test_request_steps_are_scoped(personas, client_as, request_a, who):
    response = client_as(personas[who]).post(f"/pelindungan-data/permintaan/{request_a.pk}/start/")
    assert response.status_code == (302 if who in REQUEST_READERS else 404)


def test_anonymous_visitor_is_sent_to_login(client, request_a, breach):
    for url in [
        f"/pelindungan-data/permintaan/{request_a.pk}/salinan/",
        f"/pelindungan-data/insiden/{breach.pk}/",
    ]:
        assert client.get(url)["Location"].startswith("/akun/masuk/")


@pytest.mark.parametrize("who", PERSONAS)
def test_breach_pages_are_scoped(personas, client_as, breach, who):
    client = client_as(personas[who])
    expected = 200 if who in BREACH_READERS else 404
    assert client.get(f"/pelindungan-data/insiden/{breach.pk}/").status_code == expected
    posted = client.post(f"/pelindungan-data/insiden/{breach.pk}/close/", {"mitigation": ""})
    assert posted.status_code == (400 if who in BREACH_READERS else 404)


def test_an_unknown_step_is_not_found(personas, client_as, request_a):
    client = client_as(personas["operator_a"])
    assert client.post(f"/pelindungan-data/permintaan/{request_a.pk}/erase-all/").status_code == 404


def test_recording_a_request_through_the_pages(personas, client_as):
    person = make_person(personas["operator_a"])
    client = client_as(personas["operator_a"])
    found = client.get("/pelindungan-data/permintaan/baru/", {"nik": person.nik})
    assert person.full_name in found.text
    response = client.post(
        f"/pelindungan-data/permintaan/baru/?person={person.pk}",
        {"kind": "restrict", "channel": "village", "requester_name": "", "details": ""},
    )
    assert response.status_code == 302
    detail = client.get(response["Location"])
    assert 'data-clock="running"' in detail.text
    from lindung.privacy.models import SubjectRequest

    assert SubjectRequest.objects.get(person=person).kind == "restrict"


def test_register_page_lists_every_field_with_its_basis(personas, client_as):
    from lindung.lib.processing import REGISTER

    page = client_as(personas["admin"]).get("/pelindungan-data/register/").text
    for entry in REGISTER:
        assert ", ".join(entry.fields) in page
    assert page.count('data-consent="1"') == sum(e.needs_consent for e in REGISTER)
    assert "style=" not in page and "<style" not in page


def test_the_persons_page_shows_their_requests_to_the_handling_office(
    personas, client_as, request_a
):
    url = f"/penduduk/{request_a.person_id}/"
    assert request_a.number in client_as(personas["operator_a"]).get(url).text
    assert request_a.number not in client_as(personas["opd"]).get(url).text
