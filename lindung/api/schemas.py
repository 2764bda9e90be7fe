"""The shapes of the API's answers and requests (documented in the OpenAPI document)."""

from datetime import date
from typing import Annotated

from ninja import Field, Schema
from pydantic import StringConstraints

# Text that a database can store: no control characters (PostgreSQL refuses NUL).
NO_CONTROL = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
# Database ids (SQLite and PostgreSQL integers are 64 bit; ours never pass 2**31).
MAX_ID = 2**31 - 1
PAGE_SIZE = 50
PAGE_SIZE_MAX = 100

Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def text(max_length: int, min_length: int = 0):
    """A string type of at most `max_length` characters without control characters."""
    return Annotated[
        str,
        StringConstraints(min_length=min_length, max_length=max_length, pattern=NO_CONTROL),
    ]


AreaCode = Annotated[str, StringConstraints(pattern=r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")]
Month = Annotated[str, StringConstraints(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]


class ProblemError(Schema):
    field: str | None = Field(description="The field or parameter concerned, when there is one.")
    code: str = Field(description="A stable machine-readable code.")
    message_id: str = Field(description="The message in Indonesian.")
    message_en: str = Field(description="The message in English.")


class Problem(Schema):
    """Every error answer (4xx) has this shape."""

    status: int
    title: str = Field(description="What went wrong, in English.")
    title_id: str = Field(description="What went wrong, in Indonesian.")
    errors: list[ProblemError]


class PersonOut(Schema):
    id: int
    nik: str
    kk_number: str
    full_name: str
    sex: str = Field(description="M or F.")
    birth_place: str
    birth_date: date
    village: str = Field(description="Kemendagri code of the village.")
    village_name: str
    dusun: str
    rt: str
    rw: str
    address: str
    education: str
    marital_status: str
    phase: str = Field(description="none, candidate, abroad or returned (derived, read-only).")
    current_episode: int | None
    verified: bool
    archived: bool


class PersonPage(Schema):
    items: list[PersonOut]
    next: str | None = Field(description="Pass as `cursor` to read the next page; null at the end.")


class EventOut(Schema):
    id: int
    kind: str
    occurred_on: date
    check_in_result: str
    return_reason: str
    note: str


class EpisodeOut(Schema):
    id: int
    person: int
    village: str
    scheme: str
    destination_country: str
    sector: str
    job: str
    job_title: str
    employer_name: str
    agency_name: str
    contract_start: date | None
    contract_end: date | None
    planned_departure: date | None
    status: str
    procedural: bool | None
    departed_on: date | None
    returned_on: date | None
    return_reason: str
    last_check_in_on: date | None
    events: list[EventOut]
