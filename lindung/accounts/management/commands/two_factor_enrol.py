from django.core.management.base import BaseCommand, CommandError

from lindung.accounts import two_factor
from lindung.accounts.models import User


class Command(BaseCommand):
    help = (
        "Enrol a user's authenticator without a code (a new phone, a lost phone, an automated "
        "test): prints the key for the authenticator app and ten recovery codes. Any earlier "
        "authenticator and recovery codes of the user stop working."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--key-hex", help="Use this key (40 hex digits) instead of a random one."
        )

    def handle(self, *args, username, key_hex=None, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        if key_hex is not None:
            try:
                if len(bytes.fromhex(key_hex)) < 10:
                    raise ValueError
            except ValueError:
                raise CommandError("--key-hex takes at least 20 hex digits.") from None
        device, codes = two_factor.two_factor_enrol_device(user=user, key_hex=key_hex)
        self.stdout.write(f"key (hex): {device.key}")
        self.stdout.write(f"key (base32, for the app): {two_factor.secret_base32(device)}")
        self.stdout.write(f"otpauth: {two_factor.config_url(device)}")
        self.stdout.write("recovery codes: " + " ".join(codes))
