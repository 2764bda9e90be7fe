"""The access matrix's entries for the site, accounts, audit, residents, episodes, cases and
privacy pages (see test_access_matrix.py)."""

from __future__ import annotations

from lindung.accounts.tests.access_probes import (
    ALL_405,
    ALL_OK,
    AREA_A,
    AREA_X,
    NOBODY,
    PRIVACY,
    PRIVACY_A,
    PRIVACY_X,
    USERS_A,
    USERS_X,
    Probe,
    form_page,
    get,
    post,
    post_only,
    records,
    steps,
)

PEOPLE: dict[str, list[Probe]] = {
    # -- the site and the areas --------------------------------------------------------------
    # Home is each role's to-do list; administrators are sent to the national page.
    "home": [get("ok ok ok ok ok ok ok ok moved login")],
    "set_language": [
        post("moved moved moved moved moved moved moved moved moved moved", data={"language": "en"})
    ],
    "regions:national": [get("moved moved moved moved moved moved moved ok ok login")],
    "regions:area_search": [get(ALL_OK, query="q=wiralaga")],
    # The area picker offers names of areas (public reference data), never personal data.
    "regions:area_pick": [get(ALL_OK, query="q=wiralaga&format=json")],
    "regions:area_detail": [
        get(AREA_A, AREA_X, kwargs={"code": "village"}),
        get("404 404 404 ok ok ok 404 ok ok login", AREA_X, kwargs={"code": "regency"}),
        get("404 404 404 404 404 ok 404 ok ok login", AREA_X, kwargs={"code": "province"}),
    ],
    # -- accounts: the login page sends a signed-in user home; logging out needs a POST ------
    "accounts:login": [
        get("moved moved moved moved moved moved moved moved moved ok"),
        post(
            "moved moved moved moved moved moved moved moved moved ok",
            data={"username": "nobody", "password": "wrong"},
        ),
    ],
    "accounts:logout": [
        get("405 405 405 405 405 405 405 405 405 405"),
        post("login login login login login login login login login login"),
    ],
    "accounts:password_change": form_page(ALL_OK),
    # Two-factor sign-in: every signed-in user may enrol (no persona here is enrolled or forced
    # to: tests/test_two_factor.py covers those); the code page sends a user with nothing to
    # verify on, and new recovery codes need an enrolled authenticator.
    "accounts:two_factor_verify": form_page(
        "moved moved moved moved moved moved moved moved moved login"
    ),
    "accounts:two_factor_enrol": form_page(ALL_OK),
    "accounts:two_factor_qr": [get(ALL_OK)],
    "accounts:two_factor_recovery": post_only(
        "moved moved moved moved moved moved moved moved moved login", data={}
    ),
    "accounts:user_list": [get(USERS_A)],
    "accounts:user_create": form_page(USERS_A),
    "accounts:user_detail": form_page(USERS_A, USERS_X, kwargs={"pk": "user"}),
    "accounts:user_set_active": post_only(
        "404 404 404 moved 404 404 404 404 moved login",
        "404 404 404 404 404 404 404 404 moved login",
        kwargs={"pk": "user"},
        data={"active": "0"},
    ),
    "accounts:user_reset_password": post_only(
        "404 404 404 moved 404 404 404 404 moved login",
        "404 404 404 404 404 404 404 404 moved login",
        kwargs={"pk": "user"},
        data={"password": "sawah-hijau-77"},
    ),
    # -- audit: regency offices, BP3MI, KP2MI and administrators, each within their area -----
    "audit:event_list": [
        get("404 404 404 ok 404 ok ok ok ok login"),
        get(
            "404 404 404 ok 404 ok ok ok ok login",
            query="object_type=registry.person&object_id={pk:person}",
        ),
        get(
            "404 404 404 ok 404 ok ok ok ok login",
            query="object_type=cases.case&object_id={pk:case}",
        ),
    ],
    # -- registry: residents -----------------------------------------------------------------
    "registry:person_list": [get(ALL_OK), get(ALL_OK, query="q={nik}")],
    "registry:person_create": form_page("ok ok ok ok 404 404 404 404 404 login"),
    "registry:verification_queue": [get("404 ok 404 404 404 404 404 404 404 login")],
    "registry:person_detail": [get(AREA_A, AREA_X, kwargs={"pk": "person"})],
    "registry:person_edit": records({"pk": "person"}),
    "registry:family_add": records({"pk": "person"}),
    "registry:person_archive": records({"pk": "person"}),
    # Only the village head verifies a resident of the village.
    "registry:person_verify": post_only(
        "404 moved 404 404 404 404 404 404 404 login", NOBODY, kwargs={"pk": "person"}
    ),
    # Merging duplicates: Disnaker in its regency, administrators everywhere.
    "registry:person_merge": form_page(USERS_A, USERS_X, kwargs={"pk": "person"}),
    # Village letters are issued by the village itself.
    "registry:letter_create": form_page(
        "ok ok 404 404 404 404 404 404 404 login", NOBODY, kwargs={"pk": "person"}
    ),
    "registry:letter_detail": [get(AREA_A, AREA_X, kwargs={"pk": "letter"})],
    # -- placements: episodes are read in the area and written by the village and Disnaker ----
    "placements:placement_create": records({"person_pk": "person"}),
    "placements:placement_detail": [get(AREA_A, AREA_X, kwargs={"pk": "placement"})],
    "placements:placement_edit": records({"pk": "placement"}),
    "placements:placement_check": post_only(
        "moved moved 404 moved 404 404 404 404 404 login",
        NOBODY,
        kwargs={"pk": "placement"},
        data={},
    ),
    "placements:placement_event": [
        probe
        for action in (
            "berangkat",
            "pelatihan",
            "batal",
            "tiba",
            "pemantauan",
            "masalah",
            "perpanjang",
            "pulang",
            "meninggal",
        )
        for probe in records({"pk": "placement", "action": action})
    ],
    # -- cases: the case exists for everyone in its area; the story is need-to-know ----------
    "cases:case_list": [get(ALL_OK)],
    "cases:case_create": [
        get("ok ok ok ok ok ok ok ok 404 login"),
        get(
            "ok ok 404 ok ok ok 404 ok 404 login",
            "404 404 404 404 404 404 ok ok 404 login",
            query="person={pk:person}",
        ),
        post("ok ok ok ok ok ok ok ok 404 login", data={}),
    ],
    "cases:case_summary": [get(ALL_OK)],
    "cases:case_detail": [get(AREA_A, AREA_X, kwargs={"pk": "case"})],
    # A new case (received) may be verified (village head, Disnaker, BP3MI, KP2MI in the area)
    # and noted or given attachments by its story's readers (operator_a recorded it, Mesuji's
    # Disnaker handles it); no other step is open yet.
    "cases:case_step": [
        get(ALL_405, kwargs={"pk": "case", "step": "note"}),
        post(
            "404 400 404 400 404 400 404 400 404 login",
            "404 404 404 404 404 404 400 400 404 login",
            kwargs={"pk": "case", "step": "verify"},
            data={},
        ),
        *[
            post(NOBODY, kwargs={"pk": "case", "step": step}, data={})
            for step in ("refer", "take_up", "assign", "resolve", "close", "reopen")
        ],
        *[
            post(
                "400 404 404 400 404 404 404 404 404 login",
                NOBODY,
                kwargs={"pk": "case", "step": step},
                data={},
            )
            for step in ("note", "attach")
        ],
        # Naming the supervisor: an officer of the unit holding the case who reads it (here
        # Mesuji's Disnaker); an empty choice removes none and goes back to the case.
        post(
            "404 404 404 moved 404 404 404 404 404 login",
            NOBODY,
            kwargs={"pk": "case", "step": "supervisor"},
            data={},
        ),
    ],
    "cases:case_emergency_read": post_only(
        "404 404 404 404 404 400 404 400 404 login",
        "404 404 404 404 404 404 400 400 404 login",
        kwargs={"pk": "case"},
        data={"reason": ""},
    ),
    "cases:attachment_download": [
        get(
            "ok 404 404 ok 404 404 404 404 404 login",
            NOBODY,
            kwargs={"pk": "case", "attachment_pk": "attachment"},
        )
    ],
    # The health check is public; no task worker runs in the tests, so it reports 503.
    "healthz": [get("503 503 503 503 503 503 503 503 503 503")],
    # Someone with an episode already open is sent to that episode's departure form.
    "placements:placement_depart_new": [
        get("moved moved 404 moved 404 404 404 404 404 login", NOBODY, kwargs=gone)
        for gone in ({"person_pk": "gone"}, {"person_pk": "person"})
    ]
    + [
        post(
            "moved moved 404 moved 404 404 404 404 404 login",
            NOBODY,
            kwargs={"person_pk": "gone"},
            data={},
        )
    ],
    # Only the regency's Disnaker corrects whether a departure was procedural.
    "placements:placement_procedural": form_page(
        "404 404 404 ok 404 404 404 404 404 login", NOBODY, kwargs={"pk": "departed"}
    ),
    # Data-subject requests: village, Disnaker, BP3MI and KP2MI within the area.
    "privacy:request_list": [get(PRIVACY)],
    "privacy:register": [get(ALL_OK)],
    "privacy:request_create": form_page(PRIVACY),
    "privacy:request_detail": [
        get(PRIVACY_A, PRIVACY_X, kwargs={"pk": "subject_request"}),
    ],
    "privacy:subject_copy": [get(PRIVACY_A, PRIVACY_X, kwargs={"pk": "subject_request"})],
    "privacy:subject_copy_json": [get(PRIVACY_A, PRIVACY_X, kwargs={"pk": "subject_request"})],
    "privacy:request_step": steps(
        "subject_request",
        (
            "moved moved 404 moved 404 moved 404 moved 404 login",
            "404 404 404 404 404 404 moved moved 404 login",
            ("start", "lift"),
        ),
        (
            "400 400 404 400 404 400 404 400 404 login",
            "404 404 404 404 404 404 400 400 404 login",
            ("complete", "refuse", "correct"),
        ),
    ),
    # Breaches: the same roles and administrators, each within the area of the record.
    "privacy:breach_list": [get("ok ok ok ok 404 ok ok ok ok login")],
    "privacy:breach_create": form_page("ok ok ok ok 404 ok ok ok ok login"),
    "privacy:breach_detail": [
        get(
            "ok ok 404 ok 404 ok 404 ok ok login",
            AREA_X,
            kwargs={"pk": "breach"},
        )
    ],
    "privacy:breach_step": steps(
        "breach",
        (
            "400 400 404 400 404 400 404 400 400 login",
            "404 404 404 404 404 404 400 400 400 login",
            ("notify", "close"),
        ),
    ),
    "privacy:retention": [get("404 404 404 ok 404 ok ok ok ok login")],
}
