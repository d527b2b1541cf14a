"""`magpie eval --docs` takes folders as `code` does; the shipped gold file for the examples (issue 12, item 14)."""

from __future__ import annotations

import json

from magpie.cli import main
from magpie.evaluate import read_jsonl
from magpie.read import read_inputs

from .conftest import ROOT

GOLD = ROOT / "docs" / "examples-gold.jsonl"
FIELDS = {"doc_id", "source", "target", "code", "date", "place", "evidence", "required", "note"}


def test_examples_gold_file_is_well_formed() -> None:
    rows = read_jsonl(GOLD)
    assert rows and all(set(row) == FIELDS for row in rows)
    ids = {doc.id for doc in read_inputs([ROOT / "examples"])}
    texts = {doc.id: doc.text for doc in read_inputs([ROOT / "examples"])}
    for row in rows:
        assert row["doc_id"] in ids and row["evidence"] in texts[row["doc_id"]], row
        assert row["code"].isdigit() and isinstance(row["required"], bool)
    assert sum(row["required"] for row in rows) == 11


def test_eval_accepts_a_folder(capsys) -> None:
    status = main(["eval", "--gold", str(GOLD), "--docs", str(ROOT / "examples"), "--json", "-q"])
    result = json.loads(capsys.readouterr().out)
    assert status == 0 and result["required_gold"] == 11 and result["recall"] == 1.0
    assert result["predicted"] > 11


def test_eval_accepts_a_text_file_and_names_a_missing_path(tmp_path, capsys) -> None:
    seed = ROOT / "examples" / "000_ec79773fa7d8658e.txt"
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(line + "\n" for line in GOLD.read_text(encoding="utf-8").splitlines()
                            if "000_ec79773fa7d8658e" in line), encoding="utf-8")
    assert main(["eval", "--gold", str(gold), "--docs", str(seed), "--json", "-q"]) == 0
    assert json.loads(capsys.readouterr().out)["required_gold"] == 6
    assert main(["eval", "--gold", str(gold), "--docs", str(tmp_path / "nowhere"), "-q"]) == 2
    assert "--docs" in capsys.readouterr().err
