from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from lindung.api.services import api_token_create
from lindung.lib.errors import ApplicationError


class Command(BaseCommand):
    help = (
        "Make an API token for a user (it carries the user's role and area). The token is "
        "printed on the last line, once: only its digest is kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--days", type=int, default=None, help="Expire after N days.")
        parser.add_argument("--name", default="", help="What the token is for.")

    def handle(self, *args, username, days, name, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username}.")
        try:
            token, raw = api_token_create(actor=None, user=user, name=name, days=days)
        except ApplicationError as error:
            raise CommandError(str(error.message)) from None
        expiry = (
            f"expires {token.expires_at:%Y-%m-%d %H:%M} UTC"
            if token.expires_at
            else "never expires"
        )
        self.stdout.write(f"API token for {user.username} ({user.get_role_display()}), {expiry}:")
        self.stdout.write(raw)
