import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import VILLAGE_B
from lindung.audit.models import Action, AuditEvent
from lindung.cases.models import Case, CaseAttachment, Status
from lindung.cases.tests.conftest import TODAY, advance, record, send_abroad
from lindung.lib.tests.test_uploads import EXE, PDF, PNG
from lindung.placements.models import Status as PlacementStatus
from lindung.registry.tests.factories import make_person

pytestmark = pytest.mark.django_db
NARRATIVE = "Majikan menahan paspor dan memukul"
PARTY = "PT Sumber Rejeki"

# persona -> may open the case page / reads the need-to-know details, for a case just recorded
# by the village (Disnaker of the regency receives it; see test_need_to_know for the rest)
MATRIX = {
    "operator_a": (True, True),  # recorded it
    "head_a": (True, False),
    "operator_b": (False, False),  # other village
    "disnaker": (True, True),  # the unit that receives it
    "opd": (True, False),
    "bp3mi": (True, False),  # not referred to it
    "bp3mi_other": (False, False),
    "kp2mi": (True, False),  # not its case
    "admin": (True, False),
}


@pytest.fixture
def case(personas, frozen):
    operator = personas["operator_a"]
    case = record(
        operator,
        make_person(operator),
        on=TODAY,
        narrative=NARRATIVE,
        party_kind="agency",
        party_name=PARTY,
        demand="Ingin pulang",
    )
    from lindung.cases.story import case_attachment_add

    case_attachment_add(
        actor=operator, case=case, upload=SimpleUploadedFile("surat.pdf", PDF), description="Surat"
    )
    return case


def test_the_case_list_pages_on_from_the_last_case_shown(client_as, personas, frozen):
    operator = personas["operator_a"]
    person = make_person(operator)
    days = [TODAY.replace(day=1 + i % 14) for i in range(53)]  # reported on 14 days, ties
    for day in days:
        record(operator, person, on=day)
    client = client_as(personas["disnaker"])
    url = reverse("cases:case_list")
    first = client.get(url, {"view": "all"})
    token = first.context["page"].next_token
    assert len(first.context["page"]) == 50 and token
    assert f"view=all&amp;after={token}" in first.content.decode()
    second = client.get(url, {"view": "all", "after": token})
    shown = [c.pk for c in first.context["page"]] + [c.pk for c in second.context["page"]]
    newest_first = Case.objects.order_by("-reported_on", "-id").values_list("pk", flat=True)
    assert shown == list(newest_first)
    assert second.context["page"].next_token is None
    assert all(hasattr(c, "deadline") for c in second.context["page"])
    # The cases after the token are gone (closed, archived) by the time Next is pressed:
    # the page says so and still leads back to the first page.
    Case.objects.filter(pk__in=[c.pk for c in second.context["page"]]).update(status="closed")
    emptied = client.get(url, {"after": token}).content.decode()
    assert "Tidak ada kasus yang cocok." in emptied
    assert "Halaman pertama" in emptied


def test_a_case_of_several_categories_is_listed_once_and_found_by_each(client_as, personas, frozen):
    operator = personas["operator_a"]
    both = record(operator, make_person(operator), categories=("wages_unpaid", "sick"))
    sick = record(operator, make_person(operator, serial=2, name="Rina"), categories=("sick",))
    client = client_as(personas["disnaker"])
    url = reverse("cases:case_list")

    def listed(**params):
        return [c.pk for c in client.get(url, {"view": "all", **params}).context["page"]]

    assert listed() == [sick.pk, both.pk]
    assert listed(category="sick") == [sick.pk, both.pk]
    assert listed(category="wages_unpaid") == [both.pk]
    assert listed(category="died") == []


@pytest.mark.parametrize("persona", MATRIX)
def test_need_to_know_matrix_for_the_case_page(client_as, personas, case, persona):
    allowed, details = MATRIX[persona]
    response = client_as(personas[persona]).get(reverse("cases:case_detail", args=[case.pk]))
    if not allowed:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    page = response.content.decode()
    assert case.number in page
    assert "Gaji tidak dibayar" in page or "Wages not paid" in page  # category: seen by all
    assert (NARRATIVE in page) is details
    assert (PARTY in page) is details
    assert ("surat.pdf" in page) is details


@pytest.mark.parametrize("persona", MATRIX)
def test_need_to_know_matrix_for_attachments(client_as, personas, case, persona):
    allowed, details = MATRIX[persona]
    attachment = case.attachments.get()
    url = reverse("cases:attachment_download", args=[case.pk, attachment.pk])
    response = client_as(personas[persona]).get(url)
    if allowed and details:
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert "attachment" in response["Content-Disposition"]
    else:
        assert response.status_code == 404


def test_every_view_of_a_case_and_its_attachments_is_logged(client_as, personas, case):
    client = client_as(personas["disnaker"])
    client.get(reverse("cases:case_detail", args=[case.pk]))
    attachment = case.attachments.get()
    client.get(reverse("cases:attachment_download", args=[case.pk, attachment.pk]))
    views = AuditEvent.objects.filter(action=Action.VIEW, actor=personas["disnaker"])
    assert views.filter(object_type="cases.case", object_id=str(case.pk)).count() == 1
    assert views.filter(object_type="cases.caseattachment", object_id=str(attachment.pk)).exists()
    assert set(views.values_list("area_code", flat=True)) == {case.village_id}


def test_handlers_see_who_viewed_the_case_and_others_do_not(client_as, personas, case):
    client_as(personas["head_a"]).get(reverse("cases:case_detail", args=[case.pk]))
    page = client_as(personas["disnaker"]).get(reverse("cases:case_detail", args=[case.pk]))
    assert "head.a" in page.content.decode() or "Head A" in page.content.decode()
    village_page = client_as(personas["operator_a"]).get(
        reverse("cases:case_detail", args=[case.pk])
    )
    assert "Head A" not in village_page.content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client_as, case):
    client = client_as(None)
    for url in (
        reverse("cases:case_list"),
        reverse("cases:case_create"),
        reverse("cases:case_summary"),
        reverse("cases:case_detail", args=[case.pk]),
        reverse("cases:case_step", args=[case.pk, "verify"]),
        reverse("cases:attachment_download", args=[case.pk, case.attachments.get().pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "/akun/" in response["Location"]


@pytest.mark.parametrize("persona", MATRIX)
def test_the_case_list_shows_cases_in_scope_only(client_as, personas, case, persona):
    response = client_as(personas[persona]).get(reverse("cases:case_list"))
    assert response.status_code == 200
    assert (case.number in response.content.decode()) is MATRIX[persona][0]


@pytest.mark.parametrize("view", ["open", "mine", "overdue", "escalated", "all"])
def test_every_list_tab_renders(client_as, personas, case, view):
    response = client_as(personas["disnaker"]).get(reverse("cases:case_list") + f"?view={view}")
    assert response.status_code == 200


def test_bad_filters_never_give_a_server_error(client_as, personas, case):
    url = reverse("cases:case_list") + "?view=nope&status=zzz&country=<b>&page=abc&urgent=x"
    assert client_as(personas["disnaker"]).get(url).status_code == 200


@pytest.mark.parametrize("persona", MATRIX)
def test_the_summary_is_scoped_and_names_parties_to_handlers_only(
    client_as, personas, case, persona
):
    response = client_as(personas[persona]).get(reverse("cases:case_summary"))
    assert response.status_code == 200
    page = response.content.decode()
    allowed, details = MATRIX[persona]
    assert (PARTY in page) is (details and personas[persona].is_case_handler)


def test_a_village_operator_records_a_case_through_the_form(client_as, personas, frozen):
    operator = personas["operator_a"]
    person = make_person(operator)
    response = client_as(operator).post(
        reverse("cases:case_create"),
        {
            "nik": person.nik,
            "categories": ["wages_unpaid", "lost_contact"],
            "reported_on": TODAY.isoformat(),
            "reporter_kind": "family",
            "reporter_relation": "spouse",
            "channel": "walk_in",
            "narrative": "Tidak ada kabar sejak Maret.",
            "file": SimpleUploadedFile("foto.png", PNG),
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:case_detail", args=[case.pk])
    assert case.person == person
    assert case.attachments.get().content_type == "image/png"


def test_the_form_registers_an_unknown_person_on_the_spot(client_as, personas, frozen):
    from datetime import date

    from lindung.lib.nik import encode_nik

    nik = encode_nik(district_code="18.11.01", birth_date=date(1990, 5, 5), sex="M", serial=9)
    data = {
        "nik": nik,
        "categories": ["detained"],
        "reported_on": TODAY.isoformat(),
        "reporter_kind": "worker",
        "channel": "whatsapp",
        "narrative": "Ditahan polisi setempat.",
    }
    client = client_as(personas["disnaker"])
    missing = client.post(reverse("cases:case_create"), data)
    assert missing.status_code == 200
    assert "register the person" in missing.content.decode() or "daftarkan" in (
        missing.content.decode()
    )
    data.update(full_name="Ahmad Fauzi", sex="M", birth_date="1990-05-05", village="18.11.01.2001")
    created = client.post(reverse("cases:case_create"), data)
    assert created.status_code == 302
    case = Case.objects.get()
    assert (case.person.full_name, case.person.village_id, case.urgent) == (
        "Ahmad Fauzi",
        "18.11.01.2001",
        True,
    )


def test_an_executable_renamed_to_pdf_is_refused_and_nothing_is_saved(client_as, personas, case):
    response = client_as(personas["operator_a"]).post(
        reverse("cases:case_step", args=[case.pk, "attach"]),
        {"file": SimpleUploadedFile("laporan.pdf", EXE, content_type="application/pdf")},
    )
    assert response.status_code == 400
    assert "PDF, JPG" in response.content.decode()
    assert CaseAttachment.objects.count() == 1


def test_an_attachment_too_large_is_refused(client_as, personas, case, settings):
    settings.CASE_ATTACHMENT_MAX_BYTES = 10
    response = client_as(personas["operator_a"]).post(
        reverse("cases:case_step", args=[case.pk, "attach"]),
        {"file": SimpleUploadedFile("big.pdf", PDF)},
    )
    assert response.status_code == 400
    assert CaseAttachment.objects.count() == 1


def test_attachments_are_stored_privately_under_a_name_from_their_content(case, settings):
    attachment = case.attachments.get()
    assert attachment.file.name.startswith(f"cases/{case.pk}/")
    assert attachment.file.name.endswith(".pdf")
    assert attachment.file.path.startswith(str(settings.MEDIA_ROOT / "private"))
    with pytest.raises(ValueError):
        attachment.file.url  # noqa: B018


def test_a_step_through_the_page_moves_the_case(client_as, personas, case):
    response = client_as(personas["disnaker"]).post(
        reverse("cases:case_step", args=[case.pk, "verify"]),
        {"occurred_on": TODAY.isoformat(), "note": "Benar"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.VERIFIED


def test_a_step_the_user_may_not_take_is_not_found(client_as, personas, case):
    for persona, step in (("head_a", "refer"), ("operator_a", "verify"), ("opd", "verify")):
        response = client_as(personas[persona]).post(
            reverse("cases:case_step", args=[case.pk, step]), {"occurred_on": TODAY.isoformat()}
        )
        assert response.status_code == 404
    assert Case.objects.get(pk=case.pk).status == Status.RECEIVED


def test_a_refused_step_shows_the_reason_on_the_form(client_as, personas, case):
    response = client_as(personas["disnaker"]).post(
        reverse("cases:case_step", args=[case.pk, "verify"]), {"occurred_on": "2020-01-01"}
    )
    assert response.status_code == 400
    assert Case.objects.get(pk=case.pk).status == Status.RECEIVED


def test_the_resolve_form_records_the_return_home(client_as, personas, frozen):
    operator = personas["operator_a"]
    person = make_person(operator, serial=5)
    placement = send_abroad(operator, person)
    case = advance(record(operator, person, on=TODAY), personas, "in_handling", on=TODAY)
    response = client_as(personas["bp3mi"]).post(
        reverse("cases:case_step", args=[case.pk, "resolve"]),
        {
            "outcome": "repatriated",
            "record_return": "on",
            "return_reason": "abuse",
            "occurred_on": TODAY.isoformat(),
        },
    )
    assert response.status_code == 302
    placement.refresh_from_db()
    assert (placement.status, placement.return_reason) == (PlacementStatus.RETURNED, "abuse")


def test_an_other_village_person_cannot_be_preselected(client_as, personas, frozen):
    other = make_person(personas["operator_b"], village=VILLAGE_B, serial=3)
    response = client_as(personas["operator_a"]).get(
        reverse("cases:case_create") + f"?person={other.pk}"
    )
    assert response.status_code == 404


def test_an_administrator_cannot_open_the_intake_form(client_as, personas):
    assert client_as(personas["admin"]).get(reverse("cases:case_create")).status_code == 404


def test_case_form_with_a_malformed_person_parameter_is_not_found(personas, client_as):
    response = client_as(personas["operator_a"]).get("/kasus/baru/?person=abc")
    assert response.status_code == 404
