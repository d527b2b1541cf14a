"""Issue 12, item 9: a group mention (俄美兩國總統) carries the names of its members where the text gives them."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

import magpie
from magpie.read import read_inputs
from magpie.write.records import member_names, records

from .conftest import coded

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parent.parent


def _names(doc, lexicon) -> list[tuple[str, str | None, str | None]]:
    return [(r["code"], r["source"]["name"], (r["target"] or {}).get("name")) for r in records(doc, lexicon)]


def test_seed_call_of_the_two_presidents_names_both(seed_doc, lexicon) -> None:
    call = next(r for r in records(seed_doc, lexicon) if r["source"]["text"] == "俄美兩國總統")
    assert call["code"] == "041"
    assert (call["source"]["code"], call["source"]["name"]) == ("RUSGOV", "普京")
    assert (call["target"]["code"], call["target"]["name"]) == ("USAGOV", "特朗普")


def test_member_takes_the_name_only_when_the_text_decides(pipeline, lexicon) -> None:
    # two people of RUSGOV and no title: the president is not decided, and the USA is named nowhere
    doc = coded(pipeline, "俄罗斯外长拉夫罗夫20日会见了叙利亚外长。俄美两国总统21日进行了通话。普京表示满意。")
    assert ("041", None, None) in _names(doc, lexicon)
    # the president is the one the text calls 总统
    doc = coded(pipeline, "俄罗斯外长拉夫罗夫20日会见了叙利亚外长。俄罗斯总统普京表示满意。"
                          "俄美两国总统21日进行了通话。")
    assert ("041", "普京", None) in _names(doc, lexicon)


def test_country_members_take_the_country_name(pipeline, lexicon) -> None:
    doc = coded(pipeline, "俄美两国21日签署了协议。")
    group = next(a for a in doc.actors if a.kind == "group")
    names = member_names(doc, lexicon)
    assert sorted(names[(m.start, m.end, m.code)] for m in group.members) == ["俄罗斯", "美国"]


def test_store_and_api_find_the_call_by_either_president(tmp_path: Path) -> None:
    from magpie.web.app import create_app

    db = tmp_path / "seed.db"
    with magpie.open(db, create=True) as store:
        store.ingest(read_inputs([str(ROOT / "examples" / "000_ec79773fa7d8658e.txt")]))
        rows = store.conn.execute("SELECT name FROM actors WHERE text = '俄美兩國總統' ORDER BY name").fetchall()
    assert [r[0] for r in rows] == ["普京", "特朗普"]  # the actors table: one row per member, named
    client = TestClient(create_app(db))
    for name in ("普京", "普丁", "特朗普", "川普"):
        found = client.get("/api/events", params={"actor": name, "code": "041", "page_size": 200}).json()["events"]
        call = [e for e in found if e["source"]["text"] == "俄美兩國總統"]
        assert len(call) == 1, name
        assert (call[0]["source"]["name"], call[0]["target"]["name"]) == ("普京", "特朗普")


@pytest.mark.parametrize("text", ["俄美两国总统21日进行了通话，二人讨论了叙利亚问题。普京和特朗普都表示满意。"])
def test_pronoun_for_a_group_takes_the_members_names(pipeline, lexicon, text: str) -> None:
    doc = coded(pipeline, text)
    pair = next(a for a in doc.actors if doc.text[a.start:a.end] == "二人")
    names = member_names(doc, lexicon)
    assert sorted(names.get((m.start, m.end, m.code)) or "" for m in pair.members) == ["普京", "特朗普"]
