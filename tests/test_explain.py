"""`magpie eval --explain`: each miss and each unmatched prediction with what differs, a summary, an ablation."""

import json

from magpie.cli import main
from magpie.evaluate import explain_news, format_explanation

GOLD = [
    {"doc_id": "a", "source": "RUSGOV", "target": "USAGOV", "code": "041", "date": "2024-03-04", "required": True},
    {"doc_id": "a", "source": "CHNGOV", "target": "JPNGOV", "code": "111", "date": "2024-03-04", "required": True},
    {"doc_id": "a", "source": "CHNCOP", "target": "CHNCRM", "code": "173", "date": "2024-03-04", "required": True},
    {"doc_id": "b", "source": "TWNCVL", "target": "TWNGOV", "code": "141", "date": "2024-03-05", "required": True},
]


def _pred(doc, code, source, target, date):
    return {"doc_id": doc, "code": code, "date": date, "source": {"code": source, "text": source},
            "target": {"code": target, "text": target} if target else None,
            "evidence": {"sentence": "…", "trigger": {"text": "t"}}}


PREDS = [
    _pred("a", "041", "RUSGOV", "USAGOV", "2024-03-04"),  # matched
    _pred("a", "041", "RUSGOV", "USAGOV", "2024-03-04"),  # the same event again: duplicate
    _pred("a", "111", "CHNGOV", "JPNGOV", "2019"),  # wrong date
    _pred("a", "173", "CHNCOP", None, "2024-03-04"),  # no target
    _pred("a", "190", "RUSMIL", None, "2024-03-04"),  # no gold of that root: spurious
]


def test_every_miss_and_extra_prediction_says_what_differs():
    explained = explain_news(GOLD, PREDS, {"a", "b"})
    assert explained["missed_by_class"] == {"date": 1, "target": 1, "no trigger": 1}
    assert explained["unmatched_by_class"] == {"duplicate": 1, "date": 1, "target": 1, "spurious": 1}
    by_doc = {d["doc_id"]: d for d in explained["documents"]}
    assert {m["differs"] for m in by_doc["b"]["missed"]} == {"no trigger"}
    ablation = explained["ablation"]
    assert ablation["as scored"]["recall"] == 0.25
    assert ablation["dates ignored"]["recall"] == 0.5
    assert ablation["dates and actors ignored (root only)"]["recall"] == 0.75
    text = format_explanation(explained)
    assert "MISSED" in text and "UNMATCHED" in text and "ablation" in text


def test_cli_explain_in_json(tmp_path, capsys):
    gold, pred, docs = tmp_path / "g.jsonl", tmp_path / "p.jsonl", tmp_path / "d.jsonl"
    gold.write_text("".join(json.dumps(g) + "\n" for g in GOLD), encoding="utf-8")
    pred.write_text("".join(json.dumps(p) + "\n" for p in PREDS), encoding="utf-8")
    docs.write_text('{"id": "a", "text": "x"}\n{"id": "b", "text": "y"}\n', encoding="utf-8")
    assert main(["eval", "--gold", str(gold), "--docs", str(docs), "--pred", str(pred), "--explain", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["recall"] == 0.25 and result["explain"]["missed_by_class"]["no trigger"] == 1
