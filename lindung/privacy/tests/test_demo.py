import pytest

from lindung.accounts.tests.demo_runs import run_demo
from lindung.privacy import demo
from lindung.privacy.models import Breach, BreachStatus, RequestKind, RequestStatus, SubjectRequest
from lindung.registry.models import Person
from lindung.reports.counters import counters_differences

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    return run_demo(demo)


def test_the_demo_has_requests_in_every_state_and_kind(seeded):
    assert set(SubjectRequest.objects.values_list("status", flat=True)) == set(RequestStatus.values)
    assert set(SubjectRequest.objects.values_list("kind", flat=True)) == set(RequestKind.values)
    open_requests = SubjectRequest.objects.filter(status__in=["received", "in_progress"])
    assert any(r.is_overdue and r.escalated_level is not None for r in open_requests)
    assert any(r.reminded_at and not r.is_overdue for r in open_requests)
    refused_by_law = SubjectRequest.objects.get(kind="delete", status="refused")
    assert refused_by_law.kept
    assert Person.objects.filter(anonymised_at__isnull=False).count() == 1
    assert Person.objects.filter(restricted_at__isnull=False).count() == 1
    assert counters_differences() == []


def test_the_demo_has_breaches_open_late_and_closed(seeded):
    statuses = [b.status for b in Breach.objects.all()]
    assert BreachStatus.OPEN in statuses and BreachStatus.CLOSED in statuses
    assert any(b.is_overdue and b.escalated_level is not None for b in Breach.objects.all())


def test_seeding_twice_creates_nothing_more(seeded):
    counts = (SubjectRequest.objects.count(), Breach.objects.count(), Person.objects.count())
    demo.seed(seeded)
    assert (
        SubjectRequest.objects.count(),
        Breach.objects.count(),
        Person.objects.count(),
    ) == counts
