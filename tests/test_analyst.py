"""Issue 12, items 10 and 11: the analysts' additions to the web API (actor search in every spelling, filtered
downloads, the place filter and column, the map's places, actor pages, labels of the network's nodes)."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

import magpie
from magpie.read import read_inputs
from magpie.web.app import create_app

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
