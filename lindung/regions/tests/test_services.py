"""Loading the Kemendagri areas: complete, idempotent, and updating what changed."""

import gzip
from io import StringIO

import pytest
from django.core.management import call_command

from lindung.regions.models import Area, Level
from lindung.regions.services import regions_load

TOTAL = 38 + 514 + 7285 + 83762


@pytest.mark.django_db
def test_every_kemendagri_area_is_loaded_with_its_level_and_parent():
    counts = {level: Area.objects.filter(level=level).count() for level in Level}
    assert counts == {
        Level.PROVINCE: 38,
        Level.REGENCY: 514,
        Level.DISTRICT: 7285,
        Level.VILLAGE: 83762,
    }
    village = Area.objects.select_related("parent__parent__parent").get(code="18.11.01.2001")
    assert village.name == "Wiralaga I"
    assert village.parent.code == "18.11.01"
    assert village.parent.parent.name == "Kabupaten Mesuji"
    assert village.parent.parent.parent.name == "Lampung"
    assert village.name_key == "wiralaga i"


@pytest.mark.django_db
def test_mesuji_has_seven_districts_and_105_villages():
    assert Area.objects.filter(parent_id="18.11").count() == 7
    assert Area.objects.filter(level=Level.VILLAGE, code__startswith="18.11.").count() == 105


@pytest.mark.django_db
def test_every_area_but_the_provinces_has_a_parent_one_level_up():
    assert not Area.objects.filter(level__gt=1, parent__isnull=True).exists()
    assert not Area.objects.filter(level=1, parent__isnull=False).exists()
    for level in (2, 3, 4):
        assert not Area.objects.filter(level=level).exclude(parent__level=level - 1).exists()


@pytest.mark.django_db
def test_a_second_load_changes_nothing():
    result = regions_load()
    assert (result.created, result.updated, result.unchanged) == (0, 0, TOTAL)
    assert not result.changed


@pytest.mark.django_db
def test_a_renamed_area_is_put_back_by_the_next_load():
    Area.objects.filter(code="18.11.01.2001").update(name="Wrong", name_key="wrong")
    result = regions_load()
    assert (result.created, result.updated) == (0, 1)
    area = Area.objects.get(code="18.11.01.2001")
    assert (area.name, area.name_key) == ("Wiralaga I", "wiralaga i")


def _write(path, header, rows):
    with gzip.open(path, "wt", encoding="utf-8", newline="") as handle:
        handle.write(header + "\n")
        for row in rows:
            handle.write(row + "\n")


@pytest.mark.django_db
def test_new_areas_in_the_files_are_created_and_names_have_their_spacing_tidied(tmp_path):
    _write(tmp_path / "provinces.csv.gz", "code,name", ["99,Provinsi  Contoh"])
    _write(tmp_path / "regencies.csv.gz", "code,province_code,name", ["99.01,99,Kabupaten Uji"])
    _write(tmp_path / "districts.csv.gz", "code,regency_code,name", ["99.01.01,99.01,Uji"])
    _write(
        tmp_path / "villages.csv.gz",
        "code,district_code,name",
        ["99.01.01.2001,99.01.01,Desa  Satu ", "99.01.01.1002,99.01.01,Dua"],
    )
    result = regions_load(data_dir=tmp_path)
    assert (result.created, result.updated) == (5, 0)
    assert Area.objects.get(code="99").name == "Provinsi Contoh"
    assert Area.objects.get(code="99.01.01.2001").name == "Desa Satu"
    assert Area.objects.get(code="99.01.01.1002").parent_id == "99.01.01"
    assert regions_load(data_dir=tmp_path).changed is False


@pytest.mark.django_db
def test_the_command_says_plainly_when_nothing_changed():
    out = StringIO()
    call_command("load_regions", stdout=out)
    assert out.getvalue().strip() == f"Areas are up to date ({TOTAL} unchanged)."


@pytest.mark.django_db
def test_the_command_counts_what_it_changed():
    Area.objects.filter(code="18.11").update(name="Mesuji?")
    out = StringIO()
    call_command("load_regions", stdout=out)
    assert "0 created, 1 updated" in out.getvalue()
