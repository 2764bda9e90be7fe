"""Errors as problem documents: each error with its field, a code and the message in Indonesian
and English. Services raise their messages in the active language; the API runs them in
English and finds the Indonesian text in the catalogue (placeholders included)."""

import re
from functools import lru_cache

from django.utils import translation
from django.utils.translation import gettext

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]")


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[re.Pattern, str]]:
    """(pattern of the English text, msgid) for each catalogue entry with placeholders."""
    with translation.override("id"):
        catalog = translation.trans_real.translation("id")._catalog
        # Django's TranslationCatalog merges several catalogues and is not itself iterable.
        msgids = [k for k in catalog.keys() if isinstance(k, str) and "%" in k]  # noqa: SIM118
    patterns = []
    for msgid in msgids:
        parts, last, names = [], 0, []
        for match in PLACEHOLDER.finditer(msgid):
            parts.append(re.escape(msgid[last : match.start()]))
            parts.append("(.+?)")
            names.append(match.group(1))
            last = match.end()
        if not names:
            continue
        parts.append(re.escape(msgid[last:]))
        patterns.append((re.compile("^" + "".join(parts) + "$", re.DOTALL), msgid))
    return patterns


def in_indonesian(english: str) -> str:
    """The Indonesian text of a message produced in English (itself when none is known)."""
    with translation.override("id"):
        direct = gettext(english)
        if direct != english:
            return direct
        for pattern, msgid in _patterns():
            match = pattern.match(english)
            if match is None:
                continue
            text = gettext(msgid)
            values = iter(match.groups())
            try:
                return PLACEHOLDER.sub(lambda _m, found=values: next(found), text)
            except StopIteration:
                break
    return english


def both(message) -> tuple[str, str]:
    """(Indonesian, English) of a message: a lazy text is rendered in each language; a plain
    string is taken as English (the API runs in English) and looked up."""
    if isinstance(message, str):
        return in_indonesian(message), message
    with translation.override("id"):
        indonesian = str(message)
    with translation.override("en"):
        english = str(message)
    return indonesian, english


def problem(status: int, title, errors: list[dict]) -> dict:
    """The body of an error answer."""
    title_id, title_en = both(title)
    return {
        "status": status,
        "title": title_en,
        "title_id": title_id,
        "errors": errors,
    }


def error(code: str, message, field: str | None = None) -> dict:
    """One error of a problem document."""
    message_id, message_en = both(message)
    return {"field": field, "code": code, "message_id": message_id, "message_en": message_en}
