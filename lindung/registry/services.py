"""Writes of persons and family members. Every write keeps the audit trail and counters."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.accounts.scoping import code_in_scope
from lindung.audit.models import Action
from lindung.audit.services import audit_record
from lindung.audit.tracking import tracked_archive, tracked_create, tracked_update
from lindung.counters.keeping import counted_lock, counters_apply, counters_for_person
from lindung.lib.errors import ApplicationError
from lindung.lib.names import name_display, name_key
from lindung.lib.processing import consent_fields, needs_consent
from lindung.regions.models import Area, Level
from lindung.registry.models import (
    Consent,
    ConsentMethod,
    FamilyMember,
    Person,
    Phase,
)
from lindung.registry.nik_clash import nik_taken_error
from lindung.registry.rules import nik_review, phone_clean

PERSON_FIELDS = [
    "nik",
    "kk_number",
    "full_name",
    "sex",
    "birth_place",
    "birth_date",
    "village",
    "dusun",
    "rt",
    "rw",
    "address",
    "phone",
    "education",
    "marital_status",
    "legal_basis",
    "nik_exception",
]


def _check_village(actor, village: Area) -> None:
    if village is None or village.level != Level.VILLAGE:
        raise ApplicationError(_("Choose a village (desa/kelurahan)."), field="village")
    if not code_in_scope(actor, village.code):
        raise ApplicationError(_("This village is outside your area of work."), field="village")


def _check_nik(person: Person, *, actor=None) -> None:
    review = nik_review(person.nik, birth_date=person.birth_date, sex=person.sex)
    if review.error:
        raise ApplicationError(review.error, field="nik")
    person.nik = review.nik
    if review.mismatches and not person.nik_exception.strip():
        raise ApplicationError(
            " ".join(review.mismatches)
            + " "
            + _("Correct the data, or explain the difference to record it anyway."),
            field="nik_exception",
        )
    clash = Person.objects.filter(nik=person.nik).exclude(pk=person.pk).first()
    if clash is not None:
        raise nik_taken_error(actor=actor, person=clash)


def _check_fields(person: Person, *, contact_consent: bool) -> None:
    person.full_name = name_display(person.full_name or "")
    if not person.full_name:
        raise ApplicationError(_("Enter the full name."), field="full_name")
    person.name_key = name_key(person.full_name)
    if person.birth_date and person.birth_date > timezone.localdate():
        raise ApplicationError(_("The date of birth cannot be in the future."), field="birth_date")
    kk = (person.kk_number or "").replace(" ", "").replace(".", "")
    if kk and (len(kk) != 16 or not kk.isdigit()):
        raise ApplicationError(_("The KK number must be 16 digits."), field="kk_number")
    person.kk_number = kk
    if person.phone:
        try:
            person.phone = phone_clean(person.phone)
        except ValueError as error:
            raise ApplicationError(str(error), field="phone") from None
        consent_needed = needs_consent("registry.person", "phone")
        if consent_needed and not contact_consent and person.contact_consent_at is None:
            raise ApplicationError(
                _("A phone number is kept only with the person's consent: tick the consent box."),
                field="contact_consent",
            )


@transaction.atomic
def person_create(
    *,
    actor,
    nik: str,
    full_name: str,
    sex: str,
    birth_date: date,
    village: Area,
    kk_number: str = "",
    birth_place: str = "",
    dusun: str = "",
    rt: str = "",
    rw: str = "",
    address: str = "",
    phone: str = "",
    education: str = "",
    marital_status: str = "",
    contact_consent: bool = False,
    consent_method: str = ConsentMethod.FORM,
    nik_exception: str = "",
    legal_basis: str = "",
) -> Person:
    """Register a resident once, by NIK, in a village within the actor's reach."""
    _check_village(actor, village)
    person = Person(
        nik=nik or "",
        kk_number=kk_number,
        full_name=full_name,
        sex=sex,
        birth_place=birth_place.strip(),
        birth_date=birth_date,
        village=village,
        dusun=dusun.strip(),
        rt=rt.strip(),
        rw=rw.strip(),
        address=address.strip(),
        phone=(phone or "").strip(),
        education=education,
        marital_status=marital_status,
        nik_exception=nik_exception.strip(),
        phase=Phase.NONE,
    )
    if legal_basis:
        person.legal_basis = legal_basis
    _check_fields(person, contact_consent=contact_consent)
    _check_nik(person, actor=actor)
    if person.phone:
        person.contact_consent_at = timezone.now()
        person.contact_consent_by = actor
    tracked_create(person, actor=actor, area_code=village.code)
    if person.phone:
        _consent_record(actor=actor, person=person, method=consent_method)
    counters_apply(before={}, after=counters_for_person(person))
    return person


def _consent_record(*, actor, person: Person, method: str, member=None) -> Consent:
    consent = Consent.objects.create(
        person=person,
        family_member=member,
        given_at=timezone.now(),
        method=method if method in ConsentMethod.values else ConsentMethod.FORM,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=consent,
        object_repr=str(member or person)[:200],
        area_code=person.village_id,
        changes={"consent": [None, consent.purpose], "method": [None, consent.method]},
    )
    return consent


@transaction.atomic
def person_update(*, actor, person: Person, data: dict) -> dict:
    """Correct or complete a person's record; returns the changes."""
    unknown = set(data) - set(PERSON_FIELDS) - {"contact_consent"}
    if unknown:
        raise ApplicationError(_("These fields cannot be changed here: %s") % ", ".join(unknown))
    if not code_in_scope(actor, person.village_id):
        raise ApplicationError(_("This person is outside your area of work."))
    counted_lock(person)
    if person.is_archived:
        raise ApplicationError(_("This record is archived."))
    before = counters_for_person(person)
    contact_consent = bool(data.pop("contact_consent", False))
    if "village" in data:
        _check_village(actor, data["village"])
    # The checks work on the instance; tracked_update then needs the old values back on it to
    # see (and audit) what changed.
    tracked = [*PERSON_FIELDS, "name_key", "contact_consent_at", "contact_consent_by"]
    original = {name: getattr(person, name) for name in tracked}
    for name, value in data.items():
        setattr(person, name, value.strip() if isinstance(value, str) else value)
    try:
        _check_fields(person, contact_consent=contact_consent)
        _check_nik(person, actor=actor)
    except ApplicationError:
        for name, value in original.items():
            setattr(person, name, value)
        raise
    consent_given = person.phone and person.contact_consent_at is None
    if consent_given:
        person.contact_consent_at = timezone.now()
        person.contact_consent_by = actor
    if not person.phone:
        person.contact_consent_at = None
        person.contact_consent_by = None
    values = {name: getattr(person, name) for name in tracked}
    for name, value in original.items():
        setattr(person, name, value)
    changes = tracked_update(person, actor=actor, data=values, area_code=person.village_id)
    if consent_given:
        _consent_record(actor=actor, person=person, method=ConsentMethod.FORM)
    counters_apply(before=before, after=counters_for_person(person))
    return changes


@transaction.atomic
def consent_withdraw(*, actor, person: Person, note: str = "") -> int:
    """The person withdraws their consent (UU 27/2022 Pasal 9): every value kept only with
    consent (the register says which) is erased at once, for them and their family, so no
    list, export or letter can use it again. Returns how many consents ended."""
    if not code_in_scope(actor, person.village_id):
        raise ApplicationError(_("This person is outside your area of work."))
    now = timezone.now()
    ended = Consent.objects.filter(person=person, withdrawn_at__isnull=True).update(
        withdrawn_at=now, withdrawn_by=actor, withdrawal_note=(note or "").strip()[:200]
    )
    erased = {}
    person_fields = consent_fields("registry.person")
    if any(getattr(person, name) for name in person_fields) or person.contact_consent_at:
        for name in person_fields:
            if getattr(person, name):
                erased[name] = ["•••", ""]
            setattr(person, name, "")
        person.contact_consent_at = None
        person.contact_consent_by = None
        person.save(update_fields=[*person_fields, "contact_consent_at", "contact_consent_by"])
    member_fields = consent_fields("registry.familymember")
    for member in FamilyMember.objects.filter(person=person):
        if any(getattr(member, name) for name in member_fields) or member.contact_consent_at:
            for name in member_fields:
                setattr(member, name, "")
            member.contact_consent_at = None
            member.save(update_fields=[*member_fields, "contact_consent_at"])
            erased[f"family:{member.pk}"] = ["•••", ""]
    # The erased values are not written to the trail: that would keep what was withdrawn.
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=person,
        area_code=person.village_id,
        changes={"consent_withdrawn": [ended, 0], **erased, "note": (note or "").strip()[:200]},
    )
    return ended


@transaction.atomic
def person_archive(*, actor, person: Person, reason: str) -> None:
    """Archive a record (a duplicate, a mistake) with a reason; it is never deleted."""
    counted_lock(person)
    if person.is_archived:
        raise ApplicationError(_("This record is already archived."))
    before = counters_for_person(person)
    tracked_archive(person, actor=actor, reason=reason, area_code=person.village_id)
    counters_apply(before=before, after=counters_for_person(person))


@transaction.atomic
def family_member_add(
    *,
    actor,
    person: Person,
    name: str,
    relation: str,
    phone: str = "",
    nik: str = "",
    birth_date: date | None = None,
    contact_consent: bool = False,
) -> FamilyMember:
    """Record a family member (the children left behind are visible as minors); their phone
    is kept only with their consent (the processing register)."""
    if not code_in_scope(actor, person.village_id):
        raise ApplicationError(_("This person is outside your area of work."))
    member = FamilyMember(
        person=person,
        name=name_display(name or ""),
        relation=relation,
        nik=(nik or "").replace(" ", ""),
        birth_date=birth_date,
    )
    if not member.name:
        raise ApplicationError(_("Enter the name."), field="name")
    if member.nik:
        review = nik_review(member.nik, birth_date=birth_date, sex=None)
        if review.error:
            raise ApplicationError(review.error, field="nik")
        member.nik = review.nik
    if birth_date and birth_date > timezone.localdate():
        raise ApplicationError(_("The date of birth cannot be in the future."), field="birth_date")
    if phone:
        try:
            member.phone = phone_clean(phone)
        except ValueError as error:
            raise ApplicationError(str(error), field="phone") from None
        if needs_consent("registry.familymember", "phone") and not contact_consent:
            raise ApplicationError(
                _("A phone number is kept only with the person's consent: tick the consent box."),
                field="contact_consent",
            )
        member.contact_consent_at = timezone.now()
    tracked_create(member, actor=actor, area_code=person.village_id)
    if member.phone:
        _consent_record(actor=actor, person=person, member=member, method=ConsentMethod.FORM)
    return member
