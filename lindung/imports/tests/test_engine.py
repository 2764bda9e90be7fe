"""The bulk path gives what the forms' services give, row for row, and keeps the counters."""

import datetime as dt
import gc

import pytest
from django.utils import timezone

from lindung.audit.models import Action, AuditEvent
from lindung.imports import run
from lindung.imports.run import run_import
from lindung.imports.tests.factories import HEADER, nik_for, person_row, registered, write_xlsx
from lindung.imports.writer import Writer, id_ranges
from lindung.placements.models import EventKind, Placement, PlacementEvent
from lindung.placements.readiness import REQUIRED_ITEMS
from lindung.placements.services import placement_create, placement_depart, placement_return
from lindung.registry.models import Person
from lindung.reports.counters import counters_differences


def apply(path, area, actor, apply=True):
    from lindung.imports.headers import auto_mapping
    from lindung.imports.reading import open_table
    from lindung.imports.services import sheet_header

    table = open_table(path)
    header_row, headers = sheet_header(table)
    return run_import(
        path=path,
        sheet=table.sheet,
        header_row=header_row,
        headers=headers,
        mapping=auto_mapping(headers),
        area=area,
        actor=actor,
        apply=apply,
    )


def apply_rows(tmp_path, area, actor, *rows, name="a.xlsx"):
    """Import these rows, under the usual header, from a workbook written for the test."""
    return apply(write_xlsx(tmp_path / name, [HEADER, *rows]), area, actor)


PERSON_FIELDS = ("nik", "full_name", "name_key", "sex", "birth_date", "village_id", "phase")
PLACEMENT_FIELDS = (
    "destination_country",
    "scheme",
    "sector",
    "job",
    "job_title",
    "status",
    "procedural",
    "departed_on",
    "returned_on",
    "return_reason",
    "village_id",
)


def _by_hand(actor, village, serial, name, born, *, country, job, title) -> Person:
    """A woman and her placement as the interface's forms record them."""
    person = registered(actor, village, serial, name, born=born)
    placement_create(
        actor=actor,
        person=person,
        scheme="individual",
        destination_country=country,
        sector="informal",
        job=job,
        job_title=title,
    )
    person.refresh_from_db()
    return person


def _assert_same(result, nik, by_hand, *, but=()) -> Person:
    """The one person the import created has the fields of the one recorded by hand, and so has
    her current placement (but for the fields named)."""
    assert result.counts["created"] == 1, result.issues
    imported = Person.objects.get(nik=nik)
    by_hand.refresh_from_db()
    for name in PERSON_FIELDS[2:]:
        assert getattr(imported, name) == getattr(by_hand, name), name
    mine, theirs = imported.current_placement, by_hand.current_placement
    for name in PLACEMENT_FIELDS:
        if name not in but:
            assert getattr(mine, name) == getattr(theirs, name), name
    return imported


def test_an_imported_row_equals_what_the_services_record(tmp_path, personas, mesuji, village_a):
    disnaker = personas["disnaker"]
    born = dt.date(1990, 5, 17)
    # Through the interface's services:
    by_hand = _by_hand(
        disnaker,
        village_a,
        7,
        "Sri Lestari",
        born,
        country="TW",
        job="caregiver",
        title="Caregiver",
    )
    placement = by_hand.current_placement
    placement_depart(actor=disnaker, placement=placement, departed_on=dt.date(2022, 1, 3))
    placement_return(
        actor=disnaker, placement=placement, returned_on=dt.date(2024, 2, 1), reason="other"
    )
    # Through an import:
    rows = [
        HEADER,
        person_row(
            8,
            "Sri Lestari",
            born=born,
            country="Taiwan",
            job="Caregiver",
            departed="03/01/2022",
            returned="01/02/2024",
        ),
    ]
    result = apply(write_xlsx(tmp_path / "a.xlsx", rows), mesuji, disnaker)
    imported = _assert_same(result, nik_for(8, born=born), by_hand, but=("procedural",))
    mine, theirs = imported.current_placement, by_hand.current_placement
    # The services' departure was recorded with an empty checklist (non-procedural); a file
    # that says nothing of the checklist leaves it not checked.
    assert (theirs.procedural, mine.procedural) == (False, None)
    kinds = lambda p: list(p.events.order_by("id").values_list("kind", flat=True))  # noqa: E731
    # The services record the registration as it happens; an imported row that already
    # departed is history, so it has no "registered today" entry after its departure.
    assert kinds(theirs) == ["registered", "departed", "returned"]
    assert kinds(mine) == ["departed", "returned"]
    assert counters_differences() == []


def test_a_calon_pmi_without_a_country_is_what_the_services_record(
    tmp_path, personas, mesuji, village_a
):
    disnaker = personas["disnaker"]
    born = dt.date(1992, 8, 1)
    by_hand = _by_hand(
        disnaker, village_a, 5, "Rina Wati", born, country="", job="domestic_worker", title="PRT"
    )
    rows = [
        HEADER + ["Status"],
        person_row(6, "Rina Wati", born=born, job="PRT") + ["Calon PMI"],
    ]
    result = apply(write_xlsx(tmp_path / "a.xlsx", rows), mesuji, disnaker)
    _assert_same(result, nik_for(6, born=born), by_hand)
    assert counters_differences() == []


def test_created_records_are_in_the_trail_once_per_chunk_with_their_keys(
    tmp_path, personas, mesuji, monkeypatch
):
    monkeypatch.setattr(run, "CHUNK_SIZE", 2)
    rows = [HEADER, *(person_row(n, country="Malaysia", departed="01/02/2023") for n in [1, 2, 3])]
    apply(write_xlsx(tmp_path / "a.xlsx", rows), mesuji, personas["disnaker"])
    people = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    episodes = list(Placement.objects.order_by("pk").values_list("pk", flat=True))
    entries = AuditEvent.objects.filter(action=Action.IMPORT, actor=personas["disnaker"])
    assert entries.count() == 2  # two chunks
    keys = {"registry.person": [], "placements.placement": []}
    for entry in entries.order_by("id"):
        assert entry.area_code == mesuji.code
        assert entry.object_type == "imports.importbatch"
        for object_type, runs in entry.changes["created"].items():
            keys[object_type] += [k for first, last in runs for k in range(first, last + 1)]
    assert [e.changes["rows"] for e in entries.order_by("id")] == [[2, 3], [4, 4]]
    assert keys == {"registry.person": people, "placements.placement": episodes}
    # No copy of each imported person in the trail; their records say who created them.
    imported = ["registry.person", "placements.placement"]
    assert not AuditEvent.objects.filter(action=Action.CREATE, object_type__in=imported).exists()
    assert set(Person.objects.values_list("created_by", flat=True)) == {personas["disnaker"].pk}


def test_key_runs_compress_consecutive_keys():
    assert id_ranges([]) == []
    assert id_ranges([7, 3, 4, 5, 9, 10]) == [[3, 5], [7, 7], [9, 10]]


def test_a_departure_by_import_without_a_checklist_is_not_checked(tmp_path, personas, mesuji):
    rows = [HEADER, person_row(1, country="Hongkong", departed="01/02/2023")]
    apply(write_xlsx(tmp_path / "a.xlsx", rows), mesuji, personas["disnaker"])
    placement = Placement.objects.get()
    assert placement.status == "abroad"
    assert placement.procedural is None  # not checked, rather than non-procedural
    departed = PlacementEvent.objects.get(kind=EventKind.DEPARTED)
    assert departed.data["not_checked"] is True
    assert counters_differences() == []


def test_a_departure_with_part_of_the_checklist_is_non_procedural(tmp_path, personas, mesuji):
    rows = [
        HEADER + ["Kelengkapan"],
        person_row(1, country="Hongkong", departed="01/02/2023") + ["passport health"],
        person_row(2, country="Taiwan", departed="01/02/2023") + [" ".join(REQUIRED_ITEMS)],
    ]
    apply(write_xlsx(tmp_path / "a.xlsx", rows), mesuji, personas["disnaker"])
    by_country = dict(Placement.objects.values_list("destination_country", "procedural"))
    assert by_country == {"HK": False, "TW": True}
    departed = PlacementEvent.objects.get(
        kind=EventKind.DEPARTED, placement__destination_country="HK"
    )
    assert "passport" not in departed.data["missing"] and "bpjs" in departed.data["missing"]


def test_a_changed_row_updates_the_person_and_audits_the_change(tmp_path, personas, mesuji):
    apply_rows(tmp_path, mesuji, personas["disnaker"], person_row(1, "Siti Aminah"))
    result = apply_rows(
        tmp_path, mesuji, personas["disnaker"], person_row(1, "Siti Aminah Sari"), name="b.xlsx"
    )
    assert result.counts["updated"] == 1
    person = Person.objects.get()
    assert person.full_name == "Siti Aminah Sari"
    change = AuditEvent.objects.get(action=Action.UPDATE, object_id=str(person.pk))
    assert change.changes["full_name"] == ["Siti Aminah", "Siti Aminah Sari"]


def test_a_person_changed_by_a_service_while_the_import_ran_is_counted_as_committed(
    tmp_path, personas, mesuji, monkeypatch
):
    """The writer takes the counter keys of the persons it updates from their locked rows,
    not from what it read when it planned the chunk."""
    from conftest import VILLAGE_B
    from lindung.regions.models import Area
    from lindung.registry.services import person_update

    actor = personas["disnaker"]
    apply_rows(tmp_path, mesuji, actor, person_row(1, "Siti Aminah"))
    write = Writer.write

    def moved_meanwhile(writer, decisions):
        person = Person.objects.get()
        person_update(
            actor=actor, person=person, data={"village": Area.objects.get(code=VILLAGE_B)}
        )
        write(writer, decisions)

    monkeypatch.setattr(Writer, "write", moved_meanwhile)
    result = apply_rows(tmp_path, mesuji, actor, person_row(1, "Siti Aminah Sari"), name="b.xlsx")

    assert result.counts["updated"] == 1, result.issues
    assert Person.objects.values_list("full_name", "village_id").get() == (
        "Siti Aminah Sari",
        VILLAGE_B,
    )
    assert counters_differences() == []


def test_imported_episodes_are_counted_in_the_warnings_as_their_lists_hold_them(
    tmp_path, personas, mesuji
):
    """New persons counted from their drafts, updated ones read back: every warning count
    from the counters equals its list, for every user."""
    from conftest import PERSONAS
    from lindung.reports import selectors

    actor = personas["disnaker"]
    long_ago = (timezone.localdate() - dt.timedelta(days=400)).strftime("%d/%m/%Y")
    recently = (timezone.localdate() - dt.timedelta(days=20)).strftime("%d/%m/%Y")
    apply_rows(
        tmp_path,
        mesuji,
        actor,
        person_row(1, country="Taiwan", departed=long_ago),  # no contact since
        person_row(2, country="Malaysia", departed=long_ago, returned=recently),
        person_row(3, country="Hong Kong"),
        person_row(4, country="Taiwan", departed=recently),
    )
    rows = [HEADER, person_row(4, country="Taiwan", departed=recently, returned=recently)]
    assert apply(write_xlsx(tmp_path / "b.xlsx", rows), mesuji, actor).counts["updated"] == 1
    assert counters_differences() == []
    kept = selectors.COUNTED_WARNINGS
    for name in PERSONAS:
        user = personas[name]
        counts = selectors.warning_counts(user=user)
        for warning_id in kept:
            items = selectors.warning_items(user=user, warning_id=warning_id)
            assert counts[warning_id] == items.count(), (name, warning_id)
    national = selectors.warning_counts(user=personas["kp2mi"])
    assert (national["no_check_in"], national["returned_not_empowered"]) == (1, 2)


def test_a_later_departure_and_return_update_the_episode(tmp_path, personas, mesuji):
    actor = personas["disnaker"]
    apply_rows(tmp_path, mesuji, actor, person_row(1, country="Taiwan"))
    assert Person.objects.get().phase == "candidate"
    rows = [HEADER, person_row(1, country="Taiwan", departed="01/03/2023", returned="02/03/2025")]
    result = apply(write_xlsx(tmp_path / "b.xlsx", rows), mesuji, actor)
    assert result.counts["updated"] == 1, result.issues
    person = Person.objects.get()
    assert (person.phase, person.returned_on) == ("returned", dt.date(2025, 3, 2))
    assert Placement.objects.count() == 1
    assert counters_differences() == []


def test_a_new_episode_of_a_person_already_recorded_is_linked_counted_and_audited(
    tmp_path, personas, mesuji
):
    actor = personas["disnaker"]
    apply_rows(tmp_path, mesuji, actor, person_row(1), person_row(2))
    rows = [
        HEADER,
        person_row(1, country="Taiwan", departed="01/03/2023"),
        person_row(3, country="Malaysia", departed="01/04/2023"),
    ]
    result = apply(write_xlsx(tmp_path / "b.xlsx", rows), mesuji, actor)
    assert (result.counts["updated"], result.counts["created"]) == (1, 1), result.issues
    for serial, country in [(1, "TW"), (3, "MY")]:
        person = Person.objects.get(nik=nik_for(serial))
        episode = Placement.objects.get(person=person)
        assert episode.destination_country == country
        assert (person.current_placement, person.phase) == (episode, "abroad")
        assert episode.village_id == person.village_id
        assert episode.created_by == actor
        departed = PlacementEvent.objects.get(placement=episode)
        assert (departed.kind, departed.person, departed.village_id) == (
            "departed",
            person,
            person.village_id,
        )
    assert counters_differences() == []
    created = AuditEvent.objects.filter(action=Action.IMPORT).order_by("id").last().changes
    episodes = sorted(Placement.objects.values_list("pk", flat=True))
    assert created["created"]["placements.placement"] == id_ranges(episodes)
    assert created["created"]["registry.person"] == [[Person.objects.get(nik=nik_for(3)).pk] * 2]


def test_a_person_held_by_another_village_is_listed_for_review_not_moved(
    tmp_path, personas, mesuji, village_a
):
    person = registered(personas["operator_a"], village_a, 1)
    rows = [HEADER, person_row(1, village="Sido Mulyo")]
    result = apply(write_xlsx(tmp_path / "a.xlsx", rows), mesuji, personas["disnaker"])
    assert result.counts["review"] == 1
    assert result.issues[0]["code"] == "other_village"
    person.refresh_from_db()
    assert person.village_id == "18.11.01.2001"


def test_a_person_outside_the_area_is_listed_for_review(tmp_path, personas, village_a):
    from lindung.regions.models import Area

    other = Area.objects.get(code="18.11.01.2005")
    registered(personas["disnaker"], other, 1, "Siti")
    result = apply_rows(tmp_path, village_a, personas["operator_a"], person_row(1))
    assert result.counts["review"] == 1
    assert result.issues[0]["code"] == "outside_scope"


def test_an_open_episode_elsewhere_rejects_a_new_one(tmp_path, personas, mesuji):
    actor = personas["disnaker"]
    apply_rows(tmp_path, mesuji, actor, person_row(1, country="Taiwan"))
    result = apply_rows(tmp_path, mesuji, actor, person_row(1, country="Jepang"), name="b.xlsx")
    assert result.counts["rejected"] == 1
    assert result.issues[0]["code"] == "open_episode"


def test_a_departure_under_18_is_rejected(tmp_path, personas, mesuji):
    today = timezone.localdate()
    born = today.replace(year=today.year - 16)
    rows = [
        HEADER,
        person_row(1, born=born, country="Malaysia", departed=today.strftime("%d/%m/%Y")),
    ]
    result = apply(write_xlsx(tmp_path / "a.xlsx", rows), mesuji, personas["disnaker"])
    assert [i["code"] for i in result.issues] == ["under_age"]
    assert Person.objects.count() == 0


def test_a_return_before_the_departure_is_rejected(tmp_path, personas, mesuji):
    rows = [HEADER, person_row(1, country="Malaysia", departed="01/02/2023", returned="01/01/2023")]
    result = apply(write_xlsx(tmp_path / "a.xlsx", rows), mesuji, personas["disnaker"])
    assert result.issues[0]["code"] == "sequence_before_departure"


def test_many_rows_in_several_chunks_keep_the_counters_exact(tmp_path, personas, mesuji, settings):
    from lindung.imports import engine, run

    settings.DEBUG = False
    original = run.CHUNK_SIZE
    run.CHUNK_SIZE = engine.CHUNK_SIZE = 7
    try:
        rows = [HEADER] + [
            person_row(
                i,
                f"Warga {i}",
                village=["Wiralaga I", "Sido Mulyo"][i % 2],
                country=["Taiwan", "Malaysia", ""][i % 3],
                departed="01/02/2023" if i % 3 == 1 else "",
                returned="01/03/2024" if i % 6 == 1 else "",
            )
            for i in range(1, 40)
        ]
        result = apply(write_xlsx(tmp_path / "a.xlsx", rows), mesuji, personas["disnaker"])
    finally:
        run.CHUNK_SIZE = engine.CHUNK_SIZE = original
    assert result.counts["created"] == 39, result.issues
    assert counters_differences() == []


def test_the_cycle_collector_is_paused_while_rows_are_written_and_restored(
    tmp_path, personas, mesuji, monkeypatch
):
    path = write_xlsx(tmp_path / "a.xlsx", [HEADER, person_row(1, country="Malaysia")])
    seen = []
    write = Writer.write

    def spy(self, decisions):
        seen.append(gc.isenabled())
        return write(self, decisions)

    monkeypatch.setattr(Writer, "write", spy)
    assert gc.isenabled()
    apply(path, mesuji, personas["disnaker"])
    assert seen == [False]
    assert gc.isenabled()

    def broken(self, decisions):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Writer, "write", broken)
    with pytest.raises(RuntimeError):
        apply(path, mesuji, personas["disnaker"])
    assert gc.isenabled()


def test_rejected_rows_leave_no_cycles_for_the_paused_cycle_collector(tmp_path, personas, mesuji):
    # The collector is paused during an import, so a rejected row must not keep a reference
    # cycle (a problem's traceback leads back to the row): memory would grow with bad rows.
    bad = [
        ["12345", "", "X", "31/02/1990", "Desa Entah", "Atlantis", "", "", "", "99/99/2099"],
        person_row(1, country="Malaysia", departed="01/02/2023"),
        person_row(1, country="Malaysia", departed="01/02/2023"),  # repeated NIK
        person_row(2, country="Malaysia", departed="01/02/2023", returned="01/01/2020"),
    ]
    path = write_xlsx(tmp_path / "bad.xlsx", [HEADER, *bad * 20])
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        result = apply(path, mesuji, personas["disnaker"])
        assert result.counts["rejected"] >= 60
        del result
        gc.collect()
        # What the collector finds is the parser's own few objects, once per import.
        kinds = {type(thing).__name__ for thing in gc.garbage}
        assert not kinds & {"ParsedRow", "RowProblem", "Decision", "CellError", "frame"}
        assert len(gc.garbage) < 1000
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
