"""One ingest at a time per store: runs are serialised by a lock file beside the database.

SQLite serialises transactions, but two ``magpie ingest`` runs into one store would interleave
their batches, and merging (greedy, against the events already stored) would then depend on that
interleaving. With this lock the second run waits until the first has finished, so concurrent runs
give exactly the store of the same runs one after the other. ``flock`` on ``DB.ingest-lock``: the
kernel releases it when the holder exits, even after ``kill -9``; the file itself stays (empty or
holding the last holder's process id) and may be deleted when no ingest runs. Where ``fcntl`` is
missing (Windows) or the file cannot be made, runs are not serialised beyond SQLite's own locking.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

SUFFIX = ".ingest-lock"


@contextlib.contextmanager
def ingest_lock(db: str, on_wait: Callable[[int | None], None] | None = None) -> Iterator[None]:
    """Hold the store's ingest lock for the block; ``on_wait(pid)`` once if another run holds it (then wait)."""
    if db == ":memory:" or fcntl is None:
        yield
        return
    try:
        handle = open(db + SUFFIX, "a+", encoding="ascii")  # closed by the with below
    except OSError:  # a read-only folder: SQLite will say what it thinks of writing there
        yield
        return
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait is not None:
                on_wait(_holder(handle))
            fcntl.flock(handle, fcntl.LOCK_EX)  # waits; Ctrl-C still interrupts it
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()


def _holder(handle: object) -> int | None:
    try:
        handle.seek(0)  # type: ignore[attr-defined]
        return int(handle.read().strip())  # type: ignore[attr-defined]
    except (OSError, ValueError):
        return None
