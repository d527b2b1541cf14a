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
GDELT_2_HEADER = (
    "GLOBALEVENTID\tSQLDATE\tMonthYear\tYear\tFractionDate\tActor1Code\tActor1Name\tActor1CountryCode\t"
    "Actor1KnownGroupCode\tActor1EthnicCode\tActor1Religion1Code\tActor1Religion2Code\tActor1Type1Code\t"
    "Actor1Type2Code\tActor1Type3Code\tActor2Code\tActor2Name\tActor2CountryCode\tActor2KnownGroupCode\t"
    "Actor2EthnicCode\tActor2Religion1Code\tActor2Religion2Code\tActor2Type1Code\tActor2Type2Code\tActor2Type3Code\t"
    "IsRootEvent\tEventCode\tEventBaseCode\tEventRootCode\tQuadClass\tGoldsteinScale\tNumMentions\tNumSources\t"
    "NumArticles\tAvgTone\tActor1Geo_Type\tActor1Geo_FullName\tActor1Geo_CountryCode\tActor1Geo_ADM1Code\t"
    "Actor1Geo_ADM2Code\tActor1Geo_Lat\tActor1Geo_Long\tActor1Geo_FeatureID\tActor2Geo_Type\tActor2Geo_FullName\t"
    "Actor2Geo_CountryCode\tActor2Geo_ADM1Code\tActor2Geo_ADM2Code\tActor2Geo_Lat\tActor2Geo_Long\t"
    "Actor2Geo_FeatureID\tActionGeo_Type\tActionGeo_FullName\tActionGeo_CountryCode\tActionGeo_ADM1Code\t"
    "ActionGeo_ADM2Code\tActionGeo_Lat\tActionGeo_Long\tActionGeo_FeatureID\tDATEADDED\tSOURCEURL"
).split("\t")
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
