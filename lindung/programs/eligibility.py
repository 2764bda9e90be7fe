"""Eligibility hints shown when enrolling someone in a programme (pure rules, no database).

Hints advise, they do not refuse: the enroller sees them and confirms. Each hint is a machine
code plus params; HINT_MESSAGES holds the sentence shown for it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from lindung.lib.ages import age_on
from lindung.placements.readiness import MINIMUM_AGE
from lindung.programs.models import EMPOWERMENT_KINDS, Kind, TargetGroup

# Permen P2MI 33/2025 Pasal 16: social empowerment is for returnees within a year of return.
EMPOWERMENT_WINDOW_DAYS = 365
PLACEMENT_KINDS = {Kind.VOCATIONAL_TRAINING, Kind.ORIENTATION}

HINT_MESSAGES = {
    "not_returned": _(
        "Not recorded as a returnee (purna PMI); this programme is meant for returnees."
    ),
    "returned_long_ago": _(
        "Returned on {returned_on}, more than 12 months ago; empowerment is meant for people "
        "who returned within the last 12 months."
    ),
    "abroad": _("Recorded as working abroad now."),
    "outside_target_group": _("Not in the programme's target group ({groups})."),
    "under_age": _(
        "Is {age} years old; a PMI must be at least 18 (UU 18/2017 Pasal 5), so this training "
        "cannot lead to a placement yet."
    ),
    "programme_ended": _("The programme ended on {ends_on}."),
    "quota_full": _("The quota of {quota} participants is already reached."),
}


@dataclass(frozen=True)
class Hint:
    code: str
    params: dict = field(default_factory=dict)


def person_group(phase: str) -> str | None:
    """The target group a person's phase puts them in (None while abroad or not migrating)."""
    return {"candidate": "candidate", "returned": "returned"}.get(phase)


def eligibility_hints(
    *,
    kind: str,
    target_groups: list[str],
    ends_on: dt.date,
    quota: int | None,
    enrolled: int,
    phase: str,
    birth_date: dt.date,
    returned_on: dt.date | None,
    today: dt.date,
) -> list[Hint]:
    """The hints for enrolling a person of this phase, age and return date in this programme."""
    hints: list[Hint] = []
    if kind in EMPOWERMENT_KINDS:
        if phase != "returned" or returned_on is None:
            hints.append(Hint("not_returned"))
        elif (today - returned_on).days > EMPOWERMENT_WINDOW_DAYS:
            hints.append(Hint("returned_long_ago", {"returned_on": returned_on}))
    if phase == "abroad":
        hints.append(Hint("abroad"))
    group = person_group(phase)
    already = {h.code for h in hints}
    if target_groups and group not in target_groups and not already & {"not_returned", "abroad"}:
        hints.append(Hint("outside_target_group", {"groups": list(target_groups)}))
    if kind in PLACEMENT_KINDS:
        age = age_on(birth_date, today)
        if age < MINIMUM_AGE:
            hints.append(Hint("under_age", {"age": age}))
    if today > ends_on:
        hints.append(Hint("programme_ended", {"ends_on": ends_on}))
    if quota is not None and enrolled >= quota:
        hints.append(Hint("quota_full", {"quota": quota}))
    return hints


def hint_text(hint: Hint) -> str:
    """The hint as a sentence in the active language."""
    params = {}
    for key, value in hint.params.items():
        if isinstance(value, dt.date):
            params[key] = date_format(value, "j F Y")
        elif key == "groups":
            params[key] = ", ".join(str(TargetGroup(g).label) for g in value)
        else:
            params[key] = value
    return str(HINT_MESSAGES[hint.code]).format(**params)
