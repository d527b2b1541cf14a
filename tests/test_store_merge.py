"""Near-duplicate articles and cross-document event merging (NumMentions, NumSources, NumArticles)."""

from __future__ import annotations

from pathlib import Path

import opencc
import pytest

from magpie import neardup
from magpie import store as magpie_store
from magpie.document import Document
from magpie.store.ingest import compatible, merge_key

SEED = Path(__file__).resolve().parent.parent / "examples" / "000_ec79773fa7d8658e.txt"


@pytest.fixture(scope="module")
def simplified() -> str:
    """The seed article converted to Simplified script (the 'original' of these tests)."""
    return opencc.OpenCC("t2s").convert(SEED.read_text(encoding="utf-8"))


def edited(text: str) -> str:
    """A repost with small edits: a sentence dropped, a phrase changed, a credit line added."""
    lines = text.split("\n")
    body = [i for i, line in enumerate(lines) if len(line) > 60]
    lines[body[2]] = lines[body[2]].replace("报导称", "另据报道", 1)
    del lines[body[-2]]
    return "\n".join(lines) + "\n（本文转载自网络，如有侵权请联系删除）"


def test_signatures_find_copies_and_scripts(simplified: str) -> None:
    original = neardup.signature(simplified)
    traditional = neardup.signature(opencc.OpenCC("s2t").convert(simplified))
    repost = neardup.signature(edited(simplified))
    other = neardup.signature("美国总统特朗普12日在新加坡与朝鲜国务委员会委员长金正恩举行会晤,"
                              "双方在会晤后签署了联合声明。特朗普在记者会上表示,美方将停止美韩联合军演。")
    assert original is not None and len(original) == neardup.PERMUTATIONS
    # the raw Traditional text gets different shingles; the pipeline's view (Simplified) gets the same
    assert neardup.similarity(original, repost) >= neardup.THRESHOLD
    assert neardup.similarity(original, other) < 0.2
    assert traditional is not None
    assert neardup.signature("太短了") is None
    assert neardup.band_keys(original) == neardup.band_keys(neardup.from_blob(neardup.to_blob(original)))
    assert len(set(neardup.band_keys(original))) == neardup.BANDS


def test_near_duplicates_are_linked_and_only_raise_counts(tmp_path: Path, simplified: str) -> None:
    traditional = opencc.OpenCC("s2t").convert(simplified)
    docs = [
        Document(id="original", text=simplified, source="华文网", url="https://a.example/1"),
        Document(id="repost", text=edited(simplified), source="转载网", url="https://b.example/2"),
        Document(id="traditional", text=traditional, source="台湾网", url="https://c.example/3"),
        Document(id="exact-copy", text=simplified, source="华文网", url="https://a.example/mirror"),
        Document(id="unrelated", text="美国总统特朗普12日在新加坡与朝鲜国务委员会委员长金正恩举行会晤。"
                 "双方在会晤后签署了联合声明。特朗普在记者会上表示,美方将停止美韩联合军演。", published="2018-06-12",
                 source="新华网"),
    ]
    with magpie_store.open(tmp_path / "one.db", create=True) as alone:
        alone.ingest([Document(id="original", text=simplified, source="华文网")])
        single = alone.events()
    with magpie_store.open(tmp_path / "all.db", create=True) as store:
        stats = store.ingest(docs)
        links = dict(store.conn.execute("SELECT id, duplicate_of FROM documents"))
        assert links == {"original": None, "repost": "original", "traditional": "original",
                         "exact-copy": "original", "unrelated": None}
        similarity = dict(store.conn.execute("SELECT id, similarity FROM documents"))
        assert similarity["exact-copy"] == 1.0 and similarity["traditional"] >= 0.95
        assert stats.duplicates == 3
        events = [e for e in store.events() if e["doc_id"] == "original"]
        # copies never add events: the original's events, each now reported by four articles
        assert len(events) == len(single)
        assert len(store.events()) == len(single) + len(store.events(doc="unrelated"))
        by_id = {e["event_id"]: e for e in single}
        for event in events:
            alone_event = by_id[event["event_id"]]
            assert event["code"] == alone_event["code"]
            assert event["num_articles"] == 4
            assert event["num_sources"] == 3  # 华文网 twice
            assert event["num_mentions"] >= 3 * alone_event["num_mentions"]
            assert event["num_mentions"] == len(event["mentions"])
            assert {m["doc_id"] for m in event["mentions"]} == {"original", "repost", "traditional", "exact-copy"}
        assert {r[0] for r in store.conn.execute("SELECT doc_id FROM duplicates")} == \
            {"repost", "traditional", "exact-copy"}


def test_same_event_in_different_articles_is_merged(tmp_path: Path) -> None:
    reports = [
        ("a", "俄罗斯总统普京21日与美国总统特朗普通了电话。", "2017-11-22", "塔斯社"),
        ("b", "美国总统特朗普22日与俄罗斯总统普京通电话。", "2017-11-22", "美联社"),
        ("c", "俄罗斯总统普京21日与美国总统特朗普举行了磋商。", "2017-11-22", "新华社"),
        ("d", "俄罗斯总统普京25日与美国总统特朗普通了电话。", "2017-11-26", "新华社"),
        ("e", "俄罗斯总统普京21日与美国总统特朗普举行会谈。", "2017-11-22", "新华社"),
    ]
    docs = [Document(id=i, text=text, published=published, source=source) for i, text, published, source in reports]
    with magpie_store.open(tmp_path / "m.db", create=True) as store:
        store.ingest(docs)
        events = store.events()
    by_docs = {tuple(sorted({m["doc_id"] for m in e["mentions"]})): e for e in events}
    # a and b: the same call (symmetric code, reversed actors, dates one day apart); c: a generic 040 on the 21st
    # joins the specific 041; d: another call four days later; e: 046 is a different kind of consultation
    assert set(by_docs) == {("a", "b", "c"), ("d",), ("e",)}
    call = by_docs[("a", "b", "c")]
    assert call["code"] == "041" and call["date"] == "2017-11-21"
    assert (call["num_mentions"], call["num_articles"], call["num_sources"]) == (3, 3, 3)


def test_generic_040_is_refined_by_a_later_specific_report(tmp_path: Path) -> None:
    docs = [
        Document(id="generic", text="俄罗斯总统普京21日与美国总统特朗普举行了磋商。", published="2017-11-22"),
        Document(id="specific", text="俄罗斯总统普京21日与美国总统特朗普通了电话。", published="2017-11-22"),
    ]
    with magpie_store.open(tmp_path / "r.db", create=True) as store:
        store.ingest(docs)
        (event,) = store.events()
    assert event["code"] == "041" and event["plover"]["mode"] == "phone" and event["num_articles"] == 2


def test_merge_rules() -> None:
    def record(code: str, source: str, target: str | None, planned: bool = False) -> dict:
        actor = lambda c: {"country": c[:3], "role": c[3:6] or None}  # noqa: E731
        return {"code": code, "source": actor(source), "target": actor(target) if target else None,
                "planned": planned}

    assert merge_key(record("041", "RUSGOV", "USAGOV")) == merge_key(record("040", "USAGOV", "RUSGOV"))
    assert merge_key(record("112", "RUSGOV", "USAGOV")) != merge_key(record("112", "USAGOV", "RUSGOV"))
    assert merge_key(record("041", "RUSGOV", "USAGOV")) != merge_key(record("041", "RUSGOV", "USAGOV", True))
    assert merge_key(record("041", "RUSGOV", "USAGOV")) != merge_key(record("041", "RUSMIL", "USAGOV"))
    assert compatible("040", "042") and compatible("043", "040") and compatible("041", "041")
    assert not compatible("041", "042") and not compatible("190", "193")
