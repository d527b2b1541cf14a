"""The web application: every API endpoint and filter, errors, hostile requests, pages, read-only store, CLI."""

from __future__ import annotations

import hashlib
import itertools
import json
import random
import re
import sqlite3
import urllib.request
import warnings
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

import magpie
from magpie.cli import main as cli_main
from magpie.document import Document
from magpie.read import read_inputs
from magpie.store.schema import SCHEMA_VERSION
from magpie.web import cli as web_cli
from magpie.web.app import create_app
from magpie.web.queries import MAX_PAGE, MAX_PAGE_SIZE, SORTS, EventQuery, ReadOnlyStore, make_query
from magpie.web.render import segments

with warnings.catch_warnings():  # newer Starlette prefers httpx2 but still works with httpx
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SEED_ID = "000_ec79773fa7d8658e"
HOSTILE_ID = "evil/../<b>doc</b>"
HOSTILE_TEXT = ("<script>alert('x')</script>\n新华社莫斯科11月21日电 俄罗斯总统普京21日与埃及总统塞西通了电话。"
                "<img src=x onerror=alert(1)>")
INJECTIONS = ["' OR 1=1 --", "\" OR \"\"=\"", "1); DROP TABLE events; --", "' UNION SELECT id, text FROM documents --",
              "%' OR '%'='", "*", "\" OR rowid > 0 OR \"", "NEAR(a b)", "\\'; SELECT sqlite_version(); --"]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("web") / "examples.db"
    with magpie.open(path, create=True) as store:
        store.ingest(read_inputs([str(EXAMPLES)]))
        store.ingest([Document(id=HOSTILE_ID, text=HOSTILE_TEXT, title="<script>alert(2)</script>标题",
                               published="2017-11-22", url="javascript:alert(3)")])
    return path


@pytest.fixture(scope="module")
def total(db: Path) -> int:
    with magpie.open(db) as store:
        return store.counts()["events"]


@pytest.fixture(scope="module")
def client(db: Path) -> TestClient:
    return TestClient(create_app(db))


def get(client: TestClient, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code, response.text[:500])
    return response.json()


def events(client: TestClient, query: str = "", **expect: Any) -> list[dict[str, Any]]:
    page = get(client, "/api/events?page_size=200" + ("&" + query if query else ""))
    assert page["total"] == len(page["events"]) and page["total_exact"]
    return page["events"]


def keys(items: list[dict[str, Any]]) -> set[int]:
    return {e["global_event_id"] for e in items}


# -- /api/events ------------------------------------------------------------------------------------------------

def test_events_default_page(client: TestClient, total: int) -> None:
    page = get(client, "/api/events")
    assert page["page"] == 1 and page["page_size"] == 50 and page["sort"] == "-date"
    assert page["total"] == len(page["events"]) == total > 10
    dates = [e["date"] for e in page["events"]]
    assert dates == sorted(dates, reverse=True)
    first = page["events"][0]
    for field in ("global_event_id", "code", "root_code", "quad_class", "goldstein", "source", "target", "doc_id",
                  "evidence", "num_mentions"):
        assert field in first
    evidence = first["evidence"]
    assert evidence["trigger"]["text"] in evidence["sentence"]


def test_events_actor_code_and_names_in_either_script(client: TestClient) -> None:
    putin = keys(events(client, "actor=普京"))
    assert putin and putin == keys(events(client, "actor=普丁")) == keys(events(client, "actor=" + quote("蒲亭")))
    russia = keys(events(client, "actor=俄羅斯"))
    assert russia == keys(events(client, "actor=俄罗斯")) and putin <= russia
    by_code = events(client, "actor=rusgov")
    assert by_code and all("RUSGOV" in (e["source"]["code"], (e["target"] or {}).get("code")) for e in by_code)
    assert all(e["source"]["code"] == "RUSGOV" for e in events(client, "source=RUSGOV"))
    assert all(e["target"]["code"] == "RUSGOV" for e in events(client, "target=RUSGOV"))
    assert events(client, "actor=ZZZGOV") == []


@pytest.mark.parametrize("filters", [
    {"actor": "普京"}, {"actor": "俄羅斯"}, {"actor": "特朗普"}, {"actor": "川普"}, {"source": "普京"},
    {"target": "塞西"}, {"actor": "埃及"}, {"actor": "後者"}, {"actor": "兩國"}, {"actor": "普京", "root": "04"},
    {"actor": "俄", "country": "USA"}, {"text": "通电话"}, {"text": "通電話", "actor": "普京"},
])
def test_web_filters_match_the_store_api(db: Path, filters: dict[str, str]) -> None:
    """Resolving names over distinct values gives exactly what magpie.store.query gives."""
    web = ReadOnlyStore(db)
    try:
        found = {e["global_event_id"] for e in web.events(make_query(filters, page_size=MAX_PAGE_SIZE))["events"]}
    finally:
        web.close()
    with magpie.open(db) as store:
        expected = {e["global_event_id"] for e in store.events(mentions=False, **filters)}
    assert found == expected


@pytest.fixture(scope="module")
def synthetic_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from magpie.web import synthetic

    path = tmp_path_factory.mktemp("web-synthetic") / "synthetic.db"
    synthetic.build(path, 3000, seed_inputs=[EXAMPLES])
    return path


def _sample_queries(count: int, seed: int) -> list[EventQuery]:
    """The load test's random filters, sorts and pages, and the rest: names in either script, pairs, documents."""
    from urllib.parse import parse_qs, urlsplit

    from magpie.web.loadtest import queries

    rng = random.Random(seed)
    found = []
    for url in itertools.islice(queries(seed), count):
        q = parse_qs(urlsplit(url).query)
        filters: dict[str, Any] = {k: q[k][0] for k in ("actor", "country", "root", "code", "since", "until", "text")
                                   if k in q}
        if "quad" in q:
            filters["quad_class"] = tuple(int(x) for x in q["quad"])
        extra: dict[str, Any] = {}
        roll = rng.random()
        if roll < 0.1:
            extra["pair"] = rng.choice([("USAGOV", "PRKGOV"), ("RUSGOV", "EGYGOV"), ("CHNGOV", "USAGOV")])
        elif roll < 0.2:
            extra["country_pair"] = rng.choice([("SYR", "RUS"), ("USA", "CHN"), ("RUS", "EGY")])
        elif roll < 0.3:
            filters[rng.choice(["source", "target"])] = rng.choice(["普丁", "RUSGOV", "美國", "usagov", "塞西"])
        elif roll < 0.35:
            filters["doc"] = rng.choice([SEED_ID, "example-singapore-2018", "synthetic-0000001", "none"])
        elif roll < 0.4:
            filters["until"] = rng.choice(["2017", "2017-11", "2018-06-12", "2020-02"])
        elif roll < 0.45:
            filters["code"] = rng.choice(["04", "01", "10", "173", "20", "0411"])
        found.append(make_query(filters, sort=q["sort"][0] if rng.random() < 0.7 else rng.choice(list(SORTS)),
                                page=int(q["page"][0]), page_size=int(q["page_size"][0]), **extra))
    return found


@pytest.mark.parametrize("which", ["examples", "synthetic"])
def test_event_index_answers_exactly_as_sql(db: Path, synthetic_db: Path, which: str) -> None:
    """The in-memory event index gives the same page, order and total as the SQL query, for every filter and sort."""
    web = ReadOnlyStore(db if which == "examples" else synthetic_db)
    try:
        assert web.event_index() is not None
        specs = _sample_queries(150, 3)
        specs += [make_query({}, sort=f"{d}{key}", page=p, page_size=size) for key in SORTS for d in ("", "-")
                  for p, size in ((1, 7), (3, 7), (1, MAX_PAGE_SIZE))]
        for spec in specs:
            fast, slow = web.events(spec), web.events_sql(spec)
            assert fast == slow, spec
        assert web.events(make_query({}, page_size=1, page=MAX_PAGE))["events"] == []
    finally:
        web.close()


def test_event_index_follows_a_concurrent_ingest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A store that changes under a running server: caches and the event index never answer with old data."""
    from magpie.web import queries as web_queries

    monkeypatch.setattr(web_queries, "REBUILD_SECONDS", 3600.0)
    path = tmp_path / "growing.db"
    with magpie.open(path, create=True) as store:
        store.ingest([Document(id="one", text=HOSTILE_TEXT, published="2017-11-22")])
    web = ReadOnlyStore(path)
    try:
        before = web.events(make_query({"actor": "普京"}))
        version = web.data_version()
        assert before["total"] >= 1 and web.event_index() is not None
        with magpie.open(path) as store:
            store.ingest(read_inputs([str(EXAMPLES)]))
        assert web.data_version() != version
        with magpie.open(path) as store:
            expected = {e["global_event_id"] for e in store.events(mentions=False, actor="普京")}
        assert web.event_index() is None  # rebuilt too recently: SQL answers
        after = web.events(make_query({"actor": "普京"}, page_size=MAX_PAGE_SIZE))
        assert {e["global_event_id"] for e in after["events"]} == expected and after["total"] > before["total"]
        monkeypatch.setattr(web_queries, "REBUILD_SECONDS", 0.0)
        index = web.event_index()
        assert index is not None and index.version == web.data_version()
        assert web.events(make_query({"actor": "普京"}, page_size=MAX_PAGE_SIZE)) == after
        assert web.events(make_query({})) == web.events_sql(make_query({}))
    finally:
        web.close()


def test_event_index_can_be_turned_off(db: Path) -> None:
    web = ReadOnlyStore(db, index_limit=0)
    try:
        assert web.event_index() is None
        assert web.events(make_query({"actor": "普京"}))["total"] >= 1
    finally:
        web.close()


def test_events_every_filter(client: TestClient) -> None:
    assert all("SYR" in (e["source"]["country"], e["target"]["country"]) for e in events(client, "country=syr"))
    assert {e["root_code"] for e in events(client, "root=04")} == {"04"}
    assert {e["code"] for e in events(client, "code=041")} == {"041"}
    assert {e["code"][:2] for e in events(client, "code=04")} == {"04"}
    assert {e["quad_class"] for e in events(client, "quad=4")} == {4}
    assert {e["quad_class"] for e in events(client, "quad=1&quad=4")} == {1, 4}
    ranged = events(client, "since=2017-11-21&until=2017-11-21")
    assert ranged and {e["date"] for e in ranged} == {"2017-11-21"}
    assert all(e["date"] >= "2018" for e in events(client, "since=2018-01-01"))
    assert all(e["date"] <= "2017-12-31" for e in events(client, "until=2017-12-31"))
    calls = events(client, "text=通電話")
    assert calls and keys(calls) == keys(events(client, "text=通电话"))
    assert events(client, "text=會面")  # two characters: a scan, either script
    assert {e["doc_id"] for e in events(client, "doc=example-singapore-2018")} == {"example-singapore-2018"}
    pair = events(client, "pair=USAGOV,PRKGOV")
    assert pair and all({e["source"]["code"], e["target"]["code"]} == {"USAGOV", "PRKGOV"} for e in pair)
    assert keys(pair) == keys(events(client, "pair=prkgov,usagov"))
    countries = events(client, "country_pair=SYR,RUS")
    assert countries and all({e["source"]["country"], e["target"]["country"]} == {"RUS", "SYR"} for e in countries)
    combined = events(client, "actor=普京&root=04&quad=1&since=2017-11-01&text=电话")
    assert combined and all(e["root_code"] == "04" for e in combined)


@pytest.mark.parametrize("query", ["actor=ZZZGOV", "country=ATA", "root=20", "code=0999", "quad=3&root=04",
                                   "since=2030-01-01", "until=1990", "text=不存在的句子", "doc=no-such-document",
                                   "pair=AAAGOV,BBBGOV", "country_pair=ATA,ATF", "actor=ZZZGOV&page=3"])
def test_events_empty_results(client: TestClient, query: str) -> None:
    page = get(client, "/api/events?" + query)
    assert page["events"] == [] and page["total"] == 0 and page["total_exact"]


@pytest.mark.parametrize("key", list(SORTS))
def test_events_sorting(client: TestClient, total: int, key: str) -> None:
    for sort in (key, "-" + key):
        page = get(client, f"/api/events?sort={sort}&page_size=200")
        assert page["sort"] == sort and len(page["events"]) == total
    values = [e["goldstein"] for e in get(client, "/api/events?sort=goldstein&page_size=200")["events"]]
    assert values == sorted(values)


def test_events_pagination(client: TestClient, total: int) -> None:
    seen: list[int] = []
    for number in range(1, total // 5 + 2):
        page = get(client, f"/api/events?page_size=5&page={number}&sort=id")
        assert page["total"] == total
        seen.extend(e["global_event_id"] for e in page["events"])
    assert seen == sorted(seen) and len(seen) == len(set(seen)) == total
    assert get(client, f"/api/events?page_size=5&page={total // 5 + 3}")["events"] == []
    assert len(get(client, f"/api/events?page_size={MAX_PAGE_SIZE}")["events"]) == total


@pytest.mark.parametrize("query", [
    "page_size=0", f"page_size={MAX_PAGE_SIZE + 1}", "page_size=1000000000", "page_size=-5",
    "page_size=99999999999999999999999999999999", "page=0", "page=-1", "page=abc", "page=1e3",
    "page=100000000000000000000000000000", "sort=bogus", "sort=date;DROP", "quad=5", "quad=0", "quad=x",
    "since=yesterday", "until=2017/11/21", "root=4x", "root=12345", "code=abc", "country=RUSSIA", "country=12",
    "pair=RUSGOV", "pair=A,B,C", "pair=RUSGOV,%27--", "country_pair=RU,US", "text=" + "x" * 201, "actor=a%00b",
])
def test_events_bad_parameters(client: TestClient, query: str) -> None:
    response = client.get("/api/events?" + query)
    assert response.status_code == 400, (query, response.text)
    message = response.json()["error"]
    assert isinstance(message, str) and 5 < len(message) < 500


# -- hostile requests -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("payload", INJECTIONS)
@pytest.mark.parametrize("name", ["actor", "source", "target", "country", "root", "code", "quad", "since",
                                  "until", "text", "doc", "pair", "country_pair", "sort", "page", "page_size"])
def test_sql_injection_in_every_filter(client: TestClient, db: Path, name: str, payload: str) -> None:
    response = client.get(f"/api/events?{name}={quote(payload)}")
    assert response.status_code in (200, 400), response.text
    if response.status_code == 200:
        assert response.json()["events"] == []  # a string is data: it matches nothing here
    for path in ("/api/stats", "/api/actors", "/api/network"):
        assert client.get(f"{path}?{name}={quote(payload)}").status_code in (200, 400)


def test_injection_leaves_the_store_intact(client: TestClient, db: Path, total: int) -> None:
    before = hashlib.sha1(db.read_bytes()).hexdigest()
    for payload in INJECTIONS:
        client.get(f"/api/events?text={quote(payload)}&actor={quote(payload)}")
        client.get(f"/api/actors?q={quote(payload)}")
        client.get(f"/api/documents/{quote(payload, safe='')}")
    assert hashlib.sha1(db.read_bytes()).hexdigest() == before
    assert get(client, "/api/events")["total"] == total


@pytest.mark.parametrize("url", ["/api/events?page_size=100000000", "/api/events?page_size=201",
                                 "/api/actors?limit=100000", "/api/network?nodes=100000", "/api/stats?pairs=100000",
                                 "/api/actors/RUSGOV?recent=100000"])
def test_huge_page_sizes_are_refused(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 400 and response.json()["error"]


@pytest.mark.parametrize("path", ["../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
                                  "..%5C..%5Cwindows", "/etc/passwd", "%252e%252e%252f", SEED_ID + "%2F..",
                                  "file:%2F%2F%2Fetc%2Fpasswd"])
def test_document_path_tricks_find_nothing(client: TestClient, path: str) -> None:
    response = client.get("/api/documents/" + path)
    assert response.status_code == 404, response.text  # an id is a value looked up, never a path
    assert "root:" not in response.text


@pytest.mark.parametrize("path", ["a%00b", "%00", SEED_ID + "%00", "x%09y", "%7F"])
def test_document_ids_with_control_characters_are_refused(client: TestClient, path: str) -> None:
    response = client.get("/api/documents/" + path)
    assert response.status_code == 400 and "control characters" in response.json()["error"]
    assert client.get("/documents/" + path).status_code == 400
    assert client.get("/api/documents/x%0Ay").status_code == 404  # a line break never matches the route


def test_document_id_too_long(client: TestClient) -> None:
    assert client.get("/api/documents/" + "a" * 600).status_code == 400


def test_script_tags_in_article_text_are_escaped(client: TestClient) -> None:
    response = client.get("/documents/" + quote(HOSTILE_ID, safe=""), headers={"accept": "text/html"})
    assert response.status_code == 200
    html = response.text
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>doc</b>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert 'href="javascript:' not in html  # a URL that is not http(s) is shown, never linked
    assert "script-src 'self'" in response.headers["content-security-policy"]
    doc = get(client, "/api/documents/" + quote(HOSTILE_ID, safe=""))
    assert doc["text"] == HOSTILE_TEXT and doc["events"]  # the API returns the text as stored (JSON-escaped)
    for name in ("actor", "text", "doc"):  # filters echoed into the form are escaped too
        page = client.get(f"/?{name}=" + quote('"><script>alert(4)</script>'), headers={"accept": "text/html"})
        assert "<script>alert(4)" not in page.text and "&#34;&gt;&lt;script&gt;" in page.text


# -- /api/documents ---------------------------------------------------------------------------------------------

def test_document_text_removed_spans_and_event_offsets(client: TestClient) -> None:
    doc = get(client, f"/api/documents/{SEED_ID}")
    text = (EXAMPLES / f"{SEED_ID}.txt").read_text(encoding="utf-8")
    assert doc["text"] == text and doc["script"] == "hant" and doc["published_inferred"]
    assert doc["removed"] and all(text[r["start"]:r["end"]] == r["text"] for r in doc["removed"])
    assert {r["reason"] for r in doc["removed"]} >= {"site_name", "caption", "repeated"}
    assert len(doc["events"]) == doc["num_events"] >= 6
    for event in doc["events"]:
        assert event["global_event_id"] and event["merged"]["num_articles"] >= 1
        for side in ("source", "target"):
            actor = event[side]
            if actor and actor.get("start") is not None:
                assert text[actor["start"]:actor["end"]] == actor["text"]
        assert any(m["is_evidence"] for m in event["mentions"])
        for mention in event["mentions"]:
            assert text[mention["start"]:mention["end"]] == mention["sentence"]
            trigger = mention["trigger"]
            assert text[trigger["start"]:trigger["end"]] == trigger["text"]


def test_document_unknown_is_404(client: TestClient) -> None:
    assert "no document" in get(client, "/api/documents/no-such-id", 404)["error"]
    response = client.get("/documents/no-such-id", headers={"accept": "text/html"})
    assert response.status_code == 404 and "no document" in response.text


def test_document_with_a_slash_in_its_id(client: TestClient) -> None:
    assert get(client, "/api/documents/" + quote(HOSTILE_ID, safe=""))["id"] == HOSTILE_ID


# -- /api/actors ------------------------------------------------------------------------------------------------

def test_actors_counts_and_partners(client: TestClient) -> None:
    result = get(client, "/api/actors")
    actors = {a["code"]: a for a in result["actors"]}
    assert result["total"] == len(actors)
    russia = actors["RUSGOV"]
    assert russia["name"] == "普京" and russia["country"] == "RUS" and russia["role"] == "GOV"
    assert russia["events"] == len(events(client, "actor=RUSGOV"))
    partners = [p["code"] for p in russia["partners"]]
    assert "USAGOV" in partners and len(partners) <= 5
    counts = [a["events"] for a in result["actors"]]
    assert counts == sorted(counts, reverse=True)
    found = [a["code"] for a in get(client, "/api/actors?q=RUS")["actors"]]
    assert "RUSGOV" in found and all(code.startswith("RUS") for code in found)
    assert [a["code"] for a in get(client, "/api/actors?q=普京")["actors"]] == ["RUSGOV"]
    filtered = {a["code"] for a in get(client, "/api/actors?root=19")["actors"]}
    expected = set()
    for event in events(client, "root=19"):
        expected |= {event["source"]["code"], (event["target"] or {}).get("code")} - {None}
    assert filtered == expected and filtered
    assert get(client, "/api/actors?actor=ZZZGOV") == {"total": 0, "limit": 50, "offset": 0, "actors": []}
    assert len(get(client, "/api/actors?limit=2&offset=1")["actors"]) == 2
    assert get(client, "/api/actors?partners=0")["actors"][0]["partners"] == []


def test_actor_detail(client: TestClient) -> None:
    actor = get(client, "/api/actors/rusgov")
    assert actor["code"] == "RUSGOV" and actor["country"] == "RUS"
    assert max(actor["as_source"], actor["as_target"]) <= actor["events"] <= actor["as_source"] + actor["as_target"]
    assert actor["names"][0]["name"] == "普京"
    assert actor["first_date"] <= actor["last_date"]
    assert sum(actor["per_quad"].values()) == actor["events"]
    assert {p["code"] for p in actor["partners"]} >= {"USAGOV", "SYRGOV"}
    assert len(actor["recent"]) == min(10, actor["events"])
    assert get(client, "/api/actors/RUSGOV?root=04")["events"] < actor["events"]
    assert "no events" in get(client, "/api/actors/ZZZGOV", 404)["error"]
    assert get(client, "/api/actors/RUSGOV?since=2030-01-01", 404)
    for bad in ("RU", "RUS$GOV", "A" * 30, quote("普京")):
        assert client.get(f"/api/actors/{bad}").status_code == 400


@pytest.mark.parametrize("query", ["limit=0", "limit=501", "offset=-1", "partners=51", "q=" + "x" * 300, "quad=9"])
def test_actors_bad_parameters(client: TestClient, query: str) -> None:
    response = client.get("/api/actors?" + query)
    assert response.status_code == 400 and response.json()["error"]


# -- /api/stats and /api/network --------------------------------------------------------------------------------

def test_stats(client: TestClient, total: int) -> None:
    stats = get(client, "/api/stats")
    assert stats["total"] == total and stats["dated"] + stats["partial_dates"] == total
    assert sum(sum(d[f"q{q}"] for q in range(1, 5)) for d in stats["per_day"]) == stats["dated"]
    assert sum(stats["per_quad"].values()) == total
    assert sum(r["events"] for r in stats["per_root"]) == total
    assert [d["date"] for d in stats["per_day"]] == sorted(d["date"] for d in stats["per_day"])
    pairs = {(p["a"], p["b"]): p for p in stats["per_country_pair"]}
    assert pairs[("RUS", "USA")]["events"] >= 2 and all(a <= b for a, b in pairs)
    day = next(d for d in stats["per_day"] if d["date"] == "2017-11-21")
    assert day["q1"] >= 6
    filtered = get(client, "/api/stats?quad=4")
    conflict = events(client, "quad=4")
    assert filtered["total"] == filtered["per_quad"]["4"] == len(conflict) >= 1
    assert filtered["partial_dates"] == sum(1 for e in conflict if len(e["date"] or "") != 10)
    empty = get(client, "/api/stats?actor=ZZZGOV")
    assert empty["total"] == 0 and empty["per_day"] == [] and empty["per_root"] == []
    assert len(get(client, "/api/stats?pairs=1")["per_country_pair"]) == 1


def test_network(client: TestClient) -> None:
    net = get(client, "/api/network")
    ids = {n["id"] for n in net["nodes"]}
    assert "RUSGOV" in ids and net["level"] == "actor"
    assert all(e["source"] in ids and e["target"] in ids and e["source"] < e["target"] for e in net["edges"])
    edge = next(e for e in net["edges"] if {e["source"], e["target"]} == {"RUSGOV", "USAGOV"})
    assert edge["events"] == len(events(client, "pair=RUSGOV,USAGOV"))
    countries = get(client, "/api/network?level=country&nodes=5")
    assert countries["level"] == "country" and len(countries["nodes"]) == 5
    assert all(len(n["id"]) == 3 for n in countries["nodes"])
    assert get(client, "/api/network?actor=ZZZGOV") == {"level": "actor", "nodes": [], "edges": []}
    for bad in ("level=people", "nodes=1", "nodes=abc"):
        assert client.get("/api/network?" + bad).status_code == 400


def test_meta(client: TestClient) -> None:
    meta = get(client, "/api/meta")
    assert meta["roots"]["04"] == {"zh": "磋商", "en": "Consult"}
    assert meta["quads"]["4"]["en"] == "Material conflict"
    assert meta["codes"]["041"]["name"] and meta["countries"]["RUS"]["zh"] == "俄罗斯"


def test_openapi_documents_every_endpoint(client: TestClient) -> None:
    spec = get(client, "/openapi.json")
    for path in ("/api/events", "/api/actors", "/api/actors/{actor_code}", "/api/documents/{doc_id}", "/api/stats",
                 "/api/network", "/api/meta"):
        assert path in spec["paths"], path
    names = {p["name"] for p in spec["paths"]["/api/events"]["get"]["parameters"]}
    assert names >= {"actor", "country", "root", "code", "quad", "since", "until", "text", "sort", "page", "page_size"}
    docs = client.get("/docs")
    assert docs.status_code == 200 and "docs.js" in docs.text


# -- pages ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/timeline", "/network", f"/documents/{SEED_ID}", "/docs",
                                  "/?actor=普京&quad=1&since=2017-11-01", "/network?level=country&nodes=10"])
def test_pages_are_self_contained(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    html = response.text
    assert "事件" in html and "Events" in html  # both languages
    assert not re.search(r"""(src|href)=["'](https?:)?//""", html)  # nothing from another host
    assert "<script>" not in html  # no inline script (the CSP forbids it anyway)
    for asset in re.findall(r"""(?:src|href)="(/static/[^"?]+)""", html):
        assert client.get(asset).status_code == 200, asset
    assert "default-src 'self'" in response.headers["content-security-policy"]


def test_static_assets_have_no_remote_references() -> None:
    static = ROOT / "src" / "magpie" / "web" / "static"
    for path in static.iterdir():
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", text), path.name


def test_document_page_highlights_evidence(client: TestClient) -> None:
    html = client.get(f"/documents/{SEED_ID}").text
    marks = re.findall(r'<mark class="([^"]*)" data-ev="([^"]*)"[^>]*>([^<]*)</mark>', html)
    assert any("evidence" in cls for cls, _, _ in marks)
    doc = get(client, f"/api/documents/{SEED_ID}")
    for index, event in enumerate(doc["events"]):
        evidence = next(m for m in event["mentions"] if m["is_evidence"])
        covered = "".join(text for cls, ev, text in marks if str(index) in ev.split() and "evidence" in cls)
        assert evidence["sentence"].replace("\n", "") in covered.replace("\n", "") or \
            covered.replace("\n", "") in evidence["sentence"].replace("\n", "")
        assert f'id="event-{event["global_event_id"]}"' in html
    assert 'class="removed"' in html or "removed" in html


def test_static_path_traversal(client: TestClient) -> None:
    for path in ("/static/../app.py", "/static/%2e%2e/app.py", "/static/..%2Fapp.py"):
        response = client.get(path)
        assert response.status_code == 404 and "create_app" not in response.text


def test_unknown_page_404(client: TestClient) -> None:
    assert client.get("/nope").status_code == 404
    assert client.get("/api/nope").json()["error"]


# -- read-only store, segments, migration -----------------------------------------------------------------------

def test_store_is_opened_read_only(client: TestClient, db: Path) -> None:
    with client.app.state.store.borrow() as conn:  # type: ignore[attr-defined]
        with pytest.raises(sqlite3.OperationalError):
            conn.execute("DELETE FROM events")
        with pytest.raises(sqlite3.OperationalError):
            conn.execute("CREATE TABLE x (y)")
        assert conn.execute("PRAGMA query_only").fetchone()[0] == 1


def test_missing_or_foreign_database(tmp_path: Path) -> None:
    from magpie.errors import StoreError

    with pytest.raises(StoreError, match="no such database"):
        create_app(tmp_path / "missing.db", preload=False)
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(StoreError):
        create_app(other, preload=False)


def test_segments_cover_the_text_once() -> None:
    text = "甲乙丙丁戊己庚辛"
    events = [{"mentions": [{"start": 0, "end": 4, "is_evidence": True, "trigger": {"start": 2, "end": 3}}],
               "source": {"start": 0, "end": 1}, "target": None},
              {"mentions": [{"start": 2, "end": 6, "is_evidence": False, "trigger": {"start": 4, "end": 99}}]}]
    parts = segments(text, events, [{"start": 6, "end": 8, "reason": "caption"}])
    assert "".join(p.text for p in parts) == text
    by_start = {p.start: p for p in parts}
    assert by_start[0].actor == [0] and by_start[0].evidence == [0]
    assert by_start[2].events == [0, 1] and by_start[2].trigger == [0]
    assert by_start[4].events == [1] and by_start[4].classes == "mention trigger"
    assert by_start[6].removed == "caption" and by_start[6].trigger == [1]


def test_migration_adds_the_web_indexes(db: Path) -> None:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 2
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
        assert {"events_root_date", "events_source_country", "doc_events_source_text"} <= names
    finally:
        conn.close()


# -- CLI --------------------------------------------------------------------------------------------------------

def test_serve_defaults_to_loopback() -> None:
    import argparse

    parser = argparse.ArgumentParser()
    web_cli.add_parsers(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["serve"])
    assert (args.host, args.port, args.db) == ("127.0.0.1", 8000, "magpie.db")
    assert sorted(web_cli.COMMANDS) == ["serve"]


def test_serve_missing_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["serve", "--db", str(tmp_path / "none.db")]) == 2
    assert "no such database" in capsys.readouterr().err


def test_serve_bad_port(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["serve", "--db", str(db), "--port", "70000"]) == 2
    assert "--port" in capsys.readouterr().err


@pytest.mark.parametrize("workers", [1, 2])
def test_serve_over_http(db: Path, workers: int) -> None:
    """The real server process (or two, sharing the socket) on a free loopback port answers the API and the pages."""
    from magpie.web.loadtest import serve

    with serve(db, workers=workers) as (host, port):
        assert host == "127.0.0.1"
        with urllib.request.urlopen(f"http://{host}:{port}/api/events?actor=RUSGOV", timeout=10) as response:
            page = json.loads(response.read())
        assert page["total"] > 0
        with urllib.request.urlopen(f"http://{host}:{port}/timeline", timeout=10) as response:
            assert "timeline.js" in response.read().decode()
