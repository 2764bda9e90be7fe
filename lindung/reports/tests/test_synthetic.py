"""Synthetic data: realistic, reproducible, marked as synthetic, counted correctly."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from lindung.audit.models import AuditEvent
from lindung.lib.names import name_key
from lindung.lib.nik import parse_nik
from lindung.placements.models import Placement, PlacementEvent
from lindung.programs.selectors import quickwin_count
from lindung.registry.models import FamilyMember, Person
from lindung.reports import synthetic
from lindung.reports.counters import counters_differences

TODAY = date(2026, 6, 15)


@pytest.fixture
def generated(db):
    return synthetic.synthetic_generate(people=600, seed=7, area="18.11", today=TODAY)


def _snapshot():
    return list(
        Person.objects.order_by("id").values_list(
            "nik", "full_name", "sex", "birth_date", "village_id", "phase"
        )
    )


def test_same_seed_gives_the_same_people(db):
    synthetic.synthetic_generate(people=80, seed=3, area="18.11", today=TODAY)
    first = _snapshot()
    for pk in Person.objects.values_list("pk", flat=True):  # free the NIKs for a second run
        Person.objects.filter(pk=pk).update(nik=f"x{pk}")
    synthetic.synthetic_generate(people=80, seed=3, area="18.11", today=TODAY)
    second = _snapshot()[80:]
    assert [row[1:] for row in first] == [row[1:] for row in second]
    assert [row[0] for row in first] == [row[0] for row in second]


def test_niks_are_valid_and_agree_with_birth_date_sex_and_district(generated):
    for nik, sex, birth_date, village in Person.objects.values_list(
        "nik", "sex", "birth_date", "village_id"
    ):
        info = parse_nik(nik, today=TODAY)
        assert info.sex == sex
        assert (info.birth_date.day, info.birth_date.month) == (birth_date.day, birth_date.month)
        assert info.district_code == village[:8]
        assert info.serial >= 5000


def test_people_live_in_real_villages_of_the_area_with_name_keys(generated):
    assert Person.objects.exclude(village__code__startswith="18.11.").count() == 0
    person = Person.objects.first()
    assert person.name_key == name_key(person.full_name)
    assert Person.objects.filter(full_name__contains=" ").exists()
    assert Person.objects.exclude(full_name__contains=" ").exists()  # single names too


def test_shares_are_realistic(generated):
    total = Person.objects.count()
    women = Person.objects.filter(sex="F").count()
    assert 0.62 < women / total < 0.82
    abroad = Placement.objects.filter(status="abroad")
    by_country = {c: abroad.filter(destination_country=c).count() for c in ("HK", "TW", "KR")}
    assert by_country["HK"] > by_country["KR"] and by_country["TW"] > by_country["KR"]
    assert Placement.objects.filter(procedural=False).exists()
    reasons = set(
        PlacementEvent.objects.filter(kind="returned").values_list("return_reason", flat=True)
    )
    assert "contract_ended" in reasons and len(reasons) > 3
    assert FamilyMember.objects.filter(relation="child").exists()


def test_phase_follows_the_latest_episode(generated):
    for person in Person.objects.select_related("current_placement"):
        status = person.current_placement.status if person.current_placement else None
        expected = {None: "none", "planned": "candidate", "abroad": "abroad"}.get(
            status, "returned"
        )
        assert person.phase == expected


def test_rows_are_marked_synthetic_and_counted(generated):
    assert not Person.objects.filter(created_by__isnull=False).exists()
    event = AuditEvent.objects.get(object_type="synthetic")
    assert event.changes["persons"] == 600 and event.changes["synthetic"] is True
    assert counters_differences() == []
    call_command("check_counters")  # exits non-zero on any difference


def test_cases_programmes_sessions_and_audit_rows_in_their_shares(generated):
    from lindung.cases.models import Case, CaseCategory, CaseHandlingUnit, CaseStep
    from lindung.outreach.models import OutreachSession
    from lindung.programs.models import Enrollment, Program

    cases = Case.objects.all()
    assert 1 <= cases.count() <= 30  # 1 % of those who have worked abroad
    for case in cases.select_related("person", "placement"):
        assert case.village_id == case.person.village_id  # scoping follows the person
        assert case.placement_id == case.person.current_placement_id
        assert case.status in ("received", "verified") and case.due_on is not None
        assert CaseCategory.objects.filter(case=case).count() == 1
        steps = list(CaseStep.objects.filter(case=case).values_list("kind", flat=True))
        assert steps == (["recorded", "verified"] if case.status == "verified" else ["recorded"])
        unit = CaseHandlingUnit.objects.get(case=case)
        assert (unit.unit, unit.area_id) == ("disnaker", case.village_id[:5])
    enrolments = Enrollment.objects.select_related("person", "program")
    assert enrolments.exists()
    for enrolment in enrolments:
        assert enrolment.village_id == enrolment.person.village_id
        assert enrolment.village_id.startswith(enrolment.program.area_id + ".")
        assert enrolment.person.phase in ("candidate", "returned", "abroad")
        certified = enrolment.certified
        assert not certified or (
            enrolment.status == "completed"
            and enrolment.program.kind == "vocational_training"
            and enrolment.certificate_date == enrolment.completed_on
        )
        if enrolment.person.phase == "abroad":  # trained and certified before departing
            departed_on = enrolment.person.current_placement.departed_on
            assert certified and enrolment.certificate_date < departed_on
            assert departed_on.year == TODAY.year and enrolment.person.current_placement.procedural
    # Each of them counts towards the Quick Win, as quickwin_count finds it.
    abroad = enrolments.filter(person__phase="abroad")
    assert quickwin_count(area_code="18.11", year=TODAY.year) == abroad.count() > 0
    # One per kind and regency at most (none fills its quota at this size), and the training
    # of those who departed this year.
    assert Program.objects.count() <= 5 + 1
    assert OutreachSession.objects.count() == 600 // 100
    assert not OutreachSession.objects.exclude(area__code__startswith="18.11.").exists()
    made = (
        Person.objects.count() + cases.count() + enrolments.count() + Program.objects.count()
    ) + OutreachSession.objects.count()
    assert AuditEvent.objects.filter(action="create").count() == made
    assert not AuditEvent.objects.filter(action="create").exclude(area_code__startswith="18.11")
    for model in (Person, Placement, Case, Enrollment, Program, OutreachSession):
        assert not model.objects.filter(archived_at__isnull=False).exists()
        assert model.objects.filter(archived_at__isnull=True).count() == model.objects.count()


def test_most_who_complete_a_vocational_training_are_certified(db):
    from lindung.programs.models import Enrollment

    synthetic.synthetic_generate(people=2500, seed=11, area="18.11", today=TODAY)
    trained = Enrollment.objects.filter(
        program__kind="vocational_training", status="completed", person__phase="candidate"
    )
    certified = trained.exclude(certificate_number="").count()
    assert 0.5 * trained.count() <= certified < trained.count()  # three in four, drawn


def test_a_full_programme_makes_way_for_another_batch(db, monkeypatch):
    """Programmes hold their quota: the regency starts another batch of the same kind once
    one is full, as a training class would."""
    from django.db.models import Count

    from lindung.programs.models import Program
    from lindung.reports import synthetic_draw

    monkeypatch.setattr(synthetic_draw, "QUOTA", 3)
    synthetic.synthetic_generate(people=600, seed=7, area="18.11", today=TODAY)
    programmes = Program.objects.annotate(n=Count("enrollments"))
    assert set(programmes.values_list("quota", flat=True)) == {3}
    assert max(programmes.values_list("n", flat=True)) == 3
    # More batches of a kind than the one of each a smaller quota would leave room for.
    assert programmes.values("kind").annotate(batches=Count("id")).filter(batches__gt=1).exists()


def test_indexes_and_sequences_are_back_after_the_load(generated):
    from lindung.lib.bulkload import index_columns

    names = {name for name, _, _ in index_columns()["registry_person"]}
    assert any(name.endswith("_idx") for name in names)
    person = Person.objects.order_by("id").last()
    # A record made the ordinary way after the load takes the next id.
    copy = Person.objects.create(
        nik="1811010101900001", full_name="Uji", sex="F", birth_date=date(1990, 1, 1),
        village_id=person.village_id,
    )  # fmt: skip
    assert copy.pk > person.pk


def test_the_load_bumps_the_counters_version_of_every_regency_once(db):
    from lindung.counters.models import CounterVersion
    from lindung.regions.models import Area, Level

    # The version triggers are lifted while the counters are written: the load bumps them.
    assert not CounterVersion.objects.exists()
    synthetic.synthetic_generate(people=50, seed=3, area="18.11", today=TODAY)
    regencies = Area.objects.filter(level=Level.REGENCY).values_list("code", flat=True)
    versions = dict(CounterVersion.objects.values_list("area", "n"))
    assert "18.11" in versions and versions == dict.fromkeys(regencies, 1)
    assert len(set(CounterVersion.objects.values_list("token", flat=True))) > 1


def test_command_refuses_an_area_without_villages(db):
    with pytest.raises(CommandError):
        call_command("generate_synthetic", people=5, area="99")


def test_demo_seed_is_idempotent(db):
    from lindung.reports import demo

    original = demo.DEMO_PEOPLE
    demo.DEMO_PEOPLE = 50
    try:
        demo.seed({})
        demo.seed({})
    finally:
        demo.DEMO_PEOPLE = original
    assert Person.objects.count() == 50
