from hypothesis import given
from hypothesis import strategies as st

from lindung.cases.rules import party_key


def test_the_same_company_written_two_ways_has_one_key():
    assert party_key("PT. Maju Jaya") == party_key("maju jaya, PT") == "maju jaya"
    assert party_key("P.T. Sinar-Abadi Tbk") == party_key("Sinar Abadi")


def test_different_companies_keep_different_keys():
    assert party_key("PT Maju Jaya") != party_key("PT Maju Makmur")


@given(st.text(max_size=60))
def test_party_keys_are_stable_lowercase_words(name):
    key = party_key(name)
    assert key == party_key(key)
    assert key == key.strip()
    assert "  " not in key
