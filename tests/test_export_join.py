"""Exports that join with the data analysts already have (issue 12, items 5-8): CAMEO country codes, English
names, PLOVER contexts, the GDELT Mentions table and an ICEWS-style table; a join with a real GDELT 2.0 header."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import magpie
from magpie import store as magpie_store
from magpie.errors import ExportError
from magpie.export import export
from magpie.export.countries import DATA as CAMEO_COUNTRIES
from magpie.export.countries import load_table, to_cameo
from magpie.lexicon import default_lexicon

from .conftest import SHARED

CAMEO_COUNTRY_LOOKUP = SHARED / "reference" / "CAMEO.country.txt"  # GDELT's CAMEO country lookup
# The header of GDELT 2.0's event files (export.CSV), as GDELT publishes it (SQLDATE for "Day").
GDELT_2_HEADER = [
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate", "Actor1Code", "Actor1Name",
    "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode", "Actor1Religion1Code", "Actor1Religion2Code",
    "Actor1Type1Code", "Actor1Type2Code", "Actor1Type3Code", "Actor2Code", "Actor2Name", "Actor2CountryCode",
    "Actor2KnownGroupCode", "Actor2EthnicCode", "Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code",
    "Actor2Type2Code", "Actor2Type3Code", "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
    "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone", "Actor1Geo_Type", "Actor1Geo_FullName",
    "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code", "Actor1Geo_ADM2Code", "Actor1Geo_Lat", "Actor1Geo_Long",
    "Actor1Geo_FeatureID", "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code", "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID", "ActionGeo_Type",
    "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code", "ActionGeo_ADM2Code", "ActionGeo_Lat",
    "ActionGeo_Long", "ActionGeo_FeatureID", "DATEADDED", "SOURCEURL"
]
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
DOCS = [
    magpie.Document(id="ro-me", text="罗马尼亚总统约翰尼斯5日在布加勒斯特会见了黑山总理。", published="2017-11-22",
                    url="https://news.example/ro-me"),
    magpie.Document(id="ro-tl", text="罗马尼亚外长5日与东帝汶外长通了电话。", published="2017-11-22"),
    magpie.Document(id="me-ro", text="黑山政府5日谴责罗马尼亚。", published="2017-11-22"),
]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("join") / "magpie.db"
    with magpie_store.open(path, create=True) as opened:
        opened.ingest(magpie.read_inputs([EXAMPLES]))
        opened.ingest(DOCS)
        yield opened


def _cameo_lookup() -> dict[str, str]:
    if not CAMEO_COUNTRY_LOOKUP.exists():
        pytest.skip("../shared/reference/CAMEO.country.txt is not here")
    frame = pd.read_csv(CAMEO_COUNTRY_LOOKUP, sep="\t", keep_default_na=False, encoding="latin-1")
    return dict(zip(frame["CODE"], frame["LABEL"], strict=True))


# -- item 5: country codes -----------------------------------------------------------------------------------------

def test_cameo_country_table_is_valid_and_complete() -> None:
    table = load_table()
    assert table["ROU"] == "ROM" and table["MNE"] == "MTN" and table["TLS"] == "TMP" and table["IMN"] == "IMY"
    countries = default_lexicon().countries
    assert set(table) <= set(countries)  # every ISO code is one Magpie knows
    lookup = _cameo_lookup()
    for iso, cameo in table.items():
        assert cameo is None or cameo in lookup, iso
        assert cameo is not None or iso not in lookup, iso  # '-' only for codes CAMEO really lacks
    for iso in countries:  # every other ISO code Magpie writes is a CAMEO code as it is
        assert iso in table or iso in lookup, f"{iso} is neither in CAMEO.country.txt nor in {CAMEO_COUNTRIES.name}"


def test_cameo_country_table_errors_name_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "cameo_countries.tsv"
    bad.write_text("iso\tcameo\ten\tnote\nROU\tROM\tRomania\t\nMNE\tROM\tMontenegro\t\n", encoding="utf-8")
    with pytest.raises(ExportError, match=r"cameo_countries.tsv:3: CAMEO code ROM is already given to ROU"):
        load_table(bad)
    bad.write_text("iso\tcameo\ten\tnote\nRou\tROM\tRomania\t\n", encoding="utf-8")
    with pytest.raises(ExportError, match=r":2: iso 'Rou'"):
        load_table(bad)


def test_to_cameo_rewrites_countries_and_actor_codes() -> None:
    record = {"source": {"code": "ROUGOV", "country": "ROU"}, "target": {"code": "IGOUNO", "country": None},
              "place": {"name": "x", "country": "TLS"}}
    out = to_cameo(record)
    assert out["source"] == {"code": "ROMGOV", "country": "ROM"} and out["target"]["code"] == "IGOUNO"
    assert out["place"]["country"] == "TMP" and record["source"]["code"] == "ROUGOV"  # the input is left alone


def test_gdelt_export_joins_the_gdelt_2_header_and_cameo_lookup(store) -> None:
    lookup = _cameo_lookup()
    out = io.StringIO()
    export(store, "gdelt", out)  # the default for GDELT: CAMEO codes
    frame = pd.read_csv(io.StringIO(out.getvalue()), sep="\t", header=None, names=GDELT_2_HEADER,
                        dtype={"Actor1CountryCode": str, "Actor2CountryCode": str, "Actor1Code": str}, quoting=3)
    assert len(frame.columns) == 61 and len(frame) == len(store.events(mentions=False))
    assert frame["SQLDATE"].dtype.kind == "i" and frame["FractionDate"].dtype.kind == "f"
    lookup_frame = pd.DataFrame({"CODE": list(lookup), "LABEL": list(lookup.values())})
    for side in ("Actor1", "Actor2"):
        coded = frame[frame[f"{side}CountryCode"].notna()]
        joined = coded.merge(lookup_frame, left_on=f"{side}CountryCode", right_on="CODE", how="left")
        assert joined["LABEL"].notna().all(), set(joined.loc[joined["LABEL"].isna(), f"{side}CountryCode"])
    countries = set(frame["Actor1CountryCode"].dropna()) | set(frame["Actor2CountryCode"].dropna())
    assert {"ROM", "MTN", "TMP"} <= countries and not {"ROU", "MNE", "TLS"} & countries
    assert {lookup["ROM"], lookup["MTN"], lookup["TMP"]} == {"Romania", "Montenegro", "East Timor"}
    assert "ROMGOV" in set(frame["Actor1Code"])


def test_country_codes_option(store, tmp_path: Path) -> None:
    iso = io.StringIO()
    export(store, "gdelt", iso, country_codes="iso")
    assert "\tROUGOV\t" in iso.getvalue() and "\tROMGOV\t" not in iso.getvalue()
    plover = io.StringIO()
    export(store, "plover", plover)  # ISO by default outside GDELT
    assert '"ROU"' in plover.getvalue()
    cameo = io.StringIO()
    export(store, "csv", cameo, country_codes="cameo", country="ROM")  # a filter in CAMEO codes works too
    rows = list(csv.DictReader(io.StringIO(cameo.getvalue())))
    assert rows and all("ROM" in (r["source_country"], r["target_country"]) for r in rows)
    out = tmp_path / "e.tsv"
    done = subprocess.run([sys.executable, "-m", "magpie.cli", "export", "--db", str(store.path), "--format", "gdelt",
                           "--country-codes", "iso", "-o", str(out)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "\tROUGOV\t" in out.read_text(encoding="utf-8")
    with pytest.raises(ExportError, match="country codes"):
        export(store, "csv", io.StringIO(), country_codes="fips")


# -- item 6: English names -------------------------------------------------------------------------------------------

def test_english_names_beside_chinese_in_exports(store) -> None:
    from magpie.english import english_name

    assert english_name("普京") == english_name("普丁") == "Vladimir Putin"
    assert english_name("联合国") == "United Nations" and english_name("索契") == "Sochi"
    assert english_name("俄羅斯總統網站", "RUS", "GOV") == "Russia GOV" and english_name("後者") is None
    out = io.StringIO()
    export(store, "csv", out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert {"source_name_en", "target_name_en", "place_name_en"} <= set(rows[0])
    putin = [r for r in rows if r["source_name"] == "普京"]
    assert putin and {r["source_name_en"] for r in putin} == {"Vladimir Putin"}
    assert any(r["place_name"] == "索契" and r["place_name_en"] == "Sochi" for r in rows)
    jsonl = [json.loads(line) for line in _text(store, "jsonl").splitlines()]
    assert any(e["source"]["name_en"] == "Vladimir Putin" for e in jsonl)
    plover = [json.loads(line) for line in _text(store, "plover").splitlines()]
    assert any(r["actor"][0]["identifierTextEn"] == "Vladimir Putin" for r in plover)


def test_english_names_in_the_web_ui(store) -> None:
    pytest.importorskip("fastapi")
    pytest.importorskip("httpx")
    from fastapi.testclient import TestClient

    from magpie.web import create_app

    client = TestClient(create_app(store.path))
    page = client.get("/api/events?page_size=200").json()
    assert any((e["source"] or {}).get("name_en") == "Vladimir Putin" for e in page["events"])
    html = client.get("/documents/000_ec79773fa7d8658e").text
    assert '<small class="en" lang="en">Vladimir Putin</small>' in html
    script = client.get("/static/common.js").text
    assert "actor.name_en" in script  # the event table shows it, behind the 中/EN button


def _text(store, fmt: str, **kw) -> str:
    out = io.StringIO()
    export(store, fmt, out, **kw)
    return out.getvalue()


# -- item 7: PLOVER contexts -------------------------------------------------------------------------------------------

def test_plover_context_table_matches_the_2021_map(tmp_path: Path) -> None:
    from magpie.export.plover import CONTEXTS, load_contexts

    table = load_contexts()
    assert table["036"] == table["051"] == table["057"] == ("diplomatic",) and table["190"] == ("military",)
    source = SHARED / "reference" / "plover" / "CAMEO2PLOVER-2021.txt"
    if source.exists():  # the shipped table is the tool's output for the reference map
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
        try:
            import build_plover_contexts
        finally:
            sys.path.pop(0)
        assert {k: tuple(v) for k, v in build_plover_contexts.contexts(source).items()} == table
    bad = tmp_path / "plover_contexts.tsv"
    bad.write_text("code\tcontexts\n036\tDiplomatic\n", encoding="utf-8")
    with pytest.raises(ExportError, match=r"plover_contexts.tsv:2: context 'Diplomatic'"):
        load_contexts(bad)
    assert CONTEXTS.exists()


def test_plover_export_fills_context(store) -> None:
    records = [json.loads(line) for line in _text(store, "plover").splitlines()]
    by_code = {r["cameo"]: r["context"] for r in records}
    assert by_code["051"] == ["diplomatic"] and by_code["036"] == ["diplomatic"]
    assert by_code["041"] == []  # the map gives the phone call no context


def test_document_page_has_no_plover_none(store) -> None:
    pytest.importorskip("fastapi")
    pytest.importorskip("httpx")
    from fastapi.testclient import TestClient

    from magpie.web import create_app

    html = TestClient(create_app(store.path)).get("/documents/000_ec79773fa7d8658e").text
    assert "010" in html and "019" in html  # the seed's 010 and 019 cards, which PLOVER drops
    assert "None" not in html
    assert '<span class="context">[diplomatic]</span>' in html  # 036 and 051


# -- item 8: GDELT Mentions table and ICEWS-style TSV -------------------------------------------------------------

GDELT_2_MENTIONS_HEADER = [  # GDELT 2.0 mentions files (mentions.CSV), in order
    "GLOBALEVENTID", "EventTimeDate", "MentionTimeDate", "MentionType", "MentionSourceName", "MentionIdentifier",
    "SentenceID", "Actor1CharOffset", "Actor2CharOffset", "ActionCharOffset", "InRawText", "Confidence",
    "MentionDocLen", "MentionDocTone", "MentionDocTranslationInfo", "Extras",
]


def test_mentions_export_has_every_mention_with_offsets(store) -> None:
    text = _text(store, "mentions")
    frame = pd.read_csv(io.StringIO(text), sep="\t", header=None, names=GDELT_2_MENTIONS_HEADER, quoting=3,
                        dtype={"MentionIdentifier": str, "MentionSourceName": str})
    assert len(frame) == store.counts()["mentions"]
    events = {e["global_event_id"]: e for e in store.events()}
    assert set(frame["GLOBALEVENTID"]) == set(events)
    for key, group in frame.groupby("GLOBALEVENTID"):
        assert len(group) == events[key]["num_mentions"]
        assert set(group["EventTimeDate"].astype(str)) == {events[key]["date_added"]}
    seed = store.document("000_ec79773fa7d8658e")["text"]
    rows = frame[frame["MentionIdentifier"] == "000_ec79773fa7d8658e"]
    assert (rows["MentionType"] == 2).all() and (rows["MentionDocLen"] == len(seed)).all()
    triggers = {m["trigger"]["start"] for e in events.values() for m in e["mentions"]
                if m["doc_id"] == "000_ec79773fa7d8658e"}
    assert set(rows["ActionCharOffset"]) == triggers
    assert rows["SentenceID"].min() >= 1 and rows["SentenceID"].max() > 10
    first = rows.iloc[0]
    assert seed[first["Actor1CharOffset"]:].startswith("俄美")  # 俄美兩國總統21日進行了…通話
    assert set(rows["InRawText"]) == {0, 1} and (rows.loc[rows["Actor1CharOffset"] == -1, "InRawText"] == 0).all()
    web = frame[frame["MentionIdentifier"] == "https://news.example/ro-me"]
    assert (web["MentionType"] == 1).all() and set(web["MentionSourceName"]) == {"news.example"}
    limited = _text(store, "mentions", limit=1).splitlines()
    assert {line.split("\t")[0] for line in limited} == {"1"} and len(limited) == events[1]["num_mentions"]


def test_icews_export(store) -> None:
    rows = list(csv.DictReader(io.StringIO(_text(store, "icews")), delimiter="\t"))
    assert list(rows[0]) == ["Event ID", "Event Date", "Source Name", "Source Sectors", "Source Country",
                             "Event Text", "CAMEO Code", "Intensity", "Target Name", "Target Sectors",
                             "Target Country", "Story ID", "Sentence Number", "Publisher", "City", "District",
                             "Province", "Country", "Latitude", "Longitude"]
    assert len(rows) == len(store.events(mentions=False))
    meeting = next(r for r in rows if r["CAMEO Code"] == "040" and r["City"] == "Sochi")
    assert meeting["Source Name"] == "Bashar al-Assad" and meeting["Target Country"] == "Russia"
    assert meeting["Event Text"] == "Consult" and meeting["Country"] == "Russia" and float(meeting["Latitude"]) > 40
    romania = next(r for r in rows if r["Story ID"] == "ro-me")
    assert romania["Source Country"] == "Romania" and romania["Source Sectors"] == "GOV"
    assert romania["Sentence Number"] == "1"
