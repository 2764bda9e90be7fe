"""The villages of an importing area, found by Kemendagri code or by name, never guessed."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from lindung.imports.messages import ROW_MESSAGES
from lindung.imports.problems import RowProblem

_ROMAN = {
    "i": "1",
    "ii": "2",
    "iii": "3",
    "iv": "4",
    "v": "5",
    "vi": "6",
    "vii": "7",
    "viii": "8",
    "ix": "9",
    "x": "10",
}
_VILLAGE_PREFIX = re.compile(r"^(desa|kelurahan|kel|ds|kampung|tiyuh|pekon)\b\.?\s*")
_CODE = re.compile(r"^\d{2}\.?\d{2}\.?\d{2}\.?\d{4}$")


def village_key(name: str) -> str:
    """A village name for comparison: no "Desa" prefix, Roman numbers as digits."""
    text = " ".join(str(name).casefold().split())
    text = _VILLAGE_PREFIX.sub("", text)
    words = re.findall(r"[a-z0-9]+", text)
    return "".join(_ROMAN.get(word, word) for word in words)


@dataclass
class VillageIndex:
    """The villages of an importing area, found by code or by name (never guessed)."""

    area_code: str
    area_title: str
    # (code, name, district name) of every village in the area
    villages: list[tuple[str, str, str]]

    def __post_init__(self) -> None:
        self.codes = {code: name for code, name, _district in self.villages}
        self.by_name: dict[str, list[tuple[str, str, str]]] = {}
        for entry in self.villages:
            self.by_name.setdefault(village_key(entry[1]), []).append(entry)
        self.single = self.villages[0][0] if len(self.villages) == 1 else None

    def resolve(self, value: str, district: str = "") -> str:
        """The code of the village a cell names; RowProblem when unknown or ambiguous."""
        text = value.strip()
        if not text:
            if self.single:
                return self.single
            raise RowProblem("village", "village_needed", str(ROW_MESSAGES["village_needed"]))
        digits = text.replace(" ", "")
        if _CODE.match(digits):
            plain = digits.replace(".", "")
            code = f"{plain[:2]}.{plain[2:4]}.{plain[4:6]}.{plain[6:]}"
            if code in self.codes:
                return code
            params = {"value": text, "area": self.area_title}
            raise RowProblem("village", "village_outside", ROW_MESSAGES["village_outside"] % params)
        matches = self.by_name.get(village_key(text), [])
        if len(matches) > 1 and district.strip():
            wanted = village_key(district)
            matches = [m for m in matches if village_key(m[2]) == wanted]
        if len(matches) == 1:
            return matches[0][0]
        if len(matches) > 1:
            choices = ", ".join(f"{code} ({_('District')} {d})" for code, _n, d in matches[:6])
            params = {"value": text, "choices": choices}
            raise RowProblem(
                "village", "village_ambiguous", ROW_MESSAGES["village_ambiguous"] % params
            )
        close = difflib.get_close_matches(village_key(text), list(self.by_name), n=1, cutoff=0.8)
        params = {"value": text, "area": self.area_title}
        if close:
            params["suggestion"] = self.by_name[close[0]][0][1]
            message = ROW_MESSAGES["village_unknown_suggest"] % params
        else:
            message = ROW_MESSAGES["village_unknown"] % params
        raise RowProblem("village", "village_unknown", message)
