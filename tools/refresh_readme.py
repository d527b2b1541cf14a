"""Dev tool: refresh the README's worked example (the seed table and one JSON record) from live output.

tests/test_readme.py fails when the README's table differs from what `magpie code` prints; run this
after a change in coding behaviour, and read the diff.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = "examples/000_ec79773fa7d8658e.txt"


def magpie(*args: str) -> str:
    return subprocess.run([sys.executable, "-m", "magpie.cli", *args], capture_output=True, text=True,
                          cwd=ROOT, check=False).stdout


def main() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = "\n".join(line.rstrip() for line in magpie("code", SEED, "--format", "table", "-q").splitlines())
    readme = re.sub(r"(```console\n\$ magpie code examples/000_ec79773fa7d8658e.txt --format table\n)(.*?)(```)",
                    lambda m: m.group(1) + table + "\n" + m.group(3), readme, flags=re.S)
    record = next(r for r in map(json.loads, magpie("code", SEED, "--format", "jsonl", "-q").splitlines())
                  if r["code"] == "041" and r["target"]["country"] == "ISR")
    readme = re.sub(r"(One event as JSON .*?\n\n```json\n)(.*?)(```)",
                    lambda m: m.group(1) + json.dumps(record, ensure_ascii=False, indent=2) + "\n" + m.group(3),
                    readme, flags=re.S)
    (ROOT / "README.md").write_text(readme, encoding="utf-8")


if __name__ == "__main__":
    main()
