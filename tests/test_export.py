"""Every export format, read back or validated: GDELT 2.0, PLOVER, CSV, JSONL, Parquet."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import magpie
from magpie import store as magpie_store
from magpie.errors import ExportError
from magpie.export import export
from magpie.export.gdelt import COLUMNS as GDELT_COLUMNS
from magpie.export.plover import REQUIRED as PLOVER_REQUIRED
from magpie.export.tabular import COLUMNS as FLAT

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

GDELT_2_ORDER = [  # the GDELT 2.0 event codebook, in order
    "GlobalEventID", "Day", "MonthYear", "Year", "FractionDate", "Actor1Code", "Actor1Name", "Actor1CountryCode",
    "Actor1KnownGroupCode", "Actor1EthnicCode", "Actor1Religion1Code", "Actor1Religion2Code", "Actor1Type1Code",
    "Actor1Type2Code", "Actor1Type3Code", "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode",
    "Actor2EthnicCode", "Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code", "Actor2Type2Code",
    "Actor2Type3Code", "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone", "Actor1Geo_Type", "Actor1Geo_FullName",
    "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code", "Actor1Geo_ADM2Code", "Actor1Geo_Lat", "Actor1Geo_Long",
    "Actor1Geo_FeatureID", "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code", "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID", "ActionGeo_Type",
    "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code", "ActionGeo_ADM2Code", "ActionGeo_Lat",
    "ActionGeo_Long", "ActionGeo_FeatureID", "DATEADDED", "SOURCEURL",
]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("export") / "magpie.db"
    with magpie_store.open(path, create=True) as opened:
        opened.ingest(magpie.read_inputs([EXAMPLES]))
        opened.ingest([magpie.Document(id="place", text="法国总统马克龙5日在巴黎会见了德国总理默克尔。",
                                       published="2017-11-22", url="https://news.example/paris")])
        yield opened


def test_gdelt_has_61_columns_in_gdelt_order(store, tmp_path: Path) -> None:
    assert len(GDELT_COLUMNS) == 61 and list(GDELT_COLUMNS) == GDELT_2_ORDER
    out = tmp_path / "events.tsv"
    stats = export(store, "gdelt", out)
    lines = out.read_text(encoding="utf-8").splitlines()
    events = store.events(mentions=False)
    assert stats.events == len(lines) == len(events) > 0
    column = {name: i for i, name in enumerate(GDELT_COLUMNS)}
    for line, event in zip(lines, events, strict=True):
        fields = line.split("\t")
        assert len(fields) == 61  # no header: the first line is an event
        assert fields[column["GlobalEventID"]] == str(event["global_event_id"])
        assert fields[column["EventCode"]] == event["code"]
        assert fields[column["EventRootCode"]] == event["code"][:2]
        assert fields[column["Actor1Code"]] == event["source"]["code"]
        assert fields[column["NumArticles"]] == str(event["num_articles"])
        assert fields[column["QuadClass"]] in "1234"
        assert len(fields[column["DATEADDED"]]) == 14
        if event["date"] and len(event["date"]) == 10:
            assert fields[column["Day"]] == event["date"].replace("-", "")
            assert fields[column["MonthYear"]] == event["date"][:7].replace("-", "")
            day_of_year = date.fromisoformat(event["date"]).timetuple().tm_yday
            assert float(fields[column["FractionDate"]]) == pytest.approx(int(event["date"][:4]) + day_of_year / 365,
                                                                          abs=1e-4)
    paris = next(line.split("\t") for line in lines if "news.example/paris" in line)
    assert paris[column["ActionGeo_FullName"]] and paris[column["ActionGeo_Lat"]]
    assert paris[column["SOURCEURL"]] == "https://news.example/paris"


def test_plover_records_have_the_required_fields(store) -> None:
    out = io.StringIO()
    stats = export(store, "plover", out)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(records) == stats.events > 0
    assert stats.events + stats.skipped == len(store.events(mentions=False))
    for record in records:
        assert set(PLOVER_REQUIRED) <= set(record)
        assert record["id"].startswith("magpie-") and record["event"] and isinstance(record["event"], list)
        assert isinstance(record["mode"], list) and isinstance(record["context"], list)
        assert record["actor"] and record["actor"][0]["code"] and record["text"]
        assert record["quadCode"] in (1, 2, 3, 4)
        start, end = record["textInfo"]["start"], record["textInfo"]["end"]
        text = store.document(record["textInfo"]["docId"])["text"]
        assert text[start:end] == record["text"]
    assert any(r["eventLoc"] and r["eventLoc"]["lat"] for r in records)


def test_csv_jsonl_parquet_round_trip(store, tmp_path: Path) -> None:
    events = store.events()
    export(store, "jsonl", tmp_path / "e.jsonl")
    assert [json.loads(line) for line in (tmp_path / "e.jsonl").read_text(encoding="utf-8").splitlines()] == events
    export(store, "csv", tmp_path / "e.csv")
    with open(tmp_path / "e.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == list(FLAT) and len(rows) == len(events)
    for row, event in zip(rows, events, strict=True):
        assert row["event_id"] == event["event_id"] and row["code"] == event["code"]
        assert int(row["num_mentions"]) == event["num_mentions"]
        assert row["evidence"] == event["evidence"]["sentence"]
    export(store, "parquet", tmp_path / "e.parquet")
    table = pq.read_table(tmp_path / "e.parquet")
    assert table.column_names == list(FLAT) and table.num_rows == len(events)
    assert table.column("event_id").to_pylist() == [e["event_id"] for e in events]
    assert table.column("num_articles").to_pylist() == [e["num_articles"] for e in events]
    assert table.equals(store.to_arrow())


def test_filters_apply_to_every_format(store, tmp_path: Path) -> None:
    wanted = [e["global_event_id"] for e in store.events(root="04", mentions=False)]
    assert wanted
    export(store, "gdelt", tmp_path / "f.tsv", root="04")
    assert [int(line.split("\t")[0]) for line in (tmp_path / "f.tsv").read_text().splitlines()] == wanted
    export(store, "parquet", tmp_path / "f.parquet", root="04")
    assert pq.read_table(tmp_path / "f.parquet").column("global_event_id").to_pylist() == wanted


def test_export_errors(store) -> None:
    with pytest.raises(ExportError, match="parquet is binary"):
        export(store, "parquet", None)
    with pytest.raises(ExportError, match="unknown format"):
        export(store, "xml", io.StringIO())
