"""Demo API tokens with fixed, documented values (README), only in demo mode: seed_demo, which
runs this, refuses production settings. They let a person or a test try the API at once."""

from django.conf import settings

from lindung.accounts.models import User
from lindung.api.models import ApiToken
from lindung.api.services import api_token_create, token_prefix

# username → token. Public on purpose: the demo's data is synthetic and its passwords known.
DEMO_TOKENS = {
    "operator.wiralaga1": "lnd_demo000001_operator-wiralaga1-lindung-demo",
    "operator.sidomulyo": "lnd_demo000002_operator-sidomulyo-lindung-demo",
    "disnaker.mesuji": "lnd_demo000003_disnaker-mesuji-lindung-demo",
    "dpmd.mesuji": "lnd_demo000004_dpmd-mesuji-lindung-demo",
    "bp3mi.lampung": "lnd_demo000005_bp3mi-lampung-lindung-demo",
    "kp2mi": "lnd_demo000006_kp2mi-lindung-demo-token",
}


def seed(context: dict) -> None:
    if not settings.DEMO_MODE:
        return
    for username, raw in DEMO_TOKENS.items():
        user = User.objects.filter(username=username).first()
        if user is None or ApiToken.objects.filter(prefix=token_prefix(raw)).exists():
            continue
        api_token_create(actor=None, user=user, name="demo", raw=raw)
