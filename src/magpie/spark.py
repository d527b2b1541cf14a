"""Batch coding on Apache Spark: the same coder as ``magpie code``, one Pipeline per Python worker.

    magpie spark corpus.jsonl events/                      # local[*] (or what spark-submit set)
    spark-submit --master yarn … "$(python -c 'import magpie.spark as m; print(m.__file__)')" \\
        hdfs:///corpus/news.parquet hdfs:///magpie/events

INPUT is a JSONL file (one document a line: ``id``, ``text``, optional ``title``, ``published``,
``source``, ``url`` — exactly what ``magpie code`` reads) or a Parquet dataset with those columns.
OUTPUT is a Parquet folder of per-document event records (the columns of :data:`EVENT_COLUMNS`,
the full schema record as JSON in ``record``), with ``OUTPUT/_documents`` (one row per coded
document) and ``OUTPUT/_rejects`` (JSON lines: origin, line, reason) beside them; Spark and
pyarrow skip ``_`` folders when they read OUTPUT. Documents are validated and coded by
:func:`code_partition` through ``mapInPandas``: every record is the record ``magpie code`` writes for
the same input line.

This module imports pyspark only inside :func:`run_spark`; :func:`code_partition` needs only pandas.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

# absolute imports: spark-submit runs this file as a script (see main)
from magpie.document import Document, Reject
from magpie.errors import InputError, MagpieError
from magpie.pipeline import Options, Pipeline
from magpie.read import document_from_record
from magpie.write.records import records

if TYPE_CHECKING:
    import pandas
    from pyspark.sql import SparkSession

# (name, Spark SQL type, pandas dtype) of every output row; ``kind`` is event | document | reject
ROW_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("kind", "string", "string"), ("doc_id", "string", "string"), ("event_id", "string", "string"),
    ("date", "string", "string"), ("date_inferred", "boolean", "boolean"), ("code", "string", "string"),
    ("root_code", "string", "string"), ("quad_class", "int", "Int32"), ("goldstein", "double", "Float64"),
    ("plover_event", "string", "string"), ("plover_mode", "string", "string"), ("planned", "boolean", "boolean"),
    ("source_code", "string", "string"), ("source_country", "string", "string"),
    ("source_role", "string", "string"), ("source_name", "string", "string"), ("source_text", "string", "string"),
    ("source_start", "int", "Int32"), ("source_end", "int", "Int32"),
    ("target_code", "string", "string"), ("target_country", "string", "string"),
    ("target_role", "string", "string"), ("target_name", "string", "string"), ("target_text", "string", "string"),
    ("target_start", "int", "Int32"), ("target_end", "int", "Int32"),
    ("place_name", "string", "string"), ("place_country", "string", "string"),
    ("place_lat", "double", "Float64"), ("place_lon", "double", "Float64"),
    ("evidence", "string", "string"), ("evidence_start", "int", "Int32"), ("evidence_end", "int", "Int32"),
    ("trigger", "string", "string"), ("trigger_start", "int", "Int32"), ("trigger_end", "int", "Int32"),
    ("num_mentions", "int", "Int32"), ("record", "string", "string"),
    # documents
    ("title", "string", "string"), ("published", "string", "string"), ("published_inferred", "boolean", "boolean"),
    ("source", "string", "string"), ("url", "string", "string"), ("script", "string", "string"),
    ("events", "int", "Int32"), ("chars", "int", "Int32"),
    # rejects
    ("origin", "string", "string"), ("line", "bigint", "Int64"), ("reason", "string", "string"),
)
ROW_SCHEMA = ", ".join(f"{name} {kind}" for name, kind, _ in ROW_COLUMNS)
EVENT_COLUMNS = tuple(name for name, _, _ in ROW_COLUMNS[1 : ROW_COLUMNS.index(("title", "string", "string"))])
DOCUMENT_COLUMNS = ("doc_id", "title", "published", "published_inferred", "source", "url", "script", "events",
                    "chars", "origin")
REJECT_COLUMNS = ("origin", "line", "reason")
DOCUMENT_FIELDS = ("id", "text", "title", "published", "source", "url")

_pipelines: dict[str, Pipeline] = {}


@dataclass
class SparkStats:
    documents: int = 0
    events: int = 0
    rejects: int = 0


def options_to_json(options: Options) -> str:
    return json.dumps({"published": options.published, "lexicons": list(options.lexicons),
                       "max_chars": options.max_chars})


def _pipeline(options_json: str) -> Pipeline:
    """The Pipeline of this Python worker for these options: built once, reused by every partition."""
    pipeline = _pipelines.get(options_json)
    if pipeline is None:
        spec = json.loads(options_json)
        pipeline = Pipeline(Options(published=spec["published"], lexicons=tuple(spec["lexicons"]),
                                    max_chars=spec["max_chars"]))
        _pipelines[options_json] = pipeline
    return pipeline


def document_from_line(line: str, origin: str, number: int) -> Document | Reject | None:
    """One JSONL line as ``magpie code`` reads it (None for a blank line)."""
    if not line.strip():
        return None
    try:
        record = json.loads(line.lstrip("\ufeff") if number == 1 else line)
    except json.JSONDecodeError as error:
        return Reject(origin, f"not valid JSON ({error.msg} at column {error.colno})", number)
    return document_from_record(record, origin, number)


def _missing(value: object) -> bool:
    """None, NaN or pandas' NA (what a missing Parquet value becomes in a pandas batch)."""
    return value is None or type(value).__name__ == "NAType" or (isinstance(value, float) and value != value)


def document_from_row(row: dict[str, Any], origin: str, number: int) -> Document | Reject:
    """One Parquet row (``id``, ``text`` …; dates may be date values) as a Document or a Reject."""
    record = {k: v for k, v in row.items() if k in DOCUMENT_FIELDS and not _missing(v)}
    published = record.get("published")
    if published is not None and not isinstance(published, str) and hasattr(published, "isoformat"):
        record["published"] = published.isoformat()[:10]
    return document_from_record(record, origin, number)


def event_rows(doc: Document, pipeline: Pipeline) -> list[dict[str, Any]]:
    """The flat output rows of a coded document's events (each with its schema record as JSON)."""
    rows = []
    for rec in records(doc, pipeline.lexicon):
        source, target, place, evidence = rec["source"] or {}, rec["target"] or {}, rec["place"] or {}, \
            rec["evidence"]
        rows.append({
            "kind": "event", "doc_id": rec["doc_id"], "event_id": rec["event_id"], "date": rec["date"],
            "date_inferred": rec["date_inferred"], "code": rec["code"], "root_code": rec["root_code"],
            "quad_class": rec["quad_class"], "goldstein": rec["goldstein"], "plover_event": rec["plover"]["event"],
            "plover_mode": rec["plover"]["mode"], "planned": rec["planned"],
            **{f"source_{k}": source.get(k) for k in ("code", "country", "role", "name", "text", "start", "end")},
            **{f"target_{k}": target.get(k) for k in ("code", "country", "role", "name", "text", "start", "end")},
            "place_name": place.get("name"), "place_country": place.get("country"),
            "place_lat": place.get("lat"), "place_lon": place.get("lon"),
            "evidence": evidence["sentence"], "evidence_start": evidence["start"], "evidence_end": evidence["end"],
            "trigger": evidence["trigger"]["text"], "trigger_start": evidence["trigger"]["start"],
            "trigger_end": evidence["trigger"]["end"], "num_mentions": rec["num_mentions"],
            "record": json.dumps(rec, ensure_ascii=False),
        })
    return rows


def code_rows(items: Iterator[Document | Reject | None], pipeline: Pipeline) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for item in items:
        if item is None:
            continue
        coded = next(pipeline.run([item]))
        if isinstance(coded, Reject):
            out.append({"kind": "reject", "origin": coded.origin, "line": coded.line, "reason": coded.reason})
            continue
        events = event_rows(coded, pipeline)
        out.extend(events)
        out.append({"kind": "document", "doc_id": coded.id, "title": coded.title, "published": coded.published,
                    "published_inferred": coded.published_inferred, "source": coded.source, "url": coded.url,
                    "script": coded.script, "events": len(events), "chars": len(coded.text),
                    "origin": coded.origin})
    return out


def _frame(rows: list[dict[str, Any]]) -> pandas.DataFrame:
    import pandas as pd

    return pd.DataFrame({name: pd.array([r.get(name) for r in rows], dtype=dtype) for name, _, dtype in ROW_COLUMNS})


def code_partition(batches: Iterator[pandas.DataFrame], options_json: str, origin: str,
                   fmt: str) -> Iterator[pandas.DataFrame]:
    """``mapInPandas`` body: input batches (``value``/row fields and ``line``) to output rows."""
    pipeline = _pipeline(options_json)
    for batch in batches:
        numbers = [int(n) + 1 for n in batch["line"]]
        if fmt == "jsonl":
            items: Iterator[Document | Reject | None] = (
                document_from_line(value, origin, number) for value, number in zip(batch["value"], numbers,
                                                                                    strict=True))
        else:
            fields = [c for c in batch.columns if c in DOCUMENT_FIELDS]
            items = (document_from_row(dict(zip(fields, values, strict=True)), origin, number)
                     for values, number in zip(batch[fields].itertuples(index=False, name=None), numbers,
                                               strict=True))
        yield _frame(code_rows(items, pipeline))


def input_format(path: str) -> str:
    lowered = path.lower().rstrip("/")
    if lowered.endswith((".jsonl", ".json", ".jsonl.gz", ".json.gz", ".ndjson")):
        return "jsonl"
    return "parquet"


def session(master: str | None = None, app: str = "magpie") -> SparkSession:
    """A SparkSession: the active one, else one on ``master`` (spark-submit's when launched by it, else local[*])."""
    from .extras import need

    need("pyspark", "spark")
    need("pandas", "spark")
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None and master is None:
        return active
    builder = SparkSession.builder.appName(app).config("spark.ui.showConsoleProgress", "false")
    submitted = "PYSPARK_GATEWAY_PORT" in os.environ  # spark-submit set the master (and the executors' Python)
    if master or not submitted:
        builder = builder.master(master or "local[*]")
    if (master or "local").startswith("local") and not submitted:
        builder = builder.config("spark.pyspark.python", sys.executable)  # local workers: this interpreter
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def run_spark(input_path: str, output_path: str, options: Options | None = None, *, master: str | None = None,
              partitions: int | None = None, spark: SparkSession | None = None) -> SparkStats:
    """Code ``input_path`` on Spark into the Parquet folder ``output_path`` (overwritten); return counts."""
    from .extras import need

    need("pyspark", "spark")
    need("pandas", "spark")
    from pyspark import StorageLevel
    from pyspark.sql import functions as F
    options = options or Options()
    spark = spark or session(master)
    fmt = input_format(input_path)
    try:
        if fmt == "jsonl":
            lines = spark.sparkContext.textFile(input_path).zipWithIndex()
            frame = spark.createDataFrame(lines, "value string, line long")
        else:
            table = spark.read.parquet(input_path)
            fields = [c for c in DOCUMENT_FIELDS if c in table.columns]
            if "text" not in fields:
                raise InputError(f"{input_path}: the Parquet input has no 'text' column")
            table = table.select(*[F.col(c).cast("string") if c != "published" else F.col(c) for c in fields])
            from pyspark.sql.types import LongType, StructField, StructType

            indexed = table.rdd.zipWithIndex().map(lambda pair: (*pair[0], pair[1]))
            schema = StructType([*table.schema.fields, StructField("line", LongType())])
            frame = spark.createDataFrame(indexed, schema)
    except MagpieError:
        raise
    except Exception as error:  # Spark's AnalysisException and friends: say which input
        raise InputError(f"{input_path}: cannot read as {fmt} ({type(error).__name__}: "
                         f"{str(error).splitlines()[0] if str(error) else ''})") from error
    if partitions:
        frame = frame.repartition(partitions)
    options_json = options_to_json(options)

    def body(batches: Iterator[pandas.DataFrame]) -> Iterator[pandas.DataFrame]:
        return code_partition(batches, options_json, input_path, fmt)

    rows = frame.mapInPandas(body, ROW_SCHEMA).persist(StorageLevel.MEMORY_AND_DISK)
    try:
        events = rows.where(F.col("kind") == "event").select(*EVENT_COLUMNS)
        events.write.mode("overwrite").parquet(output_path)
        base = output_path.rstrip("/")
        rows.where(F.col("kind") == "document").select(*DOCUMENT_COLUMNS).write.mode("overwrite") \
            .parquet(f"{base}/_documents")
        rows.where(F.col("kind") == "reject").select(*REJECT_COLUMNS).coalesce(1).write.mode("overwrite") \
            .json(f"{base}/_rejects")
        counts = {r["kind"]: r["count"] for r in rows.groupBy("kind").count().collect()}
    finally:
        rows.unpersist()
    return SparkStats(documents=counts.get("document", 0), events=counts.get("event", 0),
                      rejects=counts.get("reject", 0))


def read_events(output_path: str | Path) -> list[dict[str, Any]]:
    """The per-document event records of a ``magpie spark`` OUTPUT folder (with pyarrow, no Spark)."""
    from .extras import need

    pq = need("pyarrow.parquet", "parquet")

    table = pq.read_table(str(output_path), columns=["record"])
    return [json.loads(value) for value in table.column("record").to_pylist()]


# -- the command: ``magpie spark`` and the spark-submit script (the only part of this module that prints) ----------

def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    """Add the ``spark`` subcommand to ``magpie``'s subparsers; return its parser."""
    parser = subparsers.add_parser(
        "spark", help="code a corpus on Apache Spark (Parquet events out)",
        description="Code INPUT (a JSONL file or a Parquet dataset with id, text and optional title, published, "
                    "source, url) on Spark with the same coder as `magpie code`, writing per-document event "
                    "records to the Parquet folder OUTPUT (and rejected documents to OUTPUT/_rejects).")
    parser.add_argument("input", metavar="INPUT")
    parser.add_argument("output", metavar="OUTPUT")
    parser.add_argument("--master", default=None,
                        help="Spark master (default: what spark-submit set, else local[*])")
    parser.add_argument("--partitions", type=int, default=None, metavar="N", help="repartition the input into N")
    parser.add_argument("--published", metavar="YYYY-MM-DD",
                        help="publication date for documents that lack one (else inferred from the text)")
    parser.add_argument("--lexicon", action="append", default=[], metavar="FILE",
                        help="a user lexicon TSV added over the bundled one (repeatable)")
    parser.add_argument("--quiet", "-q", action="store_true", help="no summary on stderr")
    return parser


def command(args: argparse.Namespace) -> int:
    """Run ``magpie spark`` with parsed ``args``: 0, or 1 when documents were rejected (MagpieError propagates)."""
    options = Options(published=args.published, lexicons=tuple(args.lexicon))
    stats = run_spark(args.input, args.output, options, master=args.master, partitions=args.partitions)
    if not args.quiet:
        print(f"magpie: spark: {stats.documents:,} documents coded, {stats.events:,} events, "
              f"{stats.rejects:,} rejected -> {args.output}", file=sys.stderr)
    return 1 if stats.rejects else 0


def main(argv: list[str] | None = None) -> int:
    """Entry point for ``spark-submit …/magpie/spark.py INPUT OUTPUT [--published D] [--lexicon F]``."""
    parser = argparse.ArgumentParser(prog="magpie", description="Magpie on Apache Spark.")
    add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["spark", *(sys.argv[1:] if argv is None else argv)])
    try:
        return command(args)
    except MagpieError as error:
        print(f"magpie: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    from magpie.spark import main as installed_main  # the package's module, not this file run as __main__

    sys.exit(installed_main())


__all__ = ["EVENT_COLUMNS", "SparkStats", "add_parser", "code_partition", "command", "main", "read_events",
           "run_spark"]
