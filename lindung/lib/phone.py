"""Normalisation of phone numbers to E.164, defaulting to Indonesia (+62)."""

from __future__ import annotations

import re

INDONESIA = "62"
# Digits after +62 for Indonesian numbers, and total digits allowed by E.164.
ID_MIN_DIGITS, ID_MAX_DIGITS = 9, 13
E164_MIN_DIGITS, E164_MAX_DIGITS = 7, 15

# English templates keyed by machine code; the UI layer wraps them in gettext.
MESSAGES: dict[str, str] = {
    "phone_empty": "Enter a phone number.",
    "phone_chars": (
        "A phone number may contain only digits, spaces, dashes, dots, parentheses and a leading +."
    ),
    "phone_length": "The phone number has the wrong number of digits.",
}

_ALLOWED_RE = re.compile(r"\+?[0-9\s().\-]*")
_NON_DIGIT_RE = re.compile(r"[^0-9]")


class PhoneError(ValueError):
    """A phone number could not be normalised; `code` keys MESSAGES."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(MESSAGES[code])


def normalize_phone(raw: str) -> str:
    """Return the number as "+<digits>" (E.164), treating numbers without + as Indonesian."""
    text = raw.strip()
    # [0-9] rather than \d or str.isdigit(): those also accept non-ASCII digits.
    if not _ALLOWED_RE.fullmatch(text):
        raise PhoneError("phone_chars")
    digits = _NON_DIGIT_RE.sub("", text)
    if not digits:
        raise PhoneError("phone_empty")

    if text.startswith("+"):
        if not digits.startswith(INDONESIA):
            if not E164_MIN_DIGITS <= len(digits) <= E164_MAX_DIGITS or digits[0] == "0":
                raise PhoneError("phone_length")
            return "+" + digits
        national = digits[len(INDONESIA) :]
    elif digits.startswith("0"):
        national = digits[1:]
    elif digits.startswith(INDONESIA):
        national = digits[len(INDONESIA) :]
    else:
        # Users often drop the leading 0: "812 3456 7890".
        national = digits

    # "+62 (0)812..." and "62 0812..." repeat the trunk prefix after the country code.
    if national.startswith("0") and not digits.startswith("0"):
        national = national[1:]
    if not ID_MIN_DIGITS <= len(national) <= ID_MAX_DIGITS or national.startswith("0"):
        raise PhoneError("phone_length")
    return "+" + INDONESIA + national
