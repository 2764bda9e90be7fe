"""What an episode's details default to when the village does not know them (yet).

Pure functions shared by every writer that records an episode from little information: a
spreadsheet row without those columns, or a departure recorded at the village desk without a
planned episode.
"""

# Household jobs are the informal sector (PMI sektor domestik); every other job is formal.
INFORMAL_JOBS = frozenset({"domestic_worker", "caregiver"})


def default_sector(job: str) -> str:
    """The sector a job belongs to."""
    return "informal" if job in INFORMAL_JOBS else "formal"


def default_scheme(agency_name: str) -> str:
    """A named P3MI means P to P; none means the person went on their own (perseorangan), the
    usual non-procedural route."""
    return "p2p" if (agency_name or "").strip() else "individual"
