import pytest
from hypothesis import given
from hypothesis import strategies as st

from lindung.cases.rules import AttachmentError, attachment_type, party_key

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64
LIMIT = 1024 * 1024


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


@pytest.mark.parametrize(
    ("content", "mime"),
    [(PDF, "application/pdf"), (PNG, "image/png"), (JPG, "image/jpeg")],
)
def test_pdf_jpg_and_png_are_accepted_from_their_content(content, mime):
    assert attachment_type(content, size=len(content), limit=LIMIT) == mime


def test_an_executable_is_refused_whatever_its_name():
    with pytest.raises(AttachmentError) as error:
        attachment_type(EXE, size=len(EXE), limit=LIMIT)
    assert error.value.code == "type"


def test_plain_text_is_refused():
    with pytest.raises(AttachmentError):
        attachment_type(b"just some words", size=15, limit=LIMIT)


def test_an_empty_or_too_large_file_is_refused():
    with pytest.raises(AttachmentError) as empty:
        attachment_type(b"", size=0, limit=LIMIT)
    assert empty.value.code == "empty"
    with pytest.raises(AttachmentError) as large:
        attachment_type(PDF, size=LIMIT + 1, limit=LIMIT)
    assert large.value.code == "too_large"
    assert large.value.params == {"limit": 1}
