"""Attachments download under a name and type taken from their content, never from what the
uploader called them (`evil.html`), always as an attachment and with nosniff."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lindung.cases.models import CaseAttachment
from lindung.cases.story import case_attachment_add
from lindung.cases.tests.conftest import TODAY, record
from lindung.lib.tests.test_uploads import PDF, PNG
from lindung.registry.tests.factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(personas, frozen):
    operator = personas["operator_a"]
    return record(operator, make_person(operator), on=TODAY, narrative="Paspor ditahan")


def add(case, operator, name, content):
    return case_attachment_add(
        actor=operator, case=case, upload=SimpleUploadedFile(name, content), description="x"
    )


@pytest.mark.parametrize(
    ("name", "content", "mime", "expected"),
    [
        ("evil.html", PDF, "application/pdf", "evil.pdf"),
        ("foto.svg", PNG, "image/png", "foto.png"),
        ('a"b;c\r\n.pdf', PDF, "application/pdf", "abc.pdf"),
    ],
)
def test_the_name_and_type_come_from_the_content(
    client_as,
    personas,
    case,
    name,
    content,
    mime,
    expected,
):
    attachment = add(case, personas["operator_a"], name, content)
    url = reverse("cases:attachment_download", args=[case.pk, attachment.pk])
    response = client_as(personas["operator_a"]).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == mime
    assert response["Content-Disposition"] == f'attachment; filename="{expected}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


def test_a_stored_type_that_lies_is_not_believed(client_as, personas, case):
    attachment = add(case, personas["operator_a"], "surat.pdf", PDF)
    CaseAttachment.objects.filter(pk=attachment.pk).update(
        content_type="text/html", original_name="surat.html"
    )
    url = reverse("cases:attachment_download", args=[case.pk, attachment.pk])
    response = client_as(personas["operator_a"]).get(url)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="surat.pdf"'


def test_content_of_no_known_type_downloads_as_bytes(client_as, personas, case):
    attachment = add(case, personas["operator_a"], "surat.pdf", PDF)
    with attachment.file.open("wb") as handle:  # replaced on disk behind Lindung's back
        handle.write(b"<html><script>alert(1)</script></html>")
    url = reverse("cases:attachment_download", args=[case.pk, attachment.pk])
    response = client_as(personas["operator_a"]).get(url)
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="surat.bin"'
