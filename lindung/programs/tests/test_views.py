"""Programme pages: who may open what, and the enrol → attend → complete → outcome flow."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import PERSONAS, VILLAGE_B, statuses
from lindung.placements.models import EventKind
from lindung.programs import selectors, services
from lindung.programs.models import Enrollment, EnrollmentStatus, Outcome
from lindung.programs.tests.factories import make_program
from lindung.registry.tests.factories import make_person, open_episode

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(personas):
    return make_program(personas["disnaker"])


@pytest.fixture
def enrollment(personas, program):
    person = make_person(personas["operator_a"], name="Dewi Sartika")
    return services.enrollment_create(
        actor=personas["disnaker"], program=program, person=person, accept_hints=True
    )


def status_of(client_as, user, url):
    response = client_as(user).get(url)
    return response.status_code


def test_anonymous_visitors_are_sent_to_the_login_page(client_as, program, enrollment):
    for url in [
        reverse("programs:program_list"),
        reverse("programs:program_detail", args=[program.pk]),
        reverse("programs:enrollment_detail", args=[enrollment.pk]),
        reverse("programs:quickwin"),
        reverse("programs:quickwin_targets"),
        reverse("programs:program_create"),
    ]:
        response = client_as(None).get(url)
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize(
    "who, expected",
    statuses(refused={"bp3mi_other"}),
)
def test_a_regency_programme_is_seen_in_the_regency_and_above(
    personas, client_as, program, who, expected
):
    url = reverse("programs:program_detail", args=[program.pk])
    assert status_of(client_as, personas[who], url) == expected


@pytest.mark.parametrize(
    "who, expected",
    statuses(refused={"operator_b", "bp3mi_other"}),
)
def test_a_participant_is_seen_only_within_their_village_scope(
    personas, client_as, enrollment, who, expected
):
    url = reverse("programs:enrollment_detail", args=[enrollment.pk])
    assert status_of(client_as, personas[who], url) == expected


def test_the_participant_list_of_a_programme_is_scoped_to_the_viewer(
    personas, client_as, program, enrollment
):
    other = make_person(personas["operator_b"], name="Rahmat Hidayat", sex="M", village=VILLAGE_B)
    services.enrollment_create(
        actor=personas["disnaker"], program=program, person=other, accept_hints=True
    )
    url = reverse("programs:program_detail", args=[program.pk])
    page = client_as(personas["operator_b"]).get(url).content.decode()
    assert "Rahmat Hidayat" in page
    assert "Dewi Sartika" not in page
    page = client_as(personas["disnaker"]).get(url).content.decode()
    assert "Rahmat Hidayat" in page and "Dewi Sartika" in page


@pytest.mark.parametrize(
    "who, expected",
    [
        ("operator_a", 404),
        ("head_a", 404),
        ("disnaker", 200),
        ("opd", 200),
        ("bp3mi", 200),
        ("bp3mi_other", 404),
        ("kp2mi", 200),
        ("admin", 404),
    ],
)
def test_only_programme_managers_in_reach_may_enrol(personas, client_as, program, who, expected):
    url = reverse("programs:program_enroll", args=[program.pk])
    assert status_of(client_as, personas[who], url) == expected


@pytest.mark.parametrize(
    "who, expected",
    [("operator_a", 404), ("disnaker", 200), ("bp3mi", 200), ("bp3mi_other", 404)],
)
def test_only_managers_of_the_programme_area_may_change_it(
    personas, client_as, program, who, expected
):
    url = reverse("programs:program_edit", args=[program.pk])
    assert status_of(client_as, personas[who], url) == expected


@pytest.mark.parametrize("who", PERSONAS)
def test_everyone_sees_quick_win_progress_but_only_an_admin_sets_targets(personas, client_as, who):
    assert status_of(client_as, personas[who], reverse("programs:quickwin")) == 200
    expected = 200 if who == "admin" else 404
    assert status_of(client_as, personas[who], reverse("programs:quickwin_targets")) == expected


def test_quick_win_of_an_area_outside_reach_is_not_found(personas, client_as):
    url = reverse("programs:quickwin") + "?area=33"
    assert status_of(client_as, personas["disnaker"], url) == 404
    assert status_of(client_as, personas["kp2mi"], url) == 200
    assert status_of(client_as, personas["kp2mi"], url + "&year=banana") == 200


def test_disnaker_creates_a_programme_from_the_form(personas, client_as):
    today = timezone.localdate()
    client = client_as(personas["disnaker"])
    data = {
        "title": "Pelatihan Las 3G",
        "kind": "vocational_training",
        "organiser": "lpk",
        "organiser_name": "LPK Mesuji Terampil",
        "area": "18.11",
        "covered_areas": "18.11.01",
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=30)).isoformat(),
        "quota": "20",
        "target_groups": ["candidate"],
        "sessions": "12",
        "competency_scheme": "Welder 3G",
    }
    response = client.post(reverse("programs:program_create"), data)
    assert response.status_code == 302
    program = selectors.program_list(user=personas["disnaker"]).get(title="Pelatihan Las 3G")
    assert [a.code for a in program.covered_areas.all()] == ["18.11.01"]


def test_a_programme_form_with_bad_input_names_the_field(personas, client_as):
    client = client_as(personas["disnaker"])
    data = {
        "title": "X",
        "kind": "vocational_training",
        "organiser": "disnaker",
        "area": "33.01",
        "starts_on": "2026-05-01",
        "ends_on": "2026-04-01",
        "sessions": "1",
    }
    response = client.post(reverse("programs:program_create"), data)
    assert response.status_code == 200
    assert "outside your area of work" in response.content.decode() or "di luar" in (
        response.content.decode()
    )
    data["area"] = "18.11"
    response = client.post(reverse("programs:program_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["ends_on"]


def test_enrolling_shows_hints_first_and_records_those_accepted(personas, client_as):
    disnaker = personas["disnaker"]
    program = make_program(disnaker, kind="empowerment_business", target_groups=["returned"])
    person = make_person(personas["operator_a"], name="Sumiati")
    client = client_as(disnaker)
    url = reverse("programs:program_enroll", args=[program.pk])

    page = client.get(url, {"q": "sumiati"})
    assert page.status_code == 200
    assert page.context["candidates"][0]["hints"]

    refused = client.post(url, {"person": person.pk})
    assert refused.status_code == 302
    assert not Enrollment.objects.filter(person=person).exists()

    accepted = client.post(url, {"person": person.pk, "accept_hints": "on"})
    assert accepted.status_code == 302
    enrollment = Enrollment.objects.get(person=person)
    assert "not_returned" in enrollment.hints_accepted


def test_a_person_outside_the_enrollers_area_cannot_be_enrolled(personas, client_as, program):
    stranger_actor = personas["bp3mi_other"]
    from lindung.programs.tests.factories import area
    from lindung.registry.services import person_create

    stranger = person_create(
        actor=stranger_actor,
        nik="3301014503950007",
        full_name="Orang Jawa",
        sex="F",
        birth_date=date(1995, 3, 5),
        village=area("33.01.01.2001"),
    )
    response = client_as(personas["disnaker"]).post(
        reverse("programs:program_enroll", args=[program.pk]), {"person": stranger.pk}
    )
    assert response.status_code == 404
    assert not Enrollment.objects.filter(person=stranger).exists()


def test_attendance_completion_and_outcome_flow(personas, client_as, enrollment):
    client = client_as(personas["disnaker"])
    today = timezone.localdate()

    response = client.post(
        reverse("programs:enrollment_attendance", args=[enrollment.pk]), {"sessions_attended": 99}
    )
    assert response.status_code == 400
    response = client.post(
        reverse("programs:enrollment_attendance", args=[enrollment.pk]), {"sessions_attended": 9}
    )
    assert response.status_code == 302

    response = client.post(
        reverse("programs:enrollment_complete", args=[enrollment.pk]),
        {"c-completed_on": today.isoformat(), "c-certificate_number": "CG-001"},
    )
    assert response.status_code == 400
    assert response.context["completion_form"].errors["certificate_date"]
    response = client.post(
        reverse("programs:enrollment_complete", args=[enrollment.pk]),
        {
            "c-completed_on": today.isoformat(),
            "c-certificate_number": "CG-001",
            "c-certificate_date": today.isoformat(),
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("programs:outcome_add", args=[enrollment.pk]),
        {"o-kind": "income", "o-observed_on": today.isoformat()},
    )
    assert response.status_code == 400
    response = client.post(
        reverse("programs:outcome_add", args=[enrollment.pk]),
        {"o-kind": "income", "o-observed_on": today.isoformat(), "o-income_band": "1m_3m"},
    )
    assert response.status_code == 302

    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.COMPLETED
    assert enrollment.sessions_attended == 9
    assert enrollment.certified
    assert Outcome.objects.get(enrollment=enrollment).income_band == "1m_3m"


def test_a_village_operator_cannot_write_on_a_participant(personas, client_as, enrollment):
    response = client_as(personas["operator_a"]).post(
        reverse("programs:enrollment_attendance", args=[enrollment.pk]), {"sessions_attended": 3}
    )
    assert response.status_code == 404
    enrollment.refresh_from_db()
    assert enrollment.sessions_attended == 0


def test_completing_a_training_ticks_the_competency_item_of_a_planned_episode(personas, program):
    disnaker = personas["disnaker"]
    person = make_person(disnaker)
    placement = open_episode(
        disnaker, person, destination_country="JP", sector="formal", job="caregiver"
    )
    enrollment = services.enrollment_create(
        actor=disnaker, program=program, person=person, accept_hints=True
    )
    today = timezone.localdate()
    services.enrollment_complete(
        actor=disnaker,
        enrollment=enrollment,
        completed_on=today,
        certificate_number="CG-77",
        certificate_date=today,
    )
    check = placement.checks.get(item="competency")
    assert check.reference == "CG-77"
    assert placement.events.filter(kind=EventKind.TRAINING_COMPLETED).exists()


def test_a_persons_programmes_show_on_their_timeline(personas, enrollment):
    today = timezone.localdate()
    services.enrollment_complete(
        actor=personas["disnaker"],
        enrollment=enrollment,
        completed_on=today,
        certificate_number="CG-9",
        certificate_date=today,
    )
    services.outcome_record(
        actor=personas["disnaker"],
        enrollment=enrollment,
        kind="business_started",
        observed_on=today,
    )
    entries = selectors.person_timeline(user=personas["operator_a"], person=enrollment.person)
    assert {e.kind for e in entries} == {
        "program_enrolled",
        "program_completed",
        "program_outcome",
    }
    assert selectors.person_timeline(user=personas["operator_b"], person=enrollment.person) == []


def test_the_same_person_cannot_be_enrolled_twice(personas, program, enrollment):
    from lindung.lib.errors import ApplicationError

    with pytest.raises(ApplicationError):
        services.enrollment_create(
            actor=personas["disnaker"],
            program=program,
            person=enrollment.person,
            accept_hints=True,
        )


def test_the_dashboard_panel_renders(personas, enrollment):
    from django.template.loader import render_to_string

    panel = selectors.dashboard_panel(user=personas["disnaker"], area_code="18.11")
    assert panel["participants"] == 1
    html = render_to_string("programs/dashboard_panel.html", {"panel": panel})
    assert "Quick Win" in html


def test_a_refused_change_leaves_the_programme_as_it_was(personas, program):
    from lindung.lib.errors import ApplicationError

    with pytest.raises(ApplicationError):
        services.program_update(
            actor=personas["disnaker"],
            program=program,
            data={"ends_on": program.starts_on - timedelta(days=1)},
        )
    program.refresh_from_db()
    assert program.ends_on > program.starts_on
    changes = services.program_update(
        actor=personas["disnaker"], program=program, data={"quota": 30}
    )
    program.refresh_from_db()
    assert changes == {"quota": [None, 30]} and program.quota == 30


def test_the_programmes_list_goes_on_from_the_last_programme_shown(client_as, personas):
    """Keyset pages (lib.keyset): 30 programmes a page, newest start first, the next page
    from the last one shown, every programme once, and no page count to compute."""
    today = timezone.localdate()
    made = [
        make_program(
            personas["disnaker"],
            title=f"Angkatan {n:02d}",
            starts_on=today - timedelta(days=100 + n // 2),  # two programmes a day: ties
            ends_on=today - timedelta(days=10),
        )
        for n in range(31)
    ]
    client = client_as(personas["operator_a"])
    url = reverse("programs:program_list")
    first = client.get(url)
    shown = [p.pk for p in first.context["page"]]
    token = first.context["page"].next_token
    assert len(shown) == 30 and token and f"after={token}" in first.text
    second = client.get(url, {"after": token})
    shown += [p.pk for p in second.context["page"]]
    assert sorted(shown) == sorted(p.pk for p in made)
    expected = sorted(made, key=lambda p: (p.starts_on, p.pk), reverse=True)
    assert shown == [p.pk for p in expected]
    assert second.context["page"].next_token is None
    assert client.get(url, {"after": "not-a-token"}).status_code == 200
