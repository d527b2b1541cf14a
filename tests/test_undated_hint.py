"""A document whose text gives no year gets one hint per run to pass --published (issue 12, item 16)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

TEXT = "新华社北京2月22日电 俄罗斯总统普京21日与埃及总统塞西通了电话。双方讨论了叙利亚局势。\n"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "magpie.cli", *args], capture_output=True, text=True, timeout=120,
                          cwd=cwd)


def test_gbk_file_without_a_year_says_once_to_pass_published(tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_bytes(TEXT.encode("gbk"))
    done = run("code", "a.txt", "b.txt", "--format", "table", "-q", cwd=tmp_path)
    assert done.returncode == 0 and "?  " in done.stdout  # the dates cannot be resolved
    assert done.stderr.count("--published") == 1
    assert "2 document(s) (a.txt …) have no publication date" in done.stderr
    done = run("code", "a.txt", "--published", "2017-02-22", "--format", "jsonl", "-q", cwd=tmp_path)
    assert '"date": "2017-02-21"' in done.stdout and "--published" not in done.stderr


def test_no_hint_when_the_text_gives_the_year(tmp_path: Path) -> None:
    (tmp_path / "c.txt").write_bytes(TEXT.replace("2月22日电", "2017年2月22日电").encode("gbk"))
    done = run("code", "c.txt", "--format", "jsonl", "-q", cwd=tmp_path)
    assert '"date": "2017-02-21"' in done.stdout and "--published" not in done.stderr
