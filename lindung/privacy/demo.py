"""Demo of Pelindungan Data Pribadi in Kabupaten Mesuji: subject requests in every state (new,
being handled and due soon, overdue and escalated, answered, refused because the law keeps the
data, refused for identity), an anonymised record, and breaches open, late and closed.

The requests are for the demo's own residents (serials 8001…), so restricting or anonymising
them never hides a person another app's demo or browser test looks for."""

from datetime import date, timedelta

from django.utils import timezone

from lindung.lib.nik import encode_nik
from lindung.placements import services as placement_services
from lindung.privacy import services
from lindung.privacy.models import Breach, SubjectRequest
from lindung.regions.models import Area
from lindung.registry.models import Person
from lindung.registry.services import family_member_add, person_create

WIRALAGA, SIDOMULYO = "18.11.01.2001", "18.11.01.2005"
OPERATORS = {WIRALAGA: "operator.wiralaga1", SIDOMULYO: "operator.sidomulyo"}

# name, sex, birth date, village, phone
RESIDENTS = [
    ("Ratna Dewi Sartika", "F", date(1990, 3, 14), WIRALAGA, "081277710001"),
    ("Marlina", "F", date(1993, 7, 2), WIRALAGA, ""),
    ("Supriyadi", "M", date(1986, 10, 9), SIDOMULYO, ""),
    ("Endang Susilawati", "F", date(1989, 12, 1), WIRALAGA, "081277710004"),
    ("Kartini", "F", date(1995, 5, 21), SIDOMULYO, ""),
    ("Tumini", "F", date(1984, 2, 27), WIRALAGA, ""),
    ("Heri Kurniawan", "M", date(1992, 8, 8), SIDOMULYO, ""),
    ("Yuni Astuti", "F", date(1997, 4, 4), WIRALAGA, ""),
]


def _resident(users, index: int) -> Person:
    name, sex, born, village, phone = RESIDENTS[index]
    nik = encode_nik(
        district_code=village.rsplit(".", 1)[0], birth_date=born, sex=sex, serial=8001 + index
    )
    return Person.objects.filter(nik=nik).first() or person_create(
        actor=users[OPERATORS[village]],
        nik=nik,
        full_name=name,
        sex=sex,
        birth_date=born,
        village=Area.objects.get(code=village),
        phone=phone,
        contact_consent=bool(phone),
        dusun="Sukamaju",
        rt="002",
        rw="001",
    )


def _ask(users, person, kind, hours_ago, **fields):
    return services.subject_request_create(
        actor=users[OPERATORS[person.village_id]],
        person=person,
        kind=kind,
        channel=fields.pop("channel", "village"),
        received_at=timezone.now() - timedelta(hours=hours_ago),
        **fields,
    )


def seed(context: dict) -> None:
    """Requests and breaches once; a second run finds them and stops."""
    if SubjectRequest.objects.exists() or Breach.objects.exists():
        return
    users = context["users"]
    people = [_resident(users, i) for i in range(len(RESIDENTS))]
    wiralaga, disnaker = users["operator.wiralaga1"], users["disnaker.mesuji"]

    # New: received this morning, the clock running.
    _ask(users, people[0], "access", 3, details="Ingin melihat semua data saya di desa.")

    # Being handled, due within 24 hours (the reminder has gone out).
    correction = _ask(
        users,
        people[1],
        "correct",
        55,
        details="Tempat lahir tertulis Mesuji, seharusnya Tulang Bawang.",
    )
    services.subject_request_start(actor=wiralaga, request=correction)

    # Overdue for two days: escalated beyond the village to the province.
    _ask(
        users,
        people[2],
        "access",
        24 * 5,
        channel="phone",
        requester_name="Warsih (istri)",
        details="Istri menanyakan data suaminya yang bekerja di Malaysia.",
    )

    # Answered: consent withdrawn, the phone number erased at once.
    family_member_add(
        actor=wiralaga,
        person=people[3],
        name="Slamet",
        relation="spouse",
        phone="081277710099",
        contact_consent=True,
    )
    withdrawal = _ask(users, people[3], "withdraw", 30)
    services.subject_request_complete(actor=wiralaga, request=withdrawal)

    # Answered: processing restricted (hidden from lists and exports).
    restriction = _ask(users, people[4], "restrict", 20, details="Tidak mau datanya dipakai.")
    services.subject_request_complete(actor=users["operator.sidomulyo"], request=restriction)

    # Refused because the law keeps the data: she is working abroad now.
    placement = placement_services.placement_create(
        actor=wiralaga,
        person=people[5],
        scheme="p2p",
        destination_country="HK",
        sector="informal",
        job="domestic_worker",
        agency_name="PT Sinar Jaya Abadi",
    )
    placement_services.placement_depart(
        actor=wiralaga, placement=placement, departed_on=timezone.localdate() - timedelta(days=200)
    )
    people[5].refresh_from_db()
    deletion = _ask(users, people[5], "delete", 40, requester_name="Tumini (lewat keluarga)")
    services.subject_request_complete(actor=wiralaga, request=deletion)

    # Answered: deleted, the record anonymised and its statistics kept.
    erasure = _ask(users, people[6], "delete", 26, channel="office")
    services.subject_request_complete(actor=disnaker, request=erasure)

    # Refused: the requester could not show who she is.
    refused = _ask(users, people[7], "access", 50, requester_name="Orang yang mengaku kakaknya")
    services.subject_request_refuse(
        actor=wiralaga,
        request=refused,
        answer="Pemohon tidak dapat menunjukkan KTP atau surat kuasa.",
    )

    now = timezone.now()
    # Breach, open: found yesterday, the persons told, the authority not yet.
    open_breach = services.breach_create(
        actor=disnaker,
        found_at=now - timedelta(hours=30),
        description="Rekap calon PMI Kecamatan Mesuji terkirim ke grup WhatsApp yang salah.",
        data_kinds="nama, NIK, desa, nomor telepon",
        affected_count=42,
        persons=people[:2],
    )
    services.breach_notify(
        actor=disnaker,
        breach=open_breach,
        whom="persons",
        notice="Surat dan pesan WhatsApp kepada 42 warga.",
    )
    # Breach, late: a village laptop lost four days ago, nobody notified yet.
    services.breach_create(
        actor=wiralaga,
        found_at=now - timedelta(days=4),
        description="Laptop operator desa hilang; berkas ekspor penduduk tersimpan di dalamnya.",
        data_kinds="nama, NIK, alamat",
        affected_count=310,
        mitigation="Sandi akun operator diganti.",
    )
    # Breach, closed: both notices sent within the 3×24 hours.
    closed = services.breach_create(
        actor=disnaker,
        found_at=now - timedelta(days=20),
        description="Daftar peserta pelatihan dengan NIK ditempel di papan pengumuman.",
        data_kinds="nama, NIK",
        affected_count=25,
    )
    services.breach_notify(
        actor=disnaker,
        breach=closed,
        whom="persons",
        notice="Diberitahukan langsung di kelas.",
        at=now - timedelta(days=19),
    )
    services.breach_notify(
        actor=disnaker,
        breach=closed,
        whom="authority",
        notice="Surat kepada lembaga PDP.",
        at=now - timedelta(days=18),
    )
    services.breach_close(actor=disnaker, breach=closed, mitigation="Daftar diturunkan.")

    # The clock: reminders and escalations, as the scheduled job would have done.
    services.privacy_deadlines_run()
