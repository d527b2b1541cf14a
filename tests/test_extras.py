"""Extras split by job (issue 12, item 12): the base install codes text; each feature names its extra when missing."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

from .conftest import ROOT, SEED

HEAVY = ("pyarrow", "pandas", "fastapi", "uvicorn", "jinja2", "orjson", "trafilatura", "pyspark", "selenium")
# Runs magpie's CLI in a process where the optional packages cannot be imported (as after `pip install .`).
WITHOUT_EXTRAS = """
import importlib.abc, sys
BLOCKED = set(sys.argv[1].split(","))
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
sys.meta_path.insert(0, Block())
from magpie.cli import main
status = main(sys.argv[2:])
print("loaded:", sorted(m for m in BLOCKED if m in sys.modules), file=sys.stderr)
sys.exit(status)
"""


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _names(requirements: list[str]) -> list[str]:
    return [re.split(r"[\s\[<>=;!~]", r, maxsplit=1)[0].lower().replace("_", "-") for r in requirements]


def test_extras_are_split_by_job() -> None:
    project = _project()
    base = _names(project["dependencies"])
    assert not set(base) & {*HEAVY, "lxml-html-clean", "httptools", "uvloop"}
    extras = project["optional-dependencies"]
    assert {"web", "parquet", "html", "spark", "all", "dev"} <= set(extras)
    assert {"fastapi", "uvicorn", "jinja2"} <= set(_names(extras["web"]))
    assert "pyarrow" in _names(extras["parquet"]) and "pyspark" in _names(extras["spark"])
    html = extras["html"]
    assert html[0].startswith("lxml[html-clean]") and "trafilatura" in _names(html)  # no html_clean warning
    assert not {"pyspark", "selenium"} & set(_names(extras["dev"]))  # the default suite deselects their tests
    assert all(f"{extra}" in extras["all"][0] for extra in ("web", "parquet", "html", "spark"))
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"pip install .*-e '\.\[dev,slow\]'", ci)  # CI still runs the slow Spark and browser tests
    assert {"selenium", "magpie-events"} <= set(_names(extras["slow"])) and "spark" in extras["slow"][0]


def _run(argv: list[str], blocked: tuple[str, ...] = HEAVY) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", WITHOUT_EXTRAS, ",".join(blocked), *argv], capture_output=True,
                          text=True, timeout=120, cwd=ROOT)


def test_base_install_codes_text_and_names_missing_extras(tmp_path: Path) -> None:
    done = _run(["code", str(SEED), "--format", "jsonl", "-q"])
    assert done.returncode == 0, done.stderr
    assert '"code": "041"' in done.stdout and "loaded: []" in done.stderr
    db = tmp_path / "m.db"
    done = _run(["ingest", str(SEED), "--db", str(db), "-q"])
    assert done.returncode == 0, done.stderr
    done = _run(["export", "--db", str(db), "--format", "gdelt", "-q"])
    assert done.returncode == 0 and done.stdout.count("\n") > 5
    done = _run(["export", "--db", str(db), "--format", "parquet", "-o", str(tmp_path / "e.parquet")])
    assert done.returncode == 2 and "pip install 'magpie-events[parquet]'" in done.stderr
    assert "Parquet" in done.stderr and "Traceback" not in done.stderr
    done = _run(["serve", "--db", str(db), "--port", "0"])
    assert done.returncode == 2 and "pip install 'magpie-events[web]'" in done.stderr and "pip install '.[web]'" in \
        done.stderr
    page = tmp_path / "page.html"
    page.write_text("<html><body><p>俄罗斯总统普京21日与埃及总统塞西通了电话。</p></body></html>", encoding="utf-8")
    done = _run(["code", str(page), "-q"])
    assert done.returncode == 1 and "page.html: reading HTML files needs" in done.stderr
    assert "magpie-events[html]" in done.stderr
    done = _run(["spark", str(tmp_path / "in.jsonl"), str(tmp_path / "out")])
    assert done.returncode == 2 and "magpie-events[spark]" in done.stderr
