"""Indonesia's three time zones and the provinces in each (by Kemendagri province code)."""

from datetime import datetime
from zoneinfo import ZoneInfo

WIB = ("Asia/Jakarta", "WIB")  # UTC+7: Sumatra, Java, West and Central Kalimantan
WITA = ("Asia/Makassar", "WITA")  # UTC+8: Bali, Nusa Tenggara, the rest of Kalimantan, Sulawesi
WIT = ("Asia/Jayapura", "WIT")  # UTC+9: Maluku and Papua

_WITA_PROVINCES = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}


def zone_of_area(code: str | None) -> tuple[str, str]:
    """(IANA name, Indonesian abbreviation) of the zone an area lies in; WIB for the nation."""
    province = (code or "")[:2]
    if province in _WITA_PROVINCES:
        return WITA
    if province[:1] == "8" or province[:1] == "9":
        return WIT
    return WIB


def local_time(moment: datetime, code: str | None) -> tuple[datetime, str]:
    """A moment in the area's own time, with the zone's abbreviation."""
    name, label = zone_of_area(code)
    return moment.astimezone(ZoneInfo(name)), label
