"""Demo of Pelindungan Data Pribadi in Kabupaten Mesuji: subject requests in every state (new,
being handled and due soon, overdue and escalated, answered, refused because the law keeps the
data, refused for identity), an anonymised record, and breaches open, late and closed.

The requests are for the demo's own residents (serials 8001…), so restricting or anonymising
them never hides a person another app's demo or browser test looks for."""

from datetime import date, timedelta

from django.utils import timezone

from lindung.placements.demo import send_abroad
from lindung.privacy import breaches, services
from lindung.privacy.models import Breach, SubjectRequest
from lindung.registry.demo import demo_person
from lindung.registry.models import Person
from lindung.registry.services import family_member_add

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
# Breaches: who records it, found how long ago, what happened, which data, how many persons
# and how many of the residents above are named, the mitigation, the notices (to whom, what,
# how long ago; None: now) and, for a closed one, its closing mitigation.
BREACHES = [
    # Open: found yesterday, the persons told, the authority not yet.
    ("disnaker.mesuji", timedelta(hours=30),
     "Rekap calon PMI Kecamatan Mesuji terkirim ke grup WhatsApp yang salah.",
     "nama, NIK, desa, nomor telepon", 42, 2, "",
     [("persons", "Surat dan pesan WhatsApp kepada 42 warga.", None)], None),
    # Late: a village laptop lost four days ago, nobody notified yet.
    ("operator.wiralaga1", timedelta(days=4),
     "Laptop operator desa hilang; berkas ekspor penduduk tersimpan di dalamnya.",
     "nama, NIK, alamat", 310, 0, "Sandi akun operator diganti.", [], None),
    # Closed: both notices sent within the 3×24 hours.
    ("disnaker.mesuji", timedelta(days=20),
     "Daftar peserta pelatihan dengan NIK ditempel di papan pengumuman.", "nama, NIK", 25, 0, "",
     [("persons", "Diberitahukan langsung di kelas.", timedelta(days=19)),
      ("authority", "Surat kepada lembaga PDP.", timedelta(days=18))], "Daftar diturunkan."),
]  # fmt: skip


def _resident(users, index: int) -> Person:
    name, sex, born, village, phone = RESIDENTS[index]
    return demo_person(
        users[OPERATORS[village]],
        name=name,
        sex=sex,
        born=born,
        village=village,
        serial=8001 + index,
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
    send_abroad(
        wiralaga,
        people[5],
        country="HK",
        departed_on=timezone.localdate() - timedelta(days=200),
        agency_name="PT Sinar Jaya Abadi",
    )
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
    for user, found, description, kinds, count, named, mitigation, notices, ending in BREACHES:
        breach = breaches.breach_create(
            actor=users[user],
            found_at=now - found,
            description=description,
            data_kinds=kinds,
            affected_count=count,
            persons=people[:named],
            mitigation=mitigation,
        )
        for whom, notice, ago in notices:
            breaches.breach_notify(
                actor=users[user],
                breach=breach,
                whom=whom,
                notice=notice,
                at=None if ago is None else now - ago,
            )
        if ending is not None:
            breaches.breach_close(actor=users[user], breach=breach, mitigation=ending)

    # The clock: reminders and escalations, as the scheduled job would have done.
    services.privacy_deadlines_run()
