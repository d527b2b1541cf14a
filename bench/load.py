"""Load test of ``magpie serve`` at full size: a synthetic store of 100,000 events, 50 clients for 30 s.

    python3 bench/load.py                       # build /tmp/magpie-load.db (kept), then the load test
    python3 bench/load.py --mix events          # /api/events only (the page mix is the default)
    python3 bench/load.py --think 0,0           # clients back to back: the server's saturation throughput
    python3 bench/load.py --workers 1           # one server process (the default of magpie serve)
    python3 bench/load.py --events 200000 --db big.db --clients 100 --seconds 60

Only loopback (127.0.0.1); every loop is bounded in time and requests. Prints the store's size, then
requests, errors and latency percentiles, in all and per endpoint, of the realistic page mix
(magpie.web.loadtest.PAGE_MIX: event searches, the Timeline's statistics, the Network, actors, documents and
pages) or of /api/events alone. Exit status 1 when a request failed or p95 is 200 ms or more.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from magpie.web import loadtest, synthetic  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--db", default="/tmp/magpie-load.db", help="reused when it exists with enough events")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--max-requests", type=int, default=200_000)
    parser.add_argument("--think", default="0.5,1.5", help="seconds each client waits between requests: MIN,MAX")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2, help="server processes (magpie serve --workers; default 2)")
    parser.add_argument("--mix", choices=("pages", "events"), default="pages",
                        help="pages: what the four pages ask, in realistic shares (default); events: /api/events")
    args = parser.parse_args()
    think = tuple(float(x) for x in args.think.split(","))
    if len(think) != 2:
        parser.error("--think MIN,MAX")
    db = Path(args.db)
    if db.exists():
        import sqlite3

        with sqlite3.connect(db) as conn:
            have = conn.execute("SELECT count(*) FROM events").fetchone()[0]
        if have < args.events:
            print(f"{db}: {have:,} events, fewer than {args.events:,}: rebuilding")
            for suffix in ("", "-wal", "-shm"):
                Path(str(db) + suffix).unlink(missing_ok=True)
    if not db.exists():
        built = synthetic.build(db, args.events, seed_inputs=[ROOT / "examples"])
        print(f"built {db}: {built.events:,} events in {built.documents:,} documents, {built.seconds:.1f} s, "
              f"{built.bytes / 2**20:,.0f} MiB")
    import sqlite3

    with sqlite3.connect(db) as conn:
        events = conn.execute("SELECT count(*) FROM events").fetchone()[0]
        documents = [r[0] for r in conn.execute("SELECT id FROM documents ORDER BY doc_key")]
    urls = loadtest.page_mix(args.seed, documents) if args.mix == "pages" else loadtest.queries(args.seed)
    what = "the page mix" if args.mix == "pages" else "/api/events with 1-3 random filters"
    print(f"store: {db}, {events:,} events, {os.path.getsize(db) / 2**20:,.0f} MiB; {os.cpu_count()} CPUs")
    started = time.monotonic()
    with loadtest.serve(db, workers=args.workers) as (host, port):
        print(f"server: http://{host}:{port}/ ({args.workers} workers, started in "
              f"{time.monotonic() - started:.1f} s); {args.clients} clients, {args.seconds:g} s, "
              f"think {think[0]:g}-{think[1]:g} s, {what}")
        result = loadtest.run(host, port, clients=args.clients, seconds=args.seconds, max_requests=args.max_requests,
                              think=think, seed=args.seed, urls=urls)  # type: ignore[arg-type]
    print(f"load generator: {result.client_cpu:.1f} s of CPU ({result.client_cpu / result.seconds * 100:.0f}% of one "
          f"core)")
    print(f"requests: {result.requests:,} ({result.throughput:,.1f}/s)  errors: {result.errors}  "
          f"statuses: {dict(sorted(result.statuses.items()))}")
    print(f"latency ms: p50 {result.percentile(0.5):.1f}  p95 {result.percentile(0.95):.1f}  "
          f"p99 {result.percentile(0.99):.1f}  max {max(result.latencies, default=0) * 1000:.1f}")
    for name in sorted(result.by_endpoint):
        print(f"  {name:24} {len(result.by_endpoint[name]):6,} ok  p50 {result.percentile(0.5, name):7.1f}  "
              f"p95 {result.percentile(0.95, name):7.1f}  max {max(result.by_endpoint[name]) * 1000:7.1f} ms")
    for failure in result.failures:
        print("failure:", failure)
    return 1 if result.errors or result.percentile(0.95) >= 200 else 0


if __name__ == "__main__":
    sys.exit(main())
