"""The destination country of a migration episode: may wait for a calon PMI, needed to depart.

UU 18/2017 Pasal 1 angka 2: a calon PMI is a citizen who *will* work abroad. A person counts
as a calon PMI from the day the intention is registered, whether or not the country is known
yet: a village often records the intention before a P3MI offers a job. The placement itself
names the country (the work visa and the employment contract of Pasal 5 and 13), so a
departure is never recorded without one.

Pure function: the placement services and the import decide with it, so a calon PMI without a
destination is counted, and a departure without one refused, by every writer alike.
"""

from django.utils.translation import gettext as _

from lindung.lib.countries import COUNTRIES, country_name

# What an episode whose destination is not yet known holds in its country column.
UNKNOWN = ""


def destination_problem(country: str, *, departing: bool) -> str | None:
    """None when the episode may hold this country; otherwise why not: "country_unknown"
    (not a country Lindung knows) or "country_needed" (a departure, or an episode already
    departed, without a country)."""
    if country == UNKNOWN:
        return "country_needed" if departing else None
    return None if country in COUNTRIES else "country_unknown"


def destination_name(country: str) -> str:
    """The destination as pages show it: the country's name in the interface language, or that
    it is not known yet."""
    if country == UNKNOWN:
        # A calon PMI registered before the country is known: the village completes it.
        return _("destination country not yet known")
    return country_name(country)
