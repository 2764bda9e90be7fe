"""Each right of the data subject, with the clock frozen: recorded, answered, scoped, audited."""

import json
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from lindung.audit.models import AuditEvent
from lindung.cases.tests.conftest import advance, record, send_abroad
from lindung.lib.errors import ApplicationError
from lindung.lib.processing import consent_fields, needs_consent
from lindung.privacy import services
from lindung.privacy.models import RequestStatus, SubjectRequest
from lindung.registry.models import Consent, Person
from lindung.registry.selectors import person_list
from lindung.registry.services import family_member_add, person_update
from lindung.registry.tests.factories import make_person
from lindung.reports.counters import counters_differences

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 15, 9, 0, tzinfo=UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def ask(personas, person, kind, **kwargs):
    return services.subject_request_create(
        actor=personas["operator_a"], person=person, kind=kind, channel="village", **kwargs
    )


def test_register_says_which_fields_need_consent():
    assert needs_consent("registry.person", "phone")
    assert needs_consent("registry.familymember", "phone")
    assert not needs_consent("registry.person", "nik")
    assert not needs_consent("registry.person", "full_name")
    assert consent_fields("registry.person") == ("phone",)


def test_family_phone_is_kept_only_with_consent(personas):
    person = make_person(personas["operator_a"])
    with pytest.raises(ApplicationError) as refused:
        family_member_add(
            actor=personas["operator_a"],
            person=person,
            name="Sumarni",
            relation="parent",
            phone="081234567890",
        )
    assert refused.value.field == "contact_consent"
    member = family_member_add(
        actor=personas["operator_a"],
        person=person,
        name="Sumarni",
        relation="parent",
        phone="081234567890",
        contact_consent=True,
    )
    assert member.phone and member.contact_consent_at is not None
    consent = Consent.objects.get(family_member=member)
    assert consent.recorded_by == personas["operator_a"] and consent.method == "form"


def test_request_is_due_three_times_24_hours_after_receipt(personas, frozen):
    person = make_person(personas["operator_a"])
    request = ask(personas, person, "access")
    assert request.due_at == NOW + timedelta(hours=72)
    assert request.status == RequestStatus.RECEIVED
    assert AuditEvent.objects.filter(object_type="privacy.subjectrequest", action="create")


def test_other_village_cannot_record_or_answer_a_request(personas):
    person = make_person(personas["operator_a"])
    with pytest.raises(ApplicationError):
        services.subject_request_create(
            actor=personas["operator_b"], person=person, kind="access", channel="village"
        )
    request = ask(personas, person, "restrict")
    with pytest.raises(ApplicationError):
        services.subject_request_complete(actor=personas["operator_b"], request=request)


def test_access_copy_holds_everything_but_other_peoples_narratives(personas, client_as):
    operator = personas["operator_a"]
    person = make_person(operator)
    family_member_add(actor=operator, person=person, name="Rizky", relation="child")
    send_abroad(operator, person)
    record(operator, person, narrative="Majikan memukul; tetangga Bu Warsini juga korban.")
    request = ask(personas, person, "access")
    with pytest.raises(ApplicationError):
        services.subject_request_complete(actor=operator, request=request)
    client = client_as(personas["disnaker"])
    client.get(f"/penduduk/{person.pk}/")  # a view that the copy must report
    response = client.get(f"/pelindungan-data/permintaan/{request.pk}/salinan.json")
    assert response.status_code == 200
    copy = json.loads(response.content)
    assert copy["person"]["nik"] == person.nik
    assert [m["name"] for m in copy["family"]] == ["Rizky"]
    assert copy["placements"][0]["country"] == "Malaysia"
    assert len(copy["events"]) >= 2  # registered, departed
    assert copy["cases"] and copy["cases"][0]["status"]
    assert any(v["user"] == "disnaker.regency" for v in copy["viewed_by"])
    html = client.get(f"/pelindungan-data/permintaan/{request.pk}/salinan/")
    assert html.status_code == 200 and person.full_name in html.content.decode()
    exports = AuditEvent.objects.filter(
        object_type="registry.person", object_id=str(person.pk), action__in=["export", "view"]
    )
    assert exports.filter(changes__format="json").exists()
    assert exports.filter(changes__format="html").exists()
    request.refresh_from_db()
    services.subject_request_complete(actor=operator, request=request)
    request.refresh_from_db()
    assert request.status == RequestStatus.DONE and request.answered_at


def test_copy_holds_a_case_story_only_for_who_may_read_it(personas, client_as):
    from lindung.cases.models import Case
    from lindung.cases.need_to_know import may_read_story

    operator = personas["operator_a"]
    person = make_person(operator)
    send_abroad(operator, person)
    record(operator, person, narrative="Majikan memukul; tetangga Bu Warsini juga korban.")
    case = Case.objects.get(person=person)
    request = ask(personas, person, "access")
    readers = {"with story": 0, "without": 0}
    for who in ["operator_a", "head_a", "disnaker", "bp3mi", "kp2mi"]:
        user = personas[who]
        body = client_as(user).get(f"/pelindungan-data/permintaan/{request.pk}/salinan.json")
        facts = json.loads(body.content)["cases"][0]
        allowed = may_read_story(user, case)
        assert ("narrative" in facts) == allowed, who
        assert ("Warsini" in body.content.decode()) == allowed, who
        readers["with story" if allowed else "without"] += 1
    assert readers["with story"] and readers["without"]


def test_copy_is_not_reachable_from_another_village(personas, client_as):
    person = make_person(personas["operator_a"])
    request = ask(personas, person, "access")
    response = client_as(personas["operator_b"]).get(
        f"/pelindungan-data/permintaan/{request.pk}/salinan.json"
    )
    assert response.status_code == 404


def test_correction_goes_through_the_registry(personas):
    person = make_person(personas["operator_a"], name="Siti Aminah")
    request = ask(personas, person, "correct", details="Nama saya Siti Aminah Lestari")
    services.subject_request_correct(
        actor=personas["operator_a"],
        request=request,
        field="full_name",
        value="Siti Aminah Lestari",
    )
    person.refresh_from_db()
    assert person.full_name == "Siti Aminah Lestari"
    assert AuditEvent.objects.filter(
        object_type="registry.person", object_id=str(person.pk), changes__has_key="full_name"
    ).exists()
    request.refresh_from_db()
    assert request.status == RequestStatus.IN_PROGRESS


def test_restriction_hides_the_person_from_lists_and_exports(personas, client_as):
    operator = personas["operator_a"]
    person = make_person(operator)
    request = ask(personas, person, "restrict")
    services.subject_request_complete(actor=operator, request=request)
    person.refresh_from_db()
    assert person.restricted_at is not None
    assert not person_list(user=operator).filter(pk=person.pk).exists()
    client = client_as(operator)
    export = client.get("/impor/ekspor/penduduk/?format=csv")
    assert export.status_code == 200
    assert person.nik not in b"".join(export.streaming_content).decode()
    assert client.get(f"/pelindungan-data/permintaan/{request.pk}/").status_code == 200
    assert 'data-testid="restricted"' in client.get(f"/penduduk/{person.pk}/").text
    services.subject_request_lift_restriction(actor=operator, request=request)
    assert person_list(user=operator).filter(pk=person.pk).exists()


def with_phones(operator):
    """A person with her own phone number and her mother's, both given with consent."""
    person = make_person(operator)
    person_update(
        actor=operator, person=person, data={"phone": "081234567890", "contact_consent": True}
    )
    family_member_add(
        actor=operator,
        person=person,
        name="Sumarni",
        relation="parent",
        phone="081298765432",
        contact_consent=True,
    )
    return person


def test_withdrawing_consent_erases_the_numbers_at_once(personas):
    operator = personas["operator_a"]
    person = with_phones(operator)
    assert Consent.objects.filter(person=person, withdrawn_at__isnull=True).count() == 2
    request = ask(personas, person, "withdraw")
    services.subject_request_complete(actor=operator, request=request)
    person.refresh_from_db()
    assert person.phone == "" and person.contact_consent_at is None
    assert not person.family.exclude(phone="").exists()
    assert not Consent.objects.filter(person=person, withdrawn_at__isnull=True).exists()
    listed = person_list(user=operator).get(pk=person.pk)
    assert listed.phone == ""
    trail = AuditEvent.objects.filter(object_type="registry.person", object_id=str(person.pk))
    withdrawal = trail.get(changes__has_key="consent_withdrawn")
    assert "081234567890" not in json.dumps(withdrawal.changes)


def test_deletion_is_refused_while_a_case_is_open_and_says_why(personas):
    operator = personas["operator_a"]
    person = make_person(operator)
    send_abroad(operator, person)
    record(operator, person)
    request = ask(personas, person, "delete")
    services.subject_request_complete(actor=operator, request=request)
    request.refresh_from_db()
    person.refresh_from_db()
    assert request.status == RequestStatus.REFUSED
    assert any("case" in k.lower() or "kasus" in k.lower() for k in request.kept)
    assert person.anonymised_at is None and person.full_name == "Siti Aminah"


def test_deletion_anonymises_and_keeps_the_counters_true(personas):
    operator = personas["operator_a"]
    person = make_person(operator)
    send_abroad(operator, person, departed=date(2020, 1, 10), returned=date(2022, 2, 1))
    case = record(operator, person, on=date(2021, 5, 1))
    advance(case, personas, "closed", on=date(2021, 6, 1))
    request = ask(personas, person, "delete")
    services.subject_request_complete(actor=operator, request=request)
    person.refresh_from_db()
    request.refresh_from_db()
    assert request.status == RequestStatus.DONE and request.kept
    assert person.anonymised_at and person.archived_at
    assert person.nik.startswith("X") and "Siti" not in person.full_name
    assert person.birth_date == date(1995, 1, 1)
    case.refresh_from_db()
    assert "Gaji" not in case.narrative and case.reporter_name == ""
    assert counters_differences() == []
    # The departure and the return of 2020/2022 are still counted.
    from lindung.counters.models import Counter

    assert Counter.objects.get(village="", metric="departure", month="2020-01").n == 1
    assert Counter.objects.get(village="", metric="return", month="2022-02").n == 1
    assert not Counter.objects.filter(village="", metric="resident", n__gt=0).exists()


def test_anonymised_record_takes_no_new_request(personas):
    operator = personas["operator_a"]
    person = make_person(operator)
    services.person_anonymise(actor=operator, person=person, reason="test")
    with pytest.raises(ApplicationError):
        ask(personas, Person.objects.get(pk=person.pk), "access")


def test_refusal_needs_a_reason(personas):
    person = make_person(personas["operator_a"])
    request = ask(personas, person, "correct")
    with pytest.raises(ApplicationError):
        services.subject_request_refuse(actor=personas["operator_a"], request=request, answer=" ")
    services.subject_request_refuse(
        actor=personas["operator_a"], request=request, answer="KTP tidak ditunjukkan."
    )
    assert SubjectRequest.objects.get(pk=request.pk).status == RequestStatus.REFUSED


def test_a_phone_number_never_enters_the_audit_trail(personas):
    person = with_phones(personas["operator_a"])
    trail = json.dumps([e.changes for e in AuditEvent.objects.all()])
    assert "81234567890" not in trail and "81298765432" not in trail
    assert AuditEvent.objects.filter(
        object_type="registry.person", object_id=str(person.pk), changes__has_key="phone"
    ).exists()
