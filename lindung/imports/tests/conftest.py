import pytest

from lindung.regions.models import Area


@pytest.fixture
def mesuji(db):
    return Area.objects.get(code="18.11")


@pytest.fixture
def village_a(db):
    return Area.objects.get(code="18.11.01.2001")


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
