"""Issue 11, "reliability, round two": each fault a hostile tester found, reproduced and held."""

from __future__ import annotations

import json
import multiprocessing
import sqlite3
from pathlib import Path
from typing import Any

import pytest

import magpie
from magpie.cli import main
from magpie.document import Document
from magpie.store.schema import SCHEMA_VERSION

GOOD = "俄罗斯总统普京21日与埃及总统塞西通了电话。双方讨论了叙利亚问题。"


def _line(doc_id: str, text: str = GOOD, **extra: object) -> str:
    return json.dumps({"id": doc_id, "text": text, "published": "2017-11-22", **extra}, ensure_ascii=False)


# -- 14: `ingest -q` still prints reject lines ----------------------------------------------------------------

def test_quiet_ingest_still_prints_rejects(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(_line("ok") + "\n{not json\n", encoding="utf-8")
    assert main(["ingest", "-q", str(src), "--db", str(tmp_path / "m.db")]) == 1
    err = capsys.readouterr().err
    assert f"rejected {src}:2: not valid JSON" in err
    assert "documents stored" not in err  # the summary stays quiet
    assert main(["code", "-q", str(src)]) == 1
    assert f"rejected {src}:2: not valid JSON" in capsys.readouterr().err


# -- 18: Store.doc_events finds mentions by doc_event_key through an index; older stores gain it ----------------

def _plan(conn: sqlite3.Connection, sql: str) -> str:
    return " ".join(row[-1] for row in conn.execute("EXPLAIN QUERY PLAN " + sql, (1,)))


def test_doc_events_mentions_use_an_index_and_old_stores_are_migrated(tmp_path: Path) -> None:
    from magpie.store.schema import MIGRATIONS

    sql = ("SELECT sentence, sentence_start, sentence_end, trigger, trigger_start, trigger_end FROM mentions "
           "WHERE doc_event_key = ? ORDER BY mention_key")
    db = tmp_path / "v2.db"
    conn = sqlite3.connect(db, isolation_level=None)
    for number, migration in enumerate(MIGRATIONS[:2]):  # a store written by a Magpie of schema version 2
        migration(conn)
        conn.execute(f"PRAGMA user_version = {number + 1}")
    assert "SCAN" in _plan(conn, sql)  # what every mention lookup did: a full scan of mentions
    conn.close()
    with magpie.open(db) as store:
        assert store.version == SCHEMA_VERSION >= 3
        assert "USING INDEX mentions_doc_event" in _plan(store.conn, sql)
        store.ingest([Document(id="a", text=GOOD, published="2017-11-22")])
        found = store.doc_events("a")
        assert found and all(r["mentions"] and r["mentions"][0]["trigger"]["text"] for r in found)


# -- 9: several processes creating one new store at once -------------------------------------------------------

def _open_at_barrier(path: str, barrier: Any, results: Any) -> None:
    barrier.wait()
    try:
        with magpie.open(path, create=True) as store:
            results.put(("ok", store.version))
    except Exception as error:  # reported to the test, which shows it
        results.put(("error", str(error)))


def test_concurrent_first_opens_create_the_schema_once(tmp_path: Path) -> None:
    context = multiprocessing.get_context("fork")
    for trial in range(4):  # before the fix every trial had a failure ("table meta already exists", "locked")
        path = str(tmp_path / f"new{trial}.db")
        barrier, results = context.Barrier(5), context.Queue()
        processes = [context.Process(target=_open_at_barrier, args=(path, barrier, results)) for _ in range(5)]
        for process in processes:
            process.start()
        outcomes = [results.get(timeout=60) for _ in processes]
        for process in processes:
            process.join(timeout=60)
        assert outcomes == [("ok", SCHEMA_VERSION)] * 5
        with magpie.open(path) as store:
            assert store.integrity_check() == "ok" and store.counts()["documents"] == 0
