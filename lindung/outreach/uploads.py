"""Checking uploaded files by their content, never by the name or type the browser claims."""

import filetype
from django.conf import settings
from django.utils.translation import gettext as _

from lindung.lib.errors import ApplicationError

# What may be shared as outreach material: documents, posters, radio spots and short videos.
MATERIAL_TYPES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "audio/mpeg": "mp3",
    "audio/mp4": "m4a",
    "video/mp4": "mp4",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
}
PDF_TYPES = {"application/pdf": "pdf"}


def upload_check(upload, *, allowed: dict[str, str], field: str) -> str:
    """The content type detected from the file's first bytes; refuses other types and sizes."""
    if upload is None:
        raise ApplicationError(_("Choose a file."), field=field)
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise ApplicationError(
            _("The file is larger than %(mb)s MB.") % {"mb": settings.UPLOAD_MAX_BYTES // 2**20},
            field=field,
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
