"""Demo residents of three Mesuji villages: synthetic people (NIKs from encode_nik, never real
data) whose stories (placements/demo.py) show every state of the registry."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from lindung.lib.nik import encode_nik
from lindung.regions.models import Area
from lindung.registry.models import Person
from lindung.registry.services import family_member_add, person_create

WIRALAGA, SIDOMULYO, TALANGBATU = "18.11.01.2001", "18.11.01.2005", "18.11.02.2001"
OPERATORS = {
    WIRALAGA: "operator.wiralaga1",
    SIDOMULYO: "operator.sidomulyo",
    TALANGBATU: "operator.talangbatu",
}
HEADS = {WIRALAGA: "kades.wiralaga1", SIDOMULYO: "kades.sidomulyo", TALANGBATU: "kades.talangbatu"}


@dataclass
class Resident:
    village: str
    name: str
    sex: str
    born: date | None  # None: 17 years old today (the blocked calon)
    story: str  # what placements/demo.py does with the person
    country: str = ""
    job: str = "domestic_worker"
    family: list = field(default_factory=list)  # (name, relation, born or age in years)
    verified: bool = True
    phone: str = ""
    dusun: str = "Sukamaju"
    rt: str = "001"
    rw: str = "001"
    education: str = "smp"
    marital: str = "married"
    kk: str = ""
    nik_born: date | None = None  # a NIK whose birth date differs from the documents
    nik_district: str = ""  # a NIK first issued in another (older) district
    nik_exception: str = ""


PEOPLE = [
    # Wiralaga I
    Resident(WIRALAGA, "Siti Aminah", "F", date(1994, 4, 12), "calon_incomplete", "HK",
             family=[("Ahmad Fauzi", "spouse", date(1990, 2, 3)), ("Nabila", "child", 8),
                     ("Rizky", "child", 5)], phone="081273001122", kk="1811012304150001"),
    Resident(WIRALAGA, "Nur Hasanah", "F", date(1998, 9, 30), "calon_ready", "TW",
             job="caregiver", family=[("Sutarno", "parent", date(1968, 5, 1))],
             marital="single", education="sma"),
    Resident(WIRALAGA, "Dimas Saputra", "M", None, "calon_minor", "MY", job="plantation",
             family=[("Suparno", "parent", date(1975, 8, 17))], marital="single"),
    Resident(WIRALAGA, "Sulastri", "F", date(1988, 1, 21), "abroad_procedural", "HK",
             family=[("Joko Susilo", "spouse", date(1985, 3, 3)), ("Putri", "child", 12),
                     ("Bagas", "child", 16)], phone="085377123456"),
    Resident(WIRALAGA, "Rohmah", "F", date(1991, 6, 5), "abroad_nonprocedural", "MY",
             family=[("Sanusi", "spouse", date(1987, 11, 11)), ("Aisyah", "child", 3)]),
    Resident(WIRALAGA, "Wagiyem", "F", date(1983, 12, 24), "abroad_no_contact", "SA",
             family=[("Tukiran", "spouse", date(1979, 7, 7)), ("Sri Rahayu", "child", 15)]),
    Resident(WIRALAGA, "Eko Prasetyo", "M", date(1995, 2, 14), "abroad_contract_ending", "KR",
             job="factory_worker", education="sma", marital="single"),
    Resident(WIRALAGA, "Yuliana", "F", date(1996, 10, 2), "abroad_passport_expiring", "TW",
             job="caregiver"),
    Resident(WIRALAGA, "Marsini", "F", date(1980, 3, 8), "returned_contract_ended", "HK"),
    Resident(WIRALAGA, "Tarmuji", "M", date(1982, 9, 9), "returned_deported", "MY",
             job="plantation"),
    Resident(WIRALAGA, "Lestari Handayani", "F", date(1993, 7, 19), "cancelled", "SG",
             marital="divorced"),
    Resident(WIRALAGA, "Nurjanah", "F", date(1990, 1, 1), "none",
             nik_born=date(1990, 1, 10), verified=False,
             nik_exception="Tanggal lahir di KTP salah cetak (10-01-1990); akta kelahiran "
             "01-01-1990. Perbaikan sudah diajukan ke Dukcapil."),
    Resident(WIRALAGA, "Sumiati", "F", date(1997, 5, 27), "calon_incomplete", "JP",
             job="caregiver", verified=False, marital="single", education="diploma"),
    Resident(WIRALAGA, "Agus Salim", "M", date(1989, 11, 30), "none",
             family=[("Warsini", "spouse", date(1992, 2, 2)), ("Fajar", "child", 6)]),
    # Sido Mulyo
    Resident(SIDOMULYO, "Muhammad Rizki", "M", date(1999, 8, 8), "calon_incomplete", "JP",
             job="factory_worker", marital="single", education="sma", kk="1811012708120004"),
    Resident(SIDOMULYO, "Moh. Rizki", "M", date(1999, 8, 8), "none", verified=False,
             marital="single", kk="1811012708120004"),
    Resident(SIDOMULYO, "Sri Mulyani", "F", date(1987, 4, 4), "abroad_problem", "SA",
             family=[("Paijo", "spouse", date(1983, 1, 15)), ("Intan", "child", 10)],
             phone="082178990011"),
    Resident(SIDOMULYO, "Kartini", "F", date(1992, 4, 21), "abroad_procedural", "TW",
             job="caregiver", family=[("Slamet", "spouse", date(1990, 6, 6))]),
    Resident(SIDOMULYO, "Bambang Hermanto", "M", date(1990, 10, 10), "abroad_procedural", "KR",
             job="fishing_crew", marital="single"),
    Resident(SIDOMULYO, "Ratna Sari", "F", date(1994, 12, 12), "abroad_nonprocedural", "SA",
             family=[("Darmaji", "spouse", date(1989, 9, 1)), ("Salsabila", "child", 7)]),
    Resident(SIDOMULYO, "Suwarni", "F", date(1985, 5, 5), "returned_abuse", "SA",
             family=[("Rudi Hartono", "child", date(2006, 3, 3))]),
    Resident(SIDOMULYO, "Wahyudi", "M", date(1986, 8, 17), "returned_accident", "MY",
             job="construction"),
    Resident(SIDOMULYO, "Dwi Astuti", "F", date(1995, 3, 15), "abroad_extended", "HK"),
    Resident(SIDOMULYO, "Yanti Susanti", "F", date(2000, 1, 9), "calon_ready", "HK",
             marital="single", verified=False, education="sma"),
    Resident(SIDOMULYO, "Hartini", "F", date(1984, 2, 29), "returned_leave", "TW",
             job="caregiver"),
    Resident(SIDOMULYO, "Paryono", "M", date(1978, 6, 1), "none", nik_district="18.11.09",
             family=[("Tumini", "spouse", date(1980, 8, 8))]),
    # Talang Batu
    Resident(TALANGBATU, "Rusmini", "F", date(1989, 9, 19), "abroad_procedural", "HK",
             family=[("Herman", "spouse", date(1986, 4, 4)), ("Dewi", "child", 11)]),
    Resident(TALANGBATU, "Andi Setiawan", "M", date(1996, 11, 5), "calon_g2g", "KR",
             job="factory_worker", marital="single", education="sma"),
    Resident(TALANGBATU, "Maimunah", "F", date(1990, 7, 7), "abroad_nonprocedural", "MY",
             family=[("Zulkifli", "spouse", date(1985, 5, 5)), ("Rahmat", "child", 9),
                     ("Nur Aini", "child", 4)]),
    Resident(TALANGBATU, "Hendra Gunawan", "M", date(1993, 3, 3), "abroad_no_contact", "MY",
             job="construction", marital="single"),
    Resident(TALANGBATU, "Sarmini", "F", date(1981, 10, 14), "returned_dismissed", "SG"),
    Resident(TALANGBATU, "Juwariyah", "F", date(1979, 1, 25), "returned_contract_ended", "SA"),
    Resident(TALANGBATU, "Supriyadi", "M", date(1975, 12, 1), "died", "MY", job="plantation",
             family=[("Sumarni", "spouse", date(1978, 1, 1)), ("Anisa", "child", 13)]),
    Resident(TALANGBATU, "Fitri Yani", "F", date(2001, 6, 16), "calon_incomplete", "TW",
             job="factory_worker", marital="single", education="sma", verified=False),
    Resident(TALANGBATU, "Lina Marlina", "F", date(1997, 2, 2), "cancelled", "HK",
             marital="single"),
    Resident(TALANGBATU, "Karyono", "M", date(1972, 5, 20), "none", marital="widowed",
             education="sd"),
    Resident(TALANGBATU, "Nia Kurniasih", "F", date(1999, 4, 30), "abroad_passport_expiring",
             "JP", job="nurse", education="diploma", marital="single"),
    Resident(TALANGBATU, "Tugiman", "M", date(1984, 8, 8), "returned_war_disaster", "SA",
             job="construction"),
]  # fmt: skip


def _years_ago(years: int) -> date:
    today = timezone.localdate()
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def birth_of(resident: Resident) -> date:
    """The recorded birth date (the blocked calon turns 18 about two months after today)."""
    if resident.born is not None:
        return resident.born
    return _years_ago(18) + _days(60)


def _days(n: int) -> timedelta:
    return timedelta(days=n)


def _member_birth(value) -> date:
    return value if isinstance(value, date) else _years_ago(value) - _days(40)


def find(resident: Resident) -> Person | None:
    """The resident's record if it was already seeded (the demo is idempotent)."""
    return Person.objects.filter(village_id=resident.village, full_name=resident.name).first()


def demo_person(actor, *, name: str, sex: str, born: date, village: str, serial: int, **fields):
    """The person under this synthetic NIK (of the village's district), registered by `actor`
    unless an earlier run did; for the demos of other apps, which add persons of their own."""
    nik = encode_nik(district_code=village[:8], birth_date=born, sex=sex, serial=serial)
    return Person.objects.filter(nik=nik).first() or person_create(
        actor=actor,
        nik=nik,
        full_name=name,
        sex=sex,
        birth_date=born,
        village=Area.objects.get(code=village),
        **fields,
    )


def seed(context: dict) -> None:
    """Register the demo residents and their families (skipping those already there)."""
    users = context["users"]
    persons = []
    for index, resident in enumerate(PEOPLE, start=1):
        person = find(resident)
        if person is None:
            actor = users[OPERATORS[resident.village]]
            born = birth_of(resident)
            district = resident.nik_district or resident.village.rsplit(".", 1)[0]
            nik = encode_nik(
                district_code=district,
                birth_date=resident.nik_born or born,
                sex=resident.sex,
                serial=1000 + index,
            )
            person = person_create(
                actor=actor,
                nik=nik,
                full_name=resident.name,
                sex=resident.sex,
                birth_date=born,
                birth_place="Mesuji",
                village=Area.objects.get(code=resident.village),
                dusun=resident.dusun,
                rt=resident.rt,
                rw=resident.rw,
                phone=resident.phone,
                contact_consent=bool(resident.phone),
                education=resident.education,
                marital_status=resident.marital,
                kk_number=resident.kk,
                nik_exception=resident.nik_exception,
            )
            for name, relation, born_on in resident.family:
                family_member_add(
                    actor=actor,
                    person=person,
                    name=name,
                    relation=relation,
                    birth_date=_member_birth(born_on),
                )
        persons.append(person)
    context["persons"] = persons
    context["residents"] = list(zip(PEOPLE, persons, strict=True))
