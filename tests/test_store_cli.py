"""``magpie ingest`` and ``magpie export`` through the command line (magpie.cli once it is wired)."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from magpie.store import cli as store_cli
from magpie.store.ingest import IngestStats
from tests.test_store import corpus, write_jsonl

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _wired() -> bool:
    from magpie import cli

    try:
        with contextlib.redirect_stderr(io.StringIO()):
            cli._parser().parse_args(["export", "--db", "x.db"])
    except SystemExit:
        return False
    return True


WIRED = _wired()


def magpie_main(argv: list[str]) -> int:
    """``magpie …``: the real entry point when it has the store commands, else magpie.store.cli."""
    if WIRED:
        from magpie.cli import main

        return main(argv)
    return store_cli.main(argv)


def test_ingest_then_reingest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "m.db")
    assert magpie_main(["ingest", str(EXAMPLES), "--db", db]) == 0
    err = capsys.readouterr().err
    assert "4 documents stored" in err and "-> " + db in err
    assert magpie_main(["ingest", str(EXAMPLES), "--db", db, "--workers", "2"]) == 0
    err = capsys.readouterr().err
    assert "0 documents stored" in err and "4 already in the store" in err


def test_rejects_give_status_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_jsonl(tmp_path / "c.jsonl", corpus(5), bad_lines=(2,))
    assert magpie_main(["ingest", str(path), "--db", str(tmp_path / "m.db")]) == 1
    err = capsys.readouterr().err
    assert f"rejected {path}:3: not valid JSON" in err and "1 rejected" in err
    assert magpie_main(["ingest", str(path), "--db", str(tmp_path / "m.db"), "-q"]) == 1
    assert capsys.readouterr().err == ""


def test_usage_errors_give_status_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert magpie_main(["ingest", str(EXAMPLES), "--db", str(tmp_path / "m.db"), "--published", "22/11"]) == 2
    assert magpie_main(["export", "--db", str(tmp_path / "missing.db")]) == 2
    assert "no such database" in capsys.readouterr().err
    assert magpie_main(["ingest", str(EXAMPLES), "--db", str(tmp_path / "m.db"), "-q"]) == 0
    assert magpie_main(["export", "--db", str(tmp_path / "m.db"), "--format", "parquet"]) == 2
    assert magpie_main(["export", "--db", str(tmp_path / "m.db"), "--since", "yesterday"]) == 2
    err = capsys.readouterr().err
    assert "parquet is binary" in err and "YYYY-MM-DD" in err


def test_export_formats_and_filters(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "m.db")
    assert magpie_main(["ingest", str(EXAMPLES), "--db", db, "-q"]) == 0
    capsys.readouterr()
    assert magpie_main(["export", "--db", db]) == 0  # JSONL on standard output
    out, err = capsys.readouterr()
    events = [json.loads(line) for line in out.splitlines()]
    assert events and f"{len(events)} events written as jsonl" in err
    assert magpie_main(["export", "--db", db, "-f", "gdelt", "--actor", "普丁", "--root", "04", "-q"]) == 0
    rows = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    assert rows and all(len(r) == 61 and r[28] == "04" for r in rows)
    assert all("RUS" in (r[7], r[17]) for r in rows)
    for fmt in ("plover", "csv", "parquet"):
        target = tmp_path / f"e.{fmt}"
        assert magpie_main(["export", "--db", db, "-f", fmt, "-o", str(target), "--quad", "1", "--quad", "2"]) == 0
        assert target.stat().st_size > 0
    assert set(pq.read_table(tmp_path / "e.parquet").column("quad_class").to_pylist()) <= {1, 2}
    assert magpie_main(["export", "--db", db, "--text", "電話", "--limit", "1", "-q"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 1


def test_progress_line_and_document_count(tmp_path: Path) -> None:
    stats = IngestStats(read=50, events=120, rejects=2, total=200)

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    bar = store_cli.Progress(quiet=False, stream=terminal, total=200)
    bar.update(stats, None)
    bar.bar.bar.refresh()
    line = terminal.getvalue()
    assert "50/200" in line and "25%" in line and "ETA" in line and "120 events" in line and "2 rejected" in line
    assert "docs/s" in line
    terminal = Terminal()
    open_ended = store_cli.Progress(quiet=False, stream=terminal)  # stdin: no total, no ETA
    open_ended.update(IngestStats(read=5), None)
    open_ended.bar.bar.refresh()
    assert "5 docs" in terminal.getvalue() and "ETA" not in terminal.getvalue()
    path = write_jsonl(tmp_path / "c.jsonl", corpus(7))
    (tmp_path / "a.txt").write_text("正文", encoding="utf-8")
    assert store_cli.count_documents([str(tmp_path)]) == 8
    assert store_cli.count_documents([str(path), "-"]) is None
    stream = io.StringIO()  # not a terminal: no bar, but rejects are still reported
    progress = store_cli.Progress(quiet=False, stream=stream)
    progress.update(stats, None)
    assert stream.getvalue() == "" and not progress.enabled
