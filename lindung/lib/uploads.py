"""Checking uploaded files by their content, never by the name or type the browser claims.

Cases, outreach materials and regulation documents all take files through `upload_check`.
"""

import filetype
from django.conf import settings
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from lindung.lib.errors import ApplicationError

PDF_TYPES = {"application/pdf": "pdf"}
DOCUMENT_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def upload_check(upload, *, allowed: dict[str, str], field: str, limit: int | None = None) -> str:
    """The content type detected from the file's first bytes; refuses other types, empty files
    and files over `limit` bytes (UPLOAD_MAX_BYTES when not given)."""
    limit = limit or settings.UPLOAD_MAX_BYTES
    if upload is None:
        raise ApplicationError(_("Choose a file."), field=field)
    if not upload.size:
        raise ApplicationError(_("The file is empty."), field=field)
    if upload.size > limit:
        raise ApplicationError(
            _("The file is larger than %(mb)s MB.") % {"mb": max(1, limit // 2**20)}, field=field
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in allowed:
        names = ", ".join(sorted({ext.upper() for ext in allowed.values()}))
        raise ApplicationError(
            _("This file is not an accepted type. Accepted: %(types)s.") % {"types": names},
            field=field,
        )
    return kind.mime


def safe_name(upload, mime: str, *, allowed: dict[str, str]) -> str:
    """A stored file name whose extension matches the detected content."""
    stem = "".join(c for c in (upload.name or "file").rsplit(".", 1)[0] if c.isalnum() or c in "-_")
    return f"{stem[:60] or 'file'}.{allowed[mime]}"


def download_response(field_file, *, name: str = "") -> FileResponse:
    """A stored upload as a download whose type and extension come from its content.

    The type is detected again from the file's first bytes (not the stored type, not the name
    the uploader chose: `evil.html` holding a PDF downloads as `evil.pdf`, application/pdf);
    content of no known type goes out as application/octet-stream with `.bin`. Always
    `Content-Disposition: attachment` and `X-Content-Type-Options: nosniff`, so a browser
    never renders an upload as a page of Lindung, and never cached. Raises Http404 when the
    file is gone.
    """
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    head = handle.read(8192)
    handle.seek(0)
    kind = filetype.guess(head)
    mime, extension = (kind.mime, kind.extension) if kind else ("application/octet-stream", "bin")
    base = (name or field_file.name or "file").rsplit("/", 1)[-1]
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = "".join(c for c in stem if c.isalnum() or c in " -_").strip()[:80] or "file"
    response = FileResponse(
        handle, as_attachment=True, filename=f"{stem}.{extension}", content_type=mime
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
