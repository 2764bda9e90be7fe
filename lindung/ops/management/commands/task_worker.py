"""A task worker: django-tasks-db's `db_worker`, plus a heartbeat that `/healthz` reads.

The heartbeat is written by a forked child process, not a thread, so the worker stays
single-threaded (an import forks its reader only from a single-threaded process); the child
stops when the worker does.
"""

import os
import signal
import socket
import sys
import time

from django.db import connections
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from lindung.ops.tasks import HEARTBEAT_EVERY, worker_beat


def _beat_forever(worker_id: str, parent: int, started_at) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C stops the worker; we follow it
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    while os.getppid() == parent:
        try:
            worker_beat(worker_id=worker_id, pid=parent, started_at=started_at)
        except Exception as error:  # noqa: BLE001 - a missed beat is logged, not fatal
            print(f"heartbeat failed: {error}", file=sys.stderr)
        finally:
            connections.close_all()
        time.sleep(HEARTBEAT_EVERY.total_seconds())
    os._exit(0)


class Command(DbWorkerCommand):
    help = "Run a task worker (imports, reports, scheduled jobs) with a heartbeat."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(worker_id=None, reload=False)

    def handle(self, *args, worker_id: str | None, **options):
        worker_id = worker_id or f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(6)}"
        connections.close_all()  # the child must not share the parent's connection
        parent = os.getpid()
        child = os.fork()
        if child == 0:
            _beat_forever(worker_id, parent, timezone.now())
        try:
            super().handle(*args, worker_id=worker_id, **options)
        finally:
            try:
                os.kill(child, signal.SIGTERM)
                os.waitpid(child, 0)
            except OSError:
                pass
