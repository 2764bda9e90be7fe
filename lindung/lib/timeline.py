"""One entry on a person's timeline; each app contributes its own entries.

An app that has something to show on a person's page defines, in its selectors module,
`person_timeline(*, user, person) -> list[TimelineEntry]` (already scoped to what the user may
see). The person page gathers them and sorts by date.
"""

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class TimelineEntry:
    on: date
    title: str  # already translated, e.g. "Berangkat ke Hong Kong"
    detail: str = ""
    url: str = ""
    badge: str = ""  # short status label
    tone: str = ""  # "", "ok", "warn" or "bad": the badge colour
    kind: str = field(default="")  # the contributing app's own code, e.g. "departed"
