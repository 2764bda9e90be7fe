"""Demo accounts for Kabupaten Mesuji: one per role, only outside production."""

from django.conf import settings

from lindung.accounts.models import Role, User
from lindung.accounts.services import user_create
from lindung.regions.models import Area

MESUJI = "18.11"
# (username, full name, role, area code, organisation)
DEMO_ACCOUNTS = [
    ("admin", "Administrator Pusat", Role.ADMIN, None, "KP2MI"),
    ("kp2mi", "Petugas KP2MI", Role.KP2MI, None, "KP2MI"),
    ("bp3mi.lampung", "Petugas BP3MI Lampung", Role.BP3MI, "18", "BP3MI Lampung"),
    ("disnaker.mesuji", "Petugas Disnaker Mesuji", Role.DISNAKER, MESUJI, "Disnaker Mesuji"),
    ("dpmd.mesuji", "Petugas DPMD Mesuji", Role.OPD, MESUJI, "DPMD Kabupaten Mesuji"),
    (
        "operator.wiralaga1",
        "Sri Wahyuni",
        Role.VILLAGE_OPERATOR,
        "18.11.01.2001",
        "Desa Wiralaga I",
    ),
    ("kades.wiralaga1", "Bambang Sutrisno", Role.VILLAGE_HEAD, "18.11.01.2001", "Desa Wiralaga I"),
    (
        "operator.sidomulyo",
        "Rini Astuti",
        Role.VILLAGE_OPERATOR,
        "18.11.01.2005",
        "Desa Sido Mulyo",
    ),
    ("kades.sidomulyo", "Suparman", Role.VILLAGE_HEAD, "18.11.01.2005", "Desa Sido Mulyo"),
    (
        "operator.talangbatu",
        "Dewi Lestari",
        Role.VILLAGE_OPERATOR,
        "18.11.02.2001",
        "Desa Talang Batu",
    ),
    ("kades.talangbatu", "Hasanudin", Role.VILLAGE_HEAD, "18.11.02.2001", "Desa Talang Batu"),
]


def demo_password() -> str:
    return settings.DEMO_PASSWORD


def seed(context: dict) -> None:
    """Create the demo accounts that do not exist yet."""
    users = {}
    for username, name, role, code, organisation in DEMO_ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            area = Area.objects.get(code=code) if code else None
            user = user_create(
                actor=None,
                username=username,
                password=demo_password(),
                role=role,
                jurisdiction=area,
                first_name=name,
                organisation=organisation,
            )
        users[username] = user
    context["users"] = users
