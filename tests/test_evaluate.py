"""`magpie eval` scores exactly as the project's reference scorer does."""

import importlib.util
import json

import pytest

from magpie.cli import main
from magpie.evaluate import score

from .conftest import SHARED

SCORER = SHARED / "tools" / "score_events.py"
NEWS = SHARED / "eval" / "dev" / "news"
DUEE = SHARED / "eval" / "dev" / "duee"

needs_shared = pytest.mark.skipif(not SCORER.exists(), reason="../shared (the reference scorer) is not present")


def _reference():
    spec = importlib.util.spec_from_file_location("score_events", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _rows(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_hand_made_predictions_score_by_the_rules():
    gold = [
        {"doc_id": "d", "source": "RUSGOV", "target": "USAGOV", "code": "041", "date": "2017-11-21", "required": True},
        {"doc_id": "d", "source": "EGYGOV", "target": "RUS", "code": "051", "date": "2017-11", "required": False},
    ]
    pred = [
        {"doc_id": "d", "code": "040", "date": "2017-11-22", "source": {"code": "USA"}, "target": {"code": "RUSMIL"}},
        {"doc_id": "d", "code": "051", "date": None, "source": {"code": "EGYGOV"}, "target": {"code": "RUSMIL"}},
        {"doc_id": "d", "code": "190", "date": "2017-11-21", "source": {"code": "RUS"}, "target": None},
    ]
    result = score(gold, pred, [{"id": "d"}])
    assert (result["recall"], result["precision"]) == (1.0, round(2 / 3, 4))
    assert result["strict_recall"] == 0.0


@needs_shared
def test_same_numbers_as_the_reference_scorer_on_news(tmp_path, capsys):
    pred = tmp_path / "pred.jsonl"
    assert main(["eval", "--gold", str(NEWS / "gold.jsonl"), "--docs", str(NEWS / "docs.jsonl"),
                 "--save-pred", str(pred), "--json", "--quiet"]) == 0
    ours = json.loads(capsys.readouterr().out)
    reference = _reference()
    docs = _rows(NEWS / "docs.jsonl")
    theirs = reference.score_news(_rows(NEWS / "gold.jsonl"), _rows(pred), {d["id"] for d in docs})
    assert ours == theirs


@needs_shared
def test_same_numbers_as_the_reference_scorer_on_duee_sample(tmp_path):
    from magpie import code_documents
    from magpie.read import read_inputs
    from magpie.write import records

    docs = _rows(DUEE / "docs.jsonl")[:1500]
    sample = tmp_path / "docs.jsonl"
    sample.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in docs), encoding="utf-8")
    ids = {d["id"] for d in docs}
    gold = [g for g in _rows(DUEE / "gold.jsonl") if g["doc_id"] in ids]
    preds = []
    for doc in code_documents(read_inputs([sample])):
        preds.extend(records(doc, _lexicon()))
    assert score(gold, preds, docs) == _reference().score_duee(gold, preds, docs)


def _lexicon():
    from magpie.lexicon import default_lexicon

    return default_lexicon()
