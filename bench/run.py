"""Benchmark: documents/s and characters/s per core, and peak memory, for `magpie code`, `ingest` and `export`.

    python3 bench/run.py [--docs N] [--workers 1] [--tasks code,ingest,export]
    python3 bench/run.py --tasks scale [--sizes 1000,10000,100000,1000000,2000000]

The corpus is built from realistic articles of ~1,500 characters in both scripts: the dev
gold sets in ../shared/eval/dev when present, else the bundled examples; half are converted to
Traditional script with OpenCC. Prints one line per measured task. `ingest` codes the same corpus
into a fresh SQLite store (with near-duplicate detection and event merging; ``--workers`` processes),
`export` writes that store's merged events in every format. Peak RSS is this process's high-water
mark (plus the largest worker's with ``--workers`` > 1).

`scale` codes single documents of each size (1 KB to 2 MB characters) and prints the time per character, which
stays flat when coding time grows linearly with length. Three kinds of long document: `articles` (the dev and
example articles one after another, every other one in Traditional script), `actors` (the paragraphs of the
political news, dense with actors, over and over: every other round exactly repeated, which cleaning sets aside,
the others each with a mark of its round, so kept) and `one-line` (the same with no line breaks: one paragraph).
Sizes under 100,000 characters are timed over several different documents of that size; times are the
process's CPU time (one core), so other work on a shared machine does not inflate them.
"""

from __future__ import annotations

import argparse
import io
import json
import multiprocessing
import random
import resource
import sys
import tempfile
import time
from collections import deque
from collections.abc import Iterator
from pathlib import Path

import opencc

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from magpie import store as magpie_store  # noqa: E402
from magpie.document import Document  # noqa: E402
from magpie.export import FORMATS, export  # noqa: E402
from magpie.pipeline import Options, Pipeline  # noqa: E402


def paragraphs() -> list[str]:
    found: list[str] = []
    dev = ROOT.parent / "shared" / "eval" / "dev"
    for path in (dev / "news" / "docs.jsonl", dev / "duee" / "docs.jsonl"):
        if path.exists():
            with open(path, encoding="utf-8") as handle:
                for line in handle:
                    found.extend(p for p in json.loads(line)["text"].split("\n") if len(p) > 20)
    for path in sorted((ROOT / "examples").glob("*")):
        if path.suffix == ".txt":
            found.extend(p for p in path.read_text(encoding="utf-8").split("\n") if len(p) > 20)
        elif path.suffix == ".jsonl":
            for line in path.read_text(encoding="utf-8").splitlines():
                found.extend(p for p in json.loads(line)["text"].split("\n") if len(p) > 20)
    return found


def articles(sets: tuple[str, ...] = ("news2", "news", "duee")) -> list[str]:
    """Whole articles: those of the dev sets named (when present) and the bundled examples."""
    found: list[str] = []
    dev = ROOT.parent / "shared" / "eval" / "dev"
    paths = [dev / name / "docs.jsonl" for name in sets] + sorted((ROOT / "examples").glob("*"))
    for path in paths:
        if not path.exists():
            continue
        if path.suffix == ".txt":
            found.append(path.read_text(encoding="utf-8"))
        elif path.suffix == ".jsonl":
            with open(path, encoding="utf-8") as handle:
                found.extend(json.loads(line)["text"] for line in handle if line.strip())
    return found


def long_text(chars: int, kind: str) -> str:
    """A document of ``chars`` characters of the given kind (see the module's docstring)."""
    to_trad = opencc.OpenCC("s2t").convert
    parts: list[str] = []
    total = 0
    if kind == "articles":
        pool = articles()
        k = 0
        while total < chars:
            rounds, text = divmod(k, len(pool))
            article = pool[text]
            if rounds:  # the same articles again: marked, so that cleaning does not set them aside as repeats
                article = "\n".join(f"{line}（{rounds}）" for line in article.split("\n"))
            parts.append(to_trad(article) if k % 2 else article)
            total += len(parts[-1]) + 1
            k += 1
        return "\n".join(parts)[:chars]
    political = articles(("news2", "news"))  # the articles densest with actors
    paragraphs = [p for article in political for p in article.split("\n") if len(p) > 20]
    k = 0
    while total < chars:
        rounds, index = divmod(k, len(paragraphs))
        paragraph = paragraphs[index]
        if rounds % 2:
            paragraph = f"{paragraph}（{rounds}）"  # a round of its own, kept; even rounds are exact repeats
        parts.append(to_trad(paragraph) if k % 2 else paragraph)
        total += len(paragraph) + 1
        k += 1
    return ("" if kind == "one-line" else "\n").join(parts)[:chars]


def bench_scale(sizes: list[int], kinds: list[str]) -> None:
    """Time per character of coding one document, by size and kind."""
    pipeline = Pipeline()
    pipeline(Document(id="warm-up", text=long_text(2_000, "articles"), published="2017-11-22"))
    for kind in kinds:
        longest = long_text(max(max(sizes), 200_000), kind)
        rates = []
        for size in sizes:
            count = max(1, min(50, 200_000 // size))  # small sizes: several different documents of that size
            docs = [Document(id=f"{kind}-{size}-{i}", text=longest[i * size : (i + 1) * size], published="2017-11-22")
                    for i in range(count)]
            chars = sum(len(d.text) for d in docs)
            started = time.process_time()  # CPU time: other processes on a shared machine do not count
            events = sum(len(pipeline(d).events) for d in docs)
            elapsed = time.process_time() - started
            rates.append(elapsed / chars * 1e6)
            print(f"scale: {kind:<9} {_size(size):>6} x {count:<3} {rates[-1]:6.2f} µs/char "
                  f"({elapsed / count:7.3f} s CPU per document, {events / count:,.0f} events each)", flush=True)
        print(f"scale: {kind:<9} time per character at {_size(sizes[-1])} / at {_size(sizes[0])}: "
              f"{rates[-1] / rates[0]:.2f}; largest / smallest over all sizes: {max(rates) / min(rates):.2f}, "
              f"peak RSS {peak_rss_mib():,.0f} MiB", flush=True)


def _size(chars: int) -> str:
    return f"{chars // 1_000_000} MB" if chars >= 1_000_000 else f"{chars // 1_000} KB"


def corpus(n: int, seed: int = 7) -> list[Document]:
    rng = random.Random(seed)
    pool = paragraphs()
    to_trad = opencc.OpenCC("s2t").convert
    docs = []
    for i in range(n):
        parts: list[str] = []
        while sum(len(p) for p in parts) < 1500:
            parts.append(rng.choice(pool))
        text = "\n".join(parts)
        if i % 2:
            text = to_trad(text)
        docs.append(Document(id=f"bench-{i}", text=text, published="2017-11-22"))
    return docs


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_children_mib() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def bench_ingest(n: int, workers: int, db: Path) -> None:
    docs = deque(corpus(n))
    count, chars = len(docs), sum(len(d.text) for d in docs)

    def feed() -> Iterator[Document]:  # hand each document over: the store, not the corpus, is measured
        while docs:
            yield docs.popleft()

    with magpie_store.open(db, create=True) as store:
        started = time.perf_counter()
        stats = store.ingest(feed(), workers=workers)
        elapsed = time.perf_counter() - started
        counts = store.counts()
    cores = max(1, workers)
    rss = f"peak RSS {peak_rss_mib():,.0f} MiB" + (f" (+ {workers} workers, the largest {peak_children_mib():,.0f} MiB)"
                                                  if workers > 1 else "")
    print(f"ingest: {stats.stored:,} docs with {workers} worker(s), {counts['events']:,} merged events from "
          f"{stats.events:,} per-document events, {counts['duplicates']:,} near-duplicates, "
          f"{count / elapsed / cores:,.0f} docs/s per core, {chars / elapsed / cores / 1e6:.2f} M chars/s per core "
          f"({count / elapsed:,.0f} docs/s in all), "
          f"{db.stat().st_size / 2**20:,.0f} MiB database, {rss}")


def bench_export(db: Path, folder: Path) -> None:
    with magpie_store.open(db) as store:
        docs, chars = store.conn.execute("SELECT count(*), sum(chars) FROM documents").fetchone()
        parts = []
        total = 0.0
        events = 0
        for fmt in FORMATS:
            started = time.perf_counter()
            if fmt == "parquet":
                stats = export(store, fmt, folder / "events.parquet")
            else:
                stats = export(store, fmt, io.StringIO())
            elapsed = time.perf_counter() - started
            total += elapsed
            events = max(events, stats.events)
            parts.append(f"{fmt} {elapsed:.2f} s")
    print(f"export: {events:,} merged events of {docs:,} docs in every format ({', '.join(parts)}): "
          f"{docs * len(FORMATS) / total:,.0f} docs/s per core, {chars * len(FORMATS) / total / 1e6:.2f} M chars/s "
          f"per core, {events * len(FORMATS) / total:,.0f} events/s, peak RSS {peak_rss_mib():,.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=3000)
    parser.add_argument("--workers", type=int, default=1, help="worker processes for ingest (default 1)")
    parser.add_argument("--tasks", default="code,ingest,export",
                        help="comma-separated: code, ingest, export, scale (scale runs only when named)")
    parser.add_argument("--sizes", default="1000,10000,100000,1000000,2000000",
                        help="scale: document sizes in characters (default 1 KB to 2 MB)")
    parser.add_argument("--kinds", default="articles,actors,one-line", help="scale: kinds of long document")
    parser.add_argument("--no-model", action="store_true",
                        help="code: without the learnt lexical layer (its cost is the difference)")
    args = parser.parse_args()
    tasks = set(args.tasks.split(","))
    if "scale" in tasks:
        bench_scale([int(float(size)) for size in args.sizes.split(",")], args.kinds.split(","))
    if "code" in tasks:
        started = time.perf_counter()
        pipeline = Pipeline(Options(lexical_model=not args.no_model))
        load = time.perf_counter() - started
        docs = corpus(args.docs)
        chars = sum(len(d.text) for d in docs)
        started = time.perf_counter()
        events = sum(len(pipeline(d).events) for d in docs)
        elapsed = time.perf_counter() - started
        print(f"lexicon and model load: {load:.2f} s{' (no lexical model)' if args.no_model else ''}")
        print(f"code: {len(docs):,} docs ({chars / len(docs):,.0f} chars each, both scripts), {events:,} events, "
              f"{len(docs) / elapsed:,.0f} docs/s per core, {chars / elapsed / 1e6:.2f} M chars/s per core, "
              f"peak RSS {peak_rss_mib():,.0f} MiB")
    if "ingest" in tasks or "export" in tasks:
        # a fresh interpreter, so that its peak RSS is the store's, not the code measurement's
        child = multiprocessing.get_context("spawn").Process(target=store_tasks,
                                                             args=(args.docs, args.workers, "export" in tasks))
        child.start()
        child.join()


def store_tasks(docs: int, workers: int, with_export: bool) -> None:
    with tempfile.TemporaryDirectory(prefix="magpie-bench-") as folder:
        db = Path(folder) / "bench.db"
        bench_ingest(docs, workers, db)
        if with_export:
            bench_export(db, Path(folder))


if __name__ == "__main__":
    main()
