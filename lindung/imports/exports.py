"""Filtered lists out to CSV and XLSX, streamed so memory stays flat on any size.

The columns are the template's, so an exported file imported again changes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from collections.abc import Iterable, Iterator

from lindung.imports.headers import FIELD_BY_KEY
from lindung.imports.vocabulary import (
    EDUCATION_LABELS,
    JOB_LABELS,
    MARITAL_LABELS,
    RETURN_LABELS,
    SCHEME_LABELS,
    SECTOR_LABELS,
    STATUS_LABELS,
    country_name,
)
from lindung.lib.cells import spreadsheet_safe_row
from lindung.lib.xlsx_writer import write_sheet
from lindung.placements.models import Placement, Status
from lindung.registry.models import Person

PERSON_COLUMNS = (
    "nik",
    "full_name",
    "sex",
    "birth_place",
    "birth_date",
    "kk_number",
    "address",
    "dusun",
    "rt",
    "rw",
    "phone",
    "contact_consent",
    "education",
    "marital_status",
    "village",
    "district",
    "nik_exception",
)
PLACEMENT_COLUMNS = (
    "status",
    "scheme",
    "destination_country",
    "sector",
    "job",
    "job_title",
    "agency_name",
    "employer_name",
    "departed_on",
    "returned_on",
    "return_reason",
)
COLUMNS = PERSON_COLUMNS + PLACEMENT_COLUMNS
HEADERS = [FIELD_BY_KEY[key].header for key in COLUMNS]
STATUS_OF_PLACEMENT = {
    Status.PLANNED: STATUS_LABELS["candidate"],
    Status.ABROAD: STATUS_LABELS["abroad"],
    Status.RETURNED: STATUS_LABELS["returned"],
    Status.CANCELLED: STATUS_LABELS["cancelled"],
    Status.DIED: STATUS_LABELS["died"],
}
# Filters each list understands (the same GET parameters as the list pages).
PERSON_FILTERS = ("q", "phase", "country", "procedural", "sex", "age_band", "village", "verified")
PLACEMENT_FILTERS = ("status", "country", "procedural", "job", "village")
ITERATOR_CHUNK = 2000


def row_of(person: Person, placement: Placement | None) -> list:
    """One export row; dates stay dates (the CSV writer formats them day-first)."""
    village = person.village
    row = [
        person.nik,
        person.full_name,
        "L" if person.sex == "M" else "P",
        person.birth_place,
        person.birth_date,
        person.kk_number,
        person.address,
        person.dusun,
        person.rt,
        person.rw,
        person.phone,
        "Ya" if person.phone else "",
        EDUCATION_LABELS.get(person.education, ""),
        MARITAL_LABELS.get(person.marital_status, ""),
        person.village_id,
        village.parent.name if village is not None and village.parent else "",
        person.nik_exception,
    ]
    if placement is None:
        return row + [""] * len(PLACEMENT_COLUMNS)
    return row + [
        STATUS_OF_PLACEMENT.get(placement.status, ""),
        SCHEME_LABELS.get(placement.scheme, ""),
        country_name(placement.destination_country),
        SECTOR_LABELS.get(placement.sector, ""),
        JOB_LABELS.get(placement.job, ""),
        placement.job_title,
        placement.agency_name,
        placement.employer_name,
        placement.departed_on,
        placement.returned_on,
        RETURN_LABELS.get(placement.return_reason, ""),
    ]


# What people_rows reads: plain values, not model instances (a third of the time per row).
PEOPLE_VALUES = (
    "nik", "full_name", "sex", "birth_place", "birth_date", "kk_number", "address", "dusun",
    "rt", "rw", "phone", "education", "marital_status", "village_id", "village__parent__name",
    "nik_exception", "current_placement_id", "current_placement__status",
    "current_placement__scheme", "current_placement__destination_country",
    "current_placement__sector", "current_placement__job", "current_placement__job_title",
    "current_placement__agency_name", "current_placement__employer_name",
    "current_placement__departed_on", "current_placement__returned_on",
    "current_placement__return_reason",
)  # fmt: skip
NO_PLACEMENT = [""] * len(PLACEMENT_COLUMNS)


def people_rows(queryset) -> Iterator[list]:
    """Rows of persons with their current episode, read in chunks (the same rows as
    row_of gives)."""
    for (
        nik, full_name, sex, birth_place, birth_date, kk_number, address, dusun, rt, rw, phone,
        education, marital_status, village_id, district, nik_exception, placement_id, status,
        scheme, country, sector, job, job_title, agency_name, employer_name, departed_on,
        returned_on, return_reason,
    ) in queryset.values_list(*PEOPLE_VALUES).iterator(chunk_size=ITERATOR_CHUNK):  # fmt: skip
        row = [
            nik, full_name, "L" if sex == "M" else "P", birth_place, birth_date, kk_number,
            address, dusun, rt, rw, phone, "Ya" if phone else "",
            EDUCATION_LABELS.get(education, ""), MARITAL_LABELS.get(marital_status, ""),
            village_id, district or "", nik_exception,
        ]  # fmt: skip
        if placement_id is None:
            yield row + NO_PLACEMENT
            continue
        yield row + [
            STATUS_OF_PLACEMENT.get(status, ""), SCHEME_LABELS.get(scheme, ""),
            country_name(country), SECTOR_LABELS.get(sector, ""), JOB_LABELS.get(job, ""),
            job_title, agency_name, employer_name, departed_on, returned_on,
            RETURN_LABELS.get(return_reason, ""),
        ]  # fmt: skip


def placement_rows(queryset) -> Iterator[list]:
    """Rows of episodes with their person, read in chunks."""
    qs = queryset.select_related("person__village__parent")
    for placement in qs.iterator(chunk_size=ITERATOR_CHUNK):
        yield row_of(placement.person, placement)


class _Echo:
    def write(self, value: str) -> str:
        return value


class _DayFirst(dict):
    """A date's day-first text, formatted once per distinct date of the export."""

    def __missing__(self, day: dt.date) -> str:
        text = self[day] = day.strftime("%d/%m/%Y")
        return text


def csv_stream(rows: Iterable[list]) -> Iterator[str]:
    """CSV lines (UTF-8 with BOM, so Excel opens it right), one at a time; dates day-first,
    None empty (the csv writer's own rule), text made spreadsheet-safe."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(HEADERS)
    days = _DayFirst()
    for row in rows:
        cells = spreadsheet_safe_row(row)
        yield writer.writerow([days[v] if isinstance(v, dt.date) else v for v in cells])


def xlsx_file(rows: Iterable[list]):
    """An open temporary XLSX file of the rows (sheet Data, the template's headers), text made
    spreadsheet-safe by the writer, dates as day-first dates."""
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115 - closed by the response
    try:
        write_sheet(handle, sheet="Data", headers=HEADERS, rows=rows)
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    return handle
