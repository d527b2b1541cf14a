"""Benchmark: documents/s and characters/s per core, and peak memory, for `magpie code`.

    python3 bench/run.py [--docs N] [--workers 1]

The corpus is built from realistic articles of ~1,500 characters in both scripts: the dev
gold sets in ../shared/eval/dev when present, else the bundled examples; half are converted to
Traditional script with OpenCC. Prints one line per measured task.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
from pathlib import Path

import opencc

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from magpie.document import Document  # noqa: E402
from magpie.pipeline import Pipeline  # noqa: E402


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=3000)
    args = parser.parse_args()
    started = time.perf_counter()
    pipeline = Pipeline()
    load = time.perf_counter() - started
    docs = corpus(args.docs)
    chars = sum(len(d.text) for d in docs)
    started = time.perf_counter()
    events = sum(len(pipeline(d).events) for d in docs)
    elapsed = time.perf_counter() - started
    print(f"lexicon load: {load:.2f} s")
    print(f"code: {len(docs):,} docs ({chars / len(docs):,.0f} chars each, both scripts), {events:,} events, "
          f"{len(docs) / elapsed:,.0f} docs/s per core, {chars / elapsed / 1e6:.2f} M chars/s per core, "
          f"peak RSS {peak_rss_mib():,.0f} MiB")


if __name__ == "__main__":
    main()
