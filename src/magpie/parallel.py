"""Parallel coding on one machine: worker processes, each with its own Pipeline, results in input order.

    >>> from magpie.parallel import code_parallel
    >>> for item in code_parallel(read_inputs(["news/"]), Options(), workers=4):
    ...     ...                      # a coded Document or a Reject, in the order of the input

Input is consumed lazily (at most a few chunks per worker are in flight), so memory stays flat on
archives of any size. ``transform`` (a picklable top-level function ``f(doc, pipeline)``) runs in the
worker right after coding, so expensive per-document work (records, signatures) is parallel too and
only its (smaller) result crosses the process boundary.

A worker that dies (killed, out of memory, a crash in a C library) is noticed within a fraction of a
second: :func:`code_parallel` raises :class:`~magpie.errors.WorkerError` naming the process and the
signal, instead of waiting for ever for the chunk it held. Workers ignore Ctrl-C (the parent stops
them) and leave by themselves when the parent is gone.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from multiprocessing.connection import wait
from typing import Any, TypeVar

from .document import Document, Reject
from .errors import WorkerError
from .pipeline import Options, Pipeline

T = TypeVar("T")
Transform = Callable[[Document, Pipeline], Any]

CHUNK = 16  # documents per task sent to a worker
IN_FLIGHT = 3  # chunks queued per worker
POLL = 0.2  # seconds between checks that every worker is alive while results are awaited


def _code_one(pipeline: Pipeline, transform: Transform | None, item: Document | Reject) -> Any:
    coded = next(pipeline.run([item]))
    if transform is None or isinstance(coded, Reject):
        return coded
    try:
        return transform(coded, pipeline)
    except Exception as error:  # a failing transform rejects the document, never the run
        return Reject(coded.origin or coded.id, f"document {coded.id!r} could not be processed after coding "
                      f"({type(error).__name__}: {error})")


def _work(tasks: Any, results: Any, options: Options | None, transform: Transform | None) -> None:
    """A worker: code chunks from ``tasks`` until ``None``; send ``(index, results)`` on its own pipe ``results``.

    A failure of its own is sent as ``(-1, message)`` before it leaves."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops the workers
    threading.Thread(target=_orphaned, args=(os.getppid(),), daemon=True).start()
    try:
        pipeline = Pipeline(options)
        while (task := tasks.get()) is not None:
            index, chunk = task
            coded = [_code_one(pipeline, transform, item) for item in chunk]
            results.send_bytes(pickle.dumps((index, coded), protocol=pickle.HIGHEST_PROTOCOL))
    except BaseException as error:
        message = f"a coding worker (process {os.getpid()}) failed: {type(error).__name__}: {error}"
        results.send_bytes(pickle.dumps((-1, message)))


def _orphaned(parent: int) -> None:
    """Leave at once when the process that started this worker is gone (``kill -9``): nobody waits for the
    results, and the worker may be blocked on a pipe that no one will ever write to or read from again
    (the other workers hold its ends open), so only a watch in its own thread can end it."""
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:  # re-parented: the caller (or the forkserver that lives as long) is gone
            os._exit(0)


def workers_for(workers: int | None) -> int:
    """``None`` or 0: one worker per CPU; otherwise ``workers`` (at least 1)."""
    if not workers:
        return max(1, os.cpu_count() or 1)
    return max(1, workers)


def code_parallel(items: Iterable[Document | Reject], options: Options | None = None, workers: int | None = 1, *,
                  transform: Transform | None = None, pipeline: Pipeline | None = None,
                  chunk_size: int = CHUNK) -> Iterator[Any]:
    """Code ``items`` with ``workers`` processes; yield each result (Document, or ``transform``'s) or Reject.

    Results come back in input order. With one worker everything runs in this process (reusing
    ``pipeline`` when given). Rejects from the reader pass through unchanged, in their place. A worker
    that dies or fails raises :class:`~magpie.errors.WorkerError` (the others are stopped).
    """
    count = workers_for(workers)
    if count == 1:
        own = pipeline or Pipeline(options)
        for item in items:
            yield _code_one(own, transform, item)
        return
    context = multiprocessing.get_context()
    tasks = context.Queue()
    processes: list[Any] = []
    readers: list[Any] = []  # one result pipe per worker: when it dies, its pipe ends (no half-read message)
    try:
        for n in range(count):
            reader, writer = context.Pipe(duplex=False)
            process = context.Process(target=_work, args=(tasks, writer, options, transform), daemon=True,
                                      name=f"magpie-worker-{n + 1}")
            process.start()
            writer.close()  # the worker holds the only write end (workers started later never see it)
            processes.append(process)
            readers.append(reader)
        source = iter(items)
        sent = 0
        waiting: dict[int, list[Any]] = {}

        def submit() -> bool:
            nonlocal sent
            chunk = list(islice(source, chunk_size))
            if chunk:
                tasks.put((sent, chunk))
                sent += 1
            return bool(chunk)

        while sent < count * IN_FLIGHT and submit():
            pass
        done = 0
        while done < sent:
            while done not in waiting:
                waiting.update(_receive(readers, processes))
            coded = waiting.pop(done)
            done += 1
            submit()
            yield from coded
        for _ in processes:
            tasks.put(None)
        for process in processes:
            process.join(timeout=5)
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()
        for process in processes:
            process.join()
        tasks.cancel_join_thread()  # chunks never taken (the run stopped early) must not keep this process
        tasks.close()
        for reader in readers:
            reader.close()


def _receive(readers: list[Any], processes: list[Any]) -> dict[int, list[Any]]:
    """The results that have arrived, by chunk index (waiting for at least one); a WorkerError as soon as a
    worker has died (its pipe ends: end of file, even in the middle of a message) or failed."""
    arrived: dict[int, list[Any]] = {}
    while not arrived:
        for reader in wait(readers, timeout=POLL):
            process = processes[readers.index(reader)]
            try:
                index, payload = pickle.loads(reader.recv_bytes())
            except (EOFError, OSError):
                process.join(timeout=1)
                how = _how(process.exitcode) if process.exitcode is not None else "its pipe closed"
                raise WorkerError(f"a coding worker (process {process.pid}) died ({how}); the documents it held "
                                  f"were not coded") from None
            if index < 0:
                raise WorkerError(payload)
            arrived[index] = payload
        if not arrived:  # nothing ends a worker but None, sent after the last result: an exit now is a death
            for process, reader in zip(processes, readers, strict=True):
                if process.exitcode is not None and not reader.poll():
                    raise WorkerError(f"a coding worker (process {process.pid}) died ({_how(process.exitcode)}); "
                                      f"the documents it held were not coded")
    return arrived


def _how(exitcode: int) -> str:
    if exitcode < 0:
        try:
            return f"killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"killed by signal {-exitcode}"
    return f"exit status {exitcode}"
