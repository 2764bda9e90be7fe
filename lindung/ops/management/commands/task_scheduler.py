import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from lindung.ops.tasks import SCHEDULE, SCHEDULER_TICK, schedule_tick, tasks_reap_dead


class Command(BaseCommand):
    help = (
        "Enqueue the periodic jobs when they are due and mark the tasks of dead workers as "
        "failed, every 30 s (lindung/ops/tasks.py SCHEDULE); --once for a single pass."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true")

    def handle(self, *args, once: bool, **options):
        running = True

        def stop(*_):
            nonlocal running
            running = False

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        if not once:
            for job in SCHEDULE:
                self.stdout.write(f"{job.name}: every {job.every}")
        while running:
            close_old_connections()
            due = schedule_tick()
            reaped = tasks_reap_dead()
            if once:
                self.stdout.write(f"enqueued: {', '.join(due) or 'none'}; dead tasks: {reaped}")
                return
            for _ in range(SCHEDULER_TICK):
                if not running:
                    break
                time.sleep(1)
