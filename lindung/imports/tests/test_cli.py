import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lindung.imports.tests.factories import HEADER, person_row, write_csv, write_xlsx
from lindung.registry.models import Person
from lindung.reports.counters import counters_differences


def run_cli(*args) -> dict:
    from io import StringIO

    out = StringIO()
    call_command("import_people", *args, "--json", stdout=out)
    return json.loads(out.getvalue().strip().splitlines()[-1])


@pytest.mark.django_db
def test_a_dry_run_reports_what_a_real_run_would_do_and_writes_nothing(tmp_path):
    rows = [HEADER, person_row(1), person_row(2, "Budi", sex="L"), person_row(3, "", sex="P")]
    path = write_xlsx(tmp_path / "desa.xlsx", rows, title_rows=2)
    report = run_cli(str(path), "--area", "18.11", "--dry-run")
    assert report["rows"] == 3
    assert report["created"] == 2
    assert report["rejected"] == 1
    assert report["errors"][0]["row"] == 6  # two title rows, the header on row 3
    assert report["errors"][0]["column"] == "Nama Lengkap"
    assert Person.objects.count() == 0


@pytest.mark.django_db
def test_importing_the_same_file_twice_changes_nothing_the_second_time(tmp_path):
    rows = [
        HEADER,
        person_row(1, country="Taiwan", job="Caregiver", departed="02/01/2023"),
        person_row(
            2, "Budi Santoso", sex="L", country="Malaysia", departed="5-6-22", returned="01/07/2024"
        ),
    ]
    path = write_csv(tmp_path / "desa.csv", rows, delimiter=";")
    first = run_cli(str(path), "--area", "18.11")
    assert (first["created"], first["rejected"]) == (2, 0), first
    second = run_cli(str(path), "--area", "18.11")
    assert (second["created"], second["updated"], second["unchanged"]) == (0, 0, 2)
    assert counters_differences() == []


@pytest.mark.django_db
def test_a_file_that_is_not_a_spreadsheet_exits_non_zero(tmp_path):
    path = tmp_path / "foto.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    with pytest.raises(CommandError):
        run_cli(str(path), "--area", "18.11")
