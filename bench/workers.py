"""Benchmark: `magpie code --workers N` against one worker, and what crosses the process boundary.

    python3 bench/workers.py [--docs 500] [--workers 2] [--repeat 3] [--src OTHER/src]

Writes the bench corpus (bench/run.py: ~1,570-character articles, both scripts) as JSONL, then runs
`magpie code FILE -o OUT` in fresh processes with 1 and with N workers, alternately, ``--repeat``
times; prints the best wall time of each and the speedup, the CPU seconds of the parent process
alone and with its workers, and from those the speedup to expect on idle cores (wall times on a
machine shared with other work say little). Also prints the pickled size per document of a coded
Document (what the workers sent back before) and of the output they send now.
``--src`` runs another checkout's code (``git archive REV src | tar -x -C DIR``) for a before/after.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from run import corpus  # noqa: E402

from magpie.cli import _output  # noqa: E402
from magpie.pipeline import Pipeline  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--src", default=str(ROOT / "src"), help="the magpie source tree to run")
    args = parser.parse_args()
    docs = corpus(args.docs)
    pipeline = Pipeline()
    sample = [pipeline(d) for d in corpus(50, seed=11)]
    before = sum(len(pickle.dumps(d, protocol=pickle.HIGHEST_PROTOCOL)) for d in sample) / len(sample)
    after = sum(len(pickle.dumps(_output(d, pipeline), protocol=pickle.HIGHEST_PROTOCOL)) for d in sample) / len(sample)
    print(f"pickled per document: coded Document {before / 1024:,.1f} KiB, output record {after / 1024:,.1f} KiB "
          f"({before * args.docs / 2**20:,.1f} MiB vs {after * args.docs / 2**20:,.1f} MiB per {args.docs} documents)")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "docs.jsonl"
        with open(src, "w", encoding="utf-8") as handle:
            for d in docs:
                handle.write(json.dumps({"id": d.id, "text": d.text, "published": d.published},
                                        ensure_ascii=False) + "\n")
        env = {**os.environ, "PYTHONPATH": args.src}
        best: dict[int, float] = {}
        parent: dict[int, float] = {}
        total: dict[int, float] = {}
        for _ in range(args.repeat):
            for workers in (1, args.workers):
                argv = ["code", str(src), "-o", str(Path(tmp) / "out"), "--workers", str(workers), "-q"]
                started = time.perf_counter()
                done = subprocess.run([sys.executable, "-c", RUN, *argv], env=env, check=True, capture_output=True,
                                      text=True)
                elapsed = time.perf_counter() - started
                best[workers] = min(best.get(workers, elapsed), elapsed)
                cpu, everything = (float(x) for x in done.stdout.split()[-2:])
                parent[workers] = min(parent.get(workers, cpu), cpu)
                total[workers] = min(total.get(workers, everything), everything)
    one, many = best[1], best[args.workers]
    # the parent's work is serial, the workers' is shared among the cores: wall time on idle cores is about
    # max(parent CPU, all CPU / cores), against the CPU of the whole run in one process
    estimate = min(args.workers, parent[1] / max(parent[args.workers], total[args.workers] / args.workers))
    print(f"code {args.docs} docs ({args.src}): 1 worker {one:.1f} s, {args.workers} workers {many:.1f} s: "
          f"{one / many:.2f}x (best of {args.repeat}; {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}); "
          f"CPU of the parent process with {args.workers} workers {parent[args.workers]:.2f} s, of parent and "
          f"workers {total[args.workers]:.2f} s (all the coding with 1 worker: {parent[1]:.2f} s); "
          f"on {args.workers} idle cores about {estimate:.2f}x")


# `magpie ARGV` in this process, then the CPU seconds it used itself, and with its worker processes
RUN = """
import resource, sys
from magpie.cli import main
status = main(sys.argv[1:])
usage = resource.getrusage(resource.RUSAGE_SELF)
workers = resource.getrusage(resource.RUSAGE_CHILDREN)
print(usage.ru_utime + usage.ru_stime, usage.ru_utime + usage.ru_stime + workers.ru_utime + workers.ru_stime)
sys.exit(status)
"""


if __name__ == "__main__":
    main()
