"""A steady writer for the backup test: registers residents with a departure through the real
services (rows and dashboard counters in one transaction each) until a stop file appears.
Run as `manage.py shell -c "from lindung.ops.tests.writer import run; run(PATH, START)"`."""

import time
from datetime import date
from pathlib import Path

from lindung.accounts.models import Role, User
from lindung.accounts.services import user_create
from lindung.regions.models import Area
from lindung.registry.tests.factories import make_person, open_episode

VILLAGE = "18.11.01.2001"


def actor():
    user = User.objects.filter(username="writer.wiralaga1").first()
    return user or user_create(
        actor=None,
        username="writer.wiralaga1",
        password="a-long-test-password-91",
        role=Role.VILLAGE_OPERATOR,
        jurisdiction=Area.objects.get(code=VILLAGE),
    )


def run(stop_file: str, start: int, limit: int = 5000) -> None:
    operator = actor()
    born = date(1996, 4, 11)
    for serial in range(start, start + limit):
        if Path(stop_file).exists():
            return
        person = make_person(
            operator, name=f"Sintetis {serial}", birth=born, village=VILLAGE, serial=serial
        )
        open_episode(operator, person)
        time.sleep(0.005)
