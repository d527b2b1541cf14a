"""Issue 11, "reliability, round two": each fault a hostile tester found, reproduced and held."""

from __future__ import annotations

import io
import json
import multiprocessing
import sqlite3
from pathlib import Path
from typing import Any

import pytest

import magpie
from magpie.cli import main
from magpie.document import Document, Reject
from magpie.store.schema import SCHEMA_VERSION

SEED = Path(__file__).resolve().parent.parent / "examples" / "000_ec79773fa7d8658e.txt"
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


# -- 12: dates and codes: real calendar days, ASCII digits only --------------------------------------------------

BAD_DATES = ["２０１７-１１-２１", "٢٠١٧-١١-٢١", "2017-13-45", "2017-02-30", "2017-00", "0000", "2017-11-21\n",
             "2017-1-2"]


@pytest.mark.parametrize("value", BAD_DATES)
def test_bad_dates_are_refused_everywhere(tmp_path: Path, value: str, capsys: pytest.CaptureFixture[str]) -> None:
    from magpie.errors import OptionsError, StoreError
    from magpie.pipeline import Options
    from magpie.read import read_jsonl_lines
    from magpie.store.query import Filters

    with pytest.raises(StoreError, match="a real da"):
        Filters.make(since=value)
    with pytest.raises(StoreError, match="a real da"):
        Filters.make(until=value)
    if len(value) >= 10:
        with pytest.raises(OptionsError, match="a real da"):
            Options(published=value)
        assert main(["code", "--published", value, str(SEED)]) == 2
        assert "--published" in capsys.readouterr().err
    if len(value) >= 10 and "\n" not in value:  # JSONL takes a timestamp after the day (2017-11-21T08:00)
        line = json.dumps({"id": "x", "text": GOOD, "published": value}).encode()
        (item,) = read_jsonl_lines(io.BytesIO(line), "d.jsonl")
        assert isinstance(item, Reject) and "a real da" in item.reason


def test_good_dates_and_codes_still_pass() -> None:
    from magpie.errors import StoreError
    from magpie.pipeline import Options
    from magpie.store.query import Filters

    assert Filters.make(since="2016-02-29", until="2017-11", root="04", code="0411").since == "2016-02-29"
    assert Filters.make(until="2017").until == "2017"
    assert Options(published="2016-02-29").published == "2016-02-29"
    for code in ("０４", "٠٤", "4", "04a"):
        with pytest.raises(StoreError, match="CAMEO code"):
            Filters.make(root=code)


def test_web_api_answers_400_for_bad_dates_and_codes(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from magpie.web.app import create_app

    db = tmp_path / "w.db"
    with magpie.open(db, create=True) as store:
        store.ingest([Document(id="a", text=GOOD, published="2017-11-22")])
    with TestClient(create_app(db, preload=False)) as client:
        assert client.get("/api/events", params={"until": "2017-11-21"}).status_code == 200
        for params in ({"until": "２０１７-１１-２１"}, {"since": "2017-13-45"}, {"since": "2017-02-30"},
                       {"root": "０４"}):
            response = client.get("/api/events", params=params)
            assert response.status_code == 400, params
            assert "expected" in response.json()["error"]


# -- 1: one hostile JSONL line is one reject, never the end of the run --------------------------------------------

HOSTILE_LINES = {
    2: ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    3: ('{"id": "big", "text": "普京会见塞西。", "n": ' + "9" * 5000 + "}", "more than 4,300 digits"),
    4: ('{"id": "\\ud800", "text": "普京21日会见塞西。"}', "field 'id' holds a lone surrogate"),
    5: ('{"id": "t", "title": "\\ud800x", "text": "普京21日会见塞西。"}', "field 'title' holds a lone surrogate"),
    6: ('{"id": "tx", "text": "普京21日会见塞西。\\udc00"}', "field 'text' holds a lone surrogate"),
}


def _hostile_file(tmp_path: Path) -> Path:
    lines = [_line("good-1"), *(line for line, _ in HOSTILE_LINES.values()),
             _line("good-2", "中方对印尼的努力表示赞赏。普京22日会见了沙特国王萨勒曼。")]
    path = tmp_path / "hostile.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_hostile_jsonl_lines_are_rejects_with_file_line_and_reason(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    from magpie.read import read_jsonl_lines

    path = _hostile_file(tmp_path)
    with path.open("rb") as handle:
        items = list(read_jsonl_lines(handle, str(path)))
    assert [i.id for i in items if isinstance(i, Document)] == ["good-1", "good-2"]
    rejects = {i.line: i for i in items if isinstance(i, Reject)}
    assert sorted(rejects) == sorted(HOSTILE_LINES)
    for number, (_, reason) in HOSTILE_LINES.items():
        assert reason in rejects[number].reason and rejects[number].origin == str(path)

    out = tmp_path / "events.jsonl"
    assert main(["code", str(path), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert all(f"{path}:{n}: " in err for n in HOSTILE_LINES) and "Traceback" not in err
    assert {json.loads(line)["doc_id"] for line in out.read_text(encoding="utf-8").splitlines()} == {"good-1", "good-2"}

    db = tmp_path / "m.db"
    for _ in range(2):  # the rerun does not die at the same line either
        assert main(["ingest", str(path), "--db", str(db), "--batch-size", "1000"]) == 1
    with magpie.open(db) as store:
        assert {r[0] for r in store.conn.execute("SELECT id FROM documents")} == {"good-1", "good-2"}
        assert sorted(r["line"] for r in store.rejects()) == sorted(HOSTILE_LINES)
