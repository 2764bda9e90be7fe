"""Demo accounts for Kabupaten Mesuji: one per role, only outside production."""

from base64 import b32encode

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


# The one demo account with two-factor sign-in, and its fixed authenticator key (README): type
# DEMO_TOTP_SECRET into an authenticator app, or compute codes with django_otp.oath.totp.
DEMO_TOTP_USER = "dpmd.mesuji"
DEMO_TOTP_KEY_HEX = b"lindung-demo-2fa-key".hex()
DEMO_TOTP_SECRET = b32encode(bytes.fromhex(DEMO_TOTP_KEY_HEX)).decode()  # NRUW4ZDVNZTS2ZDF…


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
                is_demo=True,
            )
        users[username] = user
    context["users"] = users
    from lindung.accounts import two_factor

    if not two_factor.two_factor_enrolled(users[DEMO_TOTP_USER]):
        _, codes = two_factor.two_factor_enrol_device(
            user=users[DEMO_TOTP_USER], key_hex=DEMO_TOTP_KEY_HEX
        )
        context["demo_recovery_codes"] = codes
