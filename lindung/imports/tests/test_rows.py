"""RowParser.parse gives what a plain, cell-by-cell reading of the same rows gives."""

import datetime as dt
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lindung.imports.headers import auto_mapping, compact
from lindung.imports.problems import RowProblem
from lindung.imports.rows import MAX_LENGTHS, RowParser, nik_from_cell
from lindung.imports.villages import VillageIndex
from lindung.imports.vocabulary import JOB_WORDS, SEX_CODES, STATUS_WORDS, job_from_title
from lindung.lib.cells import CellError, parse_date_cell, parse_sex_cell, parse_text_cell
from lindung.lib.countries import parse_country
from lindung.lib.names import name_display, name_key
from lindung.lib.nik import NikError, compare_nik, encode_nik, parse_nik

TODAY = dt.date(2025, 6, 15)
# The oracle's own statement of the sector rule: household jobs are the informal sector.
INFORMAL = {"domestic_worker", "caregiver"}
COLUMNS = {
    "nik": "NIK",
    "full_name": "Nama Lengkap",
    "sex": "L/P",
    "birth_date": "Tgl Lahir",
    "village": "Desa",
    "destination_country": "Negara Tujuan",
    "job": "Jenis Pekerjaan",
    "job_title": "Jabatan",
    "agency_name": "P3MI/PT",
    "departed_on": "Tgl Berangkat",
    "returned_on": "Tgl Pulang",
    "status": "Status",
    "dusun": "Dusun",
    "rt": "RT",
}
VILLAGES = VillageIndex(
    area_code="18.11",
    area_title="Kabupaten Mesuji",
    villages=[
        ("18.11.01.2001", "Wiralaga I", "Mesuji"),
        ("18.11.01.2002", "Wiralaga II", "Mesuji"),
        ("18.11.02.2003", "Sungai Sidang", "Rawajitu Utara"),
        ("18.11.03.2004", "Sungai Sidang", "Mesuji Timur"),
    ],
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def new_parser() -> RowParser:
    headers = list(COLUMNS.values())
    return RowParser(headers=headers, mapping=auto_mapping(headers), villages=VILLAGES, today=TODAY)


def outcome(row) -> tuple:
    """Everything a parsed row tells, its problems as (field, code)."""
    return (
        row.nik,
        row.person,
        row.village,
        row.placement,
        row.status,
        row.departed_on,
        row.returned_on,
        row.return_reason,
        row.note,
        row.submission_uuid,
        row.defaulted,
        [(p.field, p.code) for p in row.problems],
    )


FAILED = object()  # a cell the plain reading could not parse


class PlainReading:
    """A row read the plain way: each cell parsed afresh by the library, one column after the
    other, its problems listed in the order the columns are read."""

    def __init__(self, values: list):
        self.cell = dict(zip(COLUMNS, values, strict=False)).get  # a short row lacks cells
        self.problems: list[tuple[str, str]] = []

    def read(self, field: str, parse, into: list | None = None):
        """parse(), or FAILED with the problem added to `into` (the row's problems)."""
        into = self.problems if into is None else into
        try:
            return parse()
        except (CellError, NikError) as error:
            into.append((field, error.code))
        except RowProblem as problem:
            into.append((problem.field, problem.code))
        return FAILED

    def text(self, key: str) -> str:
        value = _CONTROL.sub("", parse_text_cell(self.cell(key))).strip()
        if len(value) > MAX_LENGTHS[key]:
            raise RowProblem(key, "too_long", "")
        return value

    def coded(self, key: str, words: dict) -> str:
        raw = parse_text_cell(self.cell(key))
        if raw and compact(raw) not in words:
            raise RowProblem(key, "choice_unknown", "")
        return words[compact(raw)] if raw else ""

    def event(self, key: str) -> dt.date | None:
        try:
            return parse_date_cell(self.cell(key), kind="event", today=TODAY)
        except CellError as error:
            if error.code == "empty":
                return None  # an event date may be left out
            raise

    def country(self) -> str:
        raw = parse_text_cell(self.cell("destination_country"))
        return parse_country(raw) if raw else ""

    def person(self) -> tuple:
        """(nik, person fields, birth date, sex, village), each FAILED where unreadable."""
        cell, read, person = self.cell, self.read, {}
        nik = read("nik", lambda: nik_from_cell(cell("nik")))
        if nik is not FAILED and read("nik", lambda: parse_nik(nik, today=TODAY)) is not FAILED:
            person["nik"] = nik
        name = read("full_name", lambda: name_display(self.text("full_name")))
        if name == "":
            self.problems.append(("full_name", "empty"))
        elif name is not FAILED:
            person.update(full_name=name, name_key=name_key(name))
        # Dukcapil codes sex 1 (male) and 2 (female), as OpenSID and SIAK write them.
        raw_sex = cell("sex")
        sex = read(
            "sex", lambda: SEX_CODES.get(parse_text_cell(raw_sex)) or parse_sex_cell(raw_sex)
        )
        if sex is not FAILED:
            person["sex"] = sex
        born = read(
            "birth_date", lambda: parse_date_cell(cell("birth_date"), kind="birth", today=TODAY)
        )
        if born is not FAILED and born > TODAY:
            self.problems.append(("birth_date", "birth_future"))
        elif born is not FAILED:
            person["birth_date"] = born
        for key in ("dusun", "rt"):
            value = read(key, lambda key=key: self.text(key))
            if value is FAILED:
                break  # the person's text columns are told one problem at a time
            if value:
                person[key] = value
        village = read("village", lambda: VILLAGES.resolve(parse_text_cell(cell("village"))))
        return nik, person, born, sex, village

    def placement(self) -> tuple:
        """(placement fields, status, departed, returned, defaulted fields, return reason);
        each column is read even when another one failed."""
        found: list[tuple[str, str]] = []
        details: dict = {}
        for key, value in (
            ("destination_country", self.read("destination_country", self.country, found)),
            ("job", self.read("job", lambda: self.coded("job", JOB_WORDS), found)),
            ("job_title", self.read("job_title", lambda: self.text("job_title"), found)),
            ("agency_name", self.read("agency_name", lambda: self.text("agency_name"), found)),
        ):
            if value and value is not FAILED:
                details[key] = value
        status = self.read("status", lambda: self.coded("status", STATUS_WORDS), found)
        departed = self.read("departed_on", lambda: self.event("departed_on"), found)
        returned = self.read("returned_on", lambda: self.event("returned_on"), found)
        placement, defaulted, reason = details, set(), ""
        if found:
            # parse lists the placement's first problem after the others (as it always has).
            self.problems += found[1:] + found[:1]
        elif status == "abroad" and not departed:
            self.problems.append(("departed_on", "departure_needed"))
        elif status == "returned" and not returned:
            self.problems.append(("returned_on", "return_needed"))
        elif returned and not departed:
            self.problems.append(("departed_on", "return_without_departure"))
        elif (departed or returned) and not details.get("destination_country"):
            self.problems.append(("destination_country", "country_needed"))
        elif not (
            details.get("destination_country") or departed or returned or status == "candidate"
        ):
            placement = {}
        else:
            # A calon PMI whose country is not yet known is recorded all the same.
            details.setdefault("destination_country", "")
            defaulted = {"job", "sector", "scheme"} - set(details)
            details.setdefault("job", job_from_title(details.get("job_title", "")))
            details.setdefault("sector", "informal" if details["job"] in INFORMAL else "formal")
            details.setdefault("scheme", "p2p" if details.get("agency_name") else "individual")
            reason = "other" if returned else ""
        return placement, status, departed, returned, defaulted, reason


def reference(values: list) -> tuple:
    """The outcome of a row read the plain way (PlainReading), the NIK checked again by the
    registry's compare_nik."""
    reading = PlainReading(values)
    nik, person, born, sex, village = reading.person()
    placement, status, departed, returned, defaulted, reason = reading.placement()
    # Told with the row's other problems, whenever the NIK, birth date and sex were read.
    readable = "nik" in person and "birth_date" in person and "sex" in person
    if readable and compare_nik(nik, birth_date=born, sex=sex):
        reading.problems.append(("nik", "nik_mismatch"))
    return (
        "" if nik is FAILED else nik,
        person,
        "" if village is FAILED else village,
        placement,
        "" if status is FAILED else status,
        None if departed is FAILED else departed,
        None if returned is FAILED else returned,
        reason,
        "",
        "",
        defaulted,
        reading.problems,
    )


@st.composite
def rows(draw) -> list:
    born = draw(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2007, 12, 31)))
    sex = draw(st.sampled_from("MF"))
    serial = draw(st.integers(1, 9999))
    nik = encode_nik(district_code="18.11.01", birth_date=born, sex=sex, serial=serial)
    other_day = born + dt.timedelta(days=draw(st.integers(1, 400)))
    cells = {
        "nik": [nik, nik, nik, f"'{nik}", nik[:15], float(nik), "1.81101E+15", "0011014101900001",
                "1811019901900001", None],
        "full_name": ["Siti Aminah", "Hj. Ani, S.Pd", "M Ridwan", "Budi\x07 Santoso", "",
                      "x" * 151],
        "sex": ["P" if sex == "F" else "L", "perempuan" if sex == "F" else "Laki-laki", "L", "X",
                None, 1],
        "birth_date": [born.strftime("%d/%m/%Y"), born, other_day.strftime("%d/%m/%Y"),
                       "31/02/1990", "01/01/2099", "", 30000, "kemarin"],
        "village": ["Wiralaga I", "18.11.01.2002", "Desa Wiralaga II", "Sungai Sidang", "Atlantis",
                    "99.99.99.9999", ""],
        "destination_country": ["Taiwan", "Hong Kong", "MY", "", "Atlantis", "Taiwn"],
        "job": ["Pekerja Pabrik", "PRT", "", "", "astronot"],
        "job_title": ["", "operator pabrik", "pembantu", "x" * 300],
        "agency_name": ["", "PT Contoh"],
        "departed_on": ["", "01/02/2021", dt.date(2020, 3, 4), 44000, "32/13/2020", 1, True],
        "returned_on": ["", "", "01/02/2023", "bulan lalu"],
        "status": ["", "", "Purna", "Bekerja", "Calon", "entah"],
        "dusun": ["", "Dusun 1", None, "x" * 200],
        "rt": ["001", 2, 3.0, ""],
    }  # fmt: skip
    values = [draw(st.sampled_from(cells[key])) for key in COLUMNS]
    return values[: draw(st.sampled_from([len(values)] * 9 + list(range(len(values)))))]


def test_the_columns_are_found_by_their_headers():
    assert auto_mapping(list(COLUMNS.values())) == {key: i for i, key in enumerate(COLUMNS)}


@pytest.mark.django_db
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(rows(), min_size=1, max_size=30))
def test_parse_gives_what_the_plain_reading_gives(sheet):
    parser = new_parser()  # one for the whole sheet, so repeated cells come from its memory
    for number, values in enumerate(sheet, start=2):
        assert outcome(parser.parse(number, values)) == reference(values), values


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(rows(), min_size=1, max_size=30))
def test_a_remembered_cell_gives_the_same_problems_and_messages_as_a_new_one(sheet):
    parser = new_parser()
    for number, values in enumerate(sheet, start=2):
        again = parser.parse(number, values)
        once = new_parser().parse(number, values)
        assert outcome(again) == outcome(once)
        assert [p.message for p in again.problems] == [p.message for p in once.problems]


def test_a_good_row_gives_the_person_and_the_placement():
    nik = encode_nik(district_code="18.11.01", birth_date=dt.date(1990, 5, 17), sex="F", serial=7)
    values = [nik, " Siti  Aminah ", "P", "17/05/1990", "Wiralaga II", "Taiwan", "",
              "Pembantu rumah tangga", "PT Contoh", "01/02/2021", "", "Bekerja", "Dusun 1",
              3.0]  # fmt: skip
    row = new_parser().parse(2, values)
    assert row.problems == []
    assert row.person == {
        "nik": nik,
        "full_name": "Siti Aminah",
        "name_key": "siti aminah",
        "sex": "F",
        "birth_date": dt.date(1990, 5, 17),
        "dusun": "Dusun 1",
        "rt": "3",
    }
    assert row.village == "18.11.01.2002"
    assert row.placement == {
        "destination_country": "TW",
        "job_title": "Pembantu rumah tangga",
        "agency_name": "PT Contoh",
        "job": "domestic_worker",
        "sector": "informal",
        "scheme": "p2p",
    }
    assert (row.status, row.departed_on, row.defaulted) == (
        "abroad",
        dt.date(2021, 2, 1),
        {"job", "sector", "scheme"},
    )


def test_every_bad_cell_of_a_row_is_told_with_its_column():
    values = ["1811019901900001", "", "X", "31/02/1990", "Atlantis", "Taiwn", "astronot", "",
              "", "32/13/2020", "", "entah", "", ""]  # fmt: skip
    problems = [(p.field, p.code) for p in new_parser().parse(2, values).problems]
    assert problems == [
        ("nik", "nik_day"),
        ("full_name", "empty"),
        ("sex", "sex_unknown"),
        ("birth_date", "date_invalid"),
        ("village", "village_unknown"),
        ("job", "choice_unknown"),
        ("status", "choice_unknown"),
        ("departed_on", "date_invalid"),
        ("destination_country", "country_unknown"),  # the placement's first problem comes last
    ]


@pytest.mark.django_db
def test_a_nik_that_disagrees_with_the_birth_date_and_sex_is_refused():
    nik = encode_nik(district_code="18.11.01", birth_date=dt.date(1990, 5, 17), sex="F", serial=7)
    values = [nik, "Siti Aminah", "L", "18/05/1990", "Wiralaga I"]
    (problem,) = new_parser().parse(2, values).problems
    assert (problem.field, problem.code) == ("nik", "nik_mismatch")
    assert "Penjelasan NIK" in problem.message
