from datetime import UTC, datetime

import pytest

from lindung.lib.timezones import local_time, zone_of_area


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("18.11.01.2001", "WIB"),  # Lampung
        ("61.01", "WIB"),  # Kalimantan Barat
        ("51.71", "WITA"),  # Bali
        ("64", "WITA"),  # Kalimantan Timur
        ("73.71.01", "WITA"),  # Sulawesi Selatan
        ("81", "WIT"),  # Maluku
        ("91.01", "WIT"),  # Papua
        ("96", "WIT"),  # Papua Barat Daya
        ("", "WIB"),  # national: the capital's time
        (None, "WIB"),
    ],
)
def test_each_province_lies_in_its_zone(code, label):
    assert zone_of_area(code)[1] == label


def test_a_moment_is_shown_in_the_areas_own_time():
    moment = datetime(2026, 3, 1, 1, 30, tzinfo=UTC)
    assert local_time(moment, "81")[0].hour == 10
    assert local_time(moment, "18.11")[0].hour == 8
