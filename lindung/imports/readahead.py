"""Reading and parsing a file in a second process while this one writes what it has parsed.

An import spends about a third of its time reading cells and parsing them into values
(docs/performance.md, "Import"). None of that needs the database, so a forked reader process
does it a chunk ahead and sends each parsed chunk through a pipe. The pipe holds one chunk:
when the writer falls behind, the reader waits, and memory stays bounded by the chunk size in
both processes. Threads cannot do this (the parsing is pure Python and holds the interpreter
lock); a process can, and a forked one starts in milliseconds with the parser already built.

The reader touches no database connection (it only reads the file and runs pure Python), and
it ends with `os._exit`, so the connections it inherited are never closed or used. A process
is forked only where that is safe: by default only from a process with a single thread (the
`import_run` job and the `import_people` command), as a thread of a threaded server could hold
a lock at the moment of the fork. `IMPORTS_READ_AHEAD` says "auto" (that rule), "always" or
"never"; the test settings say "always", so the suite runs the path production runs.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.conf import settings

READER_NICENESS = 10


class ReaderFailed(RuntimeError):
    """The reader process stopped without saying why (killed) or with an unexpected error."""


def read_ahead_enabled() -> bool:
    """Whether `read_ahead` would fork a reader process here."""
    mode = settings.IMPORTS_READ_AHEAD
    if mode == "never" or not hasattr(os, "fork"):
        return False
    if mode == "always":
        return True
    return threading.active_count() == 1


@contextmanager
def read_ahead(produce: Callable[[], Iterator]) -> Iterator[Iterator]:
    """The items of `produce()`, made in a forked process while the caller uses them.

    Exceptions raised by `produce` are raised again here, in the caller's process, when the
    caller reaches the item where they happened (so a `FileProblem` halfway through a file
    arrives after the chunks read before it). Where forking is not safe or not enabled, the
    items are made in this process, with the same results.
    """
    if not read_ahead_enabled():
        yield produce()
        return
    context = multiprocessing.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    reader = context.Process(
        target=_reader_main, args=(produce, receiving, sending), name="lindung-import-reader"
    )
    reader.daemon = True  # never outlives an import process that ends
    try:
        reader.start()
    except OSError:  # no fork possible now (memory, process limit): read here instead
        receiving.close()
        sending.close()
        yield produce()
        return
    sending.close()
    try:
        yield _received(receiving, reader)
    finally:
        receiving.close()
        if reader.is_alive():
            reader.kill()  # the caller stopped early (an error while writing)
        reader.join()


def _reader_main(produce, receiving, sending) -> None:
    """The reader process: send every item, then the end, or the exception that stopped it."""
    receiving.close()
    # The writes are the import's critical path (with a PostgreSQL server process beside
    # them); the reader runs a chunk ahead and only needs what they leave of the processor.
    os.nice(READER_NICENESS)
    try:
        for item in produce():
            sending.send((True, item))
        message = (False, None)
    except BrokenPipeError:
        return  # the writer stopped listening: nothing left to do
    except BaseException as error:  # everything goes to the writer, which decides
        message = (False, _sendable(error))
    try:
        sending.send(message)
    except BrokenPipeError:
        pass
    finally:
        sending.close()


def _sendable(error: BaseException) -> BaseException:
    """The error itself when it survives pickling, else a ReaderFailed with its traceback."""
    try:
        pickle.loads(pickle.dumps(error))  # noqa: S301 - our own bytes
    except Exception:  # noqa: BLE001 - any error that cannot travel is described instead
        text = "".join(traceback.format_exception(error))
        return ReaderFailed(f"The import's reader process failed:\n{text}")
    error.__traceback__ = error.__context__ = error.__cause__ = None
    return error


def _received(receiving, reader) -> Iterator:
    while True:
        try:
            more, payload = receiving.recv()  # from our own reader, on a pipe only we hold
        except EOFError:
            reader.join()
            raise ReaderFailed(
                f"The import's reader process ended early (exit code {reader.exitcode})."
            ) from None
        if more:
            yield payload
        elif payload is None:
            return
        else:
            raise payload
