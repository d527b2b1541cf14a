"""Load test of ``magpie serve --workers 2`` on loopback: a synthetic store, 50 concurrent clients, bounded in time.

The default size keeps CI short (20,000 events, 15 s, then 10 s back to back); ``python3 bench/load.py``
runs the full size (100,000 events, 30 s). Each client asks ``/api/events`` with one to three random
filters, then waits 0.5–1.5 s as a reader would — or, back to back, asks again at once. No errors;
p95 latency under 200 ms.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from magpie.web import loadtest, synthetic

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
EVENTS = int(os.environ.get("MAGPIE_LOAD_EVENTS", "20000"))
SECONDS = float(os.environ.get("MAGPIE_LOAD_SECONDS", "15"))


def test_events_api_under_load(tmp_path: Path) -> None:
    db = tmp_path / "load.db"
    built = synthetic.build(db, EVENTS, seed_inputs=[ROOT / "examples"])
    assert built.events == EVENTS
    with loadtest.serve(db, workers=2) as (host, port):
        assert host == "127.0.0.1"
        result = loadtest.run(host, port, clients=50, seconds=SECONDS, max_requests=20_000, think=(0.5, 1.5))
        print(result.summary())
        assert result.errors == 0, result.failures
        assert result.requests >= 25 * SECONDS  # every client kept asking
        assert result.percentile(0.95) < 200, result.summary()
        # back to back: the server saturated (and the load generator light enough not to be the bottleneck)
        result = loadtest.run(host, port, clients=50, seconds=SECONDS * 2 / 3, max_requests=50_000, think=(0, 0),
                              seed=2)
        print(result.summary())
        assert result.errors == 0, result.failures
        assert result.client_cpu < 0.5 * result.seconds, result.client_cpu
        assert result.percentile(0.95) < 200, result.summary()


def test_page_mix_under_load(tmp_path: Path) -> None:
    """The realistic page mix (40% statistics, network and actors; loadtest.PAGE_MIX), 50 clients with reader
    pauses: no errors, p95 under 200 ms (``python3 bench/load.py`` runs it at 100,000 events)."""
    import sqlite3

    db = tmp_path / "mix.db"
    synthetic.build(db, EVENTS, seed_inputs=[ROOT / "examples"])
    with sqlite3.connect(db) as conn:
        documents = [r[0] for r in conn.execute("SELECT id FROM documents")]
    with loadtest.serve(db, workers=2) as (host, port):
        result = loadtest.run(host, port, clients=50, seconds=SECONDS, max_requests=20_000, think=(0.5, 1.5),
                              urls=loadtest.page_mix(4, documents))
    print(result.summary())
    assert result.errors == 0, result.failures
    assert result.requests >= 25 * SECONDS
    assert set(result.by_endpoint) >= {"/api/events", "/api/stats", "/api/network", "/api/actors",
                                       "/api/actors/{code}", "/api/documents/{id}", "pages"}
    assert result.percentile(0.95) < 200, result.summary()


def test_load_test_refuses_other_addresses() -> None:
    for host in ("10.0.0.1", "192.168.1.1", "8.8.8.8", "example.org"):
        with pytest.raises(ValueError, match="loopback"):
            loadtest.run(host, 80, seconds=1)


def test_synthetic_store_is_consistent(tmp_path: Path) -> None:
    import magpie

    db = tmp_path / "small.db"
    synthetic.build(db, 500)
    with magpie.open(db) as store:
        counts = store.counts()
        assert counts["events"] == counts["doc_events"] == counts["mentions"] == 500
        assert store.integrity_check() == "ok"
        doc = store.document("synthetic-0000001")
        assert doc is not None
        for record in store.doc_events("synthetic-0000001"):
            mention = record["mentions"][0]
            assert doc["text"][mention["start"]:mention["end"]] == mention["sentence"]
            trigger = mention["trigger"]
            assert doc["text"][trigger["start"]:trigger["end"]] == trigger["text"]
        found = store.events(text="举行会谈", limit=5)
        assert found and all("举行会谈" in e["evidence"]["sentence"] for e in found)
