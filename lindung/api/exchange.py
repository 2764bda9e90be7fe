"""Exchange formats: the OpenSID resident push. A village's OpenSID sends its residents in its
own column names (nik, nama, sex 1/2, tanggallahir, …); Lindung reads them with the importer's
own column detection and row rules (lindung.imports) and writes them the way an import does
(audit, counters), then answers row by row which it took and which it refused, and why."""

import csv
import tempfile
from pathlib import Path

from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field as F
from ninja import Query, Router, Schema

from lindung.accounts.scoping import code_in_scope, user_area_code
from lindung.api.api import Forbidden, NotFound
from lindung.api.problems import both
from lindung.api.schemas import AreaCode, Problem
from lindung.imports.messages import FIELD_LABELS
from lindung.imports.reading import FileProblem
from lindung.imports.services import (
    can_import,
    file_problem_message,
    layout_run,
    missing_fields,
    sheet_layout,
)
from lindung.lib.errors import ApplicationError
from lindung.regions.models import Area

router = Router(tags=["exchange"])

PUSH_MAX = 1000
EMPTY = gettext_lazy("The row is empty.")
Cell = str | int | float | bool | None


class ResidentPush(Schema):
    residents: list[dict[str, Cell]] = F(
        min_length=1,
        max_length=PUSH_MAX,
        description=(
            "One object per resident, keyed by OpenSID's column names (nik, nama, sex, "
            "tanggallahir, tempatlahir, alamat, dusun, rt, rw, pendidikan_kk, status_kawin, "
            "pekerjaan…). At least nik, nama, sex and tanggallahir."
        ),
    )


class PushQuery(Schema):
    area: AreaCode | None = F(
        None, description="The village (or larger area) pushing; by default the token's area."
    )


class RowError(Schema):
    field: str
    code: str
    message_id: str
    message_en: str


class RowAnswer(Schema):
    index: int = F(description="Position of the resident in the pushed list, from 0.")
    nik: str
    taken: bool
    errors: list[RowError] = F(description="Why the row was refused (all reasons at once).")


class PushAnswer(Schema):
    received: int
    created: int
    updated: int
    unchanged: int
    refused: int
    rows: list[RowAnswer]


def _cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    # One CSV line per resident: line breaks inside a value become spaces.
    return " ".join(str(value).replace("\x00", "").splitlines())


def _answer_rows(residents, columns, nik_column: int, header_row: int, result) -> list[dict]:
    """Each resident sent, with its NIK and whether it was taken or why it was refused."""
    refused: dict[int, list[dict]] = {}
    for issue in result.issues:
        message_id, message_en = both(issue["message"])
        refused.setdefault(issue["row"], []).append(
            {
                "field": issue["field"],
                "code": issue["code"],
                "message_id": message_id,
                "message_en": message_en,
            }
        )
    empty_id, empty_en = both(EMPTY)
    rows = []
    for index, resident in enumerate(residents):
        errors = refused.get(header_row + 1 + index, [])
        if not any(_cell(value).strip() for value in resident.values()):
            errors = [
                {"field": "", "code": "empty", "message_id": empty_id, "message_en": empty_en}
            ]
        nik = _cell(resident.get(columns[nik_column])) if nik_column < len(columns) else ""
        rows.append({"index": index, "nik": nik, "taken": not errors, "errors": errors})
    return rows


@router.post(
    "/exchange/opensid/residents",
    response={200: PushAnswer, **dict.fromkeys((400, 401, 403, 404, 422, 429), Problem)},
    summary="OpenSID resident push",
)
def opensid_push(request, payload: ResidentPush, query: Query[PushQuery]):
    """Take a village's residents as its OpenSID sends them. Each row is checked like a row
    of an uploaded spreadsheet; the answer says, row by row, which were taken and which were
    refused, and why. At most 1,000 residents per call."""
    user = request.user
    if not can_import(user):
        raise Forbidden
    code = query.area or user_area_code(user)
    area = Area.objects.filter(code=code).first() if code else None
    if area is None or not code_in_scope(user, area.code):
        raise NotFound("area")
    columns = list(dict.fromkeys(key for row in payload.residents for key in row))
    with tempfile.TemporaryDirectory(prefix="lindung-push-") as folder:
        path = Path(folder) / "opensid.csv"
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns)
            for row in payload.residents:
                writer.writerow([_cell(row.get(column)) for column in columns])
        try:
            layout = sheet_layout(path, area)
        except FileProblem as problem:
            raise ApplicationError(
                file_problem_message(problem), field="residents", code=problem.code
            ) from None
        missing = missing_fields(layout.mapping)
        if missing:

            def missing_text() -> str:  # rendered in each language of the problem document
                labels = ", ".join(str(FIELD_LABELS[k]) for k in missing)
                return _("Missing columns: %(columns)s") % {"columns": labels}

            raise ApplicationError(
                lazy(missing_text, str)(),
                field="residents",
                code="missing_columns",
            )
        result = layout_run(layout, path=path, area=area, actor=user, apply=True)
    rows = _answer_rows(
        payload.residents, columns, layout.mapping["nik"], layout.header_row, result
    )
    counts = result.as_dict()
    return {
        "received": len(payload.residents),
        "created": counts["created"],
        "updated": counts["updated"],
        "unchanged": counts["unchanged"],
        "refused": counts["rejected"] + counts["review"],
        "rows": rows,
    }
