"""Demo outreach in Kabupaten Mesuji: information sessions in many villages through every
channel, a regency radio spot, a shared multi-village session with its material, and
announcements (vacancies, warnings, hotlines) for the public village pages, one expired."""

from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lindung.outreach import services
from lindung.outreach.models import Announcement, Channel, OutreachSession, Topic
from lindung.regions.models import Area

ORGANISERS = [
    ("opd", "Disnaker Kabupaten Mesuji"),
    ("opd", "DPMD Kabupaten Mesuji"),
    ("community", "Fatayat NU Mesuji"),
    ("community", "Karang Taruna"),
    ("village", "Pemerintah Desa"),
    ("bp3mi", "BP3MI Lampung"),
]
# A regency radio dialogue, then a session at Wiralaga I that Wiralaga II's residents attended
# too (the last one, which gets the leaflet): days ago, area, other villages, organiser kind and
# name, channel, topics, men, women, note.
GATHERINGS = [
    (45, "18.11", [], "opd", "Disnaker Kabupaten Mesuji bersama RRI", "radio",
     ["costs", "trafficking", "complaints", "p3mi"], 150, 180,
     "Dialog interaktif 60 menit; jumlah pendengar perkiraan."),
    (14, "18.11.01.2001", ["18.11.01.2002"], "village", "Pemerintah Desa Wiralaga I", "worship",
     ["rights", "procedure", "costs", "trafficking"], 34, 41,
     "Setelah pengajian rutin; dihadiri juga warga Wiralaga II."),
]  # fmt: skip
# A tiny valid PDF, standing in for the leaflet of the safe-migration campaign.
LEAFLET = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _ago(days: int) -> date:
    return timezone.localdate() - timedelta(days=days)


def _sessions(users) -> None:
    disnaker = users["disnaker.mesuji"]
    villages = list(Area.objects.filter(code__startswith="18.11.", level=4).order_by("code"))
    channels = list(Channel.values)
    topics = list(Topic.values)
    # Roughly two villages in five hold a session; the pattern is fixed so reruns match.
    for index, village in enumerate(villages):
        if index % 5 not in (0, 2) and village.code not in ("18.11.01.2001", "18.11.01.2005"):
            continue
        kind, name = ORGANISERS[index % len(ORGANISERS)]
        if kind == "village":
            name = f"Pemerintah {village.title}"
        services.session_create(
            actor=disnaker,
            held_on=_ago(10 + (index * 11) % 300),
            area=village,
            organiser_kind=kind,
            organiser_name=name,
            channel=channels[index % len(channels)],
            topics=[topics[index % 8], topics[(index + 3) % 8], "complaints"],
            attendees_male=8 + (index * 7) % 30,
            attendees_female=12 + (index * 5) % 35,
        )
    held = [
        services.session_create(
            actor=disnaker,
            held_on=_ago(days),
            area=Area.objects.get(code=code),
            villages=[Area.objects.get(code=other) for other in others],
            organiser_kind=kind,
            organiser_name=name,
            channel=channel,
            topics=subjects,
            attendees_male=men,
            attendees_female=women,
            note=note,
        )
        for days, code, others, kind, name, channel, subjects, men, women, note in GATHERINGS
    ]
    services.material_add(
        actor=disnaker,
        session=held[-1],
        title="Leaflet Migrasi Aman",
        file=SimpleUploadedFile("leaflet-migrasi-aman.pdf", LEAFLET),
    )


def _announcements(users) -> None:
    today = timezone.localdate()
    mesuji = Area.objects.get(code="18.11")
    lampung = Area.objects.get(code="18")
    rows = [
        (
            users["kp2mi"],
            None,
            "hotline",
            "Layanan Pengaduan KP2MI",
            "Call center bebas pulsa 0800-1000. Pengaduan juga dapat disampaikan langsung ke "
            "kantor BP3MI terdekat. (Data demo: periksa nomor resmi sebelum dipakai.)",
            "",
        ),
        (
            users["bp3mi.lampung"],
            lampung,
            "hotline",
            "BP3MI Lampung",
            "Jl. Za. Pagar Alam, Bandar Lampung. Layanan pengaduan pada jam kerja. (Data demo.)",
            "",
        ),
        (
            users["disnaker.mesuji"],
            mesuji,
            "hotline",
            "Disnaker Kabupaten Mesuji",
            "Kompleks Perkantoran Pemkab Mesuji, Wiralaga Mulya. Layanan informasi dan "
            "pendaftaran calon PMI, Senin–Jumat. (Data demo.)",
            "",
        ),
        (
            users["disnaker.mesuji"],
            mesuji,
            "vacancy",
            "Lowongan Caregiver ke Jepang (SSW)",
            "Dibuka 20 lowongan caregiver untuk Jepang melalui P3MI berizin. Syarat: usia "
            "19–35 tahun, lulus SMA, sehat. Daftar di Disnaker Mesuji, tanpa biaya calo.",
            "Job order SISKOP2MI, diverifikasi Disnaker Mesuji",
        ),
        (
            users["disnaker.mesuji"],
            mesuji,
            "warning",
            "Waspada perekrut tanpa izin",
            "Ada orang yang menawarkan kerja ke Malaysia dengan visa turis dan meminta uang. "
            "Itu bukan jalur resmi. Laporkan ke kepala desa atau Disnaker.",
            "Disnaker Mesuji",
        ),
        (
            users["operator.wiralaga1"],
            Area.objects.get(code="18.11.01.2001"),
            "other",
            "Konsultasi migrasi aman di kantor desa",
            "Setiap Kamis pukul 09.00–12.00 operator desa membantu pendataan dan "
            "kelengkapan dokumen calon PMI.",
            "",
        ),
    ]
    for actor, area, kind, title, body, source in rows:
        services.announcement_create(
            actor=actor,
            area=area,
            kind=kind,
            title=title,
            body=body,
            source=source,
            valid_from=today - timedelta(days=30),
            valid_until=today + timedelta(days=60) if kind == "vacancy" else None,
        )
    services.announcement_create(
        actor=users["disnaker.mesuji"],
        area=mesuji,
        kind="vacancy",
        title="Lowongan pekerja pabrik Taiwan (sudah ditutup)",
        body="Lowongan ini sudah ditutup.",
        source="Job order SISKOP2MI",
        valid_from=today - timedelta(days=120),
        valid_until=today - timedelta(days=60),
    )


def seed(context: dict) -> None:
    """Sessions and announcements (once)."""
    users = context["users"]
    if not OutreachSession.objects.exists():
        _sessions(users)
    if not Announcement.objects.exists():
        _announcements(users)
