"""Turning one spreadsheet row into checked values, or into reasons it cannot be used.

`RowParser.parse` needs no database: the villages of the importing area come in a
`VillageIndex` built once per import (imports/villages.py), the words for coded values from
imports/vocabulary.py. The rules are the registry's (lindung.lib.nik, names, phone and
registry.rules) and the placements' (defaults, destination), so an imported record is exactly
what the form would have saved.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import partial

from django.utils.translation import gettext as _

from lindung.imports.headers import FIELD_BY_KEY, compact, header_label
from lindung.imports.messages import CELL_MESSAGES, ROW_MESSAGES
from lindung.imports.problems import RowProblem
from lindung.imports.sheet_rows import FOOTER, blank, is_numbering, nik_like, shown
from lindung.imports.villages import VillageIndex
from lindung.imports.vocabulary import (
    ABROAD,
    CHECKLIST_WORDS,
    CODED,
    DASHES,
    REGISTER_LABELS,
    REGISTER_WORDS,
    REVIEW_REJECTED,
    SEX_CODES,
    checklist_run,
    job_from_title,
)
from lindung.lib.cells import (
    CellError,
    parse_bool_cell,
    parse_date_cell,
    parse_nik_cell,
    parse_sex_cell,
    parse_text_cell,
)
from lindung.lib.countries import parse_country
from lindung.lib.names import name_display, name_key
from lindung.lib.nik import NikError, NikInfo, nik_mismatches, parse_nik
from lindung.placements.defaults import default_scheme, default_sector
from lindung.placements.destination import UNKNOWN, destination_problem
from lindung.placements.models import Placement, ReturnReason
from lindung.placements.readiness import REQUIRED_ITEMS
from lindung.registry.models import Person
from lindung.registry.rules import nik_error_message, nik_review, phone_clean

PERSON_TEXT = ("birth_place", "address", "dusun", "rt", "rw")
PLACEMENT_TEXT = ("job_title", "agency_name", "employer_name")
PLACEMENT_DETAILS = ("destination_country", "scheme", "sector", "job", *PLACEMENT_TEXT)
PLACEMENT_EVENTS = ("status", "departed_on", "returned_on", "return_reason")  # ParsedRow fields

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
MEMO_LIMIT = 20_000  # distinct cells remembered per column


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
    checklist: list[str] | None = None  # readiness items the row says are done; None: unknown
    problems: list[RowProblem] = field(default_factory=list)
    # A row that is not a person (a review-rejected submission, a footer, a numbering row, a
    # resident no longer living in the village): not read further, reported unless `quiet`.
    skip: RowProblem | None = None
    quiet: bool = False
    # Applied all the same: what was left out (a phone without consent) or is worth a look (a
    # resident who is probably abroad).
    warnings: list[RowProblem] = field(default_factory=list)
    hints: list[RowProblem] = field(default_factory=list)
    # How many warnings reading the row gave, set when it is first planned: a plan made ahead
    # as if the person were new is dropped, with its warnings, when they are not.
    read_warnings: int | None = None

    def warn(self, problem: RowProblem) -> None:
        """Add a warning once (a row may be planned twice: ahead, then for the database)."""
        if all(w.code != problem.code for w in self.warnings):
            self.warnings.append(problem.kept())


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
            "status": self._status_cell,
            "register_status": self._register_cell,
            "current_address": self._abroad_address,
        }
        # Rows under the table (a signature block) until a row with a NIK again.
        self._in_footer = False
        # The columns of each step this file has, in the order their problems are told; a
        # missing event or status column reads as an empty cell, so it leaves the row's default.
        self._person_text = [key for key in PERSON_TEXT if key in mapping]
        self._details = [key for key in PLACEMENT_DETAILS if key in mapping]
        self._events = [key for key in PLACEMENT_EVENTS if key in mapping]
        # After the NIK, in this order; each step adds at most one problem (_placement more).
        self._steps = (
            self._register,
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
        if value in DASHES:
            return ""
        limit = MAX_LENGTHS.get(key)
        if limit and len(value) > limit:
            params = {"column": self.column(key), "max": limit}
            raise RowProblem(key, "too_long", ROW_MESSAGES["too_long"] % params)
        return value

    def _coded(self, key: str, words: dict, labels: dict, cell: object) -> str:
        raw = parse_text_cell(cell)
        if not raw or raw in DASHES:
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
        code = SEX_CODES.get(parse_text_cell(cell)) if not isinstance(cell, bool) else None
        if code:
            return code
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

    def _status_cell(self, cell: object) -> tuple[str, str]:
        """("pmi", code) for a PMI status, ("register", code) for a population register's
        status written in a column called Status (SIAK: Hidup, Tidak Valid …)."""
        raw = parse_text_cell(cell)
        key = compact(raw)
        if key in REGISTER_LABELS:
            return ("register", REGISTER_WORDS[key])
        if raw.isdigit() or key in ("tetap", "tidaktetap"):
            # OpenSID's and OpenDK's own status (1 TETAP, 2 TIDAK TETAP): a resident.
            return ("register", "alive")
        return ("pmi", self._coded("status", *CODED["status"], cell))

    def _register_cell(self, cell: object) -> str:
        raw = parse_text_cell(cell)
        if not raw or raw in DASHES:
            return ""
        code = REGISTER_WORDS.get(compact(raw))
        if code is None:
            allowed = "Hidup, Mati, Pindah, Hilang, Pergi, Tidak Valid"
            params = {"value": raw, "column": self.column("register_status"), "allowed": allowed}
            raise RowProblem(
                "register_status", "choice_unknown", ROW_MESSAGES["choice_unknown"] % params
            )
        return code

    def _abroad_address(self, cell: object) -> str:
        """The place abroad an address names ("" when none)."""
        text = parse_text_cell(cell)
        found = ABROAD.search(text.casefold()) if text else None
        return text if found else ""

    def _resolve_village(self, cells: tuple) -> str:
        return self.villages.resolve(parse_text_cell(cells[0]), parse_text_cell(cells[1]))

    # --- a whole row ---------------------------------------------------------------------------

    def parse(self, number: int, values: list) -> ParsedRow:
        """Every problem of the row at once, so one pass over the file explains all of them."""
        row = ParsedRow(number=number, values=values)
        size = len(values)
        # The row's cells by field; a field not mapped, or past the end of the row, is missing.
        cells = {key: values[index] for key, index in self._columns if index < size}
        if self._not_a_person(row, cells):
            return row
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
        person = row.person
        if nik is not None and "birth_date" in person and "sex" in person:
            self._nik_rules(row, nik)
        return row

    def _not_a_person(self, row: ParsedRow, cells: dict) -> bool:
        """Whether the row is skipped (row.skip says why): a numbering row under the header,
        a signature block under the table, a submission refused in review."""
        nik = cells.get("nik")
        if not (type(nik) is str and len(nik) == 16) and not nik_like(nik):
            filled = [v for v in row.values if not blank(v)]
            if self._in_footer:
                row.skip, row.quiet = RowProblem("", "footer", ""), True
                return True
            if is_numbering(filled):
                message = str(ROW_MESSAGES["numbering_row"])
                row.skip = RowProblem("", "numbering_row", message)
                return True
            text = " ".join(str(v) for v in filled).casefold()
            if FOOTER.search(text):
                self._in_footer = True
                row.skip = RowProblem("", "footer", str(ROW_MESSAGES["footer"]))
                return True
        else:
            self._in_footer = False
        if "review_state" in self.mapping:
            state = parse_text_cell(cells.get("review_state"))
            if state and compact(state) in REVIEW_REJECTED:
                params = {"value": state, "column": self.column("review_state")}
                message = ROW_MESSAGES["review_rejected"] % params
                row.skip = RowProblem("review_state", "review_rejected", message)
                return True
        return False

    def _register(self, row: ParsedRow, cells: dict) -> None:
        """A population register's status (OpenSID status_dasar, SIAK Status) and the hints
        that a living resident is abroad: a passport, PERGI, an address abroad."""
        status = ""
        if "register_status" in cells:
            try:
                status = self._once("register_status", cells["register_status"])
            except RowProblem as problem:  # an optional column: told, never a rejection
                row.warn(problem)
        if "status" in cells:
            try:
                kind, code = self._once("status", cells["status"])
            except RowProblem:  # told by _placement, with the row's other placement problems
                kind = code = ""
            if kind == "register":
                status = code
                cells["status"] = ""  # not a PMI status
        if status in ("dead", "moved", "missing", "invalid"):
            column = "register_status" if "register_status" in cells else "status"
            params = {"value": parse_text_cell(cells[column]) if column in cells else status}
            params["column"] = self.column(column)
            message = ROW_MESSAGES["register_not_resident"] % params
            row.skip = RowProblem(column, "register_not_resident", message)
            return
        hints = []
        if status == "away":
            hints.append(_("the population register says PERGI"))
        passport = parse_text_cell(cells.get("passport_number"))
        if passport and passport not in DASHES:
            hints.append(_("passport number %(number)s") % {"number": passport})
        if "current_address" in cells:
            place = self._once("current_address", cells["current_address"])
            if place:
                hints.append(_("current address %(address)s") % {"address": place})
        if hints:
            message = ROW_MESSAGES["probably_abroad"] % {"hints": "; ".join(hints)}
            row.hints.append(RowProblem("", "probably_abroad", message))

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
        """The KK number, guarded as the NIK is: a number Excel may have rounded is refused."""
        if "kk_number" not in self.mapping:
            return
        raw = cells.get("kk_number")
        if blank(raw) or (isinstance(raw, str) and raw.strip() in DASHES):
            return
        try:
            row.person["kk_number"] = nik_from_cell(raw)
        except CellError as error:
            code = "kk_float" if error.code == "nik_float" else "kk_invalid"
            message = ROW_MESSAGES[code] % {"value": shown(raw)}
            raise RowProblem("kk_number", code, message) from None

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
        if not text or text in DASHES:
            return
        try:
            row.person["phone"] = phone_clean(text)
        except ValueError as error:
            # An optional value never costs a person their registration: the number is left out.
            message = ROW_MESSAGES["phone_dropped_invalid"] % {"value": text, "reason": error}
            row.warn(RowProblem("phone", "phone_invalid", message))

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

    def _read_each(self, keys: list[str], cells: dict, problems: list):
        """(key, value) of each of these columns read on the row; a cell that cannot be read
        adds its problem to `problems` instead, and the others are still read."""
        for key in keys:
            try:
                value = self._once(key, cells.get(key))
            except RowProblem as problem:
                problems.append(problem.kept())
                continue
            yield key, value

    def _placement(self, row: ParsedRow, cells: dict) -> None:
        problems = []
        details = row.placement
        for key, value in self._read_each(self._details, cells, problems):
            if value:
                details[key] = value
        for key, value in self._read_each(self._events, cells, problems):
            if key == "status":
                value = value[1] if value[0] == "pmi" else ""
            setattr(row, key, value)
        row.note = parse_text_cell(cells.get("note"))
        if "checklist" in self.mapping:
            try:
                row.checklist = self._checklist(cells.get("checklist"))
            except RowProblem as problem:
                problems.append(problem.kept())
        if problems:
            row.problems.extend(problems[1:])
            raise problems[0]
        self._placement_rules(row)

    def _checklist(self, cell: object) -> list[str] | None:
        """The readiness items a cell ticks: codes separated by spaces (ODK and Kobo write a
        multiple choice so), commas or semicolons, or labels one after the other (a Kobo
        label export); None when empty: the checklist was not checked."""
        text = parse_text_cell(cell)
        if not text or text in DASHES:
            return None
        tokens = [t for t in re.split(r"[\s,;]+", text) if t]
        codes = [CHECKLIST_WORDS.get(compact(t)) for t in tokens]
        if all(codes):
            return codes
        labels = checklist_run(compact(text))
        if labels is not None:
            return labels
        unknown = next(t for t, code in zip(tokens, codes, strict=True) if code is None)
        params = {
            "value": unknown,
            "column": self.column("checklist"),
            "allowed": ", ".join(REQUIRED_ITEMS),
        }
        raise RowProblem("checklist", "choice_unknown", ROW_MESSAGES["choice_unknown"] % params)

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
        country = details.get("destination_country", UNKNOWN)
        departing = bool(row.departed_on or row.returned_on)
        if destination_problem(country, departing=departing):
            raise RowProblem(
                "destination_country", "country_needed", str(ROW_MESSAGES["country_needed"])
            )
        if not (wants_episode or row.status == "candidate"):
            row.placement = {}
            return
        if country == UNKNOWN:
            # A calon PMI all the same, counted as one; the village completes the country.
            details["destination_country"] = UNKNOWN
            message = str(ROW_MESSAGES["candidate_without_country"])
            row.warn(RowProblem("destination_country", "candidate_without_country", message))
        row.defaulted = {"job", "sector", "scheme"} - set(details)
        if "job" not in details:
            details["job"] = job_from_title(details.get("job_title", ""))
        # A village book rarely says the sector or the scheme: the defaults every writer uses.
        if "sector" not in details:
            details["sector"] = default_sector(details["job"])
        if "scheme" not in details:
            details["scheme"] = default_scheme(details.get("agency_name", ""))
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
