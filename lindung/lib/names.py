"""Normalised search keys and display forms for Indonesian personal names."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Titles stripped wherever they appear, written with or without dots (compared dot-less).
TITLES: frozenset[str] = frozenset(
    {
        # religious / honorific
        "hj", "haji", "hajah", "hajjah", "kh", "ust", "ustad", "ustadz", "ustaz", "ustadzah",
        "ustazah", "ny", "nn", "tn", "bpk", "bapak", "ibu", "prof",
        # academic
        "dr", "drs", "dra", "ir", "spd", "spdi", "skom", "sag", "ssos", "skep", "ssi", "sip",
        "skm", "sked", "sfarm", "amd", "amdkeb", "amdkep", "mpd", "mpdi", "msi", "mag", "msc",
        "mkom", "phd",
    }
)  # fmt: skip
# Short titles that are also plausible initials or name parts: stripped only when written with a
# dot ("H.", "S.E.") or when they stand alone after a comma ("Budi, SE").
DOTTED_TITLES: frozenset[str] = frozenset({"h", "se", "sh", "st", "mm", "mh", "mt", "ak"})

_MUHAMMAD = frozenset(
    {
        "muhammad", "muhamad", "mohammad", "mohamad", "mohammed", "muhammed", "mohamed",
        "muhamed", "mochammad", "mochamad", "muchammad", "muchamad", "mukhammad", "mukhamad",
        "moch", "moh", "mohd", "mhd", "muh", "muhd",
    }
)  # fmt: skip
_FOLD = {"abd": "abdul", "sitti": "siti"} | dict.fromkeys(_MUHAMMAD, "muhammad")
# A lone "M" is a real (if short) name; next to other tokens it abbreviates Muhammad.
_FOLD_WITH_M = _FOLD | {"m": "muhammad"}

_APOSTROPHES_RE = re.compile(r"['`\u2018\u2019\u02bc\u02bb]")
_SEPARATOR_RE = re.compile(r"[^a-z0-9.,\s]")
_OLD_SPELLING_RE = re.compile(r"oe|dj|tj")
_OLD_J_RE = re.compile(r"dj|tj|j")
_OLD_J = {"dj": "j", "tj": "c", "j": "y"}


@dataclass
class _Token:
    text: str
    title: bool = False  # always a title
    dotted_title: bool = False  # title only because of its dot or its position after a comma


def _modern_spelling(token: str) -> str:
    """Convert pre-1972 spelling (oe, dj, tj, and j for y) to the current one."""
    # Only tokens with an unmistakable old marker get j->y, so modern "Joko" stays "joko".
    while _OLD_SPELLING_RE.search(token):
        token = _OLD_J_RE.sub(lambda m: _OLD_J[m.group()], token.replace("oe", "u"))
    return token


def _ascii_lower(name: str) -> str:
    """Lower-case, fold accents and turn stray punctuation into spaces (keeps dots and commas)."""
    if name.isascii():
        # Nothing to fold (the usual case; an import runs this once per row).
        text = _APOSTROPHES_RE.sub("", name.lower())
    else:
        text = unicodedata.normalize("NFKD", name).lower()
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
        text = _APOSTROPHES_RE.sub("", text)
        # Letters with no ASCII decomposition (e.g. "ø") are dropped, not splitting the name.
        text = "".join(c for c in text if c.isascii() or not c.isalnum())
    return _SEPARATOR_RE.sub(" ", text)


_NOT_ALNUM_RE = re.compile(r"[^a-z0-9]")
_DOTTED_PIECES_RE = re.compile(r"([^.]+)(\.?)")


def _compact(text: str) -> str:
    return _modern_spelling(_NOT_ALNUM_RE.sub("", text))


def _tokens(segment: str) -> list[_Token]:
    """Split one comma segment into tokens, marking titles."""
    tokens: list[_Token] = []
    for word in segment.split():
        whole = _compact(word)
        if not whole:
            continue
        if whole in TITLES:
            tokens.append(_Token(whole, title=True))
            continue
        if "." in word and whole in DOTTED_TITLES:
            tokens.append(_Token(whole, dotted_title=True))
            continue
        if "." not in word:
            tokens.append(_Token(whole))  # one piece, already known not to be a title
            continue
        # "M.Yusuf" and "H.Ahmad" are several tokens glued by dots.
        for piece, dot in _DOTTED_PIECES_RE.findall(word):
            text = _compact(piece)
            if text:
                tokens.append(
                    _Token(
                        text,
                        title=text in TITLES,
                        dotted_title=bool(dot) and text in DOTTED_TITLES,
                    )
                )
    return tokens


def _suffix_titles(segment: str) -> list[_Token] | None:
    """Tokens for a segment after a comma that holds only titles, else None."""
    whole = _compact(segment)
    if not whole:
        return []
    if whole in TITLES or whole in DOTTED_TITLES:
        return [_Token(whole, title=whole in TITLES, dotted_title=True)]
    words = [_compact(w) for w in segment.split()]
    if all(w in TITLES or w in DOTTED_TITLES for w in words if w):
        return [_Token(w, title=w in TITLES, dotted_title=True) for w in words if w]
    return None


def name_key(name: str) -> str:
    """Normalised, idempotent search key for an Indonesian name (lower-case ASCII, no titles)."""
    text = _ascii_lower(name)
    if "." in text or "," in text:
        kept = _kept_words(text)
    else:
        # No dot or comma, so no dotted title or suffix segment: every word is a plain token.
        words = text.split()
        if _OLD_SPELLING_RE.search(text):  # rare, so one search of the whole name first
            words = [_modern_spelling(word) for word in words]
        kept = [word for word in words if word not in TITLES] or words
    folds = _FOLD_WITH_M if len(kept) > 1 else _FOLD
    return " ".join([folds.get(t, t) for t in kept])


def _kept_words(text: str) -> list[str]:
    """The words of a lower-cased name that are not titles, weighing dots and commas."""
    first, *rest = text.split(",")
    tokens = _tokens(first)
    for segment in rest:
        suffix = _suffix_titles(segment)
        tokens.extend(_tokens(segment) if suffix is None else suffix)

    kept = [t.text for t in tokens if not t.title and not t.dotted_title]
    # Someone recorded only by titles keeps them rather than getting an empty key; dot-only
    # titles are preferred because, once their dots are gone, they no longer count as titles.
    if not kept:
        kept = [t.text for t in tokens if not t.title]
    if not kept:
        kept = [t.text for t in tokens]
    return kept


def name_display(name: str) -> str:
    """Collapse runs of whitespace and trim, keeping the user's capitalisation."""
    return " ".join(name.split())
