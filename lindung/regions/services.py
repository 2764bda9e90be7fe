"""Loading the Kemendagri areas from the files shipped with Lindung."""

import csv
import gzip
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from lindung.regions.models import Area, Level

DATA_DIR = Path(__file__).resolve().parent / "data"
FILES = [
    ("provinces.csv.gz", Level.PROVINCE, None),
    ("regencies.csv.gz", Level.REGENCY, "province_code"),
    ("districts.csv.gz", Level.DISTRICT, "regency_code"),
    ("villages.csv.gz", Level.VILLAGE, "district_code"),
]


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def _read_rows(data_dir: Path):
    for filename, level, parent_column in FILES:
        with gzip.open(data_dir / filename, "rt", encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                parent = row[parent_column] if parent_column else None
                yield row["code"].strip(), parent, int(level), " ".join(row["name"].split())


@transaction.atomic
def regions_load(*, data_dir: Path = DATA_DIR) -> LoadResult:
    """Create or update every area from the shipped files; a second run changes nothing."""
    existing = {
        code: (parent, level, name)
        for code, parent, level, name in Area.objects.values_list(
            "code", "parent_id", "level", "name"
        )
    }
    result = LoadResult()
    to_create: list[Area] = []
    to_update: list[Area] = []
    for code, parent, level, name in _read_rows(data_dir):
        area = Area(code=code, parent_id=parent, level=level, name=name, name_key=name.lower())
        current = existing.get(code)
        if current is None:
            to_create.append(area)
        elif current != (parent, level, name):
            to_update.append(area)
        else:
            result.unchanged += 1
    # Parents come first in the files, so creating in file order satisfies the foreign key.
    Area.objects.bulk_create(to_create, batch_size=2000)
    Area.objects.bulk_update(to_update, ["parent", "level", "name", "name_key"], batch_size=2000)
    result.created, result.updated = len(to_create), len(to_update)
    return result
