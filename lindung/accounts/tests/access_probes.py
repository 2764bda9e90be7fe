"""The language of the access matrix (test_access_matrix.py): the personas, a probe of one URL
and the row of answers it expects from each persona."""

from __future__ import annotations

from dataclasses import dataclass, field

PERSONAS = (
    "operator_a", "head_a", "operator_b", "disnaker", "opd", "bp3mi", "bp3mi_other", "kp2mi",
    "admin", None,
)  # fmt: skip
SIDES = ("inside", "outside")

# Markers that only the seeded objects carry: found in a page, they are that object's data.
INSIDE_NAME, OUTSIDE_NAME = "Sulastri Dalamdesa", "Wulandari Luarprovinsi"
NARRATIVE = {"inside": "Paspor ditahan majikan dalam", "outside": "Paspor ditahan majikan luar"}
# Who may see each side's residents: everyone whose area contains the village.
READERS = {
    "inside": {"operator_a", "head_a", "disnaker", "opd", "bp3mi", "kp2mi", "admin"},
    "outside": {"bp3mi_other", "kp2mi", "admin"},
}
# Who must not read each side's case narrative (need-to-know, DESIGN.md and
# lindung/cases/need_to_know.py): everyone but the recorder and the units that handle it.
NEVER_NARRATIVE = {
    # operator_a recorded the inside case; Mesuji's Disnaker is the unit handling it.
    "inside": set(PERSONAS) - {"operator_a", "disnaker"},
    # The outside case was recorded and is handled by users who are no persona.
    "outside": set(PERSONAS),
}


@dataclass(frozen=True)
class Probe:
    method: str
    inside: str
    outside: str
    kwargs: dict = field(default_factory=dict)
    query: str = ""
    data: dict | None = None
    label: str = ""
    api: bool = False  # sent with the persona's API token (JSON), not a session


def row(text: str) -> list:
    words = text.split()
    assert len(words) == len(PERSONAS), f"a row has {len(PERSONAS)} answers: {text!r}"
    return [int(w) if w.isdigit() else w for w in words]


def get(inside, outside=None, **kw):
    return Probe("GET", inside, outside if outside is not None else inside, **kw)


def post(inside, outside=None, **kw):
    return Probe("POST", inside, outside if outside is not None else inside, **kw)


def api(method, inside, outside=None, **kw):
    return Probe(method, inside, outside if outside is not None else inside, api=True, **kw)


# Rows used often. Order: oa ha ob dk op bp bo kp ad anon.
ALL_OK = "ok ok ok ok ok ok ok ok ok login"
ALL_405 = "405 405 405 405 405 405 405 405 405 login"
NOBODY = "404 404 404 404 404 404 404 404 404 login"
AREA_A = "ok ok 404 ok ok ok 404 ok ok login"  # everyone whose area holds village A
AREA_X = "404 404 404 404 404 404 ok ok ok login"  # everyone whose area holds the other village
# A resident's records are written by the village's users and the regency's Disnaker.
RECORDS_A = "ok ok 404 ok 404 404 404 404 404 login"
# Disnaker manages users below it; administrators manage everyone; the other village's and
# province's accounts are out of Disnaker's reach.
USERS_A = "404 404 404 ok 404 404 404 404 ok login"
USERS_X = "404 404 404 404 404 404 404 404 ok login"
# A programme is run by Disnaker, OPD, BP3MI and KP2MI of its area (not villages, not admins).
PROGRAM_A = "404 404 404 ok ok ok 404 ok 404 login"
PROGRAM_X = "404 404 404 404 404 404 ok ok 404 login"
PROGRAM_FORM_A = "404 404 404 400 400 400 404 400 404 login"
PROGRAM_FORM_X = "404 404 404 404 404 404 400 400 404 login"
# Session pages: outreach is written by everyone in the area but administrators.
OUTREACH_A = "ok ok 404 ok ok ok 404 ok 404 login"
OUTREACH_X = "404 404 404 404 404 404 ok ok 404 login"
# Something only the inside side's Disnaker asked for (a report file).
OWNER_A = "404 404 404 ok 404 404 404 404 404 login"


def form_page(inside, outside=None, **kw):
    """GET shows a form and an empty POST sends it back; both answer the same rows."""
    return [get(inside, outside, **kw), post(inside, outside, data={}, **kw)]


def post_only(inside, outside=None, **kw):
    """A POST-only view: GET answers 405 to every signed-in persona."""
    return [get(ALL_405, kwargs=kw.get("kwargs", {})), post(inside, outside, **kw)]


def steps(pk, *rows):
    """A POST-only view of the steps of the `pk` object: GET answers 405; each row (inside,
    outside, its steps) gives the answers to an empty POST of each of those steps."""
    first = rows[0][2][0]
    return [get(ALL_405, kwargs={"pk": pk, "step": first})] + [
        post(inside, outside, kwargs={"pk": pk, "step": step}, data={})
        for inside, outside, names in rows
        for step in names
    ]


def records(kwargs, *, post_data=None):
    """GET and an empty POST of a page that changes a resident's records."""
    return [
        get(RECORDS_A, NOBODY, kwargs=kwargs),
        post(RECORDS_A, NOBODY, kwargs=kwargs, data=post_data or {}),
    ]


PRIVACY = "ok ok ok ok 404 ok ok ok 404 login"
PRIVACY_A = "ok ok 404 ok 404 ok 404 ok 404 login"
PRIVACY_X = "404 404 404 404 404 404 ok ok 404 login"

# The API answers with problem documents: 401 without a token, 403 for a role that may not
# write, 404 outside the area, 422 for a write the rules refuse (the episode is already open, not
# abroad yet), and each write otherwise as it would on the page.
API_READ_A = "ok ok 404 ok ok ok 404 ok ok 401"
API_READ_X = "404 404 404 404 404 404 ok ok ok 401"
API_WRITE_X = "404 404 404 404 404 404 403 403 403 401"
# A write to a record of village A, allowed to the village's users and the regency's Disnaker,
# and the same where the rules refuse it (422) once access is granted.
API_WRITE_A = "ok ok 404 ok 403 403 404 403 403 401"
API_REFUSED_A = "422 422 404 422 403 403 404 403 403 401"
API_ALL = "ok ok ok ok ok ok ok ok ok 401"  # a list: each token sees its own area's rows
