"""``magpie ingest`` and ``magpie export``: the store's commands (this module prints).

``magpie.cli`` adds them with :func:`add_parsers` and runs them with :func:`run`; ``python -m
magpie.store.cli`` runs them on their own.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ..document import Reject
from ..errors import MagpieError, OptionsError
from ..progress import Bar
from ..read import SUFFIXES

if TYPE_CHECKING:
    from .ingest import IngestStats

COMMANDS = ("ingest", "export")
EXIT_OK, EXIT_REJECTS, EXIT_USAGE = 0, 1, 2


def add_parsers(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``ingest`` and ``export`` subcommands to ``magpie``'s subparsers."""
    ingest = subparsers.add_parser(
        "ingest", help="code articles into an SQLite event store",
        description="Code articles (.txt, .jsonl, .html files or folders; - for JSONL on standard input) into an "
                    "SQLite store: documents, merged events, mentions, actors, rejects. Idempotent and resumable: "
                    "documents already stored are skipped; an interrupted run keeps every committed batch.")
    ingest.add_argument("inputs", nargs="+", metavar="INPUT")
    ingest.add_argument("--db", default="magpie.db", help="the store (created if missing; default magpie.db)")
    ingest.add_argument("--workers", "-j", type=int, default=1, metavar="N",
                        help="code in N processes (0: one per CPU; default 1)")
    ingest.add_argument("--batch-size", type=int, default=200, metavar="N",
                        help="documents per transaction (default 200)")
    ingest.add_argument("--near-duplicate", type=float, default=None, metavar="J",
                        help="estimated Jaccard similarity from which an article is a near-duplicate (default 0.7)")
    _coding(ingest)

    export = subparsers.add_parser(
        "export", help="export merged events from a store",
        description="Write the store's merged events as GDELT 2.0 (61 tab-separated columns, no header), the GDELT "
                    "2.0 Mentions table, PLOVER JSON lines, CSV, JSONL (with every mention), Parquet or an "
                    "ICEWS-style TSV.")
    export.add_argument("--db", default="magpie.db", help="the store (default magpie.db)")
    export.add_argument("--format", "-f", choices=("gdelt", "mentions", "plover", "csv", "jsonl", "parquet", "icews"),
                        default="jsonl",
                        help="gdelt: GDELT 2.0 events; mentions: GDELT 2.0 mentions (one row per mention); icews: "
                             "ICEWS-style TSV with a header; default jsonl")
    export.add_argument("--output", "-o", metavar="FILE", help="write here instead of standard output")
    export.add_argument("--country-codes", choices=("cameo", "iso"), default=None,
                        help="country codes as in the CAMEO lookup of GDELT and ICEWS (ROM, MTN, TMP, IMY where they "
                             "differ from ISO) or ISO 3166 alpha-3 as stored; default: cameo for gdelt, iso otherwise")
    add_filter_arguments(export)
    export.add_argument("--quiet", "-q", action="store_true", help="no summary on stderr")


def _coding(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--published", metavar="YYYY-MM-DD",
                        help="publication date for documents that lack one (else inferred from the text)")
    parser.add_argument("--lexicon", action="append", default=[], metavar="FILE",
                        help="a user lexicon TSV added over the bundled one (repeatable)")
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress or summary on stderr")


def add_filter_arguments(parser: argparse.ArgumentParser) -> None:
    """The event filters (see magpie.store.query), as options."""
    group = parser.add_argument_group("filters (combined with AND)")
    group.add_argument("--actor", help="actor code (RUSGOV) or name in either script, as source or target")
    group.add_argument("--source", help="the same, source actor only")
    group.add_argument("--target", help="the same, target actor only")
    group.add_argument("--country", help="ISO alpha-3 country of either actor (RUS)")
    group.add_argument("--root", help="CAMEO root code (04)")
    group.add_argument("--code", help="CAMEO code or prefix (041)")
    group.add_argument("--quad", action="append", type=int, choices=(1, 2, 3, 4), help="QuadClass (repeatable)")
    group.add_argument("--since", metavar="YYYY-MM-DD", help="events on or after this date")
    group.add_argument("--until", metavar="YYYY-MM-DD", help="events on or before this date")
    group.add_argument("--text", help="words in an evidence sentence (either script)")
    group.add_argument("--doc", help="events reported in this document id")
    group.add_argument("--place", help="action place: a name in either script (索契) or its ISO alpha-3 country (RUS)")
    group.add_argument("--limit", type=int, help="at most N events")


def filters_from_args(args: argparse.Namespace) -> dict[str, object]:
    quad = tuple(args.quad) if args.quad else None
    values = {"actor": args.actor, "source": args.source, "target": args.target, "country": args.country,
              "root": args.root, "code": args.code, "quad_class": quad, "since": args.since, "until": args.until,
              "text": args.text, "doc": args.doc, "place": args.place, "limit": args.limit}
    return {k: v for k, v in values.items() if v is not None}


def run(args: argparse.Namespace) -> int:
    """Run ``args.command`` (ingest or export); return the exit status (0 ok, 1 rejects, 2 error)."""
    try:
        if args.command == "ingest":
            return _ingest(args)
        if args.command == "export":
            return _export(args)
    except MagpieError as error:
        print(f"magpie: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("magpie: interrupted (committed batches are kept: run the same command again to resume)",
              file=sys.stderr)
        return 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    print(f"magpie: unknown command {args.command!r}", file=sys.stderr)
    return EXIT_USAGE


# -- ingest -----------------------------------------------------------------------------------------------------

def count_documents(inputs: Sequence[str]) -> int | None:
    """How many documents ``inputs`` hold (files, JSONL lines), or None when unknown (standard input)."""
    total = 0
    for item in inputs:
        if item == "-":
            return None
        path = Path(item)
        files = [path] if path.is_file() else sorted(
            p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
            and not any(part.startswith(".") for part in p.relative_to(path).parts)) if path.is_dir() else []
        for file in files:
            if file.suffix.lower() == ".jsonl":
                try:
                    with open(file, "rb") as handle:
                        total += sum(1 for line in handle if line.strip())
                except OSError:
                    continue
            else:
                total += 1
    return total


def _clock(seconds: float) -> str:
    seconds = int(max(0, seconds))
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}" if seconds >= 3600 \
        else f"{seconds // 60}:{seconds % 60:02d}"


class Progress:
    """A progress bar on stderr when it is a terminal (magpie.progress: tqdm); reject lines always (unless quiet)."""

    def __init__(self, quiet: bool, stream: TextIO | None = None, total: int | None = None) -> None:
        self.quiet = quiet
        self.bar = Bar(not quiet, total, stream)
        self.enabled = self.bar.enabled

    def update(self, stats: IngestStats, reject: Reject | None) -> None:
        if reject is not None and not self.quiet:
            self.bar.write(f"magpie: rejected {reject}")
        self.bar.update(stats.read, stats.events, stats.rejects)

    def clear(self) -> None:
        self.bar.close()


def _ingest(args: argparse.Namespace) -> int:
    from .. import neardup
    from ..pipeline import Options
    from ..read import read_inputs
    from . import open as open_store

    options = Options(published=args.published, lexicons=tuple(args.lexicon))
    if args.workers < 0:
        raise OptionsError("--workers must be 0 (one per CPU) or more")
    if args.batch_size < 1:
        raise OptionsError("--batch-size must be 1 or more")
    threshold = neardup.THRESHOLD if args.near_duplicate is None else args.near_duplicate  # numpy: only here
    if not 0.0 < threshold <= 1.0:
        raise OptionsError("--near-duplicate must be in (0, 1]")
    from ..read.skipped import skip_messages

    for message in skip_messages(args.inputs, SUFFIXES):
        print(f"magpie: {message}", file=sys.stderr)
    on_terminal = not args.quiet and sys.stderr.isatty()
    total = count_documents(args.inputs) if on_terminal else None
    progress = Progress(args.quiet, total=total)
    with open_store(args.db, create=True) as store:
        try:
            stats = store.ingest(read_inputs(args.inputs, args.published), options, workers=args.workers,
                                 batch_size=args.batch_size, threshold=threshold, inputs=args.inputs, total=total,
                                 on_progress=progress.update)
        finally:
            progress.clear()
    if not args.quiet:
        print(summary(stats, args.db), file=sys.stderr)
    if not stats.read:
        print(f"magpie: no document was read from {' '.join(args.inputs)} (see above); nothing was stored",
              file=sys.stderr)
        return EXIT_REJECTS
    return EXIT_REJECTS if stats.rejects else EXIT_OK


def summary(stats: IngestStats, db: str) -> str:
    elapsed = stats.elapsed
    merged = stats.events - stats.events_new
    return (f"magpie: {stats.read:,} read: {stats.stored:,} documents stored ({stats.duplicates:,} copies or "
            f"near-duplicates), {stats.skipped:,} already in the store, {stats.rejects:,} rejected; "
            f"{stats.events:,} events ({stats.events_new:,} new, {merged:,} merged into existing), "
            f"{stats.mentions:,} mentions; {_clock(elapsed)}, {stats.read / max(elapsed, 1e-9):,.0f} docs/s -> {db}")


# -- export -----------------------------------------------------------------------------------------------------

def _export(args: argparse.Namespace) -> int:
    from ..export import export
    from . import open as open_store

    with open_store(args.db) as store:
        stats = export(store, args.format, args.output, country_codes=args.country_codes, **filters_from_args(args))
    if not args.quiet:
        where = args.output or "standard output"
        extra = f" ({stats.skipped:,} events without a PLOVER category left out)" if stats.skipped else ""
        what = "mentions" if args.format == "mentions" else "events"
        print(f"magpie: {stats.events:,} {what} written as {args.format} to {where}{extra}", file=sys.stderr)
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m magpie.store.cli ingest|export …`` (the same commands as ``magpie``)."""
    parser = argparse.ArgumentParser(prog="magpie", description="Magpie's store commands.")
    add_parsers(parser.add_subparsers(dest="command", required=True))
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
