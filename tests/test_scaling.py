"""Coding work grows linearly with a document's length (issue 11, items 5 and 16).

Not a timing: the work is counted as the lines of Magpie's own code that run (``sys.settrace`` line events,
one per statement and per turn of every loop and comprehension), so a scan over the whole document inside a
loop over its mentions shows as work per character that grows with the document. A document four times as
long must cost about four times the work. The wall-clock figures, 1 KB to 2 MB, come from
``python3 bench/run.py --tasks scale``.
"""

from __future__ import annotations

import copy
import json
import random
import sys
from collections.abc import Callable
from pathlib import Path
from types import CodeType, FrameType

import opencc
import pytest

from magpie.coder.actors import Actors
from magpie.coder.compounds import Occurrences
from magpie.coder.coref import _distinct, _Recent
from magpie.coder.dedup import Dedup
from magpie.coder.names import Covered
from magpie.document import Actor, Document, Event, Mention, Span
from magpie.pipeline import Pipeline

from .conftest import ROOT

SIZE = 5_000  # characters; the long document is four times this (and past Occurrences.LONG)
GROWTH = 1.3  # the most the work per character may grow from SIZE to 4 × SIZE


def _paragraphs() -> list[str]:
    found = []
    for path in sorted((ROOT / "examples").glob("*")):
        if path.suffix == ".txt":
            texts = [path.read_text(encoding="utf-8")]
        elif path.suffix == ".jsonl":
            texts = [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line]
        else:
            continue
        found.extend(p for text in texts for p in text.split("\n") if len(p) > 20)
    return found


def long_document(chars: int) -> str:
    """The bundled examples' paragraphs over and over, every other one in Traditional script: many actors,
    names and their short forms, places and events. Each round is marked, so cleaning keeps it."""
    paragraphs, to_trad = _paragraphs(), opencc.OpenCC("s2t").convert
    parts: list[str] = []
    total = k = 0
    while total < chars:
        rounds, index = divmod(k, len(paragraphs))
        paragraph = f"{paragraphs[index]}（{rounds}）" if rounds else paragraphs[index]
        parts.append(to_trad(paragraph) if k % 2 else paragraph)
        total += len(paragraph) + 1
        k += 1
    return "\n".join(parts)[:chars]


def _work(pipeline: Pipeline, text: str, counted: Callable[[FrameType], bool]) -> dict[str, int]:
    """Lines of Magpie's code run by each stage on ``text``, in the frames ``counted`` selects."""
    doc = Document(id="scaling", text=text, published="2017-11-22")
    work: dict[str, int] = {}
    for stage in pipeline.stages:
        if stage.name == "tokens":  # the lexical model: its work is per trigger clause by construction
            doc = stage(doc)
            continue
        lines = 0

        def local(frame: FrameType, event: str, arg: object) -> object:
            nonlocal lines
            if event == "line":
                lines += 1
            return local

        def call(frame: FrameType, event: str, arg: object) -> object:
            return local if "magpie" in frame.f_code.co_filename and counted(frame) else None

        sys.settrace(call)
        try:
            doc = stage(doc)
        finally:
            sys.settrace(None)
        work[stage.name] = lines
    return work


@pytest.fixture(scope="module")
def work(pipeline: Pipeline) -> tuple[dict[str, int], dict[str, int]]:
    return _work(pipeline, long_document(SIZE), lambda frame: True), \
        _work(pipeline, long_document(4 * SIZE), lambda frame: True)


@pytest.mark.parametrize("stage", ["sentences", "dates", "actors", "coreference", "events", "stance", "dedup"])
def test_stage_work_per_character_stays_flat(work: tuple[dict[str, int], dict[str, int]], stage: str) -> None:
    short, long = work
    assert short[stage] > 0
    growth = long[stage] / (4 * short[stage])
    assert growth <= GROWTH, f"{stage}: work per character grew {growth:.2f}× from {SIZE:,} to {4 * SIZE:,} chars"


def _events_parts(frame: FrameType) -> bool:
    """Events.__call__ itself (its loops over sentences and triggers), _place and _named_agent (arguments.py),
    with the comprehensions they run — not the rest of the coding of one trigger."""
    names = {"events.py": ("__call__", "_place"), "arguments.py": ("_named_agent",)}

    def counted(code: CodeType) -> bool:
        return code.co_name in names.get(Path(code.co_filename).name, ())

    code = frame.f_code
    if Path(code.co_filename).name not in names:
        return False
    if counted(code):
        return True
    parent = frame.f_back
    return code.co_name.startswith("<") and parent is not None and counted(parent.f_code)


def test_events_scans_by_sentence_not_document(pipeline: Pipeline) -> None:
    short = _work(pipeline, long_document(SIZE), _events_parts)["events"]
    long = _work(pipeline, long_document(4 * SIZE), _events_parts)["events"]
    assert short > 0
    assert long / (4 * short) <= GROWTH


# ---------------------------------------------------------------- the fast paths equal the simple ones
def test_occurrences_equal_str_count() -> None:
    rng = random.Random(11)
    alphabet = "王李张刘强明哈小巴沙尔·"
    view = "".join(rng.choice(alphabet) for _ in range(Occurrences.LONG + 500))
    counts = Occurrences(view)
    for _ in range(400):
        n = rng.choice((2, 3))
        start = rng.randrange(len(view) - n)
        text = view[start : start + n] if rng.random() < 0.8 else "".join(rng.choice(alphabet) for _ in range(n))
        assert counts(text) == view.count(text), text
    assert counts("哈哈") == view.count("哈哈") and counts("王小王") == view.count("王小王")  # overlapping ones


def test_covered_equals_any_overlap() -> None:
    rng = random.Random(5)
    spans = [(s, s + rng.randrange(0, 6)) for s in (rng.randrange(200) for _ in range(40))]
    mentions = [Actor(s, e, None, None, None, None, "role") for s, e in spans]
    covered = Covered(210, mentions)
    for start in range(200):
        for end in range(start + 1, min(start + 8, 205)):
            assert covered.overlaps(start, end) == any(s < end and start < e for s, e in spans), (start, end)


def _follow_aliases_by_find(view: str, mentions: list[Actor], aliases: dict[str, Actor]) -> list[Actor]:
    """The simple form: every name's occurrences by str.find, each checked against every covered span."""
    covered = [(m.start, m.end) for m in mentions]
    extra = []
    for alias, antecedent in aliases.items():
        start = view.find(alias)
        while start >= 0:
            end = start + len(alias)
            if not any(s < end and start < e for s, e in covered):
                extra.append(Actor(start, end, antecedent.code, antecedent.country, antecedent.role, antecedent.name,
                                   "person", antecedent=antecedent, discovered=antecedent.discovered))
                covered.append((start, end))
            start = view.find(alias, end)
    return sorted(mentions + extra, key=lambda m: m.start)


def test_follow_aliases_equals_find() -> None:
    rng = random.Random(3)
    names = ["巴沙尔·阿萨德", "巴沙尔", "阿萨德", "沙尔", "哈哈", "王毅"]
    for _ in range(30):
        view = "".join(rng.choice([*names, "，", "会见", "了", "哈"]) for _ in range(80))
        mentions = sorted((Actor(s, s + rng.randrange(1, 4), "SYR", "SYR", None, "x", "country")
                           for s in rng.sample(range(len(view) - 4), 6)), key=lambda m: m.start)
        aliases = {name: Actor(0, 0, "SYRGOV", "SYR", "GOV", name, "person") for name in rng.sample(names, 4)}
        fast = Actors._follow_aliases(view, list(mentions), aliases)
        slow = _follow_aliases_by_find(view, list(mentions), aliases)
        assert [(m.start, m.end, m.name) for m in fast] == [(m.start, m.end, m.name) for m in slow]


def test_recent_equals_look_back() -> None:
    rng = random.Random(8)
    history: list[Actor] = []
    recent = _Recent()
    for _ in range(300):
        actor = Actor(0, 0, None, rng.choice(["CHN", "USA", "RUS"]), None, None, rng.choice(["person", "country"]))
        history.append(actor)
        recent.add(actor)
        distinct = _distinct(reversed(history), 2)
        assert recent.other is (distinct[1] if len(distinct) > 1 else None)
        assert recent.person is next((a for a in reversed(history) if a.kind == "person"), None)


def test_dedup_by_kind_equals_dedup_over_all_groups() -> None:
    """Looking an event's group up among those of its kind, pair and plannedness merges exactly as looking
    through every group did."""
    rng = random.Random(2)
    codes = ["040", "042", "043", "036", "019", "057", "111", "112", "173", "190", "046"]
    people = [None, "王毅", "巴沙尔", "巴沙尔·阿萨德", "普京"]

    def actor() -> Actor:
        name = rng.choice(people)
        return Actor(0, 0, None, rng.choice(["CHN", "USA", "SYR"]), rng.choice([None, "GOV", "MIL"]), name,
                     "person" if name else "country")

    for _ in range(40):
        events = []
        for k in range(60):
            basis = rng.choice(["none", "context", "sentence"])
            events.append(Event(rng.choice(codes), actor(), actor() if rng.random() < 0.8 else None, Span(k, k + 1),
                                Span(k, k + 1), rng.choice(["2017-11-20", "2017-11-21", None]), basis,
                                planned=rng.random() < 0.2, mentions=[Mention(Span(k, k + 1), Span(k, k + 1))]))
        reference = copy.deepcopy(events)
        merged: list[Event] = []
        for event in reference:  # the simple form: every group so far, latest first
            group = Dedup._find(merged, event)
            if group is None:
                merged.append(event)
            else:
                Dedup._merge(group, event)
        doc = Dedup()(Document(id="d", text="", events=events))
        assert [(e.code, e.date, e.date_basis, e.source.name, e.target.name if e.target else None,
                 [m.sentence.start for m in e.mentions]) for e in doc.events] == \
            [(e.code, e.date, e.date_basis, e.source.name, e.target.name if e.target else None,
              [m.sentence.start for m in e.mentions]) for e in merged]
