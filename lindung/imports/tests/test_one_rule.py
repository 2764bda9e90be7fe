"""Every rule the two writers share gives the same record: the placement services (the forms,
the API) and the bulk import (imports/engine.py, imports/writer.py) apply the same pure
functions, so one person recorded each way ends in the same state and the same counters.

The rules: the phase and the return date the person carries (placements/phase.py), the
readiness verdict and the minimum age (placements/readiness.py), the destination country
(placements/destination.py), the sector and scheme defaults (placements/defaults.py), the
counter keys (counters/keeping.py) and the NIK cleaning (lib/nik.py)."""

import datetime as dt

import pytest

from lindung.counters.keeping import counters_for_person
from lindung.imports.tests.factories import HEADER, nik_for, person_row, registered, write_xlsx
from lindung.imports.tests.test_engine import apply
from lindung.lib.cells import parse_nik_cell
from lindung.lib.errors import ApplicationError
from lindung.lib.nik import clean_nik
from lindung.placements import services
from lindung.placements.readiness import REQUIRED_ITEMS
from lindung.registry.models import Person
from lindung.reports.counters import counters_differences

BORN = dt.date(1990, 5, 17)
DEPARTED = dt.date(2023, 2, 1)
RETURNED = dt.date(2024, 3, 1)
PLACEMENT_FIELDS = ("destination_country", "scheme", "sector", "job", "status", "procedural",
                    "departed_on", "returned_on", "return_reason")  # fmt: skip


def by_services(actor, village, *, country, job, checked=(), departed=None, returned=None):
    """One person recorded through the services, as the forms record them."""
    person = registered(actor, village, 1, "Sri Lestari", born=BORN)
    placement = services.placement_create(
        actor=actor,
        person=person,
        scheme="individual",
        destination_country=country,
        sector="informal" if job in ("domestic_worker", "caregiver") else "formal",
        job=job,
    )
    for item in checked:
        services.placement_check(
            actor=actor, placement=placement, item=item, checked_on=departed or dt.date.today()
        )
    if departed:
        services.placement_depart(actor=actor, placement=placement, departed_on=departed)
    if returned:
        placement.refresh_from_db()
        services.placement_return(
            actor=actor, placement=placement, returned_on=returned, reason="other"
        )
    person.refresh_from_db()
    return person


def by_import(tmp_path, actor, area, *, country, job_title, checklist=None, status="",
              departed=None, returned=None):  # fmt: skip
    """The same person in a file."""
    fmt = "%d/%m/%Y"
    row = person_row(
        2, "Sri Lestari", born=BORN, country=country, job=job_title,
        departed=departed.strftime(fmt) if departed else "",
        returned=returned.strftime(fmt) if returned else "",
    ) + [status, " ".join(checklist) if checklist is not None else ""]  # fmt: skip
    path = write_xlsx(tmp_path / "a.xlsx", [HEADER + ["Status", "Kelengkapan"], row])
    result = apply(path, area, actor)
    assert result.counts["created"] == 1, result.issues
    return Person.objects.get(nik=nik_for(2, born=BORN))


def assert_same(mine: Person, theirs: Person) -> None:
    assert (mine.phase, mine.returned_on) == (theirs.phase, theirs.returned_on)
    for name in PLACEMENT_FIELDS:
        ours, yours = getattr(mine.current_placement, name), getattr(theirs.current_placement, name)
        assert ours == yours, name
    assert sorted(mine.current_placement.checks.values_list("item", flat=True)) == sorted(
        theirs.current_placement.checks.values_list("item", flat=True)
    )
    # The counter keys: the same person in the same village counts under the same keys.
    assert counters_for_person(mine) == counters_for_person(theirs)
    assert counters_differences() == []


@pytest.mark.parametrize(
    ("country", "departed", "returned", "checked"),
    [
        ("", None, None, ()),  # calon PMI, destination not yet known
        ("TW", None, None, ("passport", "health")),  # calon PMI, part of the checklist
        ("TW", DEPARTED, None, REQUIRED_ITEMS),  # abroad, procedural
        ("MY", DEPARTED, None, ("passport",)),  # abroad, non-procedural
        ("HK", DEPARTED, RETURNED, REQUIRED_ITEMS),  # purna PMI
    ],
)
def test_one_person_recorded_both_ways_is_the_same_record(
    tmp_path, personas, mesuji, village_a, country, departed, returned, checked
):
    actor = personas["disnaker"]
    theirs = by_services(
        actor, village_a, country=country, job="domestic_worker", checked=checked,
        departed=departed, returned=returned,
    )  # fmt: skip
    mine = by_import(
        tmp_path, actor, mesuji, country={"": "", "TW": "Taiwan", "MY": "Malaysia",
        "HK": "Hong Kong"}[country], job_title="PRT", checklist=list(checked),
        status="Calon PMI" if not departed else "", departed=departed, returned=returned,
    )  # fmt: skip
    if not departed and checked:
        # The import records the checklist on the day it is imported; the services on the
        # day given. Both are the day the item is known to be done.
        assert set(mine.current_placement.checks.values_list("checked_on", flat=True)) == {
            dt.date.today()
        }
    assert_same(mine, theirs)


def test_the_minimum_age_refuses_a_departure_on_both_paths(tmp_path, personas, mesuji, village_a):
    actor = personas["disnaker"]
    born = dt.date(2006, 6, 1)  # 16 on the departure day
    person = registered(actor, village_a, 3, "Ani", born=born)
    placement = services.placement_create(
        actor=actor, person=person, scheme="individual", destination_country="MY",
        sector="informal", job="domestic_worker",
    )  # fmt: skip
    with pytest.raises(ApplicationError):
        services.placement_depart(actor=actor, placement=placement, departed_on=dt.date(2022, 6, 1))
    row = person_row(4, "Ani", born=born, country="Malaysia", departed="01/06/2022")
    result = apply(write_xlsx(tmp_path / "a.xlsx", [HEADER, row]), mesuji, actor)
    assert [i["code"] for i in result.issues] == ["under_age"]
    assert not Person.objects.filter(nik=nik_for(4, born=born)).exists()


@pytest.mark.parametrize(
    "raw",
    ["1811015705900001", " 18.11.01.570590.0001 ", "18-11-01-570590-0001",
     "1811\u20130157\u20140590\u22120001", "1811 0157\u200b0590 0001", "\ufeff1811015705900001"],
)  # fmt: skip
def test_a_nik_is_cleaned_alike_by_the_forms_and_the_import(raw):
    assert clean_nik(raw) == parse_nik_cell(raw) == "1811015705900001"


def test_an_imported_departure_of_a_certified_person_counts_towards_the_quick_win(
    tmp_path, personas, mesuji, village_a
):
    """The Quick Win's keys (counters/keeping.py) follow a departure the import records for a
    person already trained and certified, as they follow one the services record."""
    from lindung.programs import selectors as programs_selectors
    from lindung.programs.tests.factories import certify, make_program

    actor = personas["disnaker"]
    departed = dt.date.today() - dt.timedelta(days=5)
    person = registered(actor, village_a, 5, "Sri Lestari", born=BORN)
    certify(actor, make_program(actor), person, on=departed - dt.timedelta(days=30))
    assert programs_selectors.quickwin_count(area_code="18.11", year=departed.year) == 0

    row = person_row(
        5, "Sri Lestari", born=BORN, country="Taiwan", job="Operator Produksi",
        departed=departed.strftime("%d/%m/%Y"),
    ) + [" ".join(REQUIRED_ITEMS)]  # fmt: skip
    result = apply(write_xlsx(tmp_path / "a.xlsx", [HEADER + ["Kelengkapan"], row]), mesuji, actor)
    assert result.counts["updated"] == 1, result.issues
    person.refresh_from_db()
    assert person.current_placement.procedural and person.current_placement.sector == "formal"
    assert programs_selectors.quickwin_count(area_code="18.11", year=departed.year) == 1
    assert counters_differences() == []
