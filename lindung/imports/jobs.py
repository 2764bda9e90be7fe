"""Running a started import away from the web request.

A 100,000-row file takes longer than a proxy waits for a page, so the view starts
`manage.py import_run <id>` as a separate process and the page polls a small JSON status
endpoint. A process rather than a thread: it survives the web worker being recycled, keeps the
worker's memory flat, and needs no queue service (no Redis). Each chunk commits with the
batch's progress and resume point, so a killed process leaves an exact, resumable record.
Tests and single-process setups run the job inline instead (`IMPORTS_RUN_INLINE`), as an
in-memory test database cannot be shared with another process.
"""

import subprocess
import sys

from django.conf import settings

from lindung.imports.models import ImportBatch


def run_inline() -> bool:
    return getattr(settings, "IMPORTS_RUN_INLINE", settings.ENVIRONMENT == "test")


def import_launch(batch: ImportBatch) -> None:
    """Run the started import: inline when configured so, else in a detached process."""
    if run_inline():
        from lindung.imports.services import import_execute

        import_execute(batch=batch)
        return
    manage = settings.BASE_DIR / "manage.py"
    subprocess.Popen(  # noqa: S603 - fixed arguments, no shell
        [sys.executable, str(manage), "import_run", str(batch.pk)],
        cwd=str(settings.BASE_DIR),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
