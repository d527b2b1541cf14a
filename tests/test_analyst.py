"""Issue 12, items 10 and 11: the analysts' additions to the web API (actor search in every spelling, filtered
downloads, the place filter and column, the map's places, actor pages, labels of the network's nodes)."""

from __future__ import annotations

import csv
import io
import json
import warnings
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

import magpie
from magpie.read import read_inputs
from magpie.store.query import FLAT_COLUMNS
from magpie.web.app import create_app
from magpie.web.queries import MAX_PAGE_SIZE, ReadOnlyStore, make_query

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("analyst") / "examples.db"
    with magpie.open(path, create=True) as store:
        store.ingest(read_inputs([str(ROOT / "examples")]))
    return path


@pytest.fixture(scope="module")
def client(db: Path) -> TestClient:
    return TestClient(create_app(db))


def get(client: TestClient, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code, response.text[:300])
    return response.json()


def codes(client: TestClient, q: str) -> list[str]:
    return [a["code"] for a in get(client, "/api/actors?limit=500&q=" + quote(q))["actors"]]


# -- item 10: actor search in every spelling -----------------------------------------------------------------

@pytest.mark.parametrize("spelling", ["普京", "普丁", "蒲亭", "弗拉迪米爾·普丁", "RUSGOV", "rusg"])
def test_actor_search_finds_putin_in_every_spelling(client: TestClient, spelling: str) -> None:
    assert "RUSGOV" in codes(client, spelling)


def test_actor_search_spellings_agree_with_the_events_filter(client: TestClient) -> None:
    assert codes(client, "普丁") == codes(client, "蒲亭") == codes(client, "普京")
    assert codes(client, "川普") == codes(client, "特朗普") and "USAGOV" in codes(client, "川普")
    russia = codes(client, "俄羅斯")  # a country name: its actors
    assert {"RUSGOV", "RUSMIL"} <= set(russia) and all(c.startswith("RUS") for c in russia)
    assert codes(client, "巴沙爾") == ["SYRGOV"]  # a Traditional short name, matched in the mention texts
    assert codes(client, "不存在的人") == [] and codes(client, "ZZZ") == []
    # every actor the search finds has an event the events filter finds with the same spelling
    for code in codes(client, "蒲亭"):
        found = get(client, f"/api/events?page_size=200&actor={quote('蒲亭')}")["events"]
        assert any(code in ((e["source"] or {}).get("code"), (e["target"] or {}).get("code")) for e in found)


# -- item 11: downloads of the filtered view -------------------------------------------------------------------

@pytest.mark.parametrize("query", ["", "actor=普丁", "actor=RUSGOV&root=04&sort=goldstein", "quad=1&quad=3",
                                   "place=索契", "since=2018-01-01&sort=-id", "text=通電話"])
def test_download_holds_exactly_the_table_in_its_order(client: TestClient, query: str) -> None:
    table = get(client, f"/api/events?page_size={MAX_PAGE_SIZE}&{query}")
    assert table["total_exact"]
    expected = [e["global_event_id"] for e in table["events"]]
    response = client.get(f"/api/events.csv?{query}")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"].startswith("attachment; filename=\"magpie-events")
    assert response.headers["x-total-count"] == str(len(expected))
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [int(r["global_event_id"]) for r in rows] == expected
    assert list(rows[0]) == [name for name, _ in FLAT_COLUMNS] if rows else True
    response = client.get(f"/api/events.jsonl?{query}")
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/x-ndjson")
    records = [json.loads(line) for line in response.text.splitlines()]
    assert records == table["events"]  # the records of the table, in its order


def test_download_names_the_file_by_its_filters_and_refuses_bad_ones(client: TestClient) -> None:
    response = client.get("/api/events.csv?actor=RUSGOV&root=04")
    assert 'filename="magpie-events-actor-RUSGOV-root-04.csv"' in response.headers["content-disposition"]
    response = client.get("/api/events.jsonl?actor=" + quote("普京"))  # a non-ASCII value stays out of the name
    assert 'filename="magpie-events.jsonl"' in response.headers["content-disposition"]
    assert get(client, "/api/events.csv?quad=7", 400)["error"].startswith("quad=7")
    assert get(client, "/api/events.csv?sort=nope", 400)["error"].startswith("sort=")
    assert client.get("/api/events.xml").status_code in (400, 404)
    assert client.get("/api/events.csv?limit=2").text.count("\r\n") == 3  # the header and two events


def test_downloaded_csv_loads_in_pandas(client: TestClient) -> None:
    pandas = pytest.importorskip("pandas")
    frame = pandas.read_csv(io.StringIO(client.get("/api/events.csv").text))
    assert len(frame) == get(client, "/api/events")["total"]
    assert frame["global_event_id"].is_unique and set(frame["quad_class"]) <= {1, 2, 3, 4}


# -- item 11: the place column and filter --------------------------------------------------------------------

@pytest.mark.parametrize(("place", "names"), [
    ("索契", {"索契"}), ("RUS", {"索契"}), ("rus", {"索契"}), ("俄羅斯", {"索契"}), ("新加坡", {"新加坡"}),
    ("SGP", {"新加坡"}), ("美國", {"美国"}), ("不存在", set()),
])
def test_place_filter(client: TestClient, db: Path, place: str, names: set[str]) -> None:
    found = get(client, f"/api/events?page_size=200&place={quote(place)}")["events"]
    assert {e["place"]["name"] for e in found} == names
    # the same in SQL alone (no event index) and through the store's Python API
    web = ReadOnlyStore(db, index_limit=0)
    try:
        in_sql = {e["global_event_id"] for e in web.events(make_query({"place": place}, page_size=200))["events"]}
    finally:
        web.close()
    with magpie.open(db) as store:
        assert {e["global_event_id"] for e in store.events(mentions=False, place=place)} == in_sql
    assert in_sql == {e["global_event_id"] for e in found}


def test_place_filter_combines_with_the_others(client: TestClient) -> None:
    sochi = get(client, "/api/events?place=" + quote("索契"))["events"]
    place = {k: v for k, v in sochi[0]["place"].items() if k != "name_en"}  # name_en: the English names (12.6)
    assert len(sochi) == 1 and place == {"name": "索契", "country": "RUS", "lat": 43.585, "lon": 39.72}
    assert get(client, "/api/events?place=" + quote("索契") + "&actor=" + quote("巴沙爾"))["total"] == 1
    assert get(client, "/api/events?place=" + quote("索契") + "&root=19")["total"] == 0


# -- item 11: the map ----------------------------------------------------------------------------------------

def test_places_for_the_map(client: TestClient) -> None:
    found = get(client, "/api/places")
    total = get(client, "/api/events")["total"]
    assert found["events"] == total and found["located"] == 1
    (sochi,) = found["places"]
    assert (sochi["name"], sochi["country"], sochi["lat"], sochi["lon"], sochi["events"]) == \
        ("索契", "RUS", 43.585, 39.72, 1)
    assert sochi["per_quad"] == {"1": 1, "2": 0, "3": 0, "4": 0} and sochi["first_date"] == "2017-11-20"
    # places known only to their country shade the country
    assert {c["country"] for c in found["countries"]} == {"SGP", "USA"}
    assert get(client, "/api/places?actor=TWNGOV")["places"] == []
    assert get(client, "/api/places?actor=" + quote("普丁"))["located"] == 1
    assert get(client, "/api/places?limit=0", 400)


def test_world_outline_is_bundled_small_and_offline(client: TestClient) -> None:
    response = client.get("/static/world.json")
    assert response.status_code == 200 and len(response.content) < 150_000
    world = response.json()
    assert "Natural Earth" in world["source"] and "public domain" in world["source"]
    countries = world["countries"]
    assert len(countries) > 150 and {"RUS", "USA", "CHN", "TWN", "SYR", "FRA", "NOR"} <= set(countries)
    assert all(d.startswith("M") and d.endswith("Z") for d in countries.values())
    page = client.get("/map")
    assert page.status_code == 200 and "/static/map.js" in page.text
    assert "http" not in (ROOT / "src/magpie/web/static/map.js").read_text().replace("http://www.w3.org", "")


# -- item 11: actor pages ------------------------------------------------------------------------------------

def test_actor_timeline_and_counterparts(client: TestClient) -> None:
    detail = get(client, "/api/actors/RUSGOV")
    more = get(client, "/api/actors/RUSGOV/timeline")
    timeline = more["timeline"]
    assert sum(d["q1"] + d["q2"] + d["q3"] + d["q4"] for d in timeline) == detail["events"]
    assert sum(d["as_source"] for d in timeline) == detail["as_source"]
    assert [d["date"] for d in timeline] == sorted(d["date"] for d in timeline)
    partners = {c["code"]: c for c in more["counterparts"]}
    assert partners["USAGOV"]["events"] == 2 and partners["USAGOV"]["name"] == "特朗普"
    assert (partners["SYRGOV"]["outgoing"], partners["SYRGOV"]["incoming"]) == (1, 1)
    for code, other in partners.items():  # each count is the events of the pair
        pair = get(client, f"/api/events?page_size=200&pair=RUSGOV,{code}")["total"]
        assert other["events"] == pair == sum(other["per_quad"].values()), code
    # the filters apply, a bad or unknown code is refused
    assert get(client, "/api/actors/RUSGOV/timeline?since=2017-11-22")["timeline"][0]["date"] == "2017-11-22"
    assert get(client, "/api/actors/ZZZGOV/timeline", 404)["error"] == "no events with actor code ZZZGOV"
    assert "actor code" in get(client, "/api/actors/R%3BDROP/timeline", 400)["error"]


def test_actor_pages_render(client: TestClient) -> None:
    page = client.get("/actors/rusgov", headers={"accept": "text/html"})
    assert page.status_code == 200 and 'data-code="RUSGOV"' in page.text and "/static/actor.js" in page.text
    assert client.get("/actors?q=" + quote("蒲亭")).status_code == 200
    bad = client.get("/actors/%3Cscript%3E", headers={"accept": "text/html"})
    assert bad.status_code == 400 and "<script>" not in bad.text


# -- item 11: the network's nodes all have a label -------------------------------------------------------------

def test_network_nodes_have_names(client: TestClient) -> None:
    """TWN (the 美台 group's member) had no name, so the network showed a bare code: it is 台湾 now, and the
    page falls back to the country's name for any code without one (network.js, common.js codeLabel)."""
    nodes = {n["id"]: n for n in get(client, "/api/network?nodes=50")["nodes"]}
    assert nodes["TWN"]["name"] == "台湾"
    assert all(n["name"] for n in nodes.values())
    assert "codeLabel" in (ROOT / "src/magpie/web/static/network.js").read_text()


def test_export_takes_the_place_filter(db: Path, tmp_path: Path) -> None:
    from magpie.cli import main

    out = tmp_path / "sochi.csv"
    assert main(["export", "--db", str(db), "--format", "csv", "--place", "索契", "-o", str(out), "-q"]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [(r["place_name"], r["source_code"], r["target_code"]) for r in rows] == [("索契", "SYRGOV", "RUSGOV")]
