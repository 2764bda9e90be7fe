"""The reader process: items made elsewhere arrive in order, errors arrive where they happened,
and nothing is left running."""

import json
import multiprocessing
import os
import pickle
import threading

import pytest

from lindung.imports.problems import RowProblem
from lindung.imports.readahead import (
    READER_NICENESS,
    ReaderFailed,
    read_ahead,
    read_ahead_enabled,
)
from lindung.imports.reading import FileProblem
from lindung.imports.tests.factories import HEADER, nik_for, person_row, write_csv, write_xlsx
from lindung.imports.tests.test_engine import apply


def _pids(count):
    def produce():
        for index in range(count):
            yield index, os.getpid()

    return produce


def test_items_are_made_in_another_process_and_arrive_in_order(settings):
    settings.IMPORTS_READ_AHEAD = "always"
    with read_ahead(_pids(5)) as items:
        received = list(items)
    assert [index for index, _pid in received] == [0, 1, 2, 3, 4]
    assert {pid for _index, pid in received} != {os.getpid()}
    assert multiprocessing.active_children() == []


def test_the_reader_leaves_the_processor_to_the_writes_first(settings):
    settings.IMPORTS_READ_AHEAD = "always"

    def produce():
        yield os.getpid(), os.nice(0)

    with read_ahead(produce) as items:
        [(pid, niceness)] = list(items)
    assert pid != os.getpid()
    assert niceness == min(os.nice(0) + READER_NICENESS, 19)


def test_never_makes_the_items_here(settings):
    settings.IMPORTS_READ_AHEAD = "never"
    assert not read_ahead_enabled()
    with read_ahead(_pids(2)) as items:
        assert [pid for _index, pid in items] == [os.getpid(), os.getpid()]


def test_auto_does_not_fork_beside_another_thread(settings):
    settings.IMPORTS_READ_AHEAD = "auto"
    assert read_ahead_enabled() == (threading.active_count() == 1)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not read_ahead_enabled()
        with read_ahead(_pids(1)) as items:
            assert [pid for _index, pid in items] == [os.getpid()]
    finally:
        stop.set()
        other.join()


def test_a_file_problem_arrives_after_the_items_read_before_it(settings):
    settings.IMPORTS_READ_AHEAD = "always"

    def produce():
        yield "first"
        raise FileProblem("sheet_missing", sheet="Data")

    received = []
    with read_ahead(produce) as items, pytest.raises(FileProblem) as caught:
        for item in items:
            received.append(item)
    assert received == ["first"]
    assert caught.value.code == "sheet_missing"
    assert caught.value.params == {"sheet": "Data"}


def test_an_error_that_cannot_travel_is_described_with_its_traceback(settings):
    settings.IMPORTS_READ_AHEAD = "always"

    class Local(Exception):  # a class pickle cannot find by name
        pass

    def produce():
        yield 1
        raise Local("the parser broke")

    with read_ahead(produce) as items, pytest.raises(ReaderFailed, match="the parser broke"):
        list(items)


def test_a_reader_that_dies_is_an_error_not_a_short_file(settings):
    settings.IMPORTS_READ_AHEAD = "always"

    def produce():
        yield 1
        os._exit(3)

    with read_ahead(produce) as items, pytest.raises(ReaderFailed, match="exit code 3"):
        list(items)


def test_a_writer_that_stops_early_leaves_no_reader_behind(settings):
    settings.IMPORTS_READ_AHEAD = "always"

    def produce():
        index = 0
        while True:  # would never end on its own
            yield index
            index += 1

    with pytest.raises(RuntimeError, match="disk full"), read_ahead(produce) as items:
        next(items)
        raise RuntimeError("disk full")
    assert multiprocessing.active_children() == []


def test_row_and_file_problems_survive_the_pipe():
    def round_trip(error):
        return pickle.loads(pickle.dumps(error))  # noqa: S301 - our own bytes

    problem = round_trip(RowProblem("nik", "nik_length", "NIK harus 16 digit."))
    assert (problem.field, problem.code) == ("nik", "nik_length")
    assert problem.message == "NIK harus 16 digit."
    file_problem = round_trip(FileProblem("sheet_missing", sheet="Data"))
    assert (file_problem.code, file_problem.params) == ("sheet_missing", {"sheet": "Data"})


def _messy_rows():
    return [
        HEADER,
        person_row(1, country="Malaysia", departed="01/02/2023"),
        ["12345", "", "X", "31/02/1990", "Desa Entah", "Atlantis", "", "", "", "99/99/2099"],
        person_row(1, country="Malaysia", departed="01/02/2023"),  # the same NIK again
        person_row(2, country="Taiwan", departed="01/02/2023", returned="01/01/2020"),
        person_row(3, country="Hongkong"),
    ]


@pytest.mark.parametrize("language", ["id", "en"])
def test_a_file_read_ahead_gives_what_a_file_read_here_gives(
    tmp_path, personas, mesuji, settings, language
):
    from django.utils import translation

    path = write_xlsx(tmp_path / "messy.xlsx", _messy_rows())
    results = {}
    with translation.override(language):
        for mode in ("never", "always"):
            settings.IMPORTS_READ_AHEAD = mode
            results[mode] = apply(path, mesuji, personas["disnaker"], apply=False)
    assert results["always"].counts == results["never"].counts
    assert results["always"].issues == results["never"].issues
    assert results["always"].counts["rejected"] == 3
    sentence = {"id": "NIK ini sudah ada di baris 2", "en": "This NIK already appears on row 2"}[
        language
    ]
    assert any(sentence in issue["message"] for issue in results["always"].issues)


def _written():
    """What an import wrote, without keys and times."""
    from lindung.counters.models import Counter
    from lindung.placements.models import Placement, PlacementEvent
    from lindung.registry.models import Person

    return {
        "persons": sorted(
            Person.objects.values_list(
                "nik",
                "full_name",
                "sex",
                "birth_date",
                "village",
                "phase",
                "created_by",
                "current_placement__destination_country",
            )
        ),
        "episodes": sorted(
            Placement.objects.values_list(
                "person__nik",
                "destination_country",
                "job",
                "status",
                "procedural",
                "departed_on",
                "returned_on",
                "village",
                "created_by",
            )
        ),
        "events": sorted(
            (nik, kind, str(day), json.dumps(data, sort_keys=True), recorder)
            for nik, kind, day, data, recorder in PlacementEvent.objects.values_list(
                "person__nik", "kind", "occurred_on", "data", "recorded_by"
            )
        ),
        "counters": sorted(Counter.objects.filter(n__gt=0).values_list(*Counter.DIMENSIONS, "n")),
    }


def test_an_import_read_ahead_writes_what_an_import_read_here_writes(
    tmp_path, personas, mesuji, settings
):
    from django.db import transaction

    from lindung.reports.counters import counters_differences

    actor = personas["disnaker"]
    apply(write_xlsx(tmp_path / "known.xlsx", [HEADER, person_row(3)]), mesuji, actor)
    path = write_xlsx(tmp_path / "messy.xlsx", _messy_rows())
    written, counts = {}, {}
    for mode in ("never", "always"):
        settings.IMPORTS_READ_AHEAD = mode
        with transaction.atomic():
            counts[mode] = apply(path, mesuji, actor).counts
            written[mode] = _written()
            assert counters_differences() == []
            transaction.set_rollback(True)
    assert counts["always"] == counts["never"]
    assert (counts["always"]["created"], counts["always"]["updated"]) == (1, 1)
    assert written["always"] == written["never"]
    assert len(written["always"]["events"]) == 2


def test_new_rows_arrive_prepared_from_the_reader_and_the_rest_are_prepared_here(
    tmp_path, personas, mesuji, settings, monkeypatch
):
    from lindung.imports.writer import Writer

    settings.IMPORTS_READ_AHEAD = "always"
    actor = personas["disnaker"]
    apply(write_xlsx(tmp_path / "known.xlsx", [HEADER, person_row(1)]), mesuji, actor)
    prepare, write = Writer.prepare, Writer.write
    arrived = []

    def stamped(self, d):
        prepare(self, d)
        d.prepared_in = os.getpid()

    def seen(self, decisions):
        arrived.extend(
            (d.row.nik, d.new_person, d.person is None, getattr(d, "prepared_in", None))
            for d in decisions
        )
        write(self, decisions)
        arrived.extend((d.row.nik, d.prepared_in) for d in decisions)

    monkeypatch.setattr(Writer, "prepare", stamped)
    monkeypatch.setattr(Writer, "write", seen)
    rows = [HEADER, person_row(1, country="Taiwan"), person_row(2, country="Taiwan")]
    apply(write_xlsx(tmp_path / "a.xlsx", rows), mesuji, actor)
    known, new = nik_for(1), nik_for(2)
    here = os.getpid()
    before, after = arrived[:2], dict(arrived[2:])
    assert (new, True, True) == before[1][:3]  # drafts dropped in the reader
    assert before[1][3] not in (None, here)  # prepared in the reader
    assert before[0] == (known, False, False, None)  # a person already held: not yet prepared
    assert after[known] == here  # prepared here, as it was written


def test_a_csv_that_breaks_halfway_is_a_file_problem_from_the_reader(
    tmp_path, personas, mesuji, settings
):
    settings.IMPORTS_READ_AHEAD = "always"
    rows = [HEADER, *(person_row(i, country="Malaysia") for i in range(1, 4))]
    path = write_csv(tmp_path / "broken.csv", rows)
    with open(path, "a", encoding="utf-8") as handle:
        handle.write('9,"' + "x" * 200_000 + '"\n')  # a cell past the csv module's limit
    with pytest.raises(FileProblem):
        apply(path, mesuji, personas["disnaker"], apply=False)


def test_a_fork_that_fails_reads_here_instead(settings, monkeypatch):
    settings.IMPORTS_READ_AHEAD = "always"
    fork = multiprocessing.get_context("fork")

    class NoFork:
        def Pipe(self, duplex):  # noqa: N802 - multiprocessing's names
            return fork.Pipe(duplex=duplex)

        def Process(self, **kwargs):  # noqa: N802
            process = fork.Process(**kwargs)

            def refuse():
                raise OSError(12, "Cannot allocate memory")

            process.start = refuse
            return process

    monkeypatch.setattr("lindung.imports.readahead.multiprocessing.get_context", lambda _: NoFork())
    with read_ahead(_pids(2)) as items:
        assert [pid for _index, pid in items] == [os.getpid(), os.getpid()]
