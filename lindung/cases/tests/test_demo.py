import pytest

from lindung.accounts.tests.demo_runs import run_demo
from lindung.cases import demo
from lindung.cases.models import Case, CaseAttachment, CaseStep, Status, StepKind
from lindung.cases.selectors import case_deadline_state, case_parties

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return run_demo(demo)


def test_the_demo_has_a_case_in_every_status_with_urgent_overdue_and_escalated_ones(seeded):
    assert set(Case.objects.values_list("status", flat=True)) == set(Status.values)
    assert Case.objects.filter(urgent=True).exists()
    overdue = [c for c in Case.objects.all() if case_deadline_state(c)["overdue_days"]]
    assert len(overdue) >= 2
    assert Case.objects.filter(escalated_level__isnull=False).exists()
    kinds = set(CaseStep.objects.values_list("kind", flat=True))
    assert {StepKind.TRANSFERRED, StepKind.REOPENED, StepKind.ESCALATED} <= kinds
    assert CaseAttachment.objects.exists()


def test_the_demo_flags_the_p3mi_named_across_villages(seeded):
    # Disnaker Mesuji verified every demo case, so it reads them all (need-to-know).
    parties = case_parties(user=seeded["users"]["disnaker.mesuji"])
    flagged = [p for p in parties if p["recurring"]]
    assert [p["key"] for p in flagged] == ["maju jaya abadi"]
    assert flagged[0]["villages"] == 3


def test_the_demo_shows_every_state_of_need_to_know(seeded):
    from lindung.cases.models import CaseEmergencyRead
    from lindung.cases.need_to_know import may_read_story

    users = seeded["users"]
    supervised = Case.objects.get(supervisor__isnull=False)
    assert supervised.supervisor == users["kp2mi"]
    assert may_read_story(users["kp2mi"], supervised)
    passed = Case.objects.filter(handling_units__unit="disnaker").filter(
        handling_units__unit="bp3mi"
    )
    assert passed.exists()
    grant = CaseEmergencyRead.objects.get()
    assert grant.reader == users["bp3mi.lampung"]
    assert not grant.case.handling_units.filter(unit="bp3mi").exists()


def test_seeding_twice_creates_nothing_more(seeded):
    counts = (Case.objects.count(), CaseStep.objects.count())
    demo.seed(seeded)
    assert (Case.objects.count(), CaseStep.objects.count()) == counts
