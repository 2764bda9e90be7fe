import getpass
import sys

from django.core.management.base import BaseCommand, CommandError

from lindung.accounts.models import Role
from lindung.accounts.services import user_create
from lindung.lib.errors import ApplicationError
from lindung.regions.models import Area


class Command(BaseCommand):
    help = (
        "Create an account (the first administrator of a new installation, or any other). "
        "The password is asked twice, or read from the first line of standard input when it "
        "is not a terminal; the creation is audited."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--area", help="Kemendagri code of the area of work (not national)")
        parser.add_argument("--name", default="", help="full name")
        parser.add_argument("--email", default="")

    def handle(self, *args, username, role, area, name, email, **options):
        jurisdiction = None
        if area:
            jurisdiction = Area.objects.filter(code=area).first()
            if jurisdiction is None:
                raise CommandError(f"No area {area} (run load_regions first?).")
        if sys.stdin.isatty():
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The passwords differ.")
        else:
            password = sys.stdin.readline().rstrip("\n")
        try:
            user = user_create(
                actor=None,
                username=username,
                password=password,
                role=role,
                jurisdiction=jurisdiction,
                first_name=name,
                email=email,
            )
        except ApplicationError as error:
            raise CommandError(str(error.message))
        self.stdout.write(f"Created {user.username} ({user.get_role_display()}).")
