"""Pure rules of protection cases: comparing reported parties and checking attachments."""

import re
import unicodedata

# Legal-form words that do not tell two companies apart ("PT. Maju Jaya" = "Maju Jaya, PT").
_LEGAL_FORMS = frozenset({"pt", "cv", "ud", "tbk", "persero", "sdn", "bhd", "ltd", "co", "inc"})

# What an attachment may be, judged from its first bytes, never from its file name.
ALLOWED_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def party_key(name: str) -> str:
    """A comparison key for a company or recruiter name: no case, accents, punctuation or
    legal-form words, so the same P3MI written two ways is counted once."""
    text = unicodedata.normalize("NFKD", name or "").casefold()
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"\b([a-z])\.(?=[a-z]\b)", r"\1", text)  # "p.t." -> "pt."
    words = re.findall(r"[a-z0-9]+", text)
    return " ".join(word for word in words if word not in _LEGAL_FORMS)


class AttachmentError(ValueError):
    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


def attachment_type(head: bytes, *, size: int, limit: int) -> str:
    """The MIME type of an acceptable attachment, from its content.

    Raises AttachmentError with code "empty", "too_large" (params: limit in MB) or "type".
    """
    import filetype

    if size <= 0 or not head:
        raise AttachmentError("empty")
    if size > limit:
        raise AttachmentError("too_large", limit=limit // (1024 * 1024) or 1)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise AttachmentError("type")
    return kind.mime
