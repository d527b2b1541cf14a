"""The README's worked example is the coder's real output (docs kept honest by a test)."""

import re
import subprocess
import sys

from .conftest import ROOT, SEED


def test_seed_table_in_readme_is_current():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```console\n\$ magpie code examples/000_ec79773fa7d8658e.txt --format table\n(.*?)```",
                      readme, re.S).group(1)
    out = subprocess.run([sys.executable, "-m", "magpie.cli", "code", str(SEED), "--format", "table", "-q"],
                         capture_output=True, text=True, timeout=60).stdout
    assert [line.rstrip() for line in out.splitlines()] == block.rstrip("\n").splitlines()


def test_readme_starts_with_the_two_commands():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    commands = [line for line in lines[:8] if line.startswith("pip install")]
    assert len(commands) == 2 and "magpie code examples/" in commands[0] and "pytest" in commands[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "python3 -m pytest -q" in ci
