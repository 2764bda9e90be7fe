"""`make serve`: gunicorn, the task workers and the scheduler, supervised by one process.

Each child runs in its own process group. A child that stops is started again (after a pause
that grows while it keeps failing); one that stops within seconds of its first start means the
setup is wrong (a port in use, a bad setting), so everything is stopped and the command fails.
Ctrl+C, SIGTERM or SIGHUP stop all children together: SIGTERM first (gunicorn and the workers
finish what they are doing), SIGKILL after STOP_TIMEOUT.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

STOP_TIMEOUT = 20  # seconds
STARTUP_GRACE = 5  # a child that dies sooner after its first start is a setup error


def default_web_workers() -> int:
    """Gunicorn's rule of thumb, 2 × cores + 1, capped at 9 (each is a full Django process)."""
    return min(2 * (os.cpu_count() or 1) + 1, 9)


@dataclass
class Child:
    name: str
    argv: list[str]
    process: subprocess.Popen | None = None
    started: float = 0.0
    starts: int = 0
    failures: int = 0
    restart_at: float | None = field(default=None)


class Command(BaseCommand):
    help = (
        "Serve Lindung in production style: gunicorn (WhiteNoise static files), TASK_WORKERS "
        "task workers and the scheduler, stopped together by Ctrl+C."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT") or 8000))
        parser.add_argument(
            "--bind",
            default=os.environ.get("BIND_ADDRESS", "127.0.0.1"),
            help="address to listen on (production only; the demo always listens on 127.0.0.1)",
        )
        parser.add_argument(
            "--web-workers",
            type=int,
            default=int(os.environ.get("WEB_CONCURRENCY") or default_web_workers()),
        )
        parser.add_argument("--task-workers", type=int, default=settings.TASK_WORKERS)
        parser.add_argument(
            "--runserver",
            action="store_true",
            help="Django's development server instead of gunicorn (`make run`)",
        )

    def children(self, *, port, bind, web_workers, task_workers, runserver) -> list[Child]:
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        host = bind if settings.PRODUCTION else "127.0.0.1"
        if runserver:
            web = [*manage, "runserver", f"{host}:{port}"]  # reloads on code changes
        else:
            web = [
                sys.executable,
                "-m",
                "gunicorn",
                "lindung.wsgi",
                "--bind",
                f"{host}:{port}",
                "--workers",
                str(web_workers),
                "--worker-tmp-dir",
                "/dev/shm" if os.path.isdir("/dev/shm") else "/tmp",  # noqa: S108
                "--timeout",
                "120",
                "--graceful-timeout",
                str(STOP_TIMEOUT - 5),
                "--max-requests",
                "2000",
                "--max-requests-jitter",
                "200",
                "--forwarded-allow-ips",
                os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
            ]
        children = [Child("web", web)]
        for number in range(1, task_workers + 1):
            children.append(
                Child(f"worker-{number}", [*manage, "task_worker", "--no-startup-delay"])
            )
        children.append(Child("scheduler", [*manage, "task_scheduler"]))
        return children

    def handle(self, *args, port, bind, web_workers, task_workers, runserver, **options):
        if task_workers < 1:
            raise CommandError("At least one task worker is needed (imports run in it).")
        if not runserver:
            # DEBUG is off in every environment, and static files carry hashed names (the
            # Makefile collects them first with the same settings).
            os.environ["DEBUG"] = "false"
            os.environ["STATIC_HASHED"] = "true"
            os.environ.setdefault("REQUEST_LOG_LEVEL", "INFO")
            manifest = settings.STATIC_ROOT / "staticfiles.json"
            if not manifest.exists():
                raise CommandError(
                    f"No {manifest}: run `STATIC_HASHED=true manage.py collectstatic` first "
                    "(`make serve` does)."
                )
        children = self.children(
            port=port,
            bind=bind,
            web_workers=web_workers,
            task_workers=task_workers,
            runserver=runserver,
        )
        stopping = []

        def stop(signum, frame):
            stopping.append(signum)

        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, stop)
        self.stdout.write(
            f"Lindung serves http://{bind if settings.PRODUCTION else '127.0.0.1'}:{port} "
            f"with {'runserver' if runserver else f'gunicorn ({web_workers} workers)'}, "
            f"{task_workers} task worker(s) and the scheduler; Ctrl+C stops them all."
        )
        failed = False
        try:
            for child in children:
                self.start(child)
            while not stopping:
                time.sleep(0.5)
                for child in children:
                    if child.process is not None and child.process.poll() is not None:
                        code = child.process.returncode
                        child.process = None
                        if child.starts == 1 and time.monotonic() - child.started < STARTUP_GRACE:
                            self.stderr.write(f"{child.name} stopped at start (exit {code}).")
                            failed = True
                            stopping.append(0)
                            break
                        child.failures += 1
                        delay = min(60, 2**child.failures)
                        self.stderr.write(f"{child.name} stopped (exit {code}); again in {delay} s")
                        child.restart_at = time.monotonic() + delay
                    elif child.process is None and child.restart_at is not None:
                        if time.monotonic() >= child.restart_at:
                            self.start(child)
                    elif child.process is not None and time.monotonic() - child.started > 60:
                        child.failures = 0
        finally:
            self.stop_all(children)
        if failed:
            raise CommandError("A process could not start; see the lines above.")

    def start(self, child: Child) -> None:
        child.process = subprocess.Popen(child.argv, cwd=settings.BASE_DIR, start_new_session=True)  # noqa: S603
        child.started = time.monotonic()
        child.starts += 1
        child.restart_at = None

    def stop_all(self, children: list[Child]) -> None:
        running = [c for c in children if c.process is not None and c.process.poll() is None]
        for child in running:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.process.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT
        for child in running:
            try:
                child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(child.process.pid, signal.SIGKILL)
                child.process.wait()
        self.stdout.write("Lindung stopped.")
