"""The SQLite store: schema, idempotent and resumable ingest, queries and the Python API."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

import magpie
from magpie import store as magpie_store
from magpie.document import Document, Reject
from magpie.errors import StoreError
from magpie.normalise import to_simplified
from magpie.store.schema import SCHEMA_VERSION

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SEED = EXAMPLES / "000_ec79773fa7d8658e.txt"


def paragraphs() -> list[str]:
    """Paragraphs of the bundled examples (the tests never need ../shared)."""
    found = [p for p in SEED.read_text(encoding="utf-8").split("\n") if len(p) > 20]
    for line in (EXAMPLES / "news.jsonl").read_text(encoding="utf-8").splitlines():
        found.extend(p for p in json.loads(line)["text"].split("\n") if len(p) > 20)
    return found


def corpus(n: int, seed: int = 3, chars: int = 600) -> list[dict[str, str]]:
    """``n`` synthetic articles of random example paragraphs, every other one in Traditional script."""
    import opencc

    rng = random.Random(seed)
    pool = paragraphs()
    to_trad = opencc.OpenCC("s2t").convert
    docs = []
    for i in range(n):
        parts: list[str] = []
        while sum(len(p) for p in parts) < chars:
            parts.append(rng.choice(pool))
        text = "\n".join(parts)
        docs.append({"id": f"doc-{i}", "text": to_trad(text) if i % 2 else text, "published": "2017-11-22",
                     "source": f"site-{i % 5}", "url": f"https://site-{i % 5}.example/{i}"})
    return docs


def write_jsonl(path: Path, records: list[dict[str, str]], bad_lines: tuple[int, ...] = ()) -> Path:
    with open(path, "w", encoding="utf-8") as out:
        for i, record in enumerate(records):
            if i in bad_lines:
                out.write("{not json\n")
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def documents(records: list[dict[str, str]]) -> list[Document]:
    return [Document(id=r["id"], text=r["text"], published=r.get("published"), source=r.get("source"),
                     url=r.get("url"), title=r.get("title")) for r in records]


def stable(records: list[dict]) -> list[dict]:
    """Records without the ingest timestamp (the only field that differs between two runs)."""
    return [{k: v for k, v in r.items() if k != "date_added"} for r in records]


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    return tmp_path / "magpie.db"


def test_schema_is_versioned_and_plain_sqlite(db: Path) -> None:
    with magpie.store.open(db, create=True) as store:
        store.ingest([Document(id="seed", text=SEED.read_text(encoding="utf-8"))])
    conn = sqlite3.connect(db)  # no Magpie: plain tables and views
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    assert {"documents", "events", "doc_events", "mentions", "actors", "rejects", "runs", "event_mentions",
            "duplicates", "event_table"} <= tables
    row = conn.execute("SELECT id, script, published, published_inferred, content_hash, removed FROM documents"
                       ).fetchone()
    assert row[:4] == ("seed", "hant", "2017-11-22", 1)
    assert len(row[4]) == 40
    assert {r["reason"] for r in json.loads(row[5])} >= {"site_name", "caption"}
    assert conn.execute("SELECT count(*) FROM event_table").fetchone()[0] > 0
    text = conn.execute("SELECT text FROM documents").fetchone()[0]
    for start, end, sentence in conn.execute("SELECT sentence_start, sentence_end, sentence FROM mentions"):
        assert text[start:end] == sentence
    conn.close()


def test_newer_schema_is_refused(db: Path) -> None:
    magpie.store.open(db, create=True).close()
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer"):
        magpie.store.open(db)


def test_missing_database_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no such database"):
        magpie.store.open(tmp_path / "nothing.db")
    not_db = tmp_path / "text.db"
    not_db.write_text("hello, I am not a database" * 100)
    with pytest.raises(StoreError, match="not a readable SQLite database"):
        magpie.store.open(not_db)


def test_ingest_is_idempotent(db: Path) -> None:
    records = corpus(40)
    with magpie.store.open(db, create=True) as store:
        first = store.ingest([*documents(records), Reject("bad.jsonl", "not valid JSON", 3)])
        counts = store.counts()
        exported = stable(store.events())
        second = store.ingest([*documents(records), Reject("bad.jsonl", "not valid JSON", 3)])
        assert store.counts() == counts
        assert stable(store.events()) == exported
    assert first.stored == 40 and first.rejects == 1
    assert second.stored == 0 and second.skipped == 40 and second.events == 0
    assert counts["documents"] == 40 and counts["rejects"] == 1 and counts["events"] > 0


def test_same_id_other_text_is_kept_under_a_derived_id(db: Path) -> None:
    with magpie.store.open(db, create=True) as store:
        store.ingest([Document(id="a", text="俄罗斯总统普京21日与埃及总统塞西通了电话。", published="2017-11-22")])
        stats = store.ingest([Document(id="a", text="美国总统特朗普12日在新加坡与朝鲜领导人金正恩举行会晤。",
                                       published="2018-06-12")])
        again = store.ingest([Document(id="a", text="美国总统特朗普12日在新加坡与朝鲜领导人金正恩举行会晤。",
                                       published="2018-06-12")])
        ids = [r[0] for r in store.conn.execute("SELECT id FROM documents ORDER BY doc_key")]
    assert stats.renamed == 1 and again.skipped == 1
    assert ids[0] == "a" and ids[1].startswith("a@") and len(ids) == 2


def test_python_api_filters(db: Path) -> None:
    with magpie_store.open(db, create=True) as store:  # = magpie.open
        store.ingest(magpie.read_inputs([EXAMPLES]))
        everything = store.events()
        assert everything and all(e["num_articles"] >= 1 and e["mentions"] for e in everything)
        putin = store.events(actor="普京")
        assert putin and all("RUS" in (e["source"]["country"], (e["target"] or {}).get("country"))
                             for e in putin)
        assert store.events(actor="普丁") == putin  # the Taiwan spelling, through the lexicon
        assert {e["event_id"] for e in store.events(actor="俄羅斯")} >= {e["event_id"] for e in putin}
        assert [e["event_id"] for e in store.events(actor="rusgov")] == \
            [e["event_id"] for e in everything if "RUSGOV" in (e["source"]["code"], (e["target"] or {}).get("code"))]
        assert all(e["root_code"] == "04" for e in store.events(root="04"))
        assert all(e["code"].startswith("041") for e in store.events(code="041"))
        assert all(e["quad_class"] in (1, 2) for e in store.events(quad_class=[1, 2]))
        dated = store.events(since="2017-11-21", until="2017-11-21")
        assert dated and all(e["date"] == "2017-11-21" for e in dated)
        assert all(e["source"]["country"] == "USA" or (e["target"] or {}).get("country") == "USA"
                   for e in store.events(country="usa"))
        # text in either script, FTS (3+ characters) or a scan (fewer)
        for text in ("通电话", "通電話", "电话", "電話"):
            found = store.events(text=text)
            assert found, text
            assert all(any(to_simplified(text) in to_simplified(m["sentence"]) for m in e["mentions"]) for e in found)
        assert len(store.events(limit=2)) == 2
        assert store.events(doc="example-singapore-2018")
        table = store.to_arrow(root="04")
        assert table.num_rows == len(store.events(root="04"))
        frame = store.events(actor="普京").to_pandas()
        assert len(frame) == len(putin) and list(frame["event_id"]) == [e["event_id"] for e in putin]
        assert store.document("example-singapore-2018")["published"] == "2018-06-12"
        pipeline = magpie.Pipeline()
        for doc in magpie.code_documents(magpie.read_inputs([EXAMPLES]), pipeline=pipeline):
            assert store.doc_events(doc.id) == list(magpie.records(doc, pipeline.lexicon))  # as `magpie code`
        with pytest.raises(StoreError, match="unknown filter"):
            store.events(actr="x")
        with pytest.raises(StoreError, match="YYYY-MM-DD"):
            store.events(since="21 Nov")


def test_magpie_open_is_store_open() -> None:
    assert magpie_store.open is magpie.store.open
    if hasattr(magpie, "open"):
        assert magpie.open is magpie_store.open


def _count(db: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def _ingest_command(corpus_path: Path, db: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "magpie.store.cli", "ingest", str(corpus_path), "--db", str(db), "--quiet",
            "--batch-size", "10", *extra]


def test_kill_9_mid_ingest_then_resume(tmp_path: Path) -> None:
    records = corpus(300, seed=11)
    records[50] = dict(records[10], id="copy-of-10", source="elsewhere")  # an exact copy, linked on resume too
    corpus_path = write_jsonl(tmp_path / "corpus.jsonl", records, bad_lines=(7, 120))
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    killed_db, clean_db = tmp_path / "killed.db", tmp_path / "clean.db"

    process = subprocess.Popen(_ingest_command(corpus_path, killed_db), env=env, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while _count(killed_db) < 40 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    partial = _count(killed_db)
    assert 0 < partial < 300, "the run must be killed mid-way"

    resumed = subprocess.run(_ingest_command(corpus_path, killed_db), env=env, capture_output=True, text=True)
    assert resumed.returncode == 1, resumed.stderr  # the two malformed lines are rejected
    clean = subprocess.run(_ingest_command(corpus_path, clean_db, "--workers", "2"), env=env, capture_output=True,
                           text=True)
    assert clean.returncode == 1, clean.stderr

    with magpie.store.open(killed_db) as a, magpie.store.open(clean_db) as b:
        assert a.integrity_check() == "ok"
        assert a.counts() == b.counts()
        assert a.counts()["documents"] == 300 and a.counts()["rejects"] == 2
        assert stable(a.events()) == stable(b.events())
        original = a.conn.execute("SELECT coalesce(duplicate_of, id) FROM documents WHERE id='doc-10'").fetchone()
        assert a.conn.execute("SELECT duplicate_of FROM documents WHERE id='copy-of-10'").fetchone() == original
        runs = a.conn.execute("SELECT finished FROM runs ORDER BY run_key").fetchall()
        assert runs[0][0] is None and runs[-1][0] is not None  # the killed run never finished


def test_interrupted_ingest_keeps_committed_batches(db: Path) -> None:
    records = corpus(30)

    def interrupted():
        for i, doc in enumerate(documents(records)):
            if i == 25:
                raise KeyboardInterrupt
            yield doc

    with magpie.store.open(db, create=True) as store:
        with pytest.raises(KeyboardInterrupt):
            store.ingest(interrupted(), batch_size=10)
        assert store.counts()["documents"] == 20  # two committed batches; the third rolled back
        stats = store.ingest(documents(records), batch_size=10)
        assert stats.skipped == 20 and stats.stored == 10
        assert store.integrity_check() == "ok"
