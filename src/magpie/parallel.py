"""Parallel coding on one machine: worker processes, each with its own Pipeline, results in input order.

    >>> from magpie.parallel import code_parallel
    >>> for item in code_parallel(read_inputs(["news/"]), Options(), workers=4):
    ...     ...                      # a coded Document or a Reject, in the order of the input

Input is consumed lazily (at most a few chunks per worker are in flight), so memory stays flat on
archives of any size. ``transform`` (a picklable top-level function ``f(doc, pipeline)``) runs in the
worker right after coding, so expensive per-document work (records, signatures) is parallel too and
only its (smaller) result crosses the process boundary.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any, TypeVar

from .document import Document, Reject
from .pipeline import Options, Pipeline

T = TypeVar("T")
Transform = Callable[[Document, Pipeline], Any]

CHUNK = 16  # documents per task sent to a worker
IN_FLIGHT = 3  # chunks queued per worker

_worker_pipeline: Pipeline | None = None
_worker_transform: Transform | None = None


def _init_worker(options: Options | None, transform: Transform | None) -> None:
    global _worker_pipeline, _worker_transform
    _worker_pipeline = Pipeline(options)
    _worker_transform = transform


def _code_one(pipeline: Pipeline, transform: Transform | None, item: Document | Reject) -> Any:
    coded = next(pipeline.run([item]))
    if transform is None or isinstance(coded, Reject):
        return coded
    try:
        return transform(coded, pipeline)
    except Exception as error:  # a failing transform rejects the document, never the run
        return Reject(coded.origin or coded.id, f"document {coded.id!r} could not be processed after coding "
                      f"({type(error).__name__}: {error})")


def _code_chunk(chunk: list[Document | Reject]) -> list[Any]:
    assert _worker_pipeline is not None
    return [_code_one(_worker_pipeline, _worker_transform, item) for item in chunk]


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
    ``pipeline`` when given). Rejects from the reader pass through unchanged, in their place.
    """
    count = workers_for(workers)
    if count == 1:
        own = pipeline or Pipeline(options)
        for item in items:
            yield _code_one(own, transform, item)
        return
    context = multiprocessing.get_context()
    pool = context.Pool(count, initializer=_init_worker, initargs=(options, transform))
    try:
        source = iter(items)
        pending: deque[Any] = deque()

        def submit() -> bool:
            chunk = list(islice(source, chunk_size))
            if chunk:
                pending.append(pool.apply_async(_code_chunk, (chunk,)))
            return bool(chunk)

        while len(pending) < count * IN_FLIGHT and submit():
            pass
        while pending:
            results = pending.popleft().get()
            submit()
            yield from results
        pool.close()
    finally:
        pool.terminate()
        pool.join()
