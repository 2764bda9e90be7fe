"""The access matrix's entries for programmes, outreach, regulations, imports, reports and the
API (see test_access_matrix.py)."""

from __future__ import annotations

from lindung.accounts.tests.access_probes import (
    ALL_OK,
    API_ALL,
    API_READ_A,
    API_READ_X,
    API_REFUSED_A,
    API_WRITE_A,
    API_WRITE_X,
    AREA_A,
    AREA_X,
    NOBODY,
    OUTREACH_A,
    OUTREACH_X,
    OWNER_A,
    PROGRAM_A,
    PROGRAM_FORM_A,
    PROGRAM_FORM_X,
    PROGRAM_X,
    RECORDS_A,
    Probe,
    api,
    form_page,
    get,
    post,
    post_only,
)


def episode_write(method, inside, **data):
    """An API write to the side's episode, with `data` as its body."""
    return [api(method, inside, API_WRITE_X, kwargs={"episode_id": "placement"}, data=data)]


SERVICES: dict[str, list[Probe]] = {
    # -- programmes --------------------------------------------------------------------------
    "programs:program_list": [get(ALL_OK)],
    "programs:program_create": form_page("404 404 404 ok ok ok ok ok 404 login"),
    "programs:quickwin": [get(AREA_A, AREA_X, query="area={village}")],
    "programs:quickwin_targets": form_page("404 404 404 404 404 404 404 404 ok login"),
    # A regency's programme is open to every village of the regency.
    "programs:program_detail": [
        get("ok ok ok ok ok ok 404 ok ok login", AREA_X, kwargs={"pk": "program"})
    ],
    "programs:program_edit": form_page(PROGRAM_A, PROGRAM_X, kwargs={"pk": "program"}),
    # Enrolling the side's resident, who is already a participant: the manager is sent back.
    "programs:program_enroll": [
        get(PROGRAM_A, PROGRAM_X, kwargs={"pk": "program"}),
        post(
            "404 404 404 moved moved moved 404 moved 404 login",
            "404 404 404 404 404 404 moved moved 404 login",
            kwargs={"pk": "program"},
            data={"person": "{pk:person}", "accept_hints": "on"},
        ),
    ],
    "programs:enrollment_detail": [get(AREA_A, AREA_X, kwargs={"pk": "enrollment"})],
    "programs:enrollment_attendance": post_only(
        PROGRAM_FORM_A, PROGRAM_FORM_X, kwargs={"pk": "enrollment"}, data={}
    ),
    "programs:enrollment_complete": post_only(
        PROGRAM_FORM_A, PROGRAM_FORM_X, kwargs={"pk": "enrollment"}, data={}
    ),
    "programs:enrollment_drop": post_only(
        "404 404 404 moved moved moved 404 moved 404 login",
        "404 404 404 404 404 404 moved moved 404 login",
        kwargs={"pk": "enrollment"},
        data={},
    ),
    "programs:outcome_add": post_only(
        PROGRAM_FORM_A, PROGRAM_FORM_X, kwargs={"pk": "enrollment"}, data={}
    ),
    # -- outreach ----------------------------------------------------------------------------
    "outreach:session_list": [get(ALL_OK)],
    "outreach:session_create": form_page("ok ok ok ok ok ok ok ok 404 login"),
    "outreach:session_detail": [get(AREA_A, AREA_X, kwargs={"pk": "session"})],
    "outreach:session_edit": form_page(OUTREACH_A, OUTREACH_X, kwargs={"pk": "session"}),
    "outreach:session_archive": post_only(
        "moved moved 404 moved moved moved 404 moved 404 login",
        "404 404 404 404 404 404 moved moved 404 login",
        kwargs={"pk": "session"},
        data={},
    ),
    "outreach:material_add": post_only(
        "400 400 404 400 400 400 404 400 404 login",
        "404 404 404 404 404 404 400 400 404 login",
        kwargs={"pk": "session"},
        data={},
    ),
    "outreach:material_download": [get(AREA_A, AREA_X, kwargs={"pk": "material"})],
    "outreach:announcement_list": [get(ALL_OK)],
    "outreach:announcement_create": form_page("ok ok ok ok ok ok ok ok 404 login"),
    # An announcement is changed within its area below the national level.
    # KP2MI publishes for the nation and may change or withdraw any announcement.
    "outreach:announcement_edit": form_page(
        "ok ok 404 ok ok ok 404 ok 404 login",
        "404 404 404 404 404 404 ok ok 404 login",
        kwargs={"pk": "announcement"},
    ),
    "outreach:announcement_archive": post_only(
        "moved moved 404 moved moved moved 404 moved 404 login",
        "404 404 404 404 404 404 moved moved 404 login",
        kwargs={"pk": "announcement"},
        data={},
    ),
    # The public village pages need no login and show no personal data.
    "public:index": [get("ok ok ok ok ok ok ok ok ok ok", query="q=wiralaga")],
    "public:village": [get("ok ok ok ok ok ok ok ok ok ok", kwargs={"code": "village"})],
    # -- regulations -------------------------------------------------------------------------
    "regulations:regulation_list": [get(ALL_OK)],
    "regulations:regulation_create": form_page("ok ok ok ok ok 404 404 404 404 login"),
    "regulations:coverage": [get(ALL_OK)],
    "regulations:coverage_area": [
        get(AREA_A, AREA_X, kwargs={"code": "village"}),
        get("404 404 404 ok ok ok 404 ok ok login", AREA_X, kwargs={"code": "regency"}),
    ],
    # A village's Perdes is written by the village and the regency (Disnaker, OPD).
    "regulations:regulation_detail": [
        get(AREA_A, AREA_X, kwargs={"pk": "regulation"}),
        post("ok ok 404 ok ok 404 404 404 404 login", NOBODY, kwargs={"pk": "regulation"}, data={}),
    ],
    "regulations:regulation_document": [get(AREA_A, AREA_X, kwargs={"pk": "regulation"})],
    # -- imports and exports: villages and Disnaker import; everyone reads within the area ---
    "imports:import_list": [get(ALL_OK)],
    "imports:import_upload": post_only("400 400 400 400 404 404 404 404 404 login", data={}),
    "imports:import_detail": [
        get(AREA_A, AREA_X, kwargs={"pk": "batch"}),
        post(RECORDS_A, NOBODY, kwargs={"pk": "batch"}, data={"action": "sheet"}),
        post(RECORDS_A, NOBODY, kwargs={"pk": "batch"}, data={"action": "mapping"}),
        post(
            "moved moved 404 moved 404 404 404 404 404 login",
            NOBODY,
            kwargs={"pk": "batch"},
            data={"action": "apply"},
        ),
    ],
    "imports:import_status": [get(AREA_A, AREA_X, kwargs={"pk": "batch"})],
    "imports:import_error_report": [get(AREA_A, AREA_X, kwargs={"pk": "batch"})],
    "imports:template": [get(ALL_OK)],
    "imports:xlsform": [get("ok ok ok ok ok ok ok 404 404 login")],
    "imports:export_people": [get(ALL_OK, query="format=csv")],
    "imports:export_placements": [get(ALL_OK, query="format=csv")],
    # -- reports: an area out of reach is refused by the form (400) or the page (404) ---------
    "reports:report_list": [get(ALL_OK)],
    "reports:warning_list": [get(AREA_A, AREA_X, query="area={village}")],
    "reports:warning_detail": [
        get(AREA_A, AREA_X, kwargs={"warning_id": "contract_ending"}, query="area={village}")
    ],
    "reports:report_run": [
        get(
            "ok ok 400 ok ok ok 400 ok 404 login",
            "400 400 400 400 400 400 ok ok 404 login",
            kwargs={"report_id": "village-monthly"},
            query="area={village}&month={month}",
        ),
        get(
            "404 404 404 ok ok ok 400 ok 404 login",
            "404 404 404 400 400 400 ok ok 404 login",
            kwargs={"report_id": "regency-recap"},
            query="area={regency}&month={month}",
        ),
        get(
            "404 404 404 404 404 ok 400 ok 404 login",
            "404 404 404 404 404 400 ok ok 404 login",
            kwargs={"report_id": "province-recap"},
            query="area={province}&month={month}",
        ),
        # KP2MI's national recap: the nation is its only area; a large area's XLSX is asked of
        # a worker (a redirect to the file's page).
        get(
            "404 404 404 404 404 404 404 ok 404 login",
            kwargs={"report_id": "national-recap"},
            query="month={month}",
        ),
        get(
            "404 404 404 404 404 404 404 moved 404 login",
            kwargs={"report_id": "national-recap"},
            query="month={month}&format=xlsx",
        ),
    ],
    # A report file made by a worker is its requester's alone (each side's is its Disnaker's
    # regency recap); a file that has not failed is not asked for again (back to its page).
    "reports:report_file": [get(OWNER_A, NOBODY, kwargs={"pk": "report_file"})],
    "reports:report_file_download": [get(OWNER_A, NOBODY, kwargs={"pk": "report_file"})],
    "reports:report_file_retry": post_only(
        "404 404 404 moved 404 404 404 404 404 login", NOBODY, kwargs={"pk": "report_file"}
    ),
    "api:token_list": form_page(ALL_OK),
    # Only the token's owner revokes it (the inside token is operator_a's).
    "api:token_revoke": post_only(
        "moved 404 404 404 404 404 404 404 404 login",
        NOBODY,
        kwargs={"pk": "token"},
        data={},
    ),
    "api-v1:api-root": [api("GET", "404 404 404 404 404 404 404 404 404 404")],
    "api-v1:openapi-json": [api("GET", "ok ok ok ok ok ok ok ok ok ok")],
    "api-v1:openapi-view": [api("GET", "ok ok ok ok ok ok ok ok ok ok")],
    "api-v1:persons_find": [api("GET", "ok ok ok ok ok ok ok ok ok 401", query="nik={nik}")],
    "api-v1:person_read": [api("GET", API_READ_A, API_READ_X, kwargs={"person_id": "person"})],
    "api-v1:person_episodes": [api("GET", API_READ_A, API_READ_X, kwargs={"person_id": "person"})],
    "api-v1:person_register": [
        api(
            "POST",
            "created created 404 created 403 403 403 403 403 401",
            "404 404 404 404 403 403 403 403 403 401",
            data={
                "nik": "{new_nik}",
                "full_name": "Dewi Kartika",
                "sex": "F",
                "birth_date": "{birth}",
                "village": "{village}",
            },
        )
    ],
    "api-v1:episode_open": [
        api(
            "POST",
            API_REFUSED_A,
            API_WRITE_X,
            kwargs={"person_id": "person"},
            data={
                "scheme": "p2p",
                "destination_country": "HK",
                "sector": "informal",
                "job": "domestic_worker",
            },
        )
    ],
    "api-v1:episode_read": [api("GET", API_READ_A, API_READ_X, kwargs={"episode_id": "placement"})],
    "api-v1:episode_update": episode_write("PATCH", API_WRITE_A, job_title="Perawat"),
    "api-v1:episode_depart": episode_write("POST", API_WRITE_A, departed_on="{today}"),
    "api-v1:episode_return": episode_write(
        "POST", API_REFUSED_A, returned_on="{today}", reason="contract_ended"
    ),
    "api-v1:episode_check_in": episode_write(
        "POST", API_REFUSED_A, occurred_on="{today}", result="fine"
    ),
    "api-v1:cases_list": [api("GET", API_ALL)],
    "api-v1:case_read": [api("GET", API_READ_A, API_READ_X, kwargs={"case_id": "case"})],
    "api-v1:case_record": [
        api(
            "POST",
            "422 422 404 422 422 422 404 422 403 401",
            "404 404 404 404 404 404 422 422 403 401",
            data={
                "person": "{pk:person}",
                "categories": ["wages_unpaid"],
                "reporter_kind": "family",
                "channel": "walk_in",
                "narrative": "Gaji belum dibayar.",
                "reported_on": "{today}",
            },
        )
    ],
    "api-v1:figures": [api("GET", API_READ_A, API_READ_X, query="area={village}")],
    "api-v1:warnings": [api("GET", API_READ_A, API_READ_X, query="area={village}")],
    "api-v1:warning_detail": [
        api(
            "GET",
            API_READ_A,
            API_READ_X,
            kwargs={"warning_id": "contract_ending"},
            query="area={village}",
        )
    ],
    "api-v1:programmes": [api("GET", API_ALL)],
    "api-v1:enrolments": [
        api(
            "GET",
            "ok ok ok ok ok ok 404 ok ok 401",
            API_READ_X,
            kwargs={"programme_id": "program"},
        )
    ],
    "api-v1:regulations": [api("GET", API_ALL)],
    "api-v1:coverage": [api("GET", API_READ_A, API_READ_X, query="area={village}")],
    # An area out of reach gets an empty list.
    "api-v1:statistics": [api("GET", API_ALL, query="area={village}")],
    "api-v1:opensid_push": [
        api(
            "POST",
            "422 422 404 422 403 403 403 403 403 401",
            "404 404 404 404 403 403 403 403 403 401",
            query="area={village}",
            data={"residents": [{"nama": "Tes"}]},
        )
    ],
}
