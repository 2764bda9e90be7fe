"""A number an import keeps is kept by consent, in the consent register, and a consent withdrawn
while the import runs stays withdrawn (UU 27/2022 Pasal 9 and 20–22)."""

from lindung.audit.models import Action, AuditEvent
from lindung.imports.tests.factories import HEADER, person_row, write_xlsx
from lindung.imports.tests.test_engine import apply
from lindung.imports.writer import Writer
from lindung.registry.models import Consent, ConsentMethod, Person
from lindung.registry.services import consent_withdraw

PHONE_HEADER = [*HEADER, "No HP", "Setuju Dihubungi"]


def _import(tmp_path, mesuji, actor, *rows, name="a.xlsx"):
    return apply(write_xlsx(tmp_path / name, [PHONE_HEADER, *rows]), mesuji, actor)


def test_a_number_kept_by_the_files_consent_is_in_the_consent_register(tmp_path, personas, mesuji):
    actor = personas["disnaker"]
    result = _import(
        tmp_path,
        mesuji,
        actor,
        person_row(1, "Siti Aminah") + ["0812 3456 7890", "Ya"],
        person_row(2, "Dewi Lestari") + ["", ""],
    )
    assert result.counts["created"] == 2, result.issues
    siti = Person.objects.get(full_name="Siti Aminah")
    chunk = AuditEvent.objects.get(action=Action.IMPORT)
    consent_key = Consent.objects.get().pk
    assert chunk.changes["created"]["registry.consent"] == [[consent_key, consent_key]]
    assert siti.contact_consent_at is not None and siti.contact_consent_by == actor
    consent = Consent.objects.get()
    assert (consent.person, consent.method, consent.recorded_by) == (
        siti,
        ConsentMethod.IMPORT,
        actor,
    )
    assert consent.withdrawn_at is None and consent.given_at == siti.contact_consent_at


def test_a_number_added_later_with_consent_is_registered_once(tmp_path, personas, mesuji):
    actor = personas["disnaker"]
    _import(tmp_path, mesuji, actor, person_row(1) + ["", ""])
    assert not Consent.objects.exists()
    result = _import(
        tmp_path, mesuji, actor, person_row(1) + ["0812 3456 7890", "Ya"], name="b.xlsx"
    )
    assert result.counts["updated"] == 1, result.issues
    person = Person.objects.get()
    assert person.phone == "+6281234567890" and person.contact_consent_at is not None
    assert list(Consent.objects.values_list("person", "method")) == [
        (person.pk, ConsentMethod.IMPORT)
    ]
    # The consent is in the trail: the person's change and the chunk's created keys.
    change = AuditEvent.objects.get(action=Action.UPDATE, object_id=str(person.pk))
    assert change.changes["contact_consent_at"][0] is None
    assert change.changes["contact_consent_by"] == [None, actor.pk]
    chunk = AuditEvent.objects.filter(action=Action.IMPORT).latest("id")
    consent = Consent.objects.get()
    assert chunk.changes["created"]["registry.consent"] == [[consent.pk, consent.pk]]
    # The same number again: nothing changes, no second consent.
    _import(tmp_path, mesuji, actor, person_row(1) + ["0812 3456 7890", "Ya"], name="c.xlsx")
    assert Consent.objects.count() == 1


def _withdrawn_before_the_write(monkeypatch, actor, name="Siti Aminah"):
    write = Writer.write

    def withdrawn_meanwhile(writer, decisions):
        person = Person.objects.get(full_name=name)
        consent_withdraw(actor=actor, person=person, note="by phone")
        write(writer, decisions)

    monkeypatch.setattr(Writer, "write", withdrawn_meanwhile)


def _again_after_a_withdrawal(tmp_path, mesuji, actor, monkeypatch, *rows):
    """Siti is imported with her number and consent; the rows are imported again, and she
    withdraws her consent after their chunk is planned, before it is written."""
    _import(tmp_path, mesuji, actor, person_row(1, "Siti Aminah") + ["0812 3456 7890", "Ya"])
    _withdrawn_before_the_write(monkeypatch, actor)
    return _import(tmp_path, mesuji, actor, *rows, name="b.xlsx")


def test_a_consent_withdrawn_while_the_import_ran_is_not_brought_back(
    tmp_path, personas, mesuji, monkeypatch
):
    # The row changes the name only: the chunk was planned with the number and its consent.
    row = person_row(1, "Siti Aminah Sari") + ["0812 3456 7890", ""]
    result = _again_after_a_withdrawal(tmp_path, mesuji, personas["disnaker"], monkeypatch, row)
    assert result.counts["updated"] == 1, result.issues
    person = Person.objects.get()
    assert person.full_name == "Siti Aminah Sari"
    assert (person.phone, person.contact_consent_at, person.contact_consent_by) == ("", None, None)
    assert not Consent.objects.filter(withdrawn_at__isnull=True).exists()


def test_a_new_number_without_consent_is_left_out_when_consent_was_withdrawn_meanwhile(
    tmp_path, personas, mesuji, monkeypatch
):
    row = person_row(1, "Siti Aminah Sari") + ["0813 1111 2222", ""]
    result = _again_after_a_withdrawal(tmp_path, mesuji, personas["disnaker"], monkeypatch, row)
    person = Person.objects.get()
    assert person.full_name == "Siti Aminah Sari"
    assert (person.phone, person.contact_consent_at) == ("", None)
    assert [(i["row"], i["column"], i["code"]) for i in result.issues] == [
        (2, "No HP", "phone_dropped")
    ]
    assert "belum ada persetujuan" in result.issues[0]["message"]


def test_a_new_number_with_the_files_consent_after_a_withdrawal_is_a_new_consent(
    tmp_path, personas, mesuji, monkeypatch
):
    row = person_row(1, "Siti Aminah") + ["0813 1111 2222", "Ya"]
    _again_after_a_withdrawal(tmp_path, mesuji, personas["disnaker"], monkeypatch, row)
    person = Person.objects.get()
    assert person.phone == "+6281311112222" and person.contact_consent_at is not None
    consents = list(Consent.objects.order_by("id").values_list("withdrawn_at", flat=True))
    assert len(consents) == 2 and consents[0] is not None and consents[1] is None


def test_a_new_number_of_a_person_who_consented_before_is_kept_without_a_warning(
    tmp_path, personas, mesuji
):
    # The row is planned ahead as if the person were new (no consent in the file: the number
    # would be left out); that plan and its warning go when the person turns out known.
    actor = personas["disnaker"]
    _import(tmp_path, mesuji, actor, person_row(1) + ["0812 3456 7890", "Ya"])
    result = _import(tmp_path, mesuji, actor, person_row(1) + ["0813 1111 2222", ""], name="b.xlsx")
    assert result.counts["updated"] == 1
    assert result.issues == []
    assert Person.objects.get().phone == "+6281311112222"
    assert Consent.objects.count() == 1


def test_a_withdrawal_meanwhile_holds_when_another_row_of_the_chunk_writes_the_number(
    tmp_path, personas, mesuji, monkeypatch
):
    # One UPDATE writes the same columns for every person of the chunk: Dewi's new number
    # puts the phone column in it, and Siti's must be written as committed (erased).
    actor = personas["disnaker"]
    _import(
        tmp_path,
        mesuji,
        actor,
        person_row(1, "Siti Aminah") + ["0812 3456 7890", "Ya"],
        person_row(2, "Dewi Lestari") + ["0812 3456 7891", "Ya"],
    )
    _withdrawn_before_the_write(monkeypatch, actor, name="Siti Aminah")
    result = _import(
        tmp_path,
        mesuji,
        actor,
        person_row(1, "Siti Aminah Sari") + ["0812 3456 7890", ""],
        person_row(2, "Dewi Lestari") + ["0813 1111 2222", ""],
        name="b.xlsx",
    )
    assert result.counts["updated"] == 2, result.issues
    siti = Person.objects.get(nik=person_row(1)[1])
    assert siti.full_name == "Siti Aminah Sari"
    assert (siti.phone, siti.contact_consent_at) == ("", None)
    dewi = Person.objects.get(nik=person_row(2)[1])
    assert dewi.phone == "+6281311112222" and dewi.contact_consent_at is not None


def test_a_row_whose_only_change_was_a_number_left_out_is_unchanged(
    tmp_path, personas, mesuji, monkeypatch
):
    row = person_row(1, "Siti Aminah") + ["0813 1111 2222", ""]
    result = _again_after_a_withdrawal(tmp_path, mesuji, personas["disnaker"], monkeypatch, row)
    assert result.counts["unchanged"] == 1 and result.counts["updated"] == 0
    assert [i["code"] for i in result.issues] == ["phone_dropped"]
    person = Person.objects.get()
    # The trail's only change of the person is the withdrawal itself.
    updates = AuditEvent.objects.filter(action=Action.UPDATE, object_id=str(person.pk))
    assert updates.count() == 1
