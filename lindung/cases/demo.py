"""Demo protection cases in Kabupaten Mesuji: every status, urgent and overdue ones, a
transfer, a reopening, a repatriation with its return, a P3MI named across villages, and
need-to-know in each state: cases passed through two units, a named supervisor, and an
emergency ("break the glass") read shown to the handlers."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lindung.cases import services, story
from lindung.cases.models import Case, Outcome, Unit
from lindung.placements.demo import send_abroad
from lindung.placements.models import Status as PlacementStatus
from lindung.registry.demo import demo_person
from lindung.registry.models import Person, Phase

WIRALAGA, SIDOMULYO, TALANGBATU = "18.11.01.2001", "18.11.01.2005", "18.11.02.2001"
OPERATORS = {
    WIRALAGA: "operator.wiralaga1",
    SIDOMULYO: "operator.sidomulyo",
    TALANGBATU: "operator.talangbatu",
}
# A 1×1 PNG, so the demo has an attachment without shipping a file.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d4944415478da63f8cfc0f01f0005000201a5b5b5d20000000049454e44ae426082"
)

# (name, sex, birth date, village, abroad in)
OWN_PERSONS = [
    ("Siti Rahayu", "F", date(1994, 4, 12), WIRALAGA, "MY"),
    ("Nur Hasanah", "F", date(1990, 8, 3), WIRALAGA, "HK"),
    ("Yuliana", "F", date(1997, 1, 25), SIDOMULYO, ""),
    ("Agus Setiawan", "M", date(1988, 11, 9), TALANGBATU, "TW"),
    ("Sri Mulyani", "F", date(1992, 6, 30), TALANGBATU, "SA"),
    ("Wahyu Hidayat", "M", date(1991, 2, 14), SIDOMULYO, "MY"),
    ("Lestari", "F", date(1996, 9, 1), WIRALAGA, "SG"),
    ("Eko Prasetyo", "M", date(1985, 12, 20), SIDOMULYO, "KR"),
    ("Dewi Anggraini", "F", date(1999, 7, 7), SIDOMULYO, ""),
    ("Rudi Hartono", "M", date(1987, 3, 18), WIRALAGA, "MY"),
    # Abroad with no case yet: the family's complaint is recorded live (and in e2e/test_cases).
    ("Rina Marlina", "F", date(1993, 5, 17), WIRALAGA, "HK"),
]
NO_CASE_YET = len(OWN_PERSONS) - 1


def _find_or_create_person(context, users, index: int, *, own=False) -> Person:
    name, sex, birth, village, country = OWN_PERSONS[index]
    taken = context.setdefault("_case_persons", set())
    for person in [] if own else context.get("persons") or []:
        if person.pk in taken or person.village_id != village or person.archived_at:
            continue
        placement = person.current_placement
        abroad = placement is not None and placement.status == PlacementStatus.ABROAD
        early = abroad and placement.departed_on and placement.departed_on <= _ago(60)
        if (country and early) or (not country and person.phase != Phase.ABROAD):
            taken.add(person.pk)
            return person
    operator = users[OPERATORS[village]]
    person = demo_person(
        operator, name=name, sex=sex, born=birth, village=village, serial=7001 + index
    )
    if country and person.phase != Phase.ABROAD:
        send_abroad(
            operator,
            person,
            country=country,
            departed_on=_ago(400 + index * 30),
            agency_name="PT Maju Jaya Abadi" if index in (1, 3) else "",
        )
    taken.add(person.pk)
    return person


def _ago(days: int) -> date:
    return timezone.localdate() - timedelta(days=days)


def _record(users, person, recorder, days_ago, categories, **fields):
    data = {
        "reporter_kind": "family",
        "reporter_relation": "parent",
        "channel": "walk_in",
        "reported_on": _ago(days_ago),
    }
    data.update(fields)
    return services.case_create(actor=users[recorder], person=person, categories=categories, **data)


def _into_handling(users, case, *, verified: int, taken_up: int, referred: int | None = None):
    """Disnaker verifies the case and takes it up itself, or first refers it to BP3MI, which
    takes it up; each step the given number of days ago."""
    disnaker, handler = users["disnaker.mesuji"], users["disnaker.mesuji"]
    services.case_verify(actor=disnaker, case=case, occurred_on=_ago(verified))
    if referred is not None:
        services.case_refer(actor=disnaker, case=case, unit=Unit.BP3MI, occurred_on=_ago(referred))
        handler = users["bp3mi.lampung"]
    services.case_take_up(actor=handler, case=case, occurred_on=_ago(taken_up))


def seed(context: dict) -> None:
    """Ten cases across three villages; nothing is added when demo cases already exist."""
    users = context["users"]
    if Case.objects.filter(created_by__username__in=[*OPERATORS.values(), "disnaker.mesuji"]):
        return
    head = users["kades.wiralaga1"]
    disnaker, bp3mi, kp2mi = users["disnaker.mesuji"], users["bp3mi.lampung"], users["kp2mi"]
    person = [_find_or_create_person(context, users, i) for i in range(NO_CASE_YET)]
    _find_or_create_person(context, users, NO_CASE_YET, own=True)

    # 1. Received and overdue: urgent, nobody has verified it for ten days.
    _record(
        users,
        person[0],
        "operator.wiralaga1",
        10,
        ["employer_violence", "wants_to_return"],
        reporter_name="Ibu Kasmini",
        narrative="Ibu Kasmini melapor anaknya dipukul majikan dan dikunci di rumah. "
        "Anaknya sempat mengirim pesan suara lewat WhatsApp minta dipulangkan.",
        demand="Dipulangkan secepatnya.",
        party_kind="employer",
        party_name="Mr Tan Wei Ming",
        party_contact="Johor Bahru, +60 12-345 6789",
        place="Johor Bahru",
    )

    # 2. Received today.
    _record(
        users,
        person[2],
        "operator.sidomulyo",
        0,
        ["job_fraud", "excessive_fees"],
        reporter_kind="worker",
        reporter_relation="",
        channel="phone",
        narrative="Sudah membayar Rp 12 juta ke seorang sponsor untuk kerja di Korea, "
        "tetapi tidak pernah dipanggil dan sponsor tidak bisa dihubungi.",
        demand="Uang dikembalikan.",
        party_kind="recruiter",
        party_name="Pak Slamet (sponsor)",
        party_contact="0812-7000-1234",
    )

    # 3. Verified by the village head.
    case = _record(
        users,
        person[1],
        "operator.wiralaga1",
        2,
        ["wages_unpaid", "wage_deductions"],
        reporter_relation="spouse",
        reporter_name="Samsul",
        narrative="Gaji empat bulan belum dibayar; potongan agensi sebelumnya tujuh bulan.",
        demand="Gaji dibayar penuh.",
    )
    services.case_verify(
        actor=head, case=case, occurred_on=_ago(1), note="Keluarga sudah didatangi."
    )

    # 4. Referred by Disnaker to BP3MI; the P3MI is named here and in other villages.
    case = _record(
        users,
        person[3],
        "operator.talangbatu",
        5,
        ["documents_withheld", "work_not_as_contracted"],
        reporter_relation="sibling",
        narrative="Paspor ditahan agensi; pekerjaan di pabrik berbeda dari kontrak.",
        party_kind="agency",
        party_name="PT Maju Jaya Abadi",
    )
    services.case_verify(actor=disnaker, case=case, occurred_on=_ago(4))
    services.case_refer(
        actor=disnaker,
        case=case,
        unit=Unit.BP3MI,
        occurred_on=_ago(3),
        note="Perlu koordinasi dengan KDEI Taipei.",
    )

    # 5. In handling at BP3MI and overdue: escalated to the national level.
    case = _record(
        users,
        person[4],
        "operator.talangbatu",
        45,
        ["lost_contact", "documents_withheld"],
        reporter_relation="parent",
        channel="letter",
        narrative="Tidak ada kabar sejak lima bulan. Agensi tidak menjawab telepon keluarga.",
        party_kind="agency",
        party_name="PT. Maju Jaya Abadi",
    )
    _into_handling(users, case, verified=44, referred=42, taken_up=40)
    story.case_attachment_add(
        actor=users["operator.talangbatu"],
        case=case,
        upload=SimpleUploadedFile("foto-paspor.png", PNG),
        description="Foto halaman paspor",
    )
    # BP3MI names KP2MI's desk officer to supervise: KP2MI reads this case, not the others.
    story.case_supervisor_set(actor=bp3mi, case=case, supervisor=kp2mi)

    # 6. Resolved: wages recovered; the same P3MI again, from a third village.
    case = _record(
        users,
        person[5],
        "operator.sidomulyo",
        30,
        ["wages_unpaid"],
        reporter_relation="spouse",
        narrative="Gaji lembur tidak dibayar selama setahun.",
        party_kind="agency",
        party_name="Maju Jaya Abadi, PT",
    )
    _into_handling(users, case, verified=29, taken_up=28)
    services.case_resolve(
        actor=disnaker,
        case=case,
        outcome=Outcome.RIGHTS_RECOVERED,
        amount=Decimal("18500000"),
        occurred_on=_ago(6),
        note="Mediasi dengan P3MI; gaji dibayar lewat transfer.",
    )
    # Held by Disnaker only: BP3MI reads it by breaking the glass, with its reason shown.
    story.case_emergency_read(
        actor=bp3mi,
        case=case,
        reason="Pemeriksaan pola P3MI PT Maju Jaya Abadi yang dilaporkan di tiga desa; "
        "perlu membaca kronologi untuk surat teguran.",
    )

    # 7. Closed: repatriated, the return recorded in the same step.
    case = _record(
        users,
        person[6],
        "operator.wiralaga1",
        25,
        ["deported", "undocumented"],
        reporter_relation="parent",
        narrative="Ditangkap karena izin tinggal habis; akan dideportasi.",
    )
    _into_handling(users, case, verified=24, referred=23, taken_up=22)
    services.case_resolve(
        actor=bp3mi,
        case=case,
        outcome=Outcome.REPATRIATED,
        occurred_on=_ago(12),
        record_return=True,
        note="Dijemput di Pelabuhan Tanjung Priok dan diantar ke desa.",
    )
    services.case_close(actor=bp3mi, case=case, occurred_on=_ago(2))

    # 8. Reopened: closed as mediated, the family came back.
    case = _record(
        users,
        person[7],
        "operator.sidomulyo",
        60,
        ["social_security"],
        reporter_relation="spouse",
        narrative="Klaim BPJS Ketenagakerjaan kecelakaan kerja ditolak.",
    )
    _into_handling(users, case, verified=59, taken_up=58)
    services.case_resolve(actor=disnaker, case=case, outcome=Outcome.MEDIATED, occurred_on=_ago(30))
    services.case_close(actor=disnaker, case=case, occurred_on=_ago(20))
    services.case_reopen(
        actor=disnaker,
        case=case,
        occurred_on=_ago(3),
        reason="Keluarga melapor klaim belum juga dibayar.",
    )

    # 9. Transferred from BP3MI to the mission abroad: urgent detention.
    case = _record(
        users,
        person[9],
        "disnaker.mesuji",
        8,
        ["detained"],
        reporter_kind="ngo",
        reporter_relation="",
        reporter_name="SBMI Lampung",
        channel="e_pengaduan",
        narrative="Ditahan polisi Malaysia dalam razia pekerja tanpa dokumen.",
        demand="Pendampingan hukum.",
    )
    _into_handling(users, case, verified=8, referred=7, taken_up=7)
    services.case_refer(
        actor=bp3mi,
        case=case,
        unit=Unit.MISSION,
        unit_detail="KBRI Kuala Lumpur",
        occurred_on=_ago(6),
        note="Permintaan pendampingan kekonsuleran.",
    )
    services.case_assign(actor=kp2mi, case=case, officer=kp2mi, occurred_on=_ago(5))

    # 10. Failed to depart: recorded by Disnaker, verified and overdue at the regency.
    case = _record(
        users,
        person[8],
        "disnaker.mesuji",
        12,
        ["failed_departure", "excessive_fees"],
        reporter_kind="worker",
        reporter_relation="",
        narrative="Sudah pelatihan dan medical, keberangkatan dibatalkan tanpa alasan.",
        party_kind="agency",
        party_name="PT Sinar Harapan Mandiri",
    )
    services.case_verify(actor=disnaker, case=case, occurred_on=_ago(11))

    services.cases_escalate()
