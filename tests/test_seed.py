"""End to end on the reference article (Traditional script, no publication date)."""

import json

from magpie.cli import main
from magpie.write.records import records

from .conftest import SEED

REQUIRED = [
    # (source country, root, target country, date, symmetric)
    ("RUS", "04", "USA", "2017-11-21", True),
    ("RUS", "04", "ISR", "2017-11-21", True),
    ("RUS", "04", "EGY", "2017-11-21", True),
    ("RUS", "04", "SAU", "2017-11-21", True),
    ("SYR", "04", "RUS", "2017-11-20", True),
    ("EGY", "05", "RUS", "2017-11-21", False),
]


def _matches(event, source, root, target, date, symmetric):
    pair = (event.source.country, event.target.country if event.target else None)
    pairs = {pair, pair[::-1]} if symmetric else {pair}
    return event.root == root and (source, target) in pairs and event.date == date


def test_the_six_required_events_each_once(seed_doc):
    for spec in REQUIRED:
        found = [e for e in seed_doc.events if _matches(e, *spec)]
        assert len(found) == 1, (spec, [(e.code, e.source.code, e.target and e.target.code, e.date) for e in found])
        source, root, target, _, symmetric = spec
        any_date = [e for e in seed_doc.events if _matches(e, source, root, target, e.date, symmetric)]
        assert len(any_date) == 1, (spec, [(e.code, e.date) for e in any_date])  # not again on another day


def test_phone_calls_are_041_and_sochi_meeting_has_its_place(seed_doc):
    calls = [e for e in seed_doc.events if e.code == "041"]
    assert {e.target.country for e in calls} | {e.source.country for e in calls} >= {"RUS", "USA", "ISR", "EGY", "SAU"}
    sochi = next(e for e in seed_doc.events if _matches(e, *REQUIRED[4]))
    assert sochi.place is not None and sochi.place.name == "索契" and sochi.place.country == "RUS"
    assert sochi.place.lat and abs(sochi.place.lat - 43.6) < 0.5


def test_year_and_month_are_inferred(seed_doc):
    assert seed_doc.published == "2017-11-22" and seed_doc.published_inferred
    dated = [e for e in seed_doc.events if any(_matches(e, *spec) for spec in REQUIRED)]
    assert all(e.date_inferred for e in dated)


def test_nothing_from_the_repeated_tail_and_few_others(seed_doc):
    removed = [(r.start, r.end) for r in seed_doc.removed]
    for event in seed_doc.events:
        for mention in event.mentions:
            assert not any(s <= mention.trigger.start < e for s, e in removed)
    assert len(seed_doc.events) <= 12
    assert not any(e.root >= "14" and e.date and e.date.startswith("2017") for e in seed_doc.events)


def test_offsets_slice_the_original_text(seed_doc, lexicon):
    text = seed_doc.text
    for record in records(seed_doc, lexicon):
        for side in ("source", "target"):
            actor = record[side]
            if actor:
                assert text[actor["start"] : actor["end"]] == actor["text"]
        ev = record["evidence"]
        assert text[ev["start"] : ev["end"]] == ev["sentence"]
        assert text[ev["trigger"]["start"] : ev["trigger"]["end"]] == ev["trigger"]["text"]
        assert record["num_mentions"] == len(record["mentions"]) >= 1
    call = next(r for r in records(seed_doc, lexicon) if r["code"] == "041" and r["target"]["country"] == "ISR")
    assert call["source"]["text"] == "俄羅斯總統普京" and call["target"]["text"] in ("後者", "以色列總理內塔尼亞胡")


def test_cli_on_the_seed_as_plain_txt(capsys):
    assert main(["code", "--format", "jsonl", "--quiet", str(SEED)]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert lines and all(r["doc_id"] == "000_ec79773fa7d8658e" for r in lines)
    assert {r["date"] for r in lines if r["code"] == "041"} == {"2017-11-21"}


def test_same_events_in_simplified_and_taiwan_usage():
    import opencc

    import magpie

    text = SEED.read_text(encoding="utf-8")
    simplified = opencc.OpenCC("t2s").convert(text)
    taiwan = opencc.OpenCC("s2twp").convert(simplified)  # Taiwan phrasing: different words, other lengths

    def triples(t):
        return sorted((e["source"]["code"], e["code"], e["target"] and e["target"]["code"], e["date"])
                      for e in magpie.code(t))

    assert triples(text) == triples(simplified) == triples(taiwan)
