"""Quality gate: accuracy on the dev gold sets must not fall below the pinned floors.

The floors and the hashes of the gold files they were measured on live in tests/quality/floors.json.
"""

import hashlib
import json

import pytest

from magpie import code_documents
from magpie.evaluate import score
from magpie.read import read_inputs
from magpie.write import records

from .conftest import ROOT, SHARED

FLOORS = json.loads((ROOT / "tests" / "quality" / "floors.json").read_text(encoding="utf-8"))


def _sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _rows(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("name", ["news", "news2", "duee"])
def test_accuracy_does_not_drop(name, pipeline):
    spec = FLOORS[name]
    gold_path, docs_path = SHARED / spec["gold"], SHARED / spec["docs"]
    if not gold_path.exists():
        pytest.skip(f"{gold_path} is not present (the dev sets live in ../shared)")
    assert _sha256(gold_path) == spec["gold_sha256"], f"{gold_path} changed: re-measure and re-pin the floors"
    assert _sha256(docs_path) == spec["docs_sha256"], f"{docs_path} changed: re-measure and re-pin the floors"
    preds = []
    for doc in code_documents(read_inputs([docs_path]), pipeline=pipeline):
        preds.extend(records(doc, pipeline.lexicon))
    result = score(_rows(gold_path), preds, _rows(docs_path))
    for metric, floor in spec.get("min", {}).items():
        assert result[metric] >= floor, f"{name} {metric} {result[metric]} fell below the floor {floor}"
    for metric, ceiling in spec.get("max", {}).items():
        assert result[metric] <= ceiling, f"{name} {metric} {result[metric]} rose above the ceiling {ceiling}"
