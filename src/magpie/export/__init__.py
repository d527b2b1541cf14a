"""Export merged events from a store: GDELT 2.0 (events, mentions), PLOVER JSON, CSV, JSONL, Parquet or ICEWS.

    >>> from magpie.export import export
    >>> with magpie.open("magpie.db") as store:                         # doctest: +SKIP
    ...     export(store, "gdelt", "events.tsv", country="RUS", since="2017-11-01")

Every format streams (memory stays flat on large stores) and takes the filters of
:mod:`magpie.store.query`.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from ..errors import ExportError
from .countries import CHOICES, cameo_to_iso, default_for, to_cameo

if TYPE_CHECKING:
    from ..store import Store

FORMATS = ("gdelt", "mentions", "plover", "csv", "jsonl", "parquet", "icews")


@dataclass
class ExportStats:
    events: int = 0  # records written
    skipped: int = 0  # events a format cannot represent (PLOVER: codes without a PLOVER category)


class _Events:
    """The records of one export: the store's merged events, filtered, with the chosen country codes."""

    def __init__(self, store: Store, filters: dict[str, Any], country_codes: str) -> None:
        self.store, self.filters, self.cameo = store, filters, country_codes == "cameo"

    def __call__(self, mentions: bool = False) -> Iterator[dict[str, Any]]:
        records = self.store.iter_events(mentions=mentions, **self.filters)
        return map(to_cameo, records) if self.cameo else records


def export(store: Store, fmt: str, out: str | Path | TextIO | None = None, *, country_codes: str | None = None,
           **filters: Any) -> ExportStats:
    """Write the merged events matching ``filters`` to ``out`` (a path, a text stream, or None: stdout).

    ``country_codes``: ``iso`` (ISO 3166 alpha-3, as stored) or ``cameo`` (the CAMEO lookup's codes: ROM, MTN,
    TMP, IMY where they differ); by default ``cameo`` for GDELT, ``iso`` for the other formats. A ``country``
    filter may be given in either.
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}: expected one of {', '.join(FORMATS)}")
    country_codes = country_codes or default_for(fmt)
    if country_codes not in CHOICES:
        raise ExportError(f"country codes {country_codes!r}: expected one of {', '.join(CHOICES)}")
    if filters.get("country"):
        filters["country"] = cameo_to_iso(filters["country"])
    events = _Events(store, filters, country_codes)
    if fmt == "parquet":
        if out is None or not isinstance(out, str | Path) or str(out) == "-":
            raise ExportError("parquet is binary: give an output file (-o events.parquet)")
        from .tabular import write_parquet

        return ExportStats(events=write_parquet(events(), out))
    if out is None or str(out) == "-":
        return _write_text(events, fmt, sys.stdout)
    if isinstance(out, str | Path):
        try:
            with open(out, "w", encoding="utf-8", newline="") as handle:
                return _write_text(events, fmt, handle)
        except OSError as error:
            raise ExportError(f"{out}: cannot write ({error.strerror})") from error
    return _write_text(events, fmt, out)


def _write_text(events: _Events, fmt: str, out: TextIO) -> ExportStats:
    stats = ExportStats()
    if fmt == "csv":
        from .tabular import write_csv

        stats.events = write_csv(events(), out)
        return stats
    if fmt == "gdelt":
        from .gdelt import line

        for record in events():
            out.write(line(record))
            stats.events += 1
        return stats
    if fmt == "mentions":
        from .mentions import mention_rows

        for fields in mention_rows(events.store, events.filters):
            out.write("\t".join(fields) + "\n")
            stats.events += 1
        return stats
    if fmt == "icews":
        import csv

        from ..lexicon import default_lexicon
        from .mentions import ICEWS_COLUMNS, SentenceNumbers, icews_row

        lexicon = default_lexicon()
        sentence = SentenceNumbers(events.store)
        writer = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(ICEWS_COLUMNS)
        for record in events():
            evidence = record.get("evidence")
            number = sentence(record["doc_id"], evidence["start"]) if evidence else None
            writer.writerow(icews_row(record, lexicon.event_info(record["code"]).name, number))
            stats.events += 1
        return stats
    if fmt == "plover":
        from .. import __version__
        from .plover import record as plover_record

        coder = f"magpie {__version__}"
        for record in events():
            converted = plover_record(record, coder)
            if converted is None:
                stats.skipped += 1
                continue
            out.write(json.dumps(converted, ensure_ascii=False) + "\n")
            stats.events += 1
        return stats
    for record in events(mentions=True):  # jsonl
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        stats.events += 1
    return stats
