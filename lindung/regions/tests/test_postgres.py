"""On PostgreSQL the area code columns sort byte by byte ("C" collation), which the scoping
range scan relies on. These run in the PostgreSQL pass of `make test` only."""

import pytest
from django.db import connection

from lindung.regions.models import Area

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def _collation(table: str, column: str) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT collation_name FROM information_schema.columns "
            "WHERE table_name = %s AND column_name = %s",
            [table, column],
        )
        row = cursor.fetchone()
    return row[0] if row else None


@pytest.mark.parametrize(
    ("table", "column"),
    [
        ("regions_area", "code"),
        ("accounts_user", "jurisdiction_id"),
        ("audit_auditevent", "area_code"),
    ],
)
def test_area_code_columns_use_the_c_collation(table, column):
    assert _collation(table, column) == "C"


def test_the_regency_range_holds_exactly_its_areas_on_postgres():
    in_range = Area.objects.filter(code__gte="18.11.", code__lt="18.11/").count()
    assert in_range == 7 + 105
    assert not Area.objects.filter(code__gte="18.1.", code__lt="18.1/").exists()
