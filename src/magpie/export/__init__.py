"""Export merged events from a store: GDELT 2.0, PLOVER JSON, CSV, JSONL or Parquet.

    >>> from magpie.export import export
    >>> with magpie.open("magpie.db") as store:                         # doctest: +SKIP
    ...     export(store, "gdelt", "events.tsv", country="RUS", since="2017-11-01")

Every format streams (memory stays flat on large stores) and takes the filters of
:mod:`magpie.store.query`.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from ..errors import ExportError

if TYPE_CHECKING:
    from ..store import Store

FORMATS = ("gdelt", "plover", "csv", "jsonl", "parquet")


@dataclass
class ExportStats:
    events: int = 0  # records written
    skipped: int = 0  # events a format cannot represent (PLOVER: codes without a PLOVER category)


def export(store: Store, fmt: str, out: str | Path | TextIO | None = None, **filters: Any) -> ExportStats:
    """Write the merged events matching ``filters`` to ``out`` (a path, a text stream, or None: stdout)."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}: expected one of {', '.join(FORMATS)}")
    if fmt == "parquet":
        if out is None or not isinstance(out, str | Path) or str(out) == "-":
            raise ExportError("parquet is binary: give an output file (-o events.parquet)")
        from .tabular import write_parquet

        return ExportStats(events=write_parquet(store.iter_events(mentions=False, **filters), out))
    if out is None or str(out) == "-":
        return _write_text(store, fmt, sys.stdout, filters)
    if isinstance(out, str | Path):
        try:
            with open(out, "w", encoding="utf-8", newline="") as handle:
                return _write_text(store, fmt, handle, filters)
        except OSError as error:
            raise ExportError(f"{out}: cannot write ({error.strerror})") from error
    return _write_text(store, fmt, out, filters)


def _write_text(store: Store, fmt: str, out: TextIO, filters: dict[str, Any]) -> ExportStats:
    stats = ExportStats()
    if fmt == "csv":
        from .tabular import write_csv

        stats.events = write_csv(store.iter_events(mentions=False, **filters), out)
        return stats
    if fmt == "gdelt":
        from .gdelt import line

        for record in store.iter_events(mentions=False, **filters):
            out.write(line(record))
            stats.events += 1
        return stats
    if fmt == "plover":
        from .. import __version__
        from .plover import record as plover_record

        coder = f"magpie {__version__}"
        for record in store.iter_events(mentions=False, **filters):
            converted = plover_record(record, coder)
            if converted is None:
                stats.skipped += 1
                continue
            out.write(json.dumps(converted, ensure_ascii=False) + "\n")
            stats.events += 1
        return stats
    for record in store.iter_events(mentions=True, **filters):  # jsonl
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        stats.events += 1
    return stats
