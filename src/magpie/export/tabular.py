"""Flat tables of merged events: CSV, Parquet, Arrow and pandas (one row per event, ``FLAT_COLUMNS``)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from ..extras import need
from ..store.query import FLAT_COLUMNS, flat

if TYPE_CHECKING:
    import pandas
    import pyarrow

COLUMNS = tuple(name for name, _ in FLAT_COLUMNS)
ROWS_PER_GROUP = 50_000


def arrow_schema() -> pyarrow.Schema:
    pa = need("pyarrow", "parquet")

    types = {"int64": pa.int64(), "float64": pa.float64(), "string": pa.string(), "bool": pa.bool_(),
             "date": pa.date32()}
    return pa.schema([pa.field(name, types[kind]) for name, kind in FLAT_COLUMNS])


def _batches(records: Iterable[dict[str, Any]], size: int) -> Iterator[pyarrow.RecordBatch]:
    import pyarrow as pa

    schema = arrow_schema()
    rows = iter(records)
    while chunk := list(islice(rows, size)):
        flats = [flat(r) for r in chunk]
        yield pa.RecordBatch.from_pydict({name: [f[name] for f in flats] for name in COLUMNS}, schema=schema)


def arrow_table(records: Iterable[dict[str, Any]]) -> pyarrow.Table:
    """A pyarrow Table of merged event records (flattened)."""
    import pyarrow as pa

    return pa.Table.from_batches(list(_batches(records, ROWS_PER_GROUP)), schema=arrow_schema())


def pandas_frame(table: pyarrow.Table) -> pandas.DataFrame:
    need("pandas", "pandas")
    return table.to_pandas()


def write_parquet(records: Iterable[dict[str, Any]], path: str | Path) -> int:
    """Stream records into a Parquet file (row groups of ``ROWS_PER_GROUP``); return the row count."""
    pq = need("pyarrow.parquet", "parquet")
    count = 0
    with pq.ParquetWriter(str(path), arrow_schema(), compression="zstd") as writer:
        for batch in _batches(records, ROWS_PER_GROUP):
            writer.write_batch(batch)
            count += batch.num_rows
    return count


def write_csv(records: Iterable[dict[str, Any]], out: TextIO) -> int:
    """CSV with a header row (``COLUMNS``); booleans as true/false, dates as YYYY-MM-DD, missing values empty."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    count = 0
    for record in records:
        row = flat(record)
        writer.writerow(["" if v is None else ("true" if v is True else "false" if v is False else v)
                         for v in (row[c] for c in COLUMNS)])
        count += 1
    return count
