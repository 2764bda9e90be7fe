import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lindung.lib.errors import ApplicationError
from lindung.lib.uploads import DOCUMENT_TYPES, PDF_TYPES, safe_name, upload_check

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64
LIMIT = 1024 * 1024


def upload(content, name="file.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.mark.parametrize(
    ("content", "mime"),
    [(PDF, "application/pdf"), (PNG, "image/png"), (JPG, "image/jpeg")],
)
def test_pdf_jpg_and_png_are_accepted_from_their_content(content, mime):
    assert upload_check(upload(content), allowed=DOCUMENT_TYPES, field="file") == mime


def test_an_executable_renamed_to_pdf_is_refused():
    with pytest.raises(ApplicationError) as error:
        upload_check(upload(EXE, "report.pdf"), allowed=DOCUMENT_TYPES, field="file")
    assert error.value.field == "file"
    assert "JPG, PDF, PNG" in str(error.value.message)


def test_plain_text_is_refused():
    with pytest.raises(ApplicationError):
        upload_check(upload(b"just some words"), allowed=DOCUMENT_TYPES, field="file")


def test_an_image_is_refused_where_only_pdf_is_accepted():
    with pytest.raises(ApplicationError):
        upload_check(upload(PNG, "perdes.pdf"), allowed=PDF_TYPES, field="document")


def test_an_empty_or_too_large_file_is_refused():
    with pytest.raises(ApplicationError, match="empty|kosong"):
        upload_check(upload(b""), allowed=DOCUMENT_TYPES, field="file")
    with pytest.raises(ApplicationError, match="1 MB"):
        upload_check(upload(PDF + b"\0" * LIMIT), allowed=DOCUMENT_TYPES, field="file", limit=LIMIT)


def test_no_file_is_asked_for():
    with pytest.raises(ApplicationError):
        upload_check(None, allowed=DOCUMENT_TYPES, field="file")


def test_the_stored_name_takes_its_extension_from_the_content():
    assert safe_name(upload(PNG, "poster.pdf"), "image/png", allowed=DOCUMENT_TYPES) == "poster.png"
    assert safe_name(upload(PNG, "a b;c.exe"), "image/png", allowed=DOCUMENT_TYPES) == "abc.png"
