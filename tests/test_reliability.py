"""Issue 11, "reliability, round two": each fault a hostile tester found, reproduced and held."""

from __future__ import annotations

import codecs
import contextlib
import io
import json
import multiprocessing
import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
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


# -- 13: UTF-32 with a BOM; every skipped path reported; symbolic links only inside the folder named ------------

@pytest.mark.parametrize("encoding", ["utf-32", "utf-32-be"])
def test_utf32_with_bom_is_decoded(tmp_path: Path, encoding: str) -> None:
    from magpie.read import read_inputs

    path = tmp_path / "a.txt"
    data = GOOD.encode(encoding)
    if encoding == "utf-32-be":
        data = codecs.BOM_UTF32_BE + data
    path.write_bytes(data)
    (doc,) = read_inputs([path])
    assert isinstance(doc, Document) and doc.text == GOOD


def _tree(tmp_path: Path) -> tuple[Path, Path]:
    root, outside = tmp_path / "news", tmp_path / "private"
    (root / "sub").mkdir(parents=True)
    outside.mkdir()
    (root / "a.txt").write_text(GOOD, encoding="utf-8")
    (root / "sub" / "b.txt").write_text("中方对印尼的努力表示赞赏。", encoding="utf-8")
    (root / "locked").mkdir()
    (root / "locked" / "c.txt").write_text(GOOD, encoding="utf-8")
    (outside / "secret.txt").write_text("普京22日会见了沙特国王萨勒曼。", encoding="utf-8")
    (root / "out.txt").symlink_to(outside / "secret.txt")
    (root / "outdir").symlink_to(outside)
    (root / "same.txt").symlink_to(root / "a.txt")
    (root / "gone.txt").symlink_to(tmp_path / "nothing.txt")
    (root / "loop").symlink_to(root)
    os.mkfifo(root / "pipe.txt")  # nobody writes to it: reading it would wait for ever
    (root / "notes.md").write_text("not news", encoding="utf-8")
    (root / ".hidden.txt").write_text(GOOD, encoding="utf-8")
    return root, outside


def _locked_scandir(monkeypatch: pytest.MonkeyPatch, locked: Path) -> None:
    """Tests run as root here, where chmod 000 does not stop reading: refuse the folder as the kernel would."""
    real = os.scandir

    def scandir(path: Any) -> Any:
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)


def test_folder_walk_reports_every_skipped_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from magpie.read import read_inputs

    root, _ = _tree(tmp_path)
    _locked_scandir(monkeypatch, root / "locked")
    skipped: dict[str, str] = {}
    items = list(read_inputs([root], on_skip=lambda path, reason: skipped.setdefault(Path(path).name, reason)))
    assert [i.id for i in items if isinstance(i, Document)] == ["a", "b"]
    (reject,) = [i for i in items if isinstance(i, Reject)]
    assert reject.origin == str(root / "locked") and "cannot read the folder: Permission denied" in reject.reason
    assert "outside" in skipped["out.txt"] and "--follow-symlinks" in skipped["out.txt"]
    assert "outside" in skipped["outdir"]
    assert "same file as one read before" in skipped["same.txt"]
    assert "broken symbolic link" in skipped["gone.txt"]
    assert "already read" in skipped["loop"]
    assert "not a regular file" in skipped["pipe.txt"]
    assert "Markdown is not read" in skipped["notes.md"] and "hidden" in skipped[".hidden.txt"]
    # asked for: links out of the folder are followed (the secret file once, though two links reach it)
    items = list(read_inputs([root], follow_symlinks=True))
    assert sorted(i.id for i in items if isinstance(i, Document)) == ["a", "b", "out"]


def test_cli_prints_skipped_paths_even_when_quiet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root, _ = _tree(tmp_path)
    for argv in (["code", "-q", str(root), "-o", str(tmp_path / "e.jsonl")],
                 ["ingest", "-q", str(root), "--db", str(tmp_path / "m.db")]):
        assert main(argv) == 0
        err = capsys.readouterr().err
        assert f"magpie: skipped {root / 'pipe.txt'}: not a regular file" in err
        assert f"magpie: skipped {root / 'out.txt'}: symbolic link to" in err
    with magpie.open(tmp_path / "m.db") as store:
        ids = {r[0] for r in store.conn.execute("SELECT id FROM documents")}
    assert "out" not in ids and {"a", "b", "c"} <= ids


# -- 4: the same cap for every source (files, devices, FIFOs, standard input), memory bounded --------------------

@pytest.fixture
def small_cap(monkeypatch: pytest.MonkeyPatch) -> int:
    import magpie.read

    monkeypatch.setattr(magpie.read, "MAX_BYTES", 1 << 20)
    return 1 << 20


def test_dev_zero_is_rejected_at_the_cap() -> None:
    from magpie.read import read_inputs

    (item,) = read_inputs(["/dev/zero"])  # before: read until memory ran out
    assert isinstance(item, Reject) and "over the 50 MiB limit" in item.reason


def test_a_fifo_named_explicitly_is_read_up_to_the_cap(tmp_path: Path, small_cap: int) -> None:
    from magpie.read import read_inputs

    fifo = tmp_path / "feed.txt"
    os.mkfifo(fifo)

    def endless() -> None:
        with contextlib.suppress(BrokenPipeError), open(fifo, "wb") as handle:
            while True:
                handle.write("俄罗斯总统普京21日与埃及总统塞西通了电话。".encode() * 10_000)

    writer = threading.Thread(target=endless, daemon=True)
    writer.start()
    (item,) = read_inputs([fifo])
    assert isinstance(item, Reject) and "over the 1 MiB limit" in item.reason
    writer.join(timeout=10)
    assert not writer.is_alive()  # the reader closed the FIFO: the writer saw a broken pipe, nobody hangs
    fifo_jsonl = tmp_path / "feed.jsonl"
    os.mkfifo(fifo_jsonl)
    writer = threading.Thread(target=lambda: fifo_jsonl.write_text(_line("f1") + "\n" + _line("f2") + "\n"))
    writer.start()
    assert [i.id for i in read_inputs([fifo_jsonl])] == ["f1", "f2"]  # type: ignore[union-attr]
    writer.join(timeout=10)


def test_an_over_long_line_on_stdin_is_one_reject(small_cap: int) -> None:
    from magpie.read import read_inputs

    long_line = json.dumps({"id": "long", "text": "很长" * 1_000_000}, ensure_ascii=False)  # 6 MB
    stream = io.BytesIO(f"{_line('s1')}\n{long_line}\n{_line('s2')}\n".encode())
    items = list(read_inputs(["-"], stdin=stream))
    assert [getattr(i, "id", None) for i in items] == ["s1", None, "s2"]
    assert items[1].line == 2 and "line is 6 MB, over the 1 MiB limit" in items[1].reason  # type: ignore[union-attr]


class _Zeros(io.RawIOBase):
    """An endless stream of NUL bytes (``magpie code - < /dev/zero``), counting what was read."""

    def __init__(self) -> None:
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        buffer[:] = bytes(len(buffer))
        self.read_bytes += len(buffer)
        return len(buffer)


def test_endless_binary_stdin_stops_at_the_cap(small_cap: int) -> None:
    from magpie.read import read_inputs

    zeros = _Zeros()
    (item,) = read_inputs(["-"], stdin=io.BufferedReader(zeros))
    assert isinstance(item, Reject) and "binary data" in item.reason and "not read" in item.reason
    assert zeros.read_bytes < 2 * small_cap


def _peak_rss_mib(argv: list[str], tmp_path: Path, *, stdin_bytes: int = 0,
                  fifo: Path | None = None) -> tuple[int, float, str]:
    """Run ``magpie argv`` in a fresh wrapper process; return (status, the child's peak RSS in MiB, stderr).

    ``stdin_bytes``: that many bytes of one JSONL line that never ends, on standard input or into ``fifo``."""
    wrapper = textwrap.dedent("""
        import resource, subprocess, sys
        status = subprocess.run([sys.executable, "-m", "magpie.cli", *sys.argv[1:]],
                                stdout=subprocess.DEVNULL).returncode
        print(status, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    """)
    out, err = tmp_path / "out.txt", tmp_path / "err.txt"
    with out.open("wb") as out_handle, err.open("wb") as err_handle:
        process = subprocess.Popen([sys.executable, "-c", wrapper, *argv], stdout=out_handle, stderr=err_handle,
                                   stdin=subprocess.PIPE if stdin_bytes and fifo is None else subprocess.DEVNULL)

    def feed() -> None:
        chunk = b'{"id": "x", "text": "' + "很长".encode() * (1 << 19)  # 3 MiB pieces of one line
        with contextlib.suppress(BrokenPipeError), \
                (open(fifo, "wb") if fifo is not None else process.stdin) as handle:  # type: ignore[union-attr]
            sent = 0
            while sent < stdin_bytes:
                handle.write(chunk)
                sent += len(chunk)
            handle.write(b'"}\n')

    feeder = threading.Thread(target=feed, daemon=True)
    if stdin_bytes:
        feeder.start()
    process.wait(timeout=300)
    if stdin_bytes:
        feeder.join(timeout=30)
    status, rss_kib = out.read_text().split()
    return int(status), int(rss_kib) / 1024, err.read_text(encoding="utf-8")


@pytest.mark.slow
def test_peak_memory_is_bounded_for_dev_zero_a_fifo_and_400_mb_on_stdin(tmp_path: Path) -> None:
    fifo = tmp_path / "feed.txt"
    os.mkfifo(fifo)
    runs = {
        "code /dev/zero": _peak_rss_mib(["code", "/dev/zero"], tmp_path),
        "ingest /dev/zero": _peak_rss_mib(["ingest", "/dev/zero", "--db", str(tmp_path / "m.db")], tmp_path),
        "code FIFO (400 MB line)": _peak_rss_mib(["code", str(fifo)], tmp_path, stdin_bytes=400_000_000, fifo=fifo),
        "code - (400 MB line)": _peak_rss_mib(["code", "-"], tmp_path, stdin_bytes=400_000_000),
        "ingest - (400 MB line)": _peak_rss_mib(["ingest", "-", "--db", str(tmp_path / "m.db")], tmp_path,
                                                 stdin_bytes=400_000_000),
    }
    for name, (status, rss, err) in runs.items():
        print(f"{name}: exit {status}, peak RSS {rss:,.0f} MiB")
        assert status == 1 and "over the 50 MiB limit" in err, (name, err)
        assert rss < 400, (name, rss)  # before: 1.6 GB and rising for /dev/zero, 1 GB for 400 MB on stdin


# -- 10: a file that is not a Magpie store is refused everywhere; export and serve never write -------------------

def _untouched(path: Path) -> tuple[bytes, bool]:
    return path.read_bytes(), any(Path(f"{path}{s}").exists() for s in ("-wal", "-shm", "-journal"))


@pytest.fixture
def no_serving(monkeypatch: pytest.MonkeyPatch) -> None:
    """``magpie serve`` must refuse before it serves: were it to serve, the test fails instead of hanging."""
    import uvicorn

    def serve(self: Any, sockets: Any = None) -> None:
        raise AssertionError("magpie serve started serving")

    monkeypatch.setattr(uvicorn.Server, "run", serve)


def test_empty_and_foreign_databases_are_refused_and_left_alone(tmp_path: Path, no_serving: None,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    from magpie.errors import StoreError

    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    foreign = tmp_path / "foreign.db"
    with contextlib.closing(sqlite3.connect(foreign)) as conn:
        conn.execute("CREATE TABLE accounts (name TEXT, balance REAL)")
        conn.execute("INSERT INTO accounts VALUES ('a', 1.0)")
        conn.commit()
    for db, what in ((empty, "an empty file or database"), (foreign, "an SQLite database with the tables accounts")):
        before = _untouched(db)
        commands = [["export", "--db", str(db)], ["serve", "--db", str(db), "--port", "0"]]
        if db == foreign:
            commands.append(["ingest", str(SEED), "--db", str(db)])
        for argv in commands:
            assert main(argv) == 2, argv
            err = capsys.readouterr().err
            assert f"{db}: not a Magpie store ({what}" in err and "Traceback" not in err, argv
            assert _untouched(db) == before, argv  # not a byte written, no -wal or -shm beside it
        with pytest.raises(StoreError, match="not a Magpie store"):
            magpie.open(db)
    # a 0-byte file named on purpose for a new store is made one by ingest (and only by ingest)
    assert main(["ingest", "-q", str(SEED), "--db", str(empty)]) == 0
    with magpie.open(empty) as store:
        assert store.counts()["documents"] == 1


# -- 11: damage inside the store is found at the start of ingest, export and serve, and named ------------------

def _damaged_store(tmp_path: Path) -> Path:
    """A store whose doc_events root page is overwritten with garbage (a bad disk, a torn copy)."""
    db = tmp_path / "damaged.db"
    text = "俄罗斯总统普京{d}日与埃及总统塞西通了电话。双方讨论了叙利亚问题。中方对印尼的努力表示赞赏。"
    with magpie.open(db, create=True) as store:
        store.ingest([Document(id=f"d{i}", text=text.format(d=1 + i % 28) + f"（第{i}篇）", published="2017-11-29")
                      for i in range(40)])
    with contextlib.closing(sqlite3.connect(db)) as conn:
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name='doc_events'").fetchone()[0]
        size = conn.execute("PRAGMA page_size").fetchone()[0]
    data = bytearray(db.read_bytes())
    start = (root - 1) * size
    data[start + 8 : start + size - 8] = random.Random(7).randbytes(size - 16)
    db.write_bytes(bytes(data))
    return db


def test_damaged_store_is_reported_by_ingest_export_and_serve(tmp_path: Path, no_serving: None,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    from magpie.errors import StoreError

    db = _damaged_store(tmp_path)
    before = db.read_bytes()
    for argv in (["ingest", str(SEED), "--db", str(db)], ["export", "--db", str(db), "-f", "gdelt"],
                 ["export", "--db", str(db), "--limit", "1"], ["serve", "--db", str(db), "--port", "0"]):
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        assert f"{db}: the store is damaged (On tree page" in err and "Restore it from a copy" in err, argv
        assert "Traceback" not in err
    assert db.read_bytes() == before  # ingest stopped before writing
    with magpie.open(db) as store:  # the Python API: a damaged page met while reading is a StoreError too
        with pytest.raises(StoreError, match="the store is damaged"):
            store.quick_check()
        with pytest.raises(StoreError, match="the store is damaged"):
            store.events()


# -- 3: a worker of --workers that dies is noticed: the run fails with a message and a rerun completes ------------

@contextlib.contextmanager
def _deadline(seconds: int) -> Any:
    """Fail (rather than hang the suite) when the block runs longer than ``seconds``."""
    def expire(signum: int, frame: Any) -> None:
        raise TimeoutError(f"still running after {seconds} s: a dead worker was not noticed")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _die_on_doc_40(doc: Document, pipeline: Any) -> Any:
    """A transform that kills its own worker process (SIGKILL, as the OOM killer would) on document doc-40."""
    if doc.id == "doc-40":
        os.kill(os.getpid(), signal.SIGKILL)
    from magpie.store.ingest import prepare

    return prepare(doc, pipeline)


def test_a_killed_worker_ends_code_parallel_with_a_message() -> None:
    from magpie.errors import WorkerError
    from magpie.parallel import code_parallel
    from tests.test_store import corpus, documents

    with _deadline(60), pytest.raises(WorkerError, match=r"process \d+\) died \(killed by SIGKILL\)"):
        for _ in code_parallel(documents(corpus(48)), None, workers=2, transform=_die_on_doc_40, chunk_size=2):
            pass


def test_ingest_with_a_killed_worker_fails_then_resumes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    import magpie.store
    from tests.test_store import corpus, write_jsonl

    src = write_jsonl(tmp_path / "c.jsonl", corpus(48))
    db, clean = tmp_path / "m.db", tmp_path / "clean.db"
    monkeypatch.setattr(magpie.store, "prepare", _die_on_doc_40)
    with _deadline(120):
        assert main(["ingest", str(src), "--db", str(db), "--workers", "2", "--batch-size", "4"]) == 2
    err = capsys.readouterr().err
    assert "died (killed by SIGKILL)" in err and "run the same command again" in err
    with magpie.open(db) as store:
        assert 0 < store.counts()["documents"] < 48 and store.integrity_check() == "ok"
    monkeypatch.undo()
    assert main(["ingest", str(src), "--db", str(db), "--workers", "2", "--batch-size", "4"]) == 0
    assert main(["ingest", str(src), "--db", str(clean), "--batch-size", "4"]) == 0
    with magpie.open(db) as resumed, magpie.open(clean) as whole:
        assert resumed.counts() == whole.counts()


@pytest.mark.slow
def test_sigkill_of_a_real_ingest_worker_then_resume(tmp_path: Path) -> None:
    """The hostile tester's run: ``magpie ingest --workers 2``, one worker killed from outside with SIGKILL."""
    from tests.test_store import corpus, write_jsonl

    src = write_jsonl(tmp_path / "c.jsonl", corpus(400))
    db = tmp_path / "m.db"
    argv = [sys.executable, "-m", "magpie.cli", "ingest", str(src), "--db", str(db), "--workers", "2",
            "--batch-size", "20"]
    process = subprocess.Popen(argv, stderr=subprocess.PIPE, text=True)
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    for _ in range(300):
        pids = children.read_text().split() if children.exists() else []
        if len(pids) >= 2 and db.exists():
            break
        time.sleep(0.1)
    time.sleep(2)  # coding under way
    os.kill(int(pids[0]), signal.SIGKILL)
    _, err = process.communicate(timeout=60)  # before: no progress and no error, for ever
    assert process.returncode == 2 and "died (killed by SIGKILL)" in err and "run the same command again" in err
    assert subprocess.run(argv, capture_output=True, timeout=600).returncode == 0
    with magpie.open(db) as store:
        assert store.counts()["documents"] == 400 and store.integrity_check() == "ok"


# -- 17: `magpie code --workers` turns documents into output in the workers (no coded Documents sent back) --------

def test_code_workers_send_back_output_not_documents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import magpie.cli
    from magpie.parallel import code_parallel
    from tests.test_store import corpus, write_jsonl

    src = write_jsonl(tmp_path / "c.jsonl", corpus(40))
    crossed: list[type] = []

    def watched(*args: Any, **kwargs: Any) -> Any:
        for item in code_parallel(*args, **kwargs):
            crossed.append(type(item))
            yield item

    monkeypatch.setattr(magpie.cli, "code_parallel", watched)
    outputs = {}
    for workers in ("1", "2"):
        out, docs = tmp_path / f"e{workers}.jsonl", tmp_path / f"d{workers}.jsonl"
        assert main(["code", str(src), "-q", "--workers", workers, "-o", str(out), "--documents", str(docs)]) == 0
        outputs[workers] = (out.read_bytes(), docs.read_bytes())
    assert outputs["1"] == outputs["2"] and outputs["1"][0].count(b"\n") > 40
    assert len(crossed) == 80 and Document not in crossed  # before: 80 coded Documents, pickled back whole
    table = tmp_path / "t.txt"
    assert main(["code", str(src), "-q", "--workers", "2", "--format", "table", "-o", str(table)]) == 0
    assert table.read_text(encoding="utf-8").count("\n") > 40


# -- 15: concurrent ingests into one store: serialised, so the store is that of the same runs one after another --

def _ingest_at_barrier(db: str, docs: list[Document], barrier: Any, results: Any) -> None:
    waited: list[int | None] = []
    barrier.wait()
    try:
        with magpie.open(db) as store:
            stats = store.ingest(docs, batch_size=2, on_wait=waited.append)
        results.put(("ok", stats.stored, bool(waited)))
    except Exception as error:
        results.put(("error", str(error), False))


def _content(db: Path) -> tuple[dict[str, int], list[tuple[Any, ...]]]:
    with magpie.open(db) as store:
        events = store.conn.execute(
            "SELECT e.code, e.date, e.source_code, e.target_code, e.num_mentions, e.num_articles, d.id "
            "FROM events e JOIN documents d ON d.doc_key = e.doc_key ORDER BY e.event_key").fetchall()
        return store.counts(), events


def test_concurrent_ingests_equal_the_same_runs_one_after_the_other(tmp_path: Path, lexicon: Any) -> None:
    from tests.test_store import corpus, documents

    docs = list(documents(corpus(48, seed=11)))
    halves = [docs[::2], docs[1::2]]  # the same kinds of events in both: merging across runs matters
    db = tmp_path / "both.db"
    magpie.open(db, create=True).close()
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(2), context.Queue()
    processes = [context.Process(target=_ingest_at_barrier, args=(str(db), half, barrier, results))
                 for half in halves]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=300) for _ in processes]
    for process in processes:
        process.join(timeout=60)
    assert sorted(o[:2] for o in outcomes) == [("ok", 24), ("ok", 24)]
    assert sum(o[2] for o in outcomes) == 1  # exactly one run waited for the other
    with magpie.open(db) as store:  # before: the two runs' batches interleaved
        runs = [r[0] for r in store.conn.execute("SELECT run_key FROM documents ORDER BY doc_key")]
    assert runs == sorted(runs)
    orders = []
    for name, order in (("ab", halves), ("ba", halves[::-1])):
        with magpie.open(tmp_path / f"{name}.db", create=True) as store:
            for half in order:
                store.ingest(half, batch_size=2)
        orders.append(_content(tmp_path / f"{name}.db"))
    assert _content(db) in orders


def test_spark_reads_hostile_lines_as_rejects_too() -> None:
    from magpie.spark import document_from_line

    for number, (line, reason) in HOSTILE_LINES.items():
        item = document_from_line(line, "part-0.jsonl", number)
        assert isinstance(item, Reject) and reason in item.reason and item.line == number


def test_workers_leave_when_their_parent_is_killed(tmp_path: Path) -> None:
    """kill -9 of `magpie code --workers 2` (or ingest) must not leave its workers behind, blocked on pipes."""
    script = textwrap.dedent("""
        import multiprocessing, sys
        from magpie.document import Document
        from magpie.parallel import code_parallel

        def endless():
            n = 0
            while True:
                yield Document(id=f"d{n}", text="普京21日与塞西通了电话。" * 20, published="2017-11-22")
                n += 1

        for i, _ in enumerate(code_parallel(endless(), None, workers=2, chunk_size=4)):
            if i == 20:
                print(" ".join(str(p.pid) for p in multiprocessing.active_children()), flush=True)
    """)
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    workers = [int(pid) for pid in process.stdout.readline().split()]  # type: ignore[union-attr]
    assert len(workers) == 2
    process.kill()
    process.wait(timeout=30)
    alive = set(workers)
    for _ in range(100):  # before: still there, sleeping on a pipe, long after
        alive = {pid for pid in alive if Path(f"/proc/{pid}").exists()
                 and Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"}
        if not alive:
            break
        time.sleep(0.1)
    assert not alive
