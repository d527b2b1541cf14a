"""``magpie spark`` in Spark local mode gives exactly the events of the local path (slow: starts a JVM)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from magpie import Options, Pipeline, code_documents, read_inputs, records
from magpie.document import Reject
from magpie.spark import EVENT_COLUMNS, read_events, run_spark
from magpie.spark import main as spark_main
from tests.test_store import corpus, write_jsonl

pytestmark = pytest.mark.slow

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture(scope="module")
def spark():
    pytest.importorskip("pyspark")
    if shutil.which("java") is None:
        pytest.skip("Spark needs Java")
    from magpie.spark import session

    spark = session("local[2]", app="magpie-tests")
    spark.sparkContext.setLogLevel("ERROR")
    yield spark
    spark.stop()


@pytest.fixture(scope="module")
def jsonl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    records_ = corpus(40, seed=9)
    records_.extend(json.loads(line) for line in (EXAMPLES / "news.jsonl").read_text(encoding="utf-8").splitlines())
    records_.append({"text": "俄罗斯总统普京21日与埃及总统塞西通了电话。", "published": "2017-11-22"})  # no id
    records_.append({"id": "empty", "text": "  "})  # rejected
    return write_jsonl(tmp_path_factory.mktemp("spark") / "corpus.jsonl", records_, bad_lines=(3,))


def _local(path: Path, options: Options) -> tuple[list[dict], list[Reject]]:
    pipeline = Pipeline(options)
    events, rejects = [], []
    for item in code_documents(read_inputs([str(path)]), pipeline=pipeline):
        if isinstance(item, Reject):
            rejects.append(item)
        else:
            events.extend(records(item, pipeline.lexicon))
    return events, rejects


def _key(record: dict) -> tuple[str, str]:
    return record["doc_id"], record["event_id"]


def test_spark_jsonl_equals_local(spark, jsonl: Path, tmp_path: Path) -> None:
    options = Options(published="2017-11-22")
    stats = run_spark(str(jsonl), str(tmp_path / "out"), options, spark=spark, partitions=3)
    local, rejects = _local(jsonl, options)
    assert sorted(read_events(tmp_path / "out"), key=_key) == sorted(local, key=_key)
    assert stats.events == len(local) and stats.rejects == len(rejects) == 2 and stats.documents == 44
    table = pq.read_table(tmp_path / "out")
    assert tuple(table.column_names) == EVENT_COLUMNS
    assert any(doc_id.startswith("corpus-") for doc_id in table.column("doc_id").to_pylist())  # the id-less line
    rejected = [json.loads(line) for part in (tmp_path / "out" / "_rejects").glob("*.json")
                for line in part.read_text().splitlines()]
    assert sorted((r["line"], r["reason"]) for r in rejected) == sorted((r.line, r.reason) for r in rejects)
    assert pq.read_table(tmp_path / "out" / "_documents").num_rows == 44


def test_spark_parquet_input_and_cli(spark, jsonl: Path, tmp_path: Path) -> None:
    rows = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines() if line.startswith("{\"")]
    rows = [r for r in rows if r.get("id") and r["text"].strip()]
    fields = ("id", "text", "title", "published", "source", "url")
    pq.write_table(pa.table({f: [r.get(f) for r in rows] for f in fields}), tmp_path / "corpus.parquet")
    status = spark_main([str(tmp_path / "corpus.parquet"), str(tmp_path / "out"), "-q"])
    assert status == 0
    clean = write_jsonl(tmp_path / "clean.jsonl", rows)
    local, _ = _local(clean, Options())
    assert sorted(read_events(tmp_path / "out"), key=_key) == sorted(local, key=_key)
