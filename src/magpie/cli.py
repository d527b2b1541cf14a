"""The ``magpie`` command: a thin layer over the Python API. Only this module prints."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from . import __version__, spark
from .document import Document, Reject
from .errors import MagpieError, OptionsError
from .evaluate import explain_news, format_explanation, read_jsonl, score
from .lexicon import Lexicon
from .parallel import code_parallel
from .pipeline import Options, Pipeline
from .progress import Bar
from .read import read_inputs
from .store import cli as store_cli
from .web import cli as web_cli
from .write import document_record, format_table, records

EXIT_OK, EXIT_REJECTS, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="magpie", description="Political event data from Chinese news.")
    parser.add_argument("--version", action="version", version=f"magpie {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    code = sub.add_parser("code", help="code articles into events",
                          description="Code articles (.txt, .jsonl, .html files or folders; - for JSONL "
                                      "on standard input) into CAMEO events.")
    code.add_argument("inputs", nargs="+", metavar="INPUT")
    code.add_argument("--format", choices=("jsonl", "table"), default=None,
                      help="jsonl (default when piped) or table (default on a terminal)")
    code.add_argument("--output", "-o", metavar="FILE", help="write events here instead of standard output")
    code.add_argument("--workers", type=int, default=1, metavar="N",
                      help="coding processes (0: one per CPU; default 1); output keeps the input order")
    code.add_argument("--documents", metavar="FILE",
                      help="also write one JSON line per document: publication date (given or inferred), script, "
                           "what cleaning removed and why, number of events")
    _common(code)

    ev = sub.add_parser("eval", help="code a gold set's documents and score them",
                        description="Run the coder over DOCS and score against GOLD (precision, recall, F1).")
    ev.add_argument("--gold", required=True, metavar="GOLD.jsonl",
                    help="gold events, one JSON object a line (see the README: Evaluation)")
    ev.add_argument("--docs", required=True, metavar="DOCS",
                    help="the documents: a JSONL file, a .txt/.html file or a folder, as `magpie code` reads them")
    ev.add_argument("--pred", help="score this predictions file instead of running the coder")
    ev.add_argument("--save-pred", metavar="FILE", help="also write the predictions here")
    ev.add_argument("--json", action="store_true", help="print one JSON object")
    ev.add_argument("--explain", action="store_true",
                    help="also list, per document, each missed gold event and each unmatched prediction with the "
                         "nearest candidate and what differs, and a summary by error class (news gold only)")
    _common(ev)

    actors = sub.add_parser("actors", help="list people in events that the lexicon does not know",
                            description="Code INPUT and list the people who take part in events but are not in "
                                        "the lexicon, with counts, the titles seen and a suggested code, as TSV rows "
                                        "in the people.tsv format (review them, then add them with --lexicon).")
    actors.add_argument("inputs", nargs="+", metavar="INPUT")
    actors.add_argument("--unknown", action="store_true", required=True,
                        help="list actors missing from the lexicon (the only listing so far)")
    actors.add_argument("--min-count", type=int, default=1, metavar="N", help="only names seen in N events or more")
    _common(actors)

    lex = sub.add_parser("lexicon", help="validate lexicon files")
    lex.add_argument("action", choices=("check",))
    lex.add_argument("--lexicon", action="append", default=[], metavar="FILE")
    store_cli.add_parsers(sub)
    spark.add_parser(sub)
    web_cli.add_parsers(sub)
    return parser


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--published", metavar="YYYY-MM-DD",
                        help="publication date for documents that lack one (else inferred from the text)")
    parser.add_argument("--lexicon", action="append", default=[], metavar="FILE",
                        help="a user lexicon TSV added over the bundled one (repeatable)")
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress or summary on stderr")
    parser.add_argument("--no-model", action="store_true",
                        help="code with the lexicons alone, without the learnt lexical layer (faster, less accurate)")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command in store_cli.COMMANDS:
            return store_cli.run(args)
        if args.command in web_cli.COMMANDS:
            return web_cli.run(args)
        if args.command == "spark":
            return spark.command(args)
        if args.command == "code":
            return _code(args)
        if args.command == "eval":
            return _eval(args)
        if args.command == "lexicon":
            return _lexicon(args)
        if args.command == "actors":
            return _actors(args)
    except MagpieError as error:
        print(f"magpie: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("magpie: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    return EXIT_USAGE


class _Progress:
    """Documents/s, events and rejects on stderr, only on a terminal (magpie.progress: tqdm)."""

    def __init__(self, enabled: bool) -> None:
        self.bar = Bar(enabled)
        self.started = time.perf_counter()
        self.docs = self.events = self.rejects = 0

    def update(self, item: Document | Reject) -> None:
        if isinstance(item, Reject):
            self.rejects += 1
        else:
            self.docs += 1
            self.events += len(item.events)
        self.bar.update(self.docs + self.rejects, self.events, self.rejects)

    def reject(self, item: Reject) -> None:
        self.bar.write(f"magpie: rejected {item}")

    def close(self) -> None:
        self.bar.close()


def report_skipped(inputs: Sequence[str]) -> None:
    """Say on stderr which files of the input folders are not read, and why."""
    from .read import SUFFIXES
    from .read.skipped import skip_messages

    for message in skip_messages(inputs, SUFFIXES):
        print(f"magpie: {message}", file=sys.stderr)


def _nothing_read(inputs: Sequence[str]) -> int:
    print(f"magpie: no document was read from {' '.join(inputs)} (see above); nothing was coded", file=sys.stderr)
    return EXIT_REJECTS


def _run(args: argparse.Namespace, inputs: Sequence[str], out: TextIO, fmt: str,
         documents: TextIO | None = None) -> int:
    options = Options(published=args.published, lexicons=tuple(args.lexicon),
                      lexical_model=not getattr(args, "no_model", False))
    report_skipped(inputs)
    pipeline = Pipeline(options)
    progress = _Progress(not args.quiet)
    rejects: list[Reject] = []
    undated: list[str] = []  # documents with no publication date, given or inferred, and undated events
    table_rows = []
    items = code_parallel(read_inputs(inputs, args.published), options, getattr(args, "workers", 1),
                          pipeline=pipeline)
    for item in items:
        progress.update(item)
        if isinstance(item, Reject):
            rejects.append(item)
            progress.reject(item)
            continue
        if not item.published and any(e.date is None for e in item.events):
            undated.append(item.origin or item.id)
        if documents is not None:
            documents.write(json.dumps(document_record(item), ensure_ascii=False) + "\n")
        for record in records(item, pipeline.lexicon):
            if fmt == "table":
                table_rows.append(record)
            else:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
    progress.close()
    if fmt == "table":
        out.write(format_table(table_rows) + "\n")
    if undated:  # once per run, not once per document
        example = f" ({undated[0]}{' …' if len(undated) > 1 else ''})"
        print(f"magpie: {len(undated):,} document(s){example} have no publication date and their text gives no year "
              f"to infer one from (a dateline such as 2月22日电 has none), so their events' dates are unknown: "
              f"pass --published YYYY-MM-DD (or a 'published' field in JSONL)", file=sys.stderr)
    if not args.quiet:
        elapsed = time.perf_counter() - progress.started
        print(f"magpie: {progress.docs:,} documents coded, {progress.events:,} events, "
              f"{len(rejects):,} rejected, {elapsed:.1f}s", file=sys.stderr)
    if not progress.docs:
        return _nothing_read(inputs)
    return EXIT_REJECTS if rejects else EXIT_OK


def _code(args: argparse.Namespace) -> int:
    fmt = args.format or ("table" if sys.stdout.isatty() and not args.output else "jsonl")
    with contextlib.ExitStack() as stack:
        out = stack.enter_context(_open_out(args.output)) if args.output else sys.stdout
        documents = stack.enter_context(_open_out(args.documents)) if args.documents else None
        return _run(args, args.inputs, out, fmt, documents)


def _open_out(path: str) -> TextIO:
    try:
        return open(path, "w", encoding="utf-8")
    except OSError as error:
        raise OptionsError(f"{path}: cannot write ({error.strerror})") from None


def _eval_documents(path: str) -> list[dict[str, object]]:
    """The documents ``magpie eval`` scores over: a JSONL file's records (with fields such as ``negative``), else
    the ids of what ``magpie code`` reads from the file or folder."""
    if Path(path).is_file() and Path(path).suffix.lower() == ".jsonl":
        return read_jsonl(path)
    if not Path(path).exists():
        raise OptionsError(f"--docs {path}: no such file or folder")
    return [{"id": item.id} for item in read_inputs([path]) if isinstance(item, Document)]


def _eval(args: argparse.Namespace) -> int:
    gold = read_jsonl(args.gold)
    docs = _eval_documents(args.docs)
    status = EXIT_OK
    if args.pred:
        pred_path = args.pred
    else:
        handle = open(args.save_pred, "w", encoding="utf-8") if args.save_pred else \
            tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8")
        with handle:
            status = _run(args, [args.docs], handle, "jsonl")
            pred_path = handle.name
    preds = read_jsonl(pred_path)
    if not args.pred and not args.save_pred:
        Path(pred_path).unlink(missing_ok=True)
    result = score(gold, preds, docs)
    explained = None
    if args.explain:
        if gold and "duee_type" in gold[0]:
            raise OptionsError("--explain needs a news gold file (doc_id, source, target, code, date, required)")
        explained = explain_news(gold, preds, {d["id"] for d in docs} or {g["doc_id"] for g in gold})
    if args.json:
        if explained is not None:
            result = {**result, "explain": explained}
        print(json.dumps(result, ensure_ascii=False))
        return status
    for key, value in result.items():
        print(f"{key:28} {value}")
    if explained is not None:
        print()
        print(format_explanation(explained))
    return status


def _actors(args: argparse.Namespace) -> int:
    from .curation import unknown_actors

    pipeline = Pipeline(Options(published=args.published, lexicons=tuple(args.lexicon),
                                lexical_model=not args.no_model))
    progress = _Progress(not args.quiet)
    rejected = 0
    docs = []
    report_skipped(args.inputs)
    for item in pipeline.run(read_inputs(args.inputs, args.published)):
        progress.update(item)
        if isinstance(item, Reject):
            rejected += 1
            progress.reject(item)
        else:
            docs.append(item)
    progress.close()
    found = unknown_actors(docs, args.min_count)
    print("names\tcode\tstart\tend\ten\tnote")
    for entry in found:
        print("\t".join(entry.as_row().values()))
    if not args.quiet:
        print(f"magpie: {len(found)} unknown actor(s) in {len(docs)} documents", file=sys.stderr)
    if not docs:
        return _nothing_read(args.inputs)
    return EXIT_REJECTS if rejected else EXIT_OK


def _lexicon(args: argparse.Namespace) -> int:
    from .lexicon.check import check

    lexicon = Lexicon.load(args.lexicon)
    problems = check(lexicon)
    for problem in problems:
        print(problem)
    print(f"{len(lexicon.files)} files, {len(lexicon.entities):,} names, {len(lexicon.verbs):,} triggers: "
          f"{len(problems)} problem(s)", file=sys.stderr)
    return EXIT_REJECTS if problems else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
