"""Every code block of the README runs as written (issue 12, item 13).

Python blocks are executed, JSON blocks parsed (fast); the shell blocks' commands are run in a sandbox that
holds small stand-ins for the files the README names (article.txt, news/, my_people.tsv …) — `magpie serve`
on a free port, with the `curl` lines sent to it (slow). A command that cannot run here (installs, a YARN
cluster, CI itself) must be listed in NOT_RUN with the reason, so no new README command goes untested.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from .conftest import ROOT, SEED

README = ROOT / "README.md"
BLOCK = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)
NOT_RUN = {  # the start of a command → why this test does not run it
    "pip install": "installs packages (CI's install step, .ci/run, does; tests/test_extras.py checks the extras)",
    "python -m venv": "builds a packed environment for a Spark cluster",
    "env/bin/pip install": "the same (installs into that environment)",
    "env/bin/venv-pack": "the same (packs it)",
    "spark-submit": "needs a YARN cluster",
    "python3 -m pytest": "is this test suite (CI runs it)",
    "ruff check": "is run by CI (.ci/run)",
    "bash .ci/run": "is CI",
}
USER_LEXICON = "names\tcode\tstart\tend\ten\tnote\n塞西|塞西总统\tEGYGOV\t2014-06-08\t\tAbdel Fattah el-Sisi\ttest\n"
PAGE = ("<html><head><title>通话</title></head><body><article><p>俄罗斯总统普京21日与埃及总统塞西通了电话。</p>"
        "<p>双方讨论了叙利亚局势和中东和平进程。</p></article></body></html>")


def blocks(lang: str) -> list[tuple[int, str]]:
    text = README.read_text(encoding="utf-8")
    return [(text[: m.start()].count("\n") + 1, m.group(2)) for m in BLOCK.finditer(text) if m.group(1) == lang]


def commands() -> list[tuple[int, str]]:
    """Every shell command of the README's bash blocks (continuations joined, && chains split), in order."""
    out = []
    for line, body in blocks("bash"):
        for text in body.replace("\\\n", " ").splitlines():
            command = text.split(" #")[0].strip()
            out.extend((line, part.strip()) for part in command.split("&&") if part.strip())
    return out


def kind(command: str) -> str:
    if any(command.startswith(prefix) for prefix in NOT_RUN):
        return "not run"
    if command.startswith("magpie serve"):
        return "serve"
    if command.startswith("curl "):
        return "curl"
    if command.startswith("magpie spark"):
        return "spark"
    if command.startswith("sqlite3 "):
        return "sqlite3"
    if command.startswith(("magpie ", "cat ")):
        return "run"
    return "unknown"


def sandbox(root: Path) -> dict[str, str]:
    """Stand-ins for the files the README names, a `magpie` command on PATH; the environment to run in."""
    shutil.copytree(ROOT / "examples", root / "examples")
    shutil.copytree(ROOT / "examples", root / "news")
    (root / "docs").mkdir()
    shutil.copy(ROOT / "docs" / "examples-gold.jsonl", root / "docs" / "examples-gold.jsonl")
    shutil.copy(SEED, root / "article.txt")
    for name in ("docs.jsonl", "archive.jsonl", "corpus.jsonl"):
        shutil.copy(ROOT / "examples" / "news.jsonl", root / name)
    (root / "page.html").write_text(PAGE, encoding="utf-8")
    (root / "my_people.tsv").write_text(USER_LEXICON, encoding="utf-8")
    bin_dir = root / "bin"
    bin_dir.mkdir()
    (bin_dir / "magpie").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m magpie.cli "$@"\n', encoding="utf-8")
    (bin_dir / "magpie").chmod(0o755)
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT / "src"), env.get("PYTHONPATH")) if p)
    return env


def test_every_shell_command_is_run_or_says_why_not() -> None:
    found = commands()
    assert len(found) > 20
    unknown = [(line, c) for line, c in found if kind(c) == "unknown"]
    assert not unknown, f"README commands this test does not know how to run (add them to NOT_RUN?): {unknown}"
    assert any(kind(c) == "serve" for _, c in found) and any(kind(c) == "curl" for _, c in found)


def test_python_blocks_run_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sandbox(tmp_path)
    monkeypatch.chdir(tmp_path)
    found = blocks("python")
    assert len(found) >= 2
    for line, body in found:
        namespace: dict[str, object] = {"__name__": "__readme__"}
        try:
            exec(compile(body, f"README.md:{line}", "exec"), namespace)
        except Exception as error:  # pragma: no cover - the failure message is the point
            pytest.fail(f"README.md:{line}: the Python block fails: {type(error).__name__}: {error}")
    assert (tmp_path / "events.tsv").read_text(encoding="utf-8").count("\n") >= 1  # the store block's export


def test_json_blocks_parse() -> None:
    found = blocks("json")
    assert found
    for line, body in found:
        record = json.loads(body)
        assert record["event_id"], line


@pytest.mark.slow
def test_shell_blocks_run_as_written(tmp_path: Path) -> None:
    env = sandbox(tmp_path)
    port = _free_port()
    server: subprocess.Popen | None = None
    ran = 0
    try:
        for line, command in commands():
            what = kind(command)
            if what == "not run":
                continue
            if what == "spark":
                pytest.importorskip("pyspark")
            if what in ("sqlite3", "curl") and shutil.which(what) is None:
                continue  # the tool is not installed here
            if what == "serve":  # a free port instead of 8000 (other servers may hold it); the rest as written
                server = subprocess.Popen([*shlex.split(command), "--port", str(port), "--quiet"], cwd=tmp_path,
                                          env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                _wait_for(port, server)
                ran += 1
                continue
            if what == "curl":
                assert server is not None, f"README.md:{line}: curl before magpie serve"
                command = command.replace("127.0.0.1:8000", f"127.0.0.1:{port}")
            done = subprocess.run(["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True,
                                  timeout=300, stdin=subprocess.DEVNULL)
            assert done.returncode == 0, f"README.md:{line}: {command!r} exited {done.returncode}: {done.stderr}"
            if what == "curl" and "O" in next((w for w in shlex.split(command) if w.startswith("-s")), ""):
                assert list(tmp_path.glob("magpie-events*.csv")), f"README.md:{line}: no file saved"  # curl -sOJ
            elif what == "curl":
                assert "error" not in json.loads(done.stdout), done.stdout[:300]
            ran += 1
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
    assert ran > 15


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"magpie serve exited: {server.stderr.read().decode() if server.stderr else ''}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/meta", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    pytest.fail("magpie serve did not answer within 60 s")
