"""Faults: a locked, read-only, full or corrupted database gives a clear error and no partial writes."""

import sqlite3

import pytest

import magpie
from magpie.cli import main
from magpie.document import Document
from magpie.errors import StoreError

from .conftest import SEED

TEXT = "俄罗斯总统普京{d}日与埃及总统塞西通了电话。双方讨论了叙利亚问题。中方对印尼的努力表示赞赏。"


def docs(n, start=0):
    return [Document(id=f"d{i}", text=TEXT.format(d=1 + i % 28) + f"（第{i}篇）", published="2017-11-29")
            for i in range(start, start + n)]


def consistent(store):
    """Every stored document has exactly the per-document events it says it has."""
    assert store.integrity_check() == "ok"
    rows = store.conn.execute(
        "SELECT d.events, (SELECT count(*) FROM doc_events e WHERE e.doc_key = d.doc_key) FROM documents d")
    for declared, stored in rows:
        assert declared == stored


def test_corrupted_file(tmp_path, capsys):
    db = tmp_path / "broken.db"
    db.write_bytes(b"SQLite format 3\x00" + b"\xde\xad\xbe\xef" * 500)
    with pytest.raises(StoreError, match="not a readable SQLite database"):
        magpie.open(db)
    assert main(["ingest", "--db", str(db), "-q", str(SEED)]) == 2
    err = capsys.readouterr().err
    assert str(db) in err and "restore it from a copy" in err


def test_locked_database(tmp_path):
    db = tmp_path / "locked.db"
    with magpie.open(db, create=True) as store:
        store.ingest(docs(5))
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError, match="locked by another process"), magpie.open(db, busy_timeout=0.2) as store:
            store.ingest(docs(5, start=5))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with magpie.open(db) as store:
        assert store.counts()["documents"] == 5
        consistent(store)


def test_read_only_database(tmp_path):
    db = tmp_path / "ro.db"
    with magpie.open(db, create=True) as store:
        store.ingest(docs(3))
    with magpie.open(db) as store:
        store.conn.execute("PRAGMA query_only=ON")  # what a read-only file or mount does to writes
        with pytest.raises(StoreError, match="read-only"):
            store.ingest(docs(3, start=3))
    with magpie.open(db) as store:
        assert store.counts()["documents"] == 3
        consistent(store)


def test_full_disk_keeps_only_whole_batches(tmp_path):
    db = tmp_path / "full.db"
    with magpie.open(db, create=True) as store:
        store.ingest(docs(10), batch_size=10)
        pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
        store.conn.execute(f"PRAGMA max_page_count={pages + 8}")  # a disk with a few pages left
        with pytest.raises(StoreError, match="full") as info:
            store.ingest(docs(400, start=10), batch_size=50)
        assert "batches committed before are kept" in str(info.value)
    with magpie.open(db) as store:
        count = store.counts()["documents"]
        assert count >= 10 and (count - 10) % 50 == 0  # nothing half-written
        consistent(store)
    # space again: the same command completes the rest
    with magpie.open(db) as store:
        store.ingest(docs(400, start=10), batch_size=50)
        assert store.counts()["documents"] == 410
        consistent(store)


def test_missing_folder_for_the_database(tmp_path, capsys):
    db = tmp_path / "no" / "such" / "folder" / "x.db"
    assert main(["ingest", "--db", str(db), "-q", str(SEED)]) == 2
    assert "cannot open the database file" in capsys.readouterr().err


def test_hostile_lexicon_file_names_file_and_line(tmp_path, capsys):
    bad = tmp_path / "evil.tsv"
    bad.write_text("trigger\tcode\tframe\tnote\n会见\t040\twith\t\n攻击\t999999\tobj\t\n", encoding="utf-8")
    assert main(["code", "--lexicon", str(bad), str(SEED)]) == 2
    assert "evil.tsv:3" in capsys.readouterr().err
    binary = tmp_path / "bin.tsv"
    binary.write_bytes(b"\xff\xfe\x00\x00garbage")
    assert main(["code", "--lexicon", str(binary), str(SEED)]) == 2
    assert "bin.tsv" in capsys.readouterr().err
