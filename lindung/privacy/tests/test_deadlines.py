"""The 3×24-hour clock of requests and breach notices: reminder, escalation, end, time frozen."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command

from lindung.audit.models import AuditEvent
from lindung.cases.models import ActingLevel
from lindung.lib.errors import ApplicationError
from lindung.privacy import breaches, deadlines, services
from lindung.privacy.selectors import clock, subject_request_list
from lindung.registry.tests.factories import make_person

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 6, 15, 9, 0, tzinfo=UTC)


def at(hours: float):
    return time_machine.travel(T0 + timedelta(hours=hours), tick=False)


@pytest.mark.parametrize(
    ("late_hours", "level"),
    [
        (-30, ActingLevel.VILLAGE),
        (0, ActingLevel.VILLAGE),
        (1, ActingLevel.REGENCY),
        (24, ActingLevel.REGENCY),
        (25, ActingLevel.PROVINCE),
        (49, ActingLevel.NATIONAL),
        (24 * 30, ActingLevel.NATIONAL),
    ],
)
def test_acting_level_climbs_one_level_per_day_late(late_hours, level):
    due = deadlines.due_at(T0)
    now = due + timedelta(hours=late_hours)
    assert deadlines.acting_level(ActingLevel.VILLAGE, due, now) == level


def test_reminder_is_due_only_in_the_last_24_hours():
    due = deadlines.due_at(T0)
    assert not deadlines.reminder_due(due, T0 + timedelta(hours=47))
    assert deadlines.reminder_due(due, T0 + timedelta(hours=48, minutes=1))
    assert deadlines.reminder_due(due, due - timedelta(minutes=1))
    assert not deadlines.reminder_due(due, due + timedelta(minutes=1))


@pytest.fixture
def request_a(personas):
    with at(0):
        person = make_person(personas["operator_a"])
        return services.subject_request_create(
            actor=personas["operator_a"], person=person, kind="restrict", channel="village"
        )


def test_request_is_reminded_then_escalated_then_stops_when_answered(personas, request_a):
    with at(10):
        assert services.privacy_deadlines_run() == {"reminded": [], "escalated": []}
        assert clock(request_a)["state"] == "running"
    with at(60):
        result = services.privacy_deadlines_run()
        assert result["reminded"] == [request_a] and result["escalated"] == []
        request_a.refresh_from_db()
        assert request_a.reminded_at == T0 + timedelta(hours=60)
        assert clock(request_a)["state"] == "due_soon"
        # A second run the same hour reminds nobody again.
        assert services.privacy_deadlines_run()["reminded"] == []
    with at(73):
        result = services.privacy_deadlines_run()
        assert result["escalated"] == [request_a]
        request_a.refresh_from_db()
        assert request_a.escalated_level == ActingLevel.REGENCY
        assert clock(request_a)["state"] == "overdue"
        disnaker = personas["disnaker"]
        assert list(subject_request_list(user=disnaker, view="escalated")) == [request_a]
        assert list(subject_request_list(user=disnaker, view="overdue")) == [request_a]
    with at(100):
        services.privacy_deadlines_run()
        request_a.refresh_from_db()
        assert request_a.escalated_level == ActingLevel.PROVINCE
        services.subject_request_complete(actor=personas["disnaker"], request=request_a)
    with at(200):
        assert services.privacy_deadlines_run() == {"reminded": [], "escalated": []}
        request_a.refresh_from_db()
        assert request_a.escalated_level == ActingLevel.PROVINCE
        assert clock(request_a)["state"] == "closed"
    escalations = AuditEvent.objects.filter(
        object_type="privacy.subjectrequest", changes__has_key="escalated_level"
    )
    assert escalations.count() == 2 and escalations.first().actor is None


def test_the_command_escalates_like_escalate_cases(personas, request_a, capsys):
    with at(80):
        call_command("privacy_deadlines")
    out = capsys.readouterr().out
    assert request_a.number in out and "1 escalated" in out


@pytest.fixture
def breach(personas):
    with at(0):
        return breaches.breach_create(
            actor=personas["disnaker"],
            found_at=T0 - timedelta(hours=2),
            description="Daftar warga dikirim ke grup WhatsApp yang salah.",
            data_kinds="nama, NIK, nomor telepon",
            affected_count=35,
        )


def test_breach_notice_is_due_three_times_24_hours_after_it_was_found(breach):
    assert breach.due_at == T0 - timedelta(hours=2) + timedelta(hours=72)
    assert breach.is_open and breach.status == "open"


def test_breach_is_tracked_to_its_end(personas, breach):
    disnaker = personas["disnaker"]
    with at(5):
        with pytest.raises(ApplicationError):
            breaches.breach_close(actor=disnaker, breach=breach)
        breaches.breach_notify(
            actor=disnaker, breach=breach, whom="persons", notice="Surat ke 35 warga."
        )
        assert breach.is_open
    with at(75):
        result = services.privacy_deadlines_run()
        assert result["escalated"] == [breach]
        breach.refresh_from_db()
        assert breach.escalated_level == ActingLevel.PROVINCE  # Disnaker → BP3MI
        breaches.breach_notify(
            actor=disnaker, breach=breach, whom="authority", notice="Surat ke lembaga PDP."
        )
        breach.refresh_from_db()
        assert breach.status == "notified" and not breach.is_open
        breaches.breach_close(actor=disnaker, breach=breach, mitigation="Grup dihapus.")
        breach.refresh_from_db()
        assert breach.status == "closed" and breach.closed_by == disnaker
    with at(300):
        assert services.privacy_deadlines_run() == {"reminded": [], "escalated": []}


def test_notice_cannot_predate_the_finding(personas, breach):
    with at(1), pytest.raises(ApplicationError):
        breaches.breach_notify(
            actor=personas["disnaker"],
            breach=breach,
            whom="persons",
            notice="x",
            at=T0 - timedelta(days=1),
        )


def test_a_village_operator_records_a_breach_of_their_village_only(personas):
    with at(0):
        breach = breaches.breach_create(
            actor=personas["operator_a"],
            found_at=T0,
            description="Buku register hilang",
            data_kinds="nama",
        )
    assert breach.area == "18.11.01.2001"
    with pytest.raises(ApplicationError):
        breaches.breach_notify(
            actor=personas["operator_b"], breach=breach, whom="persons", notice="x"
        )
    with pytest.raises(ApplicationError):
        breaches.breach_create(actor=personas["opd"], found_at=T0, description="x", data_kinds="x")


def test_the_scheduled_jobs_run_the_same_functions(personas, request_a):
    from lindung.ops.tasks import SCHEDULE, privacy_deadlines_job, privacy_retention_job

    assert {"privacy_deadlines", "privacy_retention"} <= {job.name for job in SCHEDULE}
    with at(80):
        assert privacy_deadlines_job.call() == {"reminded": 0, "escalated": 1}
        assert privacy_retention_job.call() == {"anonymised": 0}
    assert AuditEvent.objects.filter(object_type="privacy.retention", action="archive").exists()
