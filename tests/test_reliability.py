"""Issue 11, "reliability, round two": each fault a hostile tester found, reproduced and held."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from magpie.cli import main

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
