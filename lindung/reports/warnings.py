"""What each early warning is called, says, and shows for each person or village it lists."""

from django.urls import NoReverseMatch, reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from lindung.reports.figures import country_name

WARNING_TEXTS = {
    "contract_ending": {
        "title": _("Contracts ending within 60 days"),
        "help": _("Abroad now; prepare the return or record an extension."),
        "detail": _("Contract ends"),
        "tone": "warn",
    },
    "documents_expiring": {
        "title": _("Passports or visas expiring within 6 months"),
        "help": _("Preparing to depart or abroad, with a passport or visa that expires soon."),
        "detail": _("Expires"),
        "tone": "warn",
    },
    "no_check_in": {
        "title": _("No family check-in for 6 months"),
        "help": _("Abroad, and nobody has asked the family how they are for half a year."),
        "detail": _("Last check-in"),
        "tone": "bad",
    },
    "non_procedural": {
        "title": _("Abroad after a non-procedural departure"),
        "help": _("Departed with an incomplete checklist: the most vulnerable workers."),
        "detail": _("Departed"),
        "tone": "bad",
    },
    "minor_candidates": {
        "title": _("Calon PMI under 18"),
        "help": _("Nobody may be placed before the age of 18 (UU 18/2017 Pasal 5)."),
        "detail": _("Date of birth"),
        "tone": "bad",
    },
    "returned_not_empowered": {
        "title": _("Returned in the last 12 months, in no empowerment programme"),
        "help": _("Purna PMI who could join a returnee empowerment programme."),
        "detail": _("Returned"),
        "tone": "warn",
    },
    "rising_non_procedural": {
        "title": _("Villages with rising non-procedural departures"),
        "help": _("More non-procedural departures in the last 3 months than in the 3 before."),
        "detail": _("Last 3 months / 3 months before"),
        "tone": "bad",
    },
}


def _person_url(person_id) -> str:
    try:
        return reverse("registry:person_detail", args=[person_id])
    except NoReverseMatch:
        return ""


def _date(value) -> str:
    return date_format(value, "j M Y") if value else "—"


def warning_rows(warning_id: str, items, today) -> list[dict]:
    """One row per listed item: who (or which village), where, and the fact that matters."""
    rows = []
    for item in items:
        if warning_id == "rising_non_procedural":
            rows.append(
                {
                    "name": item.village.title,
                    "url": reverse("regions:area_detail", args=[item.village_id]),
                    "where": item.village.parent.title if item.village.parent else "",
                    "detail": f"{item.recent} / {item.before}",
                }
            )
            continue
        if warning_id in ("minor_candidates", "returned_not_empowered"):
            person, placement = item, item.current_placement
        else:
            person, placement = item.person, item
        if warning_id == "contract_ending":
            detail = _date(placement.contract_end)
        elif warning_id == "documents_expiring":
            detail = _date(placement.documents_due_on)
        elif warning_id == "no_check_in":
            detail = (
                _date(placement.last_check_in_on)
                if placement.last_check_in_on
                else (str(_("never (departed %(date)s)") % {"date": _date(placement.departed_on)}))
            )
        elif warning_id == "non_procedural":
            detail = _date(placement.departed_on)
        elif warning_id == "minor_candidates":
            detail = _date(person.birth_date)
        else:
            detail = _date(placement.returned_on if placement else None)
        rows.append(
            {
                "name": person.full_name,
                "url": _person_url(person.pk),
                "where": person.village.title
                if warning_id in ("minor_candidates", "returned_not_empowered")
                else item.village.title,
                "country": country_name(placement.destination_country) if placement else "",
                "detail": detail,
            }
        )
    return rows
