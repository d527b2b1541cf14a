"""No silent no-ops (issue 12, item 15): skipped files are named with the reason; nothing read is an error."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import SEED

MAGPIE = [sys.executable, "-m", "magpie.cli"]


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*MAGPIE, *args], capture_output=True, text=True, timeout=120, cwd=cwd)


def test_empty_folder_says_so_and_fails(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    done = run("code", "empty/", cwd=tmp_path)
    assert done.returncode == 1 and done.stdout == ""
    assert "empty: no .htm, .html, .jsonl, .txt files in this folder" in done.stderr
    assert "no document was read from empty/" in done.stderr
    done = run("ingest", "empty/", "--db", "m.db", "-q", cwd=tmp_path)
    assert done.returncode == 1 and "no document was read" in done.stderr


def test_folder_names_the_files_it_skips(tmp_path: Path) -> None:
    news = tmp_path / "news"
    news.mkdir()
    shutil.copy(SEED, news / "seed.txt")
    (news / "report.docx").write_bytes(b"PK\x03\x04\x00\x00 a zip archive")
    (news / "notes.md").write_text("# 笔记\n俄罗斯总统普京21日与埃及总统塞西通了电话。\n", encoding="utf-8")
    (news / ".hidden.docx").write_bytes(b"PK")
    done = run("code", "news/", "--format", "jsonl", "-q", cwd=tmp_path)
    assert done.returncode == 0 and '"code": "041"' in done.stdout  # the text file is coded: a warning, no failure
    assert "skipped news/report.docx: a Word document (.docx) is not read: save it as plain text" in done.stderr
    assert "skipped news/notes.md: Markdown is not read from a folder" in done.stderr
    assert ".hidden" not in done.stderr
    done = run("ingest", "news/", "--db", "m.db", "-q", cwd=tmp_path)
    assert done.returncode == 0 and "skipped news/report.docx" in done.stderr


def test_docx_given_by_name_is_refused_as_a_word_document(tmp_path: Path) -> None:
    (tmp_path / "report.docx").write_bytes(b"PK\x03\x04\x00\x00 a zip archive")
    done = run("code", "report.docx", cwd=tmp_path)
    assert done.returncode == 1
    assert "rejected report.docx: a Word document (.docx) is not read" in done.stderr
    assert "NUL" not in done.stderr
    (tmp_path / "notes.md").write_text("俄罗斯总统普京21日与埃及总统塞西通了电话。\n", encoding="utf-8")
    done = run("code", "notes.md", "--published", "2017-11-22", "--format", "jsonl", cwd=tmp_path)
    assert done.returncode == 0 and '"code": "041"' in done.stdout  # by name, Markdown is read as text
