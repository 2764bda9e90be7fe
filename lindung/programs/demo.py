"""Demo programmes in Kabupaten Mesuji: a finished caregiver training whose graduates were
placed (procedurally in formal jobs, informally, non-procedurally) or still wait, a running
welding course, returnee empowerment with outcomes, orientation and community parenting; and
the Quick Win targets of the year. Everything goes through the services."""

from datetime import date, timedelta

from django.utils import timezone

from lindung.placements import services as placement_services
from lindung.placements.readiness import REQUIRED_ITEMS
from lindung.programs import services
from lindung.programs.models import Program, QuickWinTarget
from lindung.regions.models import Area
from lindung.registry.demo import demo_person
from lindung.registry.models import Person

FIRST_TITLE = "Pelatihan Vokasi Caregiver Jepang Angkatan I"

# (name, sex, birth year, village, story)
TRAINEES = [
    ("Nur Aini", "F", 1999, "18.11.01.2001", "placed_formal"),
    ("Rudi Hartono", "M", 1997, "18.11.01.2005", "placed_formal"),
    ("Yuliana Safitri", "F", 2000, "18.11.02.2001", "placed_formal"),
    ("Eka Putri Lestari", "F", 1998, "18.11.03.2003", "placed_informal"),
    ("Agus Setiawan", "M", 1996, "18.11.04.2002", "placed_nonprocedural"),
    ("Fitri Handayani", "F", 2001, "18.11.01.2001", "waiting"),
    ("Dedi Kurniawan", "M", 1999, "18.11.05.2004", "waiting_preparing"),
    ("Lina Marlina", "F", 2002, "18.11.06.2001", "waiting"),
    ("Wahyu Pratama", "M", 2000, "18.11.01.2005", "no_certificate"),
    ("Sri Mulyani", "F", 1995, "18.11.07.2002", "dropped"),
]
# How the trainees placed abroad went: (sector, job, country, procedurally).
PLACED = {
    "placed_formal": ("formal", "caregiver", "JP", True),
    "placed_informal": ("informal", "domestic_worker", "HK", True),
    "placed_nonprocedural": ("formal", "factory_worker", "MY", False),
}
# A calon PMI whose documents are all done but the competency certificate: completing a
# training makes the departure procedural (the end-to-end walkthrough uses him).
READY_BUT_TRAINING = ("Rizal Fahmi", "M", 1998, "18.11.01.2001")
# The programmes: key, who runs it, title, kind, organiser and its name, area, quota, target
# groups, sessions, and its first and last day counted from today (the caregiver training's
# from the day of its certificates).
PROGRAMS = [
    ("caregiver", "disnaker.mesuji", FIRST_TITLE, "vocational_training", "lpk",
     "LPK Sakura Mesuji (terakreditasi)", "18.11", 20, ["candidate"], 24, (-90, 0)),
    ("welding", "disnaker.mesuji", "Pelatihan Vokasi Juru Las 3G (Korea)", "vocational_training",
     "disnaker", "UPTD BLK Mesuji", "18.11", 16, ["candidate"], 30, (-20, 40)),
    ("business", "dpmd.mesuji", "Pemberdayaan Purna PMI: Usaha Kuliner dan Warung",
     "empowerment_business", "disperindag", "Disperindag Kabupaten Mesuji", "18.11", 25,
     ["returned", "family"], 6, (-200, -170)),
    ("finance", "bp3mi.lampung", "Literasi Keuangan dan Remitansi Purna PMI",
     "empowerment_finance", "bp3mi", "BP3MI Lampung", "18", None, ["returned"], 2, (-90, -88)),
    ("orientation", "bp3mi.lampung", "Orientasi Pra Penempatan (OPP) Gelombang Mesuji",
     "orientation", "bp3mi", "BP3MI Lampung", "18.11", 40, ["candidate"], 2, (10, 11)),
    ("parenting", "dpmd.mesuji", "Community Parenting Anak PMI Kecamatan Mesuji",
     "community_parenting", "dpmd", "DPMD Kabupaten Mesuji bersama PKK", "18.11", None,
     ["family"], 8, (-30, 60)),
]  # fmt: skip
MORE = {
    "caregiver": {
        "competency_scheme": "Caregiver (SKKNI, BNSP)",
        "description": "Pelatihan bahasa Jepang dan perawatan lansia untuk skema Specified "
        "Skilled Worker (SSW) bidang kaigo.",
    },
    "welding": {"competency_scheme": "Juru Las 3G (SKKNI)"},
    "parenting": {"covered_areas": ["18.11.01"]},
}
WELDERS = [
    ("Bayu Saputra", "M", 2001, "18.11.02.2001"),
    ("Hendra Gunawan", "M", 1998, "18.11.03.2001"),
]


def _ago(days: int) -> date:
    return timezone.localdate() - timedelta(days=days)


def _area(code: str) -> Area:
    return Area.objects.get(code=code)


def _person(actor, index, name, sex, year, village) -> Person:
    born = date(year, 1 + index % 12, 1 + (index * 7) % 27)
    return demo_person(
        actor,
        name=name,
        sex=sex,
        born=born,
        village=village,
        serial=9000 + index,
        birth_place="Mesuji",
        education="sma",
        marital_status="single",
    )


def _departure_day() -> date:
    """A day this year, in the past, so the Quick Win of the year moves."""
    today = timezone.localdate()
    return max(date(today.year, 1, 1), today - timedelta(days=20))


def _placement(actor, person, *, sector, job, country, procedural, depart_on=None):
    placement = placement_services.placement_create(
        actor=actor,
        person=person,
        scheme="p2p" if country != "KR" else "g2g",
        destination_country=country,
        sector=sector,
        job=job,
        planned_departure=depart_on,
        agency_name="PT Sakura Karya Mandiri" if country == "JP" else "PT Bina Karya Sejahtera",
    )
    done = set(placement.checks.values_list("item", flat=True))
    items = REQUIRED_ITEMS if procedural else ("passport", "health")
    check_on = (depart_on or timezone.localdate()) - timedelta(days=2)
    for item in items:
        if item not in done:
            placement_services.placement_check(
                actor=actor, placement=placement, item=item, checked_on=check_on
            )
    if depart_on is not None:
        placement_services.placement_depart(actor=actor, placement=placement, departed_on=depart_on)
    return placement


def _programs(users) -> dict[str, Program]:
    today = timezone.localdate()
    cert_day = min(_departure_day() - timedelta(days=30), today)
    programs = {}
    for key, user, title, kind, organiser, name, code, quota, groups, sessions, days in PROGRAMS:
        # The caregiver training's days count from its certificates, the others' from today.
        base = cert_day if key == "caregiver" else today
        more = dict(MORE.get(key, {}))
        covered = [_area(c) for c in more.pop("covered_areas", [])] or None
        programs[key] = services.program_create(
            actor=users[user],
            title=title,
            kind=kind,
            organiser=organiser,
            organiser_name=name,
            area=_area(code),
            covered_areas=covered,
            starts_on=base + timedelta(days=days[0]),
            ends_on=base + timedelta(days=days[1]),
            quota=quota,
            target_groups=groups,
            sessions=sessions,
            **more,
        )
    return programs


def _enroll(actor, program, person):
    """Enrol a person from the programme's first day, the eligibility hints accepted."""
    return services.enrollment_create(
        actor=actor,
        program=program,
        person=person,
        enrolled_on=program.starts_on,
        accept_hints=True,
    )


def _outcome(actor, enrollment, kind, observed_on, **details) -> None:
    services.outcome_record(
        actor=actor, enrollment=enrollment, kind=kind, observed_on=observed_on, **details
    )


def _trainees(disnaker, caregiver, welding) -> None:
    cert_day = caregiver.ends_on
    depart_day = _departure_day()
    for index, (name, sex, year, village, story) in enumerate(TRAINEES, start=1):
        person = _person(disnaker, index, name, sex, year, village)
        if story == "waiting_preparing":
            _placement(
                disnaker, person, sector="formal", job="caregiver", country="JP", procedural=False
            )
        enrollment = _enroll(disnaker, caregiver, person)
        if story == "dropped":
            services.enrollment_record_attendance(
                actor=disnaker, enrollment=enrollment, sessions_attended=5
            )
            services.enrollment_drop(actor=disnaker, enrollment=enrollment)
            continue
        services.enrollment_record_attendance(
            actor=disnaker, enrollment=enrollment, sessions_attended=22 + index % 3
        )
        certified = story != "no_certificate"
        services.enrollment_complete(
            actor=disnaker,
            enrollment=enrollment,
            completed_on=cert_day,
            certificate_number=f"BNSP/CG/{cert_day.year}/{index:04d}" if certified else "",
            certificate_date=cert_day if certified else None,
        )
        if story in PLACED:
            sector, job, country, procedural = PLACED[story]
            _placement(
                disnaker,
                person,
                sector=sector,
                job=job,
                country=country,
                procedural=procedural,
                depart_on=depart_day,
            )
        if story == "placed_formal":
            _outcome(disnaker, enrollment, "placed_procedural", depart_day, note="Kaigo, Osaka")
    for index, (name, sex, year, village) in enumerate(WELDERS, start=len(TRAINEES) + 1):
        person = _person(disnaker, index, name, sex, year, village)
        enrollment = _enroll(disnaker, welding, person)
        services.enrollment_record_attendance(
            actor=disnaker, enrollment=enrollment, sessions_attended=6
        )


def _ready_but_training(disnaker) -> None:
    name, sex, year, village = READY_BUT_TRAINING
    person = _person(disnaker, 99, name, sex, year, village)
    placement = placement_services.placement_create(
        actor=disnaker,
        person=person,
        scheme="p2p",
        destination_country="JP",
        sector="formal",
        job="caregiver",
        agency_name="PT Sakura Karya Mandiri",
    )
    for item in REQUIRED_ITEMS:
        if item != "competency":
            placement_services.placement_check(
                actor=disnaker, placement=placement, item=item, checked_on=_ago(3)
            )


def _returnees(disnaker, business, finance, persons) -> None:
    returned = [p for p in persons if p.phase == "returned" and p.village_id.startswith("18.11")]
    outcomes = [
        ("business_started", "", "Warung makan di pasar desa"),
        ("income", "1m_3m", ""),
        ("employed_locally", "", "Bekerja di kebun sawit"),
        ("migrated_again", "", ""),
    ]
    for index, person in enumerate(returned[:6]):
        program = business if index % 2 == 0 else finance
        enrollment = _enroll(disnaker, program, person)
        services.enrollment_complete(
            actor=disnaker, enrollment=enrollment, completed_on=program.ends_on
        )
        kind, band, note = outcomes[index % len(outcomes)]
        observed_on = min(program.ends_on + timedelta(days=30), timezone.localdate())
        _outcome(disnaker, enrollment, kind, observed_on, income_band=band, note=note)
        if kind == "business_started":
            _outcome(disnaker, enrollment, "income", timezone.localdate(), income_band="3m_5m")


def _targets(admin) -> None:
    year = timezone.localdate().year
    for code, target in ((None, 500_000), ("18", 25_000), ("18.11", 1_000), ("18.04", 3_000)):
        area = _area(code) if code else None
        if not QuickWinTarget.objects.filter(year=year, area=area).exists():
            services.quickwin_target_set(actor=admin, year=year, area=area, target=target)


def seed(context: dict) -> None:
    """Programmes, participants, outcomes and Quick Win targets (once)."""
    users = context["users"]
    _targets(users["admin"])
    if Program.objects.filter(title=FIRST_TITLE).exists():
        return
    disnaker = users["disnaker.mesuji"]
    programs = _programs(users)
    _trainees(disnaker, programs["caregiver"], programs["welding"])
    _ready_but_training(disnaker)
    _returnees(disnaker, programs["business"], programs["finance"], context.get("persons", []))
