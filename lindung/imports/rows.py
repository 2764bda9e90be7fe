"""Turning one spreadsheet row into checked values, or into reasons it cannot be used.

`RowParser.parse` needs no database: the villages of the importing area come in a
`VillageIndex` built once per import. The rules are the registry's (lindung.lib.nik, names,
phone and registry.rules) so an imported record is exactly what the form would have saved.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import partial

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lindung.imports.headers import FIELD_BY_KEY, compact, header_label
from lindung.imports.messages import CELL_MESSAGES, ROW_MESSAGES
from lindung.lib.cells import (
    CellError,
    parse_bool_cell,
    parse_date_cell,
    parse_nik_cell,
    parse_sex_cell,
    parse_text_cell,
)
from lindung.lib.countries import COUNTRIES, parse_country
from lindung.lib.names import name_display, name_key
from lindung.lib.nik import NikError, NikInfo, nik_mismatches, parse_nik
from lindung.placements.models import Job, Placement, ReturnReason, Scheme, Sector
from lindung.registry.models import Education, MaritalStatus, Person
from lindung.registry.rules import nik_error_message, nik_review, phone_clean

PERSON_TEXT = ("birth_place", "address", "dusun", "rt", "rw")
PLACEMENT_TEXT = ("job_title", "agency_name", "employer_name")
PLACEMENT_DETAILS = ("destination_country", "scheme", "sector", "job", *PLACEMENT_TEXT)
PLACEMENT_EVENTS = ("status", "departed_on", "returned_on", "return_reason")  # ParsedRow fields

# The words villages write for coded values, compacted (see headers.compact).
EDUCATION_WORDS = {
    **dict.fromkeys(("tidaksekolah", "belumsekolah", "tidakbelumsekolah", "none"), "none"),
    **dict.fromkeys(("sd", "sekolahdasar", "mi", "sdsederajat", "tamatsd"), "sd"),
    **dict.fromkeys(("smp", "sltp", "mts", "smpsederajat"), "smp"),
    **dict.fromkeys(("sma", "smk", "slta", "ma", "smasmk", "smasederajat", "stm"), "sma"),
    **dict.fromkeys(("d1", "d2", "d3", "d4", "diploma", "diii", "di"), "diploma"),
    **dict.fromkeys(("s1", "sarjana", "strata1", "bachelor"), "s1"),
    **dict.fromkeys(("s2", "s3", "magister", "doktor", "pascasarjana"), "s2"),
}
MARITAL_WORDS = {
    **dict.fromkeys(
        ("belumkawin", "belummenikah", "lajang", "single", "bk", "tidakkawin"), "single"
    ),
    **dict.fromkeys(("kawin", "menikah", "married", "k", "sudahmenikah"), "married"),
    **dict.fromkeys(("ceraihidup", "cerai", "janda", "duda", "divorced"), "divorced"),
    **dict.fromkeys(("ceraimati", "jandamati", "dudamati", "widowed"), "widowed"),
}
SCHEME_WORDS = {
    **dict.fromkeys(("gtog", "g2g", "government"), "g2g"),
    **dict.fromkeys(("ptop", "p2p", "p3mi", "swasta", "melaluip3mi", "pjtki"), "p2p"),
    **dict.fromkeys(("perseorangan", "mandiri", "individual", "individu", "sendiri"), "individual"),
    **dict.fromkeys(
        ("kepentinganperusahaansendiri", "perusahaansendiri", "ukps", "company"), "company"
    ),
}
SECTOR_WORDS = {"formal": "formal", "informal": "informal", "nonformal": "informal"}
# The template's own words for each job (also accepted on import).
JOB_LABELS = {
    "domestic_worker": "Pekerja Rumah Tangga",
    "caregiver": "Pengasuh (Caregiver)",
    "factory_worker": "Pekerja Pabrik",
    "plantation": "Pekerja Perkebunan",
    "construction": "Pekerja Konstruksi",
    "fishing_crew": "ABK Perikanan",
    "merchant_crew": "ABK Niaga",
    "hospitality": "Perhotelan dan Restoran",
    "nurse": "Perawat",
    "other": "Lainnya",
}
SCHEME_LABELS = {
    "g2g": "G to G",
    "p2p": "P to P",
    "individual": "Perseorangan",
    "company": "Kepentingan Perusahaan Sendiri",
}
SECTOR_LABELS = {"formal": "Formal", "informal": "Informal"}
EDUCATION_LABELS = {
    "none": "Tidak sekolah",
    "sd": "SD",
    "smp": "SMP",
    "sma": "SMA/SMK",
    "diploma": "Diploma",
    "s1": "S1",
    "s2": "S2/S3",
}
MARITAL_LABELS = {
    "single": "Belum kawin",
    "married": "Kawin",
    "divorced": "Cerai hidup",
    "widowed": "Cerai mati",
}
RETURN_LABELS = {
    "contract_ended": "Kontrak selesai",
    "leave": "Cuti",
    "dismissed": "PHK sebelum kontrak berakhir",
    "accident_illness": "Kecelakaan kerja atau sakit",
    "abuse": "Penganiayaan atau kekerasan",
    "war_disaster": "Perang, bencana atau wabah",
    "deported": "Dideportasi",
    "died": "Meninggal dunia",
    "other": "Lainnya",
}
STATUS_LABELS = {
    "candidate": "Calon PMI",
    "abroad": "Bekerja di luar negeri",
    "returned": "Purna PMI",
    "cancelled": "Batal berangkat",
    "died": "Meninggal dunia",
}
RETURN_WORDS = {
    **{compact(label): code for code, label in RETURN_LABELS.items()},
    **{compact(code): code for code in RETURN_LABELS},
    **dict.fromkeys(
        (
            "kontrakhabis",
            "habiskontrak",
            "selesaikontrak",
            "kontrakberakhir",
            "selesai",
            "finishcontract",
        ),
        "contract_ended",
    ),
    **dict.fromkeys(("phk", "dipecat", "diberhentikan"), "dismissed"),
    **dict.fromkeys(("sakit", "kecelakaan", "kecelakaankerja"), "accident_illness"),
    **dict.fromkeys(("penganiayaan", "kekerasan", "disiksa"), "abuse"),
    **dict.fromkeys(("bencana", "perang", "wabah", "covid", "covid19"), "war_disaster"),
    **dict.fromkeys(("deportasi", "deport"), "deported"),
    **dict.fromkeys(("meninggal", "wafat"), "died"),
}
STATUS_WORDS = {
    **{compact(label): code for code, label in STATUS_LABELS.items()},
    **dict.fromkeys(
        (
            "calon",
            "cpmi",
            "calonpmi",
            "calontki",
            "akanberangkat",
            "proses",
            "persiapan",
            "candidate",
        ),
        "candidate",
    ),
    **dict.fromkeys(
        (
            "bekerja",
            "sedangbekerja",
            "diluarnegeri",
            "pmi",
            "aktif",
            "berangkat",
            "masihbekerja",
            "abroad",
            "sudahberangkat",
        ),
        "abroad",
    ),
    **dict.fromkeys(
        ("purna", "pulang", "sudahpulang", "purnapmi", "kembali", "returned", "purnatki"),
        "returned",
    ),
    **dict.fromkeys(("batal", "gagalberangkat", "tidakjadi", "cancelled"), "cancelled"),
    **dict.fromkeys(("meninggal", "wafat", "died"), "died"),
}
# Words in a free-text job title that say which job it is (first match wins).
JOB_KEYWORDS = (
    ("caregiver", ("caregiver", "pengasuh", "perawatlansia", "jompo", "lansia", "babysitter")),
    (
        "domestic_worker",
        (
            "rumahtangga",
            "prt",
            "pembantu",
            "housemaid",
            "domestic",
            "plrt",
            "informal",
            "housekeeper",
            "penatalaksanarumahtangga",
        ),
    ),
    ("fishing_crew", ("abkperikanan", "nelayan", "perikanan", "fishing", "kapalikan")),
    ("merchant_crew", ("abk", "pelaut", "seaman", "niaga", "kapal")),
    ("nurse", ("perawat", "nurse", "kaigo")),
    ("plantation", ("kebun", "sawit", "ladang", "pertanian", "plantation", "petani", "farm")),
    ("construction", ("konstruksi", "bangunan", "construction", "tukang", "welder", "las")),
    ("factory_worker", ("pabrik", "factory", "operator", "produksi", "manufaktur", "worker")),
    ("hospitality", ("hotel", "restoran", "restaurant", "koki", "cook", "pelayan", "waiter")),
)
JOB_WORDS = {
    **{compact(label): code for code, label in JOB_LABELS.items()},
    **{compact(code): code for code in JOB_LABELS},
    **{compact(label): code for code, label in Job.choices},
}
INFORMAL_JOBS = {"domestic_worker", "caregiver"}
# Coded columns: the words accepted and the labels listed when a cell is not one of them.
CODED = {
    "education": (EDUCATION_WORDS, EDUCATION_LABELS),
    "marital_status": (MARITAL_WORDS, MARITAL_LABELS),
    "scheme": (SCHEME_WORDS, SCHEME_LABELS),
    "sector": (SECTOR_WORDS, SECTOR_LABELS),
    "job": (JOB_WORDS, JOB_LABELS),
    "status": (STATUS_WORDS, STATUS_LABELS),
    "return_reason": (RETURN_WORDS, RETURN_LABELS),
}
_ROMAN = {
    "i": "1",
    "ii": "2",
    "iii": "3",
    "iv": "4",
    "v": "5",
    "vi": "6",
    "vii": "7",
    "viii": "8",
    "ix": "9",
    "x": "10",
}
_VILLAGE_PREFIX = re.compile(r"^(desa|kelurahan|kel|ds|kampung|tiyuh|pekon)\b\.?\s*")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CODE = re.compile(r"^\d{2}\.?\d{2}\.?\d{2}\.?\d{4}$")
MEMO_LIMIT = 20_000  # distinct cells remembered per column


class RowProblem(Exception):
    """A value a row cannot use: which field, a machine code and the sentence."""

    def __init__(self, field: str, code: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.code = code
        self.message = message

    def __reduce__(self):
        # Sent from the reader process with its row (readahead); Exception would rebuild it
        # from the message alone.
        return (RowProblem, (self.field, self.code, self.message))

    def kept(self) -> RowProblem:
        """This problem without its traceback and the error it replaced, to be kept with its
        row: both lead back to frames that hold the row, a reference cycle per rejected row
        that only the cycle collector frees (and an import pauses it)."""
        self.__traceback__ = self.__context__ = self.__cause__ = None
        return self


def village_key(name: str) -> str:
    """A village name for comparison: no "Desa" prefix, Roman numbers as digits."""
    text = " ".join(str(name).casefold().split())
    text = _VILLAGE_PREFIX.sub("", text)
    words = re.findall(r"[a-z0-9]+", text)
    return "".join(_ROMAN.get(word, word) for word in words)


@dataclass
class VillageIndex:
    """The villages of an importing area, found by code or by name (never guessed)."""

    area_code: str
    area_title: str
    # (code, name, district name) of every village in the area
    villages: list[tuple[str, str, str]]

    def __post_init__(self) -> None:
        self.codes = {code: name for code, name, _district in self.villages}
        self.by_name: dict[str, list[tuple[str, str, str]]] = {}
        for entry in self.villages:
            self.by_name.setdefault(village_key(entry[1]), []).append(entry)
        self.single = self.villages[0][0] if len(self.villages) == 1 else None

    def resolve(self, value: str, district: str = "") -> str:
        """The code of the village a cell names; RowProblem when unknown or ambiguous."""
        text = value.strip()
        if not text:
            if self.single:
                return self.single
            raise RowProblem("village", "village_needed", str(ROW_MESSAGES["village_needed"]))
        digits = text.replace(" ", "")
        if _CODE.match(digits):
            plain = digits.replace(".", "")
            code = f"{plain[:2]}.{plain[2:4]}.{plain[4:6]}.{plain[6:]}"
            if code in self.codes:
                return code
            params = {"value": text, "area": self.area_title}
            raise RowProblem("village", "village_outside", ROW_MESSAGES["village_outside"] % params)
        matches = self.by_name.get(village_key(text), [])
        if len(matches) > 1 and district.strip():
            wanted = village_key(district)
            matches = [m for m in matches if village_key(m[2]) == wanted]
        if len(matches) == 1:
            return matches[0][0]
        if len(matches) > 1:
            choices = ", ".join(f"{code} ({_('District')} {d})" for code, _n, d in matches[:6])
            params = {"value": text, "choices": choices}
            raise RowProblem(
                "village", "village_ambiguous", ROW_MESSAGES["village_ambiguous"] % params
            )
        close = difflib.get_close_matches(village_key(text), list(self.by_name), n=1, cutoff=0.8)
        params = {"value": text, "area": self.area_title}
        if close:
            params["suggestion"] = self.by_name[close[0]][0][1]
            message = ROW_MESSAGES["village_unknown_suggest"] % params
        else:
            message = ROW_MESSAGES["village_unknown"] % params
        raise RowProblem("village", "village_unknown", message)


@dataclass
class ParsedRow:
    number: int
    values: list
    nik: str = ""
    person: dict = field(default_factory=dict)  # Person field -> value, only what the row gives
    village: str = ""
    contact_consent: bool = False
    placement: dict = field(default_factory=dict)  # Placement detail field -> value
    status: str = ""  # candidate / abroad / returned / cancelled / died, as the row says
    departed_on: dt.date | None = None
    returned_on: dt.date | None = None
    return_reason: str = ""
    note: str = ""
    submission_uuid: str = ""
    defaulted: set = field(default_factory=set)  # placement details not written in the row
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def has_placement(self) -> bool:
        return bool(self.placement.get("destination_country") or self.departed_on)


def _max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


MAX_LENGTHS = {
    **{name: _max_length(Person, name) for name in ("full_name", *PERSON_TEXT)},
    **{name: _max_length(Placement, name) for name in PLACEMENT_TEXT},
}


def _allowed(labels: dict) -> str:
    return ", ".join(labels.values())


def nik_from_cell(value: object) -> str:
    """A NIK from a cell; a number cell is accepted only when it cannot have been rounded.

    Excel keeps 15 significant digits, so it stores a typed 16-digit NIK with a 0 at the end.
    A number whose last digit is not 0 was therefore stored exactly (written by a program);
    one ending in 0 may have lost its last digit and is refused rather than guessed.
    """
    if isinstance(value, float) and value.is_integer() and 0 < value < 2**53:
        number = int(value)
        if number % 10:
            value = number
    return parse_nik_cell(value)


class RowParser:
    """Reads rows with one confirmed mapping for one importing area."""

    def __init__(
        self, *, headers: list, mapping: dict[str, int], villages: VillageIndex, today: dt.date
    ) -> None:
        self.headers = headers
        self.mapping = mapping
        self.villages = villages
        self.today = today
        self._columns = tuple((key, i) for key, i in mapping.items() if i is not None)
        # A column repeats a few values (villages, countries, jobs, dates): each distinct cell
        # is parsed once per import. Only successes are kept (a bad cell raises every time).
        self._memo: dict[str, dict] = defaultdict(dict)
        # How each remembered column reads one cell, bound here once rather than once a cell.
        self._readers = {
            **{
                key: partial(self._text, key)
                for key in ("full_name", *PERSON_TEXT, *PLACEMENT_TEXT)
            },
            **{key: partial(self._coded, key, *CODED[key]) for key in CODED},
            "sex": self._sex_cell,
            "birth_date": partial(self._date, "birth_date", kind="birth", required=True),
            "departed_on": partial(self._date, "departed_on", kind="event", required=False),
            "returned_on": partial(self._date, "returned_on", kind="event", required=False),
            "destination_country": self._country,
            "village": self._resolve_village,
        }
        # The columns of each step this file has, in the order their problems are told; a
        # missing event or status column reads as an empty cell, so it leaves the row's default.
        self._person_text = [key for key in PERSON_TEXT if key in mapping]
        self._details = [key for key in PLACEMENT_DETAILS if key in mapping]
        self._events = [key for key in PLACEMENT_EVENTS if key in mapping]
        # After the NIK, in this order; each step adds at most one problem (_placement more).
        self._steps = (
            self._name,
            self._sex,
            self._birth_date,
            self._texts,
            self._kk,
            self._phone,
            self._choices,
            self._village,
            self._placement,
            self._meta,
        )

    def _once(self, key: str, value: object):
        """The column's reader on a cell, once per distinct cell (its type too: 1 is not True)."""
        memo = self._memo[key]
        try:
            return memo[(type(value), value)]
        except KeyError:
            pass
        except TypeError:  # unhashable: never from a reader, but never fail for it
            return self._readers[key](value)
        result = self._readers[key](value)
        if len(memo) < MEMO_LIMIT:
            memo[(type(value), value)] = result
        return result

    def column(self, key: str) -> str:
        """The header a user sees for a field's column."""
        index = self.mapping.get(key)
        if index is None:
            return FIELD_BY_KEY[key].header
        return header_label(self.headers, index)

    def cell_problem(self, key: str, error: CellError) -> RowProblem:
        params = {"column": self.column(key), **{k: str(v) for k, v in error.params.items()}}
        message = CELL_MESSAGES.get(error.code, CELL_MESSAGES["date_format"]) % params
        if error.code == "country_unknown" and error.params.get("suggestion"):
            message = f"{message} {CELL_MESSAGES['country_suggestion'] % params}"
        return RowProblem(key, error.code, message)

    # --- one cell of a remembered column (the readers) -----------------------------------------

    def _text(self, key: str, cell: object) -> str:
        value = _CONTROL.sub("", parse_text_cell(cell)).strip()
        limit = MAX_LENGTHS.get(key)
        if limit and len(value) > limit:
            params = {"column": self.column(key), "max": limit}
            raise RowProblem(key, "too_long", ROW_MESSAGES["too_long"] % params)
        return value

    def _coded(self, key: str, words: dict, labels: dict, cell: object) -> str:
        raw = parse_text_cell(cell)
        if not raw:
            return ""
        code = words.get(compact(raw))
        if code is None:
            params = {"value": raw, "column": self.column(key), "allowed": _allowed(labels)}
            raise RowProblem(key, "choice_unknown", ROW_MESSAGES["choice_unknown"] % params)
        return code

    def _date(self, key: str, value: object, *, kind: str, required: bool) -> dt.date | None:
        try:
            return parse_date_cell(value, kind=kind, today=self.today)
        except CellError as error:
            if error.code == "empty" and not required:
                return None
            raise self.cell_problem(key, error) from None

    def _sex_cell(self, cell: object) -> str:
        try:
            return parse_sex_cell(cell)
        except CellError as error:
            raise self.cell_problem("sex", error) from None

    def _country(self, cell: object) -> str:
        text = parse_text_cell(cell)
        if not text:
            return ""
        try:
            return parse_country(text)
        except CellError as error:
            raise self.cell_problem("destination_country", error) from None

    def _resolve_village(self, cells: tuple) -> str:
        return self.villages.resolve(parse_text_cell(cells[0]), parse_text_cell(cells[1]))

    # --- a whole row ---------------------------------------------------------------------------

    def parse(self, number: int, values: list) -> ParsedRow:
        """Every problem of the row at once, so one pass over the file explains all of them."""
        row = ParsedRow(number=number, values=values)
        size = len(values)
        # The row's cells by field; a field not mapped, or past the end of the row, is missing.
        cells = {key: values[index] for key, index in self._columns if index < size}
        nik = None
        try:
            nik = self._nik(row, cells)
        except RowProblem as problem:
            row.problems.append(problem.kept())
        for step in self._steps:
            try:
                step(row, cells)
            except RowProblem as problem:
                row.problems.append(problem.kept())
        if not row.problems:
            self._nik_rules(row, nik)
        return row

    def _nik(self, row: ParsedRow, cells: dict) -> NikInfo:
        try:
            row.nik = nik_from_cell(cells.get("nik"))
        except CellError as error:
            raise self.cell_problem("nik", error) from None
        try:
            info = parse_nik(row.nik, today=self.today)
        except NikError as error:
            raise RowProblem("nik", error.code, nik_error_message(error)) from None
        row.person["nik"] = row.nik
        return info

    def _name(self, row: ParsedRow, cells: dict) -> None:
        name = name_display(self._once("full_name", cells.get("full_name")))
        if not name:
            params = {"column": self.column("full_name")}
            raise RowProblem("full_name", "empty", CELL_MESSAGES["empty"] % params)
        row.person["full_name"] = name
        row.person["name_key"] = name_key(name)

    def _sex(self, row: ParsedRow, cells: dict) -> None:
        row.person["sex"] = self._once("sex", cells.get("sex"))

    def _birth_date(self, row: ParsedRow, cells: dict) -> None:
        born = self._once("birth_date", cells.get("birth_date"))
        if born > self.today:
            raise RowProblem("birth_date", "birth_future", str(ROW_MESSAGES["birth_future"]))
        row.person["birth_date"] = born

    def _texts(self, row: ParsedRow, cells: dict) -> None:
        for key in self._person_text:
            text = self._once(key, cells.get(key))
            if text:
                row.person[key] = text

    def _kk(self, row: ParsedRow, cells: dict) -> None:
        if "kk_number" not in self.mapping:
            return
        raw = cells.get("kk_number")
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        kk = parse_text_cell(raw).replace(" ", "").replace(".", "").lstrip("'")
        if kk and (len(kk) != 16 or not kk.isdigit()):
            params = {"value": parse_text_cell(raw)}
            raise RowProblem("kk_number", "kk_invalid", ROW_MESSAGES["kk_invalid"] % params)
        if kk:
            row.person["kk_number"] = kk

    def _phone(self, row: ParsedRow, cells: dict) -> None:
        if "contact_consent" in self.mapping:
            try:
                row.contact_consent = bool(parse_bool_cell(cells.get("contact_consent")))
            except CellError as error:
                raise self.cell_problem("contact_consent", error) from None
        if "phone" not in self.mapping:
            return
        raw = cells.get("phone")
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        text = parse_text_cell(raw)
        if not text:
            return
        try:
            row.person["phone"] = phone_clean(text)
        except ValueError as error:
            raise RowProblem("phone", "phone_invalid", f"{text}: {error}") from None

    def _choices(self, row: ParsedRow, cells: dict) -> None:
        for key in ("education", "marital_status"):
            if key in self.mapping:
                code = self._once(key, cells.get(key))
                if code:
                    row.person[key] = code
        if "nik_exception" in self.mapping:
            row.person["nik_exception"] = parse_text_cell(cells.get("nik_exception"))

    def _village(self, row: ParsedRow, cells: dict) -> None:
        row.village = self._once("village", (cells.get("village"), cells.get("district")))

    def _placement(self, row: ParsedRow, cells: dict) -> None:
        problems = []
        details = row.placement
        for key in self._details:
            try:
                value = self._once(key, cells.get(key))
            except RowProblem as problem:
                problems.append(problem.kept())
                continue
            if value:
                details[key] = value
        for key in self._events:
            try:
                setattr(row, key, self._once(key, cells.get(key)))
            except RowProblem as problem:
                problems.append(problem.kept())
        row.note = parse_text_cell(cells.get("note"))
        if problems:
            row.problems.extend(problems[1:])
            raise problems[0]
        self._placement_rules(row)

    def _placement_rules(self, row: ParsedRow) -> None:
        details = row.placement
        wants_episode = details.get("destination_country") or row.departed_on or row.returned_on
        if row.status == "abroad" and not row.departed_on:
            raise RowProblem(
                "departed_on", "departure_needed", str(ROW_MESSAGES["departure_needed"])
            )
        if row.status == "returned" and not row.returned_on:
            raise RowProblem("returned_on", "return_needed", str(ROW_MESSAGES["return_needed"]))
        if row.returned_on and not row.departed_on:
            raise RowProblem(
                "departed_on",
                "return_without_departure",
                str(ROW_MESSAGES["return_without_departure"]),
            )
        if wants_episode and not details.get("destination_country"):
            raise RowProblem(
                "destination_country", "country_needed", str(ROW_MESSAGES["country_needed"])
            )
        if not wants_episode:
            row.placement = {}
            return
        row.defaulted = {"job", "sector", "scheme"} - set(details)
        if "job" not in details:
            details["job"] = job_from_title(details.get("job_title", ""))
        if "sector" not in details:
            details["sector"] = "informal" if details["job"] in INFORMAL_JOBS else "formal"
        if "scheme" not in details:
            # A village book rarely says the scheme; a P3MI named means P to P, none means the
            # person went on their own (the usual non-procedural route).
            details["scheme"] = "p2p" if details.get("agency_name") else "individual"
        if row.returned_on and not row.return_reason:
            row.return_reason = ReturnReason.OTHER

    def _meta(self, row: ParsedRow, cells: dict) -> None:
        uuid = parse_text_cell(cells.get("submission_uuid"))
        row.submission_uuid = uuid.removeprefix("uuid:")[:64]

    def _nik_rules(self, row: ParsedRow, nik: NikInfo) -> None:
        """The registry's cross-check of the NIK with the birth date and sex."""
        person = row.person
        mismatches = nik_mismatches(nik, birth_date=person["birth_date"], sex=person["sex"])
        if mismatches and not person.get("nik_exception"):
            review = nik_review(row.nik, birth_date=person["birth_date"], sex=person["sex"])
            message = (
                " ".join(review.mismatches)
                + " "
                + _("Correct the row, or explain the difference in the column Penjelasan NIK.")
            )
            row.problems.append(RowProblem("nik", "nik_mismatch", message))


def job_from_title(title: str) -> str:
    """The job a free-text title names, by keyword; "other" when none matches."""
    key = compact(title)
    if not key:
        return Job.OTHER
    if key in JOB_WORDS:
        return JOB_WORDS[key]
    for job, words in JOB_KEYWORDS:
        if any(word in key for word in words):
            return job
    return Job.OTHER


def country_name(code: str) -> str:
    """The Indonesian name of a country code (as exports and the template write it)."""
    return COUNTRIES.get(code, ("", ""))[0] or code


def format_date(day: dt.date | None) -> str:
    return date_format(day, "j F Y") if day else ""


# Make sure every coded choice the template offers is a real model choice.
assert set(JOB_LABELS) == set(Job.values)
assert set(SCHEME_LABELS) == set(Scheme.values)
assert set(SECTOR_LABELS) == set(Sector.values)
assert set(EDUCATION_LABELS) == set(Education.values)
assert set(MARITAL_LABELS) == set(MaritalStatus.values)
assert set(RETURN_LABELS) == set(ReturnReason.values)
