"""The demo residents' migration stories, dated relative to today so warnings stay live:
calon PMI (incomplete, ready, blocked under 18), abroad (procedural or not, check-ins fine,
problem, no contact for 7 months, contract ending, passport expiring, extended), returned for
various Pasal 27 reasons, cancelled, died; village-head verification and a printed letter."""

from datetime import date, timedelta

from django.utils import timezone

from lindung.placements import services
from lindung.placements.models import Placement
from lindung.placements.person_services import letter_issue, person_verify
from lindung.placements.readiness import REQUIRED_ITEMS
from lindung.registry.demo import HEADS, OPERATORS
from lindung.registry.models import Letter

AGENCIES = {
    "HK": ("PT Bina Karya Sejahtera", "KEP.2/0715/PK/2023"),
    "TW": ("PT Mitra Formosa Indonesia", "KEP.2/0832/PK/2022"),
    "MY": ("PT Sinar Jaya Abadi", "KEP.2/0421/PK/2021"),
    "SA": ("PT Al Amin Lampung", "KEP.2/0199/PK/2020"),
    "JP": ("PT Sakura Karya Mandiri", "KEP.2/1002/PK/2024"),
    "SG": ("PT Singa Mas Utama", "KEP.2/0550/PK/2022"),
}
EMPLOYERS = {
    "HK": "Mrs. Chan Wai Ling, Sha Tin",
    "TW": "Lin Family, Taichung",
    "MY": "Ladang Sawit Sri Kembangan Sdn Bhd, Johor",
    "SA": "Abdullah Al-Harbi, Riyadh",
    "KR": "Daesung Precision Co., Ansan",
    "JP": "Sakura Care Home, Osaka",
    "SG": "Tan Family, Tampines",
}


def _ago(days: int) -> date:
    return timezone.localdate() - timedelta(days=days)


def _ahead(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)


def _open(actor, person, resident, *, registered_days_ago: int, **details) -> Placement:
    country = resident.country
    agency, licence = AGENCIES.get(country, ("", ""))
    scheme = details.pop("scheme", "p2p")
    informal = resident.job in ("domestic_worker", "caregiver")
    return services.placement_create(
        actor=actor,
        person=person,
        scheme=scheme,
        destination_country=country,
        sector="informal" if informal else "formal",
        job=resident.job,
        registered_on=_ago(registered_days_ago),
        employer_name=EMPLOYERS.get(country, ""),
        agency_name=agency if scheme == "p2p" else "",
        agency_license=licence if scheme == "p2p" else "",
        **details,
    )


def _check(actor, placement, items, *, on: date) -> None:
    for item in items:
        services.placement_check(actor=actor, placement=placement, item=item, checked_on=on)


def _abroad(actor, person, resident, *, departed: int, procedural=True, **details) -> Placement:
    """An episode that left `departed` days ago, with its arrival two days later."""
    placement = _open(
        actor,
        person,
        resident,
        registered_days_ago=departed + 120,
        contract_start=_ago(departed - 2),
        contract_end=details.pop("contract_end", _ago(departed - 2) + timedelta(days=730)),
        passport_number=f"C{person.pk:07d}",
        passport_expiry=details.pop("passport_expiry", _ago(departed) + timedelta(days=1800)),
        **details,
    )
    items = REQUIRED_ITEMS if procedural else ("passport",)
    _check(actor, placement, items, on=_ago(departed + 20))
    services.placement_depart(actor=actor, placement=placement, departed_on=_ago(departed))
    services.placement_arrive(actor=actor, placement=placement, occurred_on=_ago(departed - 1))
    return placement


def _check_in(actor, placement, days_ago: int, result: str, note: str = "") -> None:
    services.placement_check_in(
        actor=actor, placement=placement, occurred_on=_ago(days_ago), result=result, note=note
    )


def _returned(actor, person, resident, reason: str, *, departed: int, back: int, note=""):
    placement = _abroad(actor, person, resident, departed=departed)
    _check_in(actor, placement, departed - 90, "fine")
    services.placement_return(
        actor=actor, placement=placement, returned_on=_ago(back), reason=reason, note=note
    )
    return placement


def send_abroad(actor, person, *, country: str, departed_on: date, agency_name: str = "") -> None:
    """A domestic worker's episode through a P3MI that departed on `departed_on`; for the demos
    of other apps, whose persons work abroad."""
    placement = services.placement_create(
        actor=actor,
        person=person,
        scheme="p2p",
        destination_country=country,
        sector="informal",
        job="domestic_worker",
        agency_name=agency_name,
    )
    services.placement_depart(actor=actor, placement=placement, departed_on=departed_on)
    person.refresh_from_db()


def play(story: str, actor, person, resident) -> None:
    """Record one resident's story through the services."""
    if story == "calon_incomplete":
        placement = _open(
            actor, person, resident, registered_days_ago=30, planned_departure=_ahead(45)
        )
        _check(actor, placement, ("health", "bpjs", "marital_letter"), on=_ago(10))
    elif story == "calon_ready":
        placement = _open(
            actor,
            person,
            resident,
            registered_days_ago=90,
            planned_departure=_ahead(20),
            passport_number=f"C{person.pk:07d}",
            passport_expiry=_ahead(1700),
            bpjs_number=f"2311{person.pk:07d}",
        )
        _check(actor, placement, REQUIRED_ITEMS, on=_ago(7))
    elif story == "calon_minor":
        placement = _open(
            actor, person, resident, registered_days_ago=14, planned_departure=_ahead(30)
        )
        _check(actor, placement, ("health",), on=_ago(5))
    elif story == "calon_g2g":
        placement = _open(
            actor,
            person,
            resident,
            registered_days_ago=60,
            scheme="g2g",
            planned_departure=_ahead(75),
        )
        _check(actor, placement, ("competency", "health", "bpjs"), on=_ago(20))
        services.placement_training_completed(
            actor=actor, placement=placement, occurred_on=_ago(15), note="EPS-TOPIK, lulus"
        )
    elif story == "abroad_procedural":
        placement = _abroad(actor, person, resident, departed=300)
        _check_in(actor, placement, 200, "fine", "Menelepon keluarga, sehat.")
        _check_in(actor, placement, 30, "fine")
    elif story == "abroad_nonprocedural":
        placement = _abroad(actor, person, resident, departed=150, procedural=False)
        _check_in(actor, placement, 40, "fine", "Berangkat lewat calo; keluarga dihubungi.")
    elif story == "abroad_problem":
        placement = _abroad(actor, person, resident, departed=240)
        _check_in(actor, placement, 20, "problem", "Gaji 3 bulan belum dibayar.")
        services.placement_report_problem(
            actor=actor,
            placement=placement,
            occurred_on=_ago(19),
            note="Keluarga melapor ke desa; diteruskan ke Disnaker.",
        )
    elif story == "abroad_no_contact":
        placement = _abroad(actor, person, resident, departed=500, procedural=False)
        _check_in(actor, placement, 215, "no_contact", "Nomor tidak aktif sejak 7 bulan.")
    elif story == "abroad_contract_ending":
        placement = _abroad(
            actor, person, resident, departed=700, contract_end=_ahead(25), scheme="g2g"
        )
        _check_in(actor, placement, 45, "fine")
    elif story == "abroad_passport_expiring":
        placement = _abroad(actor, person, resident, departed=400, passport_expiry=_ahead(60))
        _check_in(actor, placement, 60, "fine")
    elif story == "abroad_extended":
        placement = _abroad(actor, person, resident, departed=760, contract_end=_ago(30))
        services.placement_extend(
            actor=actor,
            placement=placement,
            occurred_on=_ago(45),
            contract_end=_ahead(700),
            note="Perpanjangan perjanjian kerja dengan majikan yang sama.",
        )
        _check_in(actor, placement, 10, "fine")
    elif story.startswith("returned_"):
        reason = story.removeprefix("returned_")
        notes = {
            "abuse": "Dipulangkan melalui shelter KBRI Riyadh.",
            "deported": "Dideportasi karena izin tinggal habis.",
            "accident_illness": "Cedera punggung di lokasi proyek.",
        }
        reason = {"accident": "accident_illness"}.get(reason, reason)
        _returned(
            actor,
            person,
            resident,
            reason,
            departed=900,
            back=60 if reason != "contract_ended" else 200,
            note=notes.get(reason, ""),
        )
    elif story == "cancelled":
        placement = _open(actor, person, resident, registered_days_ago=80)
        _check(actor, placement, ("health",), on=_ago(70))
        services.placement_cancel(
            actor=actor,
            placement=placement,
            occurred_on=_ago(50),
            note="Tidak lulus pemeriksaan kesehatan lanjutan.",
        )
    elif story == "died":
        placement = _abroad(actor, person, resident, departed=600, procedural=False)
        services.placement_die(
            actor=actor,
            placement=placement,
            occurred_on=_ago(90),
            note="Meninggal karena sakit; jenazah dipulangkan.",
        )


def seed(context: dict) -> None:
    """Play each demo resident's story once, then let the heads verify and print a letter."""
    users = context["users"]
    for resident, person in context.get("residents", []):
        actor = users[OPERATORS[resident.village]]
        if resident.story != "none" and not Placement.objects.filter(person=person).exists():
            if resident.story == "calon_g2g":
                actor = users["disnaker.mesuji"]
            play(resident.story, actor, person, resident)
        person.refresh_from_db()
        if resident.verified and person.verified_at is None:
            person_verify(actor=users[HEADS[resident.village]], person=person)
    _print_letters(context)


def _print_letters(context: dict) -> None:
    users = context["users"]
    for resident, person in context.get("residents", []):
        if resident.story != "calon_ready" or Letter.objects.filter(person=person).exists():
            continue
        person.refresh_from_db()
        parent_or_spouse = person.family.filter(relation__in=["spouse", "parent"]).first()
        actor = users[OPERATORS[resident.village]]
        if parent_or_spouse is not None:
            letter_issue(
                actor=actor, person=person, kind="family_permission", family_member=parent_or_spouse
            )
        letter_issue(actor=actor, person=person, kind="certificate")
