"""NIK review sentences: what the operator is told about a NIK, for any NIK."""

from datetime import date

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from lindung.lib.nik import encode_nik
from lindung.registry.rules import nik_review

pytestmark = pytest.mark.django_db

births = st.dates(min_value=date(1940, 1, 1), max_value=date(2020, 12, 31))
sexes = st.sampled_from(["M", "F"])


@given(births, sexes, st.integers(min_value=1, max_value=9999))
def test_a_nik_matching_the_record_gives_no_mismatch(birth, sex, serial):
    nik = encode_nik(district_code="18.11.01", birth_date=birth, sex=sex, serial=serial)
    review = nik_review(nik, birth_date=birth, sex=sex)
    assert not review.error and not review.mismatches and not review.warnings


@given(births, births, sexes)
def test_a_different_birth_date_is_named_with_both_dates(nik_birth, recorded, sex):
    nik = encode_nik(district_code="18.11.01", birth_date=nik_birth, sex=sex, serial=1)
    with translation.override("id"):
        review = nik_review(nik, birth_date=recorded, sex=sex)
    if nik_birth == recorded:
        assert review.mismatches == []
    else:
        assert len(review.mismatches) == 1
        assert str(recorded.year) in review.mismatches[0]
        assert "tanggal lahir" in review.mismatches[0]


@given(births, sexes)
def test_a_different_sex_is_one_mismatch(birth, sex):
    other = "F" if sex == "M" else "M"
    nik = encode_nik(district_code="18.11.01", birth_date=birth, sex=sex, serial=3)
    with translation.override("en"):
        review = nik_review(nik, birth_date=birth, sex=other)
    assert len(review.mismatches) == 1 and "female" in review.mismatches[0]


@given(st.text(max_size=30))
def test_any_typed_text_gets_a_sentence_never_an_exception(raw):
    review = nik_review(raw, birth_date=date(1990, 1, 1), sex="F")
    assert review.error or review.mismatches is not None
    if not raw.strip():
        assert review.error


def test_an_unknown_district_is_a_warning_not_an_error():
    nik = encode_nik(district_code="18.11.09", birth_date=date(1980, 1, 1), sex="M", serial=9)
    review = nik_review(nik, birth_date=date(1980, 1, 1), sex="M")
    assert not review.error and not review.mismatches
    assert review.warnings and "18.11.09" in review.warnings[0]
