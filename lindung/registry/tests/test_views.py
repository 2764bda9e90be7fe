"""The registry pages: who may open them, and what they do."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import EDITORS_A, PERSONAS, READERS_A, VILLAGE_A, VILLAGE_B
from lindung.accounts.models import Role
from lindung.audit.models import Action, AuditEvent
from lindung.lib.nik import encode_nik
from lindung.placements.models import Placement, Status
from lindung.registry.models import FamilyMember, Letter, Person
from lindung.registry.services import family_member_add
from lindung.registry.tests.factories import make_person, open_episode

pytestmark = pytest.mark.django_db


@pytest.fixture
def person_a(personas):
    return make_person(personas["operator_a"], name="Siti Aminah")


def status_of(client_as, user, url, method="get", data=None):
    client = client_as(user)
    response = getattr(client, method)(url, data or {})
    return response.status_code


def assert_redirects_to_login(client_as, url, method="get"):
    response = getattr(client_as(None), method)(url)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


# Residents list


@pytest.mark.parametrize("who", PERSONAS)
def test_every_signed_in_user_opens_the_residents_list(personas, client_as, person_a, who):
    assert status_of(client_as, personas[who], reverse("registry:person_list")) == 200


def test_anonymous_visitor_is_sent_to_login_from_the_residents_list(client_as):
    assert_redirects_to_login(client_as, reverse("registry:person_list"))


def test_residents_list_shows_only_people_in_reach(personas, client_as, person_a):
    make_person(personas["operator_b"], name="Rina Marlina", village=VILLAGE_B)
    page = client_as(personas["operator_a"]).get(reverse("registry:person_list"))
    assert "Siti Aminah" in page.text and "Rina Marlina" not in page.text
    page = client_as(personas["disnaker"]).get(reverse("registry:person_list"))
    assert "Siti Aminah" in page.text and "Rina Marlina" in page.text
    page = client_as(personas["bp3mi_other"]).get(reverse("registry:person_list"))
    assert "Siti Aminah" not in page.text and "Rina Marlina" not in page.text


def test_residents_list_finds_by_partial_normalised_name(personas, client_as):
    make_person(personas["operator_a"], name="Moehammad Djoko")
    make_person(personas["operator_a"], name="Sutrisno", sex="M", birth=date(1990, 1, 1))
    client = client_as(personas["operator_a"])
    page = client.get(reverse("registry:person_list"), {"q": "muhammad joko"})
    assert "Moehammad Djoko" in page.text and "Sutrisno" not in page.text


def test_residents_list_filters_non_procedural_and_masks_the_nik(personas, client_as):
    operator = personas["operator_a"]
    abroad = make_person(operator, name="Lina Marlina")
    placement = open_episode(operator, abroad)
    from lindung.placements.services import placement_depart

    placement_depart(actor=operator, placement=placement, departed_on=timezone.localdate())
    make_person(operator, name="Tuti Alawiyah", birth=date(1990, 5, 5))
    page = client_as(operator).get(reverse("registry:person_list"), {"procedural": "no"})
    assert "Lina Marlina" in page.text and "Tuti Alawiyah" not in page.text
    assert "Non-prosedural" in page.text or "Non-procedural" in page.text
    assert abroad.nik not in page.text and abroad.nik[-4:] in page.text


def test_a_name_search_leaves_the_filter_panel_shut_and_a_filter_opens_it(
    personas, client_as, person_a
):
    client = client_as(personas["operator_a"])
    url = reverse("registry:person_list")

    def panel_open(params):
        page = client.get(url, params).text
        tag = page[page.index('<details class="filters-box"') :].split(">", 1)[0]
        return " open" in tag, page

    shut, page = panel_open({"q": "siti"})
    assert not shut and "Siti Aminah" in page
    assert panel_open({"q": "siti", "sex": "F"})[0]
    assert panel_open({"sex": "F"})[0]
    assert not panel_open({})[0]


def test_bad_filter_values_never_break_the_list(personas, client_as, person_a):
    response = client_as(personas["disnaker"]).get(
        reverse("registry:person_list"),
        {"phase": "nonsense", "age_band": "x", "country": "ZZ", "page": "999"},
    )
    assert response.status_code == 200


# Person page


@pytest.mark.parametrize("who", PERSONAS)
def test_person_page_is_open_exactly_to_those_who_reach_the_village(
    personas, client_as, person_a, who
):
    url = reverse("registry:person_detail", args=[person_a.pk])
    assert status_of(client_as, personas[who], url) == (200 if who in READERS_A else 404)


def test_anonymous_visitor_is_sent_to_login_from_a_person_page(client_as, person_a):
    assert_redirects_to_login(client_as, reverse("registry:person_detail", args=[person_a.pk]))


def test_opening_a_person_page_is_recorded_as_a_read(personas, client_as, person_a):
    client_as(personas["disnaker"]).get(reverse("registry:person_detail", args=[person_a.pk]))
    assert AuditEvent.objects.filter(
        action=Action.VIEW,
        object_type="registry.person",
        object_id=str(person_a.pk),
        actor=personas["disnaker"],
    ).exists()


def test_person_page_marks_minor_children_and_shows_consent(personas, client_as):
    operator = personas["operator_a"]
    person = make_person(operator, phone="0812-3456-7890", contact_consent=True)
    today = timezone.localdate()
    family_member_add(
        actor=operator,
        person=person,
        name="Dimas",
        relation="child",
        birth_date=today.replace(year=today.year - 9),
    )
    family_member_add(
        actor=operator, person=person, name="Rudi", relation="child", birth_date=date(2001, 1, 1)
    )
    page = client_as(operator).get(reverse("registry:person_detail", args=[person.pk])).text
    dimas_row = page[page.index("Dimas") : page.index("Dimas") + 400]
    rudi_row = page[page.index("Rudi") : page.index("Rudi") + 400]
    assert "Anak di bawah umur" in dimas_row
    assert "Anak di bawah umur" not in rudi_row
    assert "+6281234567890" in page
    assert str(operator) in page  # who recorded the consent


def test_person_page_shows_the_nik_mismatch_and_its_explanation(personas, client_as):
    operator = personas["operator_a"]
    nik = encode_nik(district_code="18.11.01", birth_date=date(1990, 1, 1), sex="F", serial=77)
    from lindung.regions.models import Area
    from lindung.registry.services import person_create

    person = person_create(
        actor=operator,
        nik=nik,
        full_name="Nur Hasanah",
        sex="F",
        birth_date=date(1990, 2, 1),
        village=Area.objects.get(code=VILLAGE_A),
        nik_exception="KTP printed with a wrong birth date; correction requested.",
    )
    page = client_as(operator).get(reverse("registry:person_detail", args=[person.pk])).text
    assert "1 Januari 1990" in page and "1 Februari 1990" in page
    assert "correction requested" in page


# Registering a resident


@pytest.mark.parametrize("who", PERSONAS)
def test_only_village_users_and_disnaker_open_the_registration_form(personas, client_as, who):
    expected = 200 if who in {"operator_a", "head_a", "operator_b", "disnaker"} else 404
    assert status_of(client_as, personas[who], reverse("registry:person_create")) == expected


def registration(**overrides):
    data = {
        "nik": encode_nik(district_code="18.11.01", birth_date=date(1998, 7, 9), sex="F", serial=5),
        "full_name": "  dewi   sartika ",
        "sex": "F",
        "birth_date": "1998-07-09",
        "birth_place": "Mesuji",
        "village": VILLAGE_A,
        "dusun": "Karya",
        "rt": "2",
        "rw": "1",
        "plan_abroad": "on",
    }
    data.update(overrides)
    return data


def test_operator_registers_a_resident_and_goes_on_to_plan_the_departure(personas, client_as):
    response = client_as(personas["operator_a"]).post(
        reverse("registry:person_create"), registration()
    )
    person = Person.objects.get(full_name="Dewi Sartika")
    assert response.status_code == 302
    assert response["Location"] == reverse("placements:placement_create", args=[person.pk])
    assert person.village_id == VILLAGE_A and person.rt == "002"
    assert person.created_by == personas["operator_a"]


def test_operator_cannot_register_a_resident_in_another_village(personas, client_as):
    response = client_as(personas["operator_a"]).post(
        reverse("registry:person_create"), registration(village=VILLAGE_B)
    )
    assert response.status_code == 200
    assert not Person.objects.exists()


def test_likely_duplicate_is_shown_before_saving_and_saved_only_when_confirmed(personas, client_as):
    operator = personas["operator_a"]
    make_person(operator, name="Dewi Sartika", birth=date(1998, 7, 9))
    client = client_as(operator)
    first = client.post(reverse("registry:person_create"), registration())
    assert first.status_code == 200
    assert Person.objects.filter(name_key__contains="dewi").count() == 1
    assert 'name="confirm_new" value="1"' in first.text
    second = client.post(reverse("registry:person_create"), registration(confirm_new="1"))
    assert second.status_code == 302
    assert Person.objects.filter(name_key__contains="dewi").count() == 2


def test_nik_mismatch_asks_for_an_explanation_and_accepts_one(personas, client_as):
    client = client_as(personas["operator_a"])
    response = client.post(reverse("registry:person_create"), registration(birth_date="1998-07-10"))
    assert response.status_code == 200
    assert 'name="nik_exception"' in response.text
    assert not Person.objects.exists()
    response = client.post(
        reverse("registry:person_create"),
        registration(birth_date="1998-07-10", nik_exception="KTP has the wrong day."),
    )
    assert response.status_code == 302
    assert Person.objects.get().nik_exception == "KTP has the wrong day."


def test_a_nik_already_registered_anywhere_is_refused(personas, client_as):
    other = make_person(personas["operator_b"], village=VILLAGE_B, birth=date(1998, 7, 9))
    response = client_as(personas["operator_a"]).post(
        reverse("registry:person_create"),
        registration(nik=other.nik, full_name="Someone Else", confirm_new="1"),
    )
    assert response.status_code == 200
    assert Person.objects.count() == 1


def test_phone_without_consent_is_refused_with_the_field_named(personas, client_as):
    response = client_as(personas["operator_a"]).post(
        reverse("registry:person_create"), registration(phone="081234567890")
    )
    assert response.status_code == 200 and not Person.objects.exists()
    assert "has-error" in response.text


def test_garbage_input_gives_a_form_error_not_a_crash(personas, client_as):
    response = client_as(personas["operator_a"]).post(
        reverse("registry:person_create"),
        registration(nik="abc", birth_date="31-02-2000", sex="X", village="99"),
    )
    assert response.status_code == 200 and not Person.objects.exists()


# Correcting, family, archive


@pytest.mark.parametrize("name", ["registry:person_edit", "registry:family_add"])
@pytest.mark.parametrize("who", PERSONAS)
def test_edit_pages_are_open_to_editors_in_reach_only(personas, client_as, person_a, name, who):
    url = reverse(name, args=[person_a.pk])
    assert status_of(client_as, personas[who], url) == (200 if who in EDITORS_A else 404)


@pytest.mark.parametrize("who", PERSONAS)
def test_archive_page_is_open_to_editors_in_reach_only(personas, client_as, person_a, who):
    url = reverse("registry:person_archive", args=[person_a.pk])
    assert status_of(client_as, personas[who], url) == (200 if who in EDITORS_A else 404)


def test_operator_corrects_a_record(personas, client_as, person_a):
    data = registration(nik=person_a.nik, full_name="Siti Aminah Binti Ahmad")
    data.update(birth_date="1995-03-02", dusun="Sukamaju")
    response = client_as(personas["operator_a"]).post(
        reverse("registry:person_edit", args=[person_a.pk]), data
    )
    assert response.status_code == 302
    person_a.refresh_from_db()
    assert person_a.dusun == "Sukamaju" and person_a.full_name == "Siti Aminah Binti Ahmad"


def test_operator_adds_a_family_member(personas, client_as, person_a):
    response = client_as(personas["operator_a"]).post(
        reverse("registry:family_add", args=[person_a.pk]),
        {"name": "ahmad", "relation": "spouse", "phone": "0812 1111 2222", "contact_consent": "on"},
    )
    assert response.status_code == 302
    member = FamilyMember.objects.get(person=person_a)
    assert member.name == "Ahmad" and member.phone == "+6281211112222"


def test_a_family_phone_without_consent_is_not_kept(personas, client_as, person_a):
    response = client_as(personas["operator_a"]).post(
        reverse("registry:family_add", args=[person_a.pk]),
        {"name": "ahmad", "relation": "spouse", "phone": "0812 1111 2222"},
    )
    assert response.status_code == 200
    assert "persetujuan" in response.text.lower() or "consent" in response.text.lower()
    assert not FamilyMember.objects.filter(person=person_a).exists()


def test_archiving_needs_a_reason_and_keeps_the_record(personas, client_as, person_a):
    client = client_as(personas["operator_a"])
    url = reverse("registry:person_archive", args=[person_a.pk])
    assert client.post(url, {"reason": ""}).status_code == 200
    assert client.post(url, {"reason": "Entered twice"}).status_code == 302
    person_a.refresh_from_db()
    assert person_a.is_archived and person_a.archive_reason == "Entered twice"
    assert "Siti Aminah" not in client.get(reverse("registry:person_list")).text


# Verification


@pytest.mark.parametrize("who", PERSONAS)
def test_verification_queue_is_the_village_heads_page(personas, client_as, who):
    url = reverse("registry:verification_queue")
    assert status_of(client_as, personas[who], url) == (200 if who == "head_a" else 404)


def test_queue_lists_unverified_records_of_the_heads_village_only(personas, client_as, person_a):
    make_person(personas["operator_b"], name="Rina Marlina", village=VILLAGE_B)
    page = client_as(personas["head_a"]).get(reverse("registry:verification_queue")).text
    assert "Siti Aminah" in page and "Rina Marlina" not in page


@pytest.mark.parametrize("who", PERSONAS)
def test_only_the_head_of_the_village_verifies(personas, client_as, person_a, who):
    url = reverse("registry:person_verify", args=[person_a.pk])
    code = status_of(client_as, personas[who], url, method="post")
    person_a.refresh_from_db()
    if who == "head_a":
        assert code == 302 and person_a.verified_by == personas["head_a"]
    else:
        assert code == 404 and person_a.verified_at is None


def test_head_of_another_village_cannot_verify(personas, client_as, person_a):
    from conftest import _make

    head_b = _make("head.b", Role.VILLAGE_HEAD, VILLAGE_B)
    url = reverse("registry:person_verify", args=[person_a.pk])
    assert status_of(client_as, head_b, url, method="post") == 404


def test_verify_needs_post(personas, client_as, person_a):
    url = reverse("registry:person_verify", args=[person_a.pk])
    assert status_of(client_as, personas["head_a"], url) == 405


def test_verifying_from_the_queue_returns_to_the_queue(personas, client_as, person_a):
    response = client_as(personas["head_a"]).post(
        reverse("registry:person_verify", args=[person_a.pk]), {"next": "queue"}
    )
    assert response["Location"] == reverse("registry:verification_queue")
    assert "Siti Aminah" not in client_as(personas["head_a"]).get(response["Location"]).text


# Merge


@pytest.mark.parametrize("who", PERSONAS)
def test_merge_page_is_for_the_disnaker(personas, client_as, person_a, who):
    url = reverse("registry:person_merge", args=[person_a.pk])
    assert status_of(client_as, personas[who], url) == (
        200 if who in {"disnaker", "admin"} else 404
    )


def test_disnaker_merges_a_duplicate_keeping_its_episode_and_family(personas, client_as):
    operator = personas["operator_a"]
    keep = make_person(operator, name="Siti Aminah")
    duplicate = make_person(personas["operator_b"], name="Siti Aminah", village=VILLAGE_B)
    from lindung.registry.services import family_member_add as add

    add(actor=personas["operator_b"], person=duplicate, name="Ahmad", relation="spouse")
    episode = open_episode(personas["disnaker"], duplicate)
    client = client_as(personas["disnaker"])
    page = client.get(reverse("registry:person_merge", args=[keep.pk]))
    assert duplicate.nik in page.text
    response = client.post(
        reverse("registry:person_merge", args=[keep.pk]),
        {"other": str(duplicate.pk), "keep": "this"},
    )
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.merged_into == keep and duplicate.is_archived
    assert Placement.objects.get(pk=episode.pk).person == keep
    assert FamilyMember.objects.get(name="Ahmad").person == keep
    assert AuditEvent.objects.filter(action=Action.MERGE, object_id=str(keep.pk)).exists()


def test_merge_finds_the_other_record_by_nik(personas, client_as, person_a):
    other = make_person(personas["operator_b"], name="Aminah", village=VILLAGE_B)
    page = client_as(personas["disnaker"]).get(
        reverse("registry:person_merge", args=[person_a.pk]), {"nik": other.nik}
    )
    assert f'value="{other.pk}"' in page.text


# Letters


@pytest.fixture
def calon_a(personas, person_a):
    operator = personas["operator_a"]
    open_episode(operator, person_a, agency_name="PT Maju Jaya", job_title="")
    family_member_add(actor=operator, person=person_a, name="Ahmad", relation="spouse")
    person_a.refresh_from_db()
    return person_a


@pytest.mark.parametrize("who", PERSONAS)
def test_letters_are_made_by_the_persons_village_only(personas, client_as, calon_a, who):
    url = reverse("registry:letter_create", args=[calon_a.pk])
    expected = 200 if who in {"operator_a", "head_a"} else 404
    assert status_of(client_as, personas[who], url) == expected


def test_family_permission_letter_is_numbered_and_names_the_head(personas, client_as, calon_a):
    client = client_as(personas["operator_a"])
    spouse = FamilyMember.objects.get(person=calon_a)
    response = client.post(
        reverse("registry:letter_create", args=[calon_a.pk]),
        {"kind": "family_permission", "family_member": str(spouse.pk)},
    )
    letter = Letter.objects.get()
    assert response["Location"] == reverse("registry:letter_detail", args=[letter.pk])
    year = timezone.localdate().year
    assert letter.number == 1 and letter.reference == f"474/001/SIK/2001/{year}"
    page = client.get(response["Location"]).text
    assert letter.reference in page
    assert str(personas["head_a"]) in page
    assert "SURAT IZIN KELUARGA" in page and "Ahmad" in page and "Hong Kong" in page
    second = client.post(
        reverse("registry:letter_create", args=[calon_a.pk]), {"kind": "certificate"}
    )
    assert second.status_code == 302
    assert sorted(Letter.objects.values_list("number", flat=True)) == [1, 2]


def test_letter_prints_in_indonesian_even_for_an_english_user(personas, client_as, calon_a):
    from lindung.placements.person_services import letter_issue

    letter = letter_issue(actor=personas["operator_a"], person=calon_a, kind="certificate")
    client = client_as(personas["operator_a"])
    client.cookies["django_language"] = "en"
    page = client.get(reverse("registry:letter_detail", args=[letter.pk])).text
    assert "SURAT KETERANGAN" in page and "Print" in page


def test_family_permission_letter_needs_a_spouse_parent_or_guardian(personas, client_as, calon_a):
    response = client_as(personas["operator_a"]).post(
        reverse("registry:letter_create", args=[calon_a.pk]), {"kind": "family_permission"}
    )
    assert response.status_code == 200 and not Letter.objects.exists()


@pytest.mark.parametrize("who", PERSONAS)
def test_a_letter_is_read_within_reach(personas, client_as, calon_a, who):
    from lindung.placements.person_services import letter_issue

    letter = letter_issue(actor=personas["operator_a"], person=calon_a, kind="certificate")
    url = reverse("registry:letter_detail", args=[letter.pk])
    assert status_of(client_as, personas[who], url) == (200 if who in READERS_A else 404)


def test_person_page_links_the_quick_actions_of_the_current_step(personas, client_as, calon_a):
    page = client_as(personas["operator_a"]).get(
        reverse("registry:person_detail", args=[calon_a.pk])
    )
    placement = Placement.objects.get(person=calon_a, status=Status.PLANNED)
    assert reverse("placements:placement_event", args=[placement.pk, "berangkat"]) in page.text
    assert reverse("registry:letter_create", args=[calon_a.pk]) in page.text
    other = client_as(personas["opd"]).get(reverse("registry:person_detail", args=[calon_a.pk]))
    assert reverse("placements:placement_event", args=[placement.pk, "berangkat"]) not in other.text


def test_a_future_birth_date_is_refused(personas, client_as):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client_as(personas["operator_a"]).post(
        reverse("registry:person_create"), registration(birth_date=tomorrow.isoformat())
    )
    assert response.status_code == 200 and not Person.objects.exists()


def test_verifying_a_calon_pmi_shows_once_on_the_timeline(personas, person_a):
    from lindung.placements.person_services import person_verify
    from lindung.registry.selectors import person_timeline_all

    open_episode(personas["operator_a"], person_a)
    person_verify(actor=personas["head_a"], person=person_a)
    person_a.refresh_from_db()
    kinds = [e.kind for e in person_timeline_all(user=personas["head_a"], person=person_a)]
    assert kinds.count("verified") + kinds.count("verified_record") == 1


def test_verifying_a_resident_without_an_episode_still_shows_on_the_timeline(personas, person_a):
    from lindung.placements.person_services import person_verify
    from lindung.registry.selectors import person_timeline_all

    person_verify(actor=personas["head_a"], person=person_a)
    person_a.refresh_from_db()
    kinds = [e.kind for e in person_timeline_all(user=personas["head_a"], person=person_a)]
    assert kinds.count("verified_record") == 1
