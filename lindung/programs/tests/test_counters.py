"""Programme participation is counted by the counters every writer keeps, and the dashboard's
programme panel reads them: each step of an enrolment's life and an anonymisation keep them
equal to a count of the enrolments, for every user and area."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.utils import timezone

from conftest import PERSONAS, VILLAGE_A, VILLAGE_C
from lindung.accounts.scoping import scope_within
from lindung.counters.models import Counter, Metric
from lindung.privacy.services import person_anonymise
from lindung.programs import selectors, services
from lindung.programs.models import Enrollment, EnrollmentStatus
from lindung.programs.tests.factories import make_program
from lindung.registry.tests.factories import make_person
from lindung.reports.counters import counters_differences, counters_rebuild

pytestmark = pytest.mark.django_db

AREAS = (None, "18", "18.11", "18.11.01", VILLAGE_A, "18.11.02", VILLAGE_C, "31", "31.71")


def counted_live(user, area_code):
    """What the panel showed before the counters: a count of the enrolments themselves."""
    live = scope_within(Enrollment.objects.filter(archived_at__isnull=True), user, area_code)
    by_status = {}
    for enrollment in live:
        by_status[enrollment.status] = by_status.get(enrollment.status, 0) + 1
    certified = sum(1 for enrollment in live if enrollment.certified)
    return by_status, certified


def assert_panel_counts_the_enrolments(personas):
    assert counters_differences() == []
    for name in PERSONAS:
        for area_code in AREAS:
            expected = counted_live(personas[name], area_code)
            got = selectors.enrolment_counts(user=personas[name], area_code=area_code)
            assert got == expected, (name, area_code)


@pytest.fixture
def participants(personas):
    """Four participants of one regency programme: two villages in two districts."""
    disnaker = personas["disnaker"]
    program = make_program(disnaker)
    people = [
        make_person(disnaker, name=name, village=village)
        for name, village in (
            ("Siti Aminah", VILLAGE_A),
            ("Dewi Lestari", VILLAGE_A),
            ("Rina Wati", VILLAGE_C),
            ("Ani Susanti", VILLAGE_C),
        )
    ]
    return [
        services.enrollment_create(actor=disnaker, program=program, person=p, accept_hints=True)
        for p in people
    ]


def test_each_step_of_an_enrolment_keeps_the_counters(personas, participants):
    disnaker = personas["disnaker"]
    assert_panel_counts_the_enrolments(personas)
    nation = selectors.enrolment_counts(user=personas["kp2mi"], area_code=None)
    assert nation == ({EnrollmentStatus.ENROLLED: 4}, 0)

    certified, uncertified, dropped, _ = participants
    yesterday = timezone.localdate() - timedelta(days=1)
    services.enrollment_complete(
        actor=disnaker,
        enrollment=certified,
        completed_on=yesterday,
        certificate_number="BNSP/CG/2026/0001",
        certificate_date=yesterday,
    )
    services.enrollment_complete(actor=disnaker, enrollment=uncertified, completed_on=yesterday)
    services.enrollment_drop(actor=disnaker, enrollment=dropped)
    services.enrollment_record_attendance(actor=disnaker, enrollment=dropped, sessions_attended=0)
    assert_panel_counts_the_enrolments(personas)
    assert selectors.enrolment_counts(user=personas["kp2mi"], area_code=VILLAGE_A) == (
        {EnrollmentStatus.COMPLETED: 2},
        1,
    )
    panel = selectors.dashboard_panel(user=personas["disnaker"], area_code="18.11")
    assert (panel["participants"], panel["completed"], panel["certified"]) == (4, 2, 1)

    # Anonymising the certified participant erases the certificate's number: no longer counted.
    person_anonymise(actor=disnaker, person=certified.person, reason="test")
    assert_panel_counts_the_enrolments(personas)
    assert selectors.enrolment_counts(user=personas["kp2mi"], area_code=None)[1] == 0


def test_a_user_outside_the_area_counts_nothing(personas, participants):
    assert selectors.enrolment_counts(user=personas["bp3mi_other"], area_code=None) == ({}, 0)
    assert selectors.enrolment_counts(user=personas["operator_a"], area_code=VILLAGE_C) == ({}, 0)
    assert selectors.enrolment_counts(user=personas["disnaker"], area_code="31") == ({}, 0)


def test_the_rebuild_and_the_migration_count_what_the_services_kept(personas, participants):
    disnaker = personas["disnaker"]
    yesterday = timezone.localdate() - timedelta(days=1)
    services.enrollment_complete(
        actor=disnaker,
        enrollment=participants[0],
        completed_on=yesterday,
        certificate_number="BNSP/CG/2026/0002",
        certificate_date=yesterday,
    )
    kept = sorted(
        Counter.objects.filter(
            metric__in=[Metric.ENROLMENT, Metric.CERTIFIED], n__gt=0
        ).values_list("village", "level", "metric", "phase", "n")
    )
    # Nation, province and regency hold all three keys (enrolled, completed, certified), the
    # first village and its district all three, the other village and its district one.
    assert len(kept) == 3 * 3 + 2 * 3 + 2 * 1

    counters_rebuild()
    assert counters_differences() == []

    migration = importlib.import_module("lindung.programs.migrations.0002_enrolment_counters")
    migration.forget_enrolments(django_apps, connection.schema_editor())
    assert not Counter.objects.filter(metric__in=[Metric.ENROLMENT, Metric.CERTIFIED]).exists()
    migration.count_enrolments(django_apps, connection.schema_editor())
    assert counters_differences() == []
    again = sorted(
        Counter.objects.filter(
            metric__in=[Metric.ENROLMENT, Metric.CERTIFIED], n__gt=0
        ).values_list("village", "level", "metric", "phase", "n")
    )
    assert again == kept


def test_the_migration_counts_the_quick_win_the_services_kept(personas):
    from lindung.programs.tests.factories import certify, depart

    disnaker = personas["disnaker"]
    training = make_program(disnaker)
    today = timezone.localdate()
    for village in (VILLAGE_A, VILLAGE_C):
        person = make_person(disnaker, village=village, name=f"Warga {village}")
        certify(disnaker, training, person, on=today - timedelta(days=3))
        depart(disnaker, person, on=today - timedelta(days=1))
    quickwin = Counter.objects.filter(metric=Metric.QUICKWIN, n__gt=0)
    kept = sorted(quickwin.values_list("village", "level", "month", "n"))
    assert ("", 0, f"{today.year:04d}", 2) in kept and len(kept) == 3 + 2 * 2

    migration = importlib.import_module("lindung.programs.migrations.0003_quickwin_counters")
    migration.forget_quickwin(django_apps, connection.schema_editor())
    assert not quickwin.exists()
    migration.count_quickwin(django_apps, connection.schema_editor())
    assert sorted(quickwin.values_list("village", "level", "month", "n")) == kept
    assert counters_differences() == []
    counters_rebuild()  # the rebuild's SQL counts them alike
    assert sorted(quickwin.values_list("village", "level", "month", "n")) == kept


def test_the_programme_list_counts_each_programmes_participants_from_the_users_area(
    personas, participants
):
    disnaker = personas["disnaker"]
    yesterday = timezone.localdate() - timedelta(days=1)
    services.enrollment_complete(actor=disnaker, enrollment=participants[0], completed_on=yesterday)
    services.enrollment_drop(actor=disnaker, enrollment=participants[2])
    other = make_program(disnaker, title="Pelatihan Las")  # nobody enrolled yet

    def listed(name):
        rows = selectors.program_list(user=personas[name]).order_by("pk")
        return [(p.pk, p.participants, p.completed) for p in rows]

    programme = participants[0].program_id
    # A dropped participant is still a participant (the enrolment is live); archived ones are not.
    assert listed("disnaker") == [(programme, 4, 1), (other.pk, 0, 0)]
    assert listed("operator_a") == [(programme, 2, 1), (other.pk, 0, 0)]  # village A's two
    participants[1].archived_at = timezone.now()
    participants[1].save(update_fields=["archived_at"])
    assert listed("operator_a") == [(programme, 1, 1), (other.pk, 0, 0)]
