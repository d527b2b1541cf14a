"""GDELT date columns (FractionDate, partial dates) and typed dates in Parquet (issue 12, items 2-4)."""

from __future__ import annotations

import io

import pandas as pd
import pytest

import magpie
from magpie import store as magpie_store
from magpie.export import export
from magpie.export.gdelt import COLUMNS, _dates


@pytest.mark.parametrize(("date", "expected"), [
    ("1979-01-01", ("19790101", "197901", "1979", "1979.0027")),  # GDELT's first event
    ("2005-02-19", ("20050219", "200502", "2005", "2005.1370")),  # day 50 of 2005
    ("2017-12-31", ("20171231", "201712", "2017", "2018.0000")),  # 365/365
    ("2017-11", ("20171101", "201711", "2017", "2017.8356")),  # month only: the first of the month
    ("2015", ("20150101", "201501", "2015", "2015.0027")),  # year only: 1 January
    (None, ("", "", "", "")),
])
def test_gdelt_dates(date, expected) -> None:
    assert _dates(date) == expected


@pytest.fixture(scope="module")
def partial_store(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("dates") / "magpie.db"
    with magpie_store.open(path, create=True) as opened:
        opened.ingest([
            magpie.Document(id="day", text="俄罗斯总统普京21日与埃及总统塞西通了电话。", published="2017-11-22"),
            magpie.Document(id="year", text="俄罗斯军人2015年出兵叙利亚,改变了那里的局势。", published="2017-11-22"),
            magpie.Document(id="month", text="2016年3月,法国总统奥朗德在巴黎会见了德国总理默克尔。",
                            published="2017-11-22"),
        ])
        yield opened


def test_partial_dates_keep_gdelt_date_columns_integer(partial_store) -> None:
    dates = {e["date"] for e in partial_store.events(mentions=False)}
    assert {"2017-11-21", "2015", "2016-03"} <= dates
    out = io.StringIO()
    export(partial_store, "gdelt", out)
    frame = pd.read_csv(io.StringIO(out.getvalue()), sep="\t", header=None, names=list(COLUMNS))
    for column in ("Day", "MonthYear", "Year"):
        assert frame[column].dtype.kind == "i", column  # no empty cell turns the column into floats
    assert set(frame["Day"]) >= {20171121, 20150101, 20160301}
    assert set(frame["MonthYear"]) >= {201711, 201501, 201603}


def test_parquet_date_is_a_typed_date_with_its_precision(partial_store, tmp_path) -> None:
    import datetime as dt

    import pyarrow as pa
    import pyarrow.parquet as pq

    export(partial_store, "parquet", tmp_path / "e.parquet")
    table = pq.read_table(tmp_path / "e.parquet")
    assert table.schema.field("date").type == pa.date32()
    rows = {(r["date"], r["date_precision"]) for r in table.select(["date", "date_precision"]).to_pylist()}
    assert {(dt.date(2017, 11, 21), "day"), (dt.date(2016, 3, 1), "month"), (dt.date(2015, 1, 1), "year")} <= rows
    frame = partial_store.to_pandas()
    assert set(frame["date_precision"]) == {"day", "month", "year"}
    out = io.StringIO()
    export(partial_store, "csv", out)
    csv_rows = pd.read_csv(io.StringIO(out.getvalue()), parse_dates=["date"])
    assert csv_rows["date"].dtype.kind == "M" and set(csv_rows["date_precision"]) == {"day", "month", "year"}
