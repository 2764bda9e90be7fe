"""Demo regulations: the Perbup of Mesuji enacted, and a realistic mix of Perdes statuses
across Mesuji's 105 villages (a third still without even a draft: the regency's to-do list).
Talang Batu has none, so its operator can record one in the walkthrough."""

from datetime import timedelta

from django.utils import timezone

from lindung.regions.models import Area
from lindung.regulations import services
from lindung.regulations.models import Regulation

TO_DO_BY_HAND = "18.11.02.2001"  # Talang Batu
# Status by the village's position in the regency (fixed, so reruns are identical).
PATTERN = [
    "enacted",
    "discussed",
    "draft",
    None,
    "enacted",
    "draft",
    None,
    "enacted",
    "none",
    None,
    "discussed",
    "enacted",
    None,
    "draft",
    "enacted",
]


def seed(context: dict) -> None:
    """The Perbup and the villages' Perdes (once)."""
    if Regulation.objects.exists():
        return
    users = context["users"]
    today = timezone.localdate()
    services.regulation_create(
        actor=users["disnaker.mesuji"],
        area=Area.objects.get(code="18.11"),
        kind="perbup",
        status="enacted",
        title="Peraturan Bupati Mesuji tentang Pelindungan Pekerja Migran Indonesia",
        number="Nomor 12 Tahun 2026",
        enacted_on=today - timedelta(days=75),
        responsible_official="Kepala Bagian Hukum Setda Kabupaten Mesuji",
    )
    villages = Area.objects.filter(code__startswith="18.11.", level=4).order_by("code")
    own = {"18.11.01.2001": "operator.wiralaga1", "18.11.01.2005": "operator.sidomulyo"}
    for index, village in enumerate(villages):
        status = PATTERN[index % len(PATTERN)]
        if village.code == "18.11.01.2001":
            status = "enacted"
        elif village.code == "18.11.01.2005":
            status = "draft"
        elif village.code == TO_DO_BY_HAND:
            status = None
        if status is None:
            continue
        enacted = status == "enacted"
        services.regulation_create(
            actor=users[own.get(village.code, "dpmd.mesuji")],
            area=village,
            kind="perdes",
            status=status,
            title=f"Peraturan Desa {village.name} tentang Pelindungan PMI dan Keluarganya",
            number=f"Nomor {1 + index % 4} Tahun 2026" if enacted else "",
            enacted_on=today - timedelta(days=10 + index % 60) if enacted else None,
            responsible_official=f"Kepala Desa {village.name}",
        )
