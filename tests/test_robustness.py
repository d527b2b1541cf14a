"""Hostile input: Magpie never crashes and never hangs; each bad document becomes a reject with a reason."""

import io
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from magpie.document import Document, Reject
from magpie.pipeline import Options, Pipeline
from magpie.read import read_jsonl_lines
from magpie.read.encoding import decode
from magpie.write import records

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PIECES = ["巴沙尔·阿萨德", "后者", "双方", "11月21日", "被", "没有", "将", "叙利亚问题", "香港警方"]
CHARS = "俄罗斯总统普京美国特朗普与在会见通电话表示支持谴责逮捕袭击日月年，。、：“”！？ \n21"
NEWSY = st.sampled_from([*CHARS, *PIECES])


def _check(pipeline, doc):
    (out,) = list(pipeline.run([doc]))
    if isinstance(out, Reject):
        assert out.reason
        return
    assert len(out.view) == len(out.text)
    for record in records(out, pipeline.lexicon):
        ev = record["evidence"]
        assert out.text[ev["start"] : ev["end"]] == ev["sentence"]
        for side in ("source", "target"):
            if record[side]:
                a = record[side]
                assert 0 <= a["start"] <= a["end"] <= len(out.text)


@SETTINGS
@given(st.text(max_size=400))
def test_any_unicode_text(pipeline, text):
    _check(pipeline, Document(id="h", text=text, published="2017-11-22"))


@SETTINGS
@given(st.lists(NEWSY, max_size=120).map("".join))
def test_newsy_fragments(pipeline, text):
    _check(pipeline, Document(id="h", text=text, published=None))


@SETTINGS
@given(st.text(alphabet=st.characters(blacklist_categories=()), max_size=200))
def test_control_characters_and_surrogates(pipeline, text):
    _check(pipeline, Document(id="h", text=text + "\ud800\x00\x1b[31m", published="2017-11-22"))


@SETTINGS
@given(st.binary(max_size=600))
def test_decoder_never_raises(data):
    text, problem = decode(data)
    assert (text is None) != (problem is None)


@SETTINGS
@given(st.lists(st.one_of(st.binary(max_size=80), st.text(max_size=80).map(lambda t: t.encode("utf-8"))),
                max_size=12))
def test_malformed_jsonl_lines(lines):
    stream = io.BytesIO(b"\n".join(line.replace(b"\n", b" ") for line in lines))
    for item in read_jsonl_lines(stream, "fuzz.jsonl"):
        assert isinstance(item, (Document, Reject))
        if isinstance(item, Reject):
            assert item.line is not None and item.reason


def test_very_long_line_and_many_repeated_paragraphs(pipeline):
    long_line = "俄罗斯总统普京21日与埃及总统塞西通了电话，" * 5000  # one 110,000-character line
    doc = Document(id="long", text=long_line, published="2017-11-22")
    _check(pipeline, doc)
    repeated = "\n".join(["普京21日与沙特国王萨勒曼通电话。"] * 3000 + ["他们讨论了叙利亚问题。"])
    (out,) = list(pipeline.run([Document(id="rep", text=repeated, published="2017-11-22")]))
    assert isinstance(out, Document)
    assert sum(1 for r in out.removed if r.reason == "repeated") == 2999
    assert len(out.events) == 1 and len(out.events[0].mentions) == 2


def test_ten_megabyte_document_is_rejected_quickly_with_a_reason(pipeline):
    text = "中方对印尼的努力表示赞赏。" * 800_000  # 10.4 M characters
    (out,) = list(pipeline.run([Document(id="huge", text=text)]))
    assert isinstance(out, Reject) and "over the" in out.reason and "split it" in out.reason


def test_time_bound_per_document():
    pipeline = Pipeline(Options(timeout=0.01))
    text = ("俄罗斯总统普京与美国总统特朗普通电话。" * 40 + "\n") * 2000
    slow = Document(id="slow", text=text, published="2017-11-22")
    fast = Document(id="fast", text="普京21日与塞西通了电话。", published="2017-11-22")
    pipeline(Document(id="warm", text=fast.text, published=fast.published))  # the model's first run is slower
    out = list(pipeline.run([slow, fast]))
    assert isinstance(out[0], Reject) and "took longer than" in out[0].reason
    assert isinstance(out[1], Document) and out[1].events


def test_wrong_encoding_json_lines_are_rejected_not_fatal():
    good = json.dumps({"id": "ok", "text": "普京21日与塞西通了电话。"}, ensure_ascii=False).encode("utf-8")
    bad = json.dumps({"id": "gbk", "text": "普京21日与塞西通了电话。"}, ensure_ascii=False).encode("gb18030")
    items = list(read_jsonl_lines(io.BytesIO(good + b"\n" + bad + b"\n" + b"\xff\xfe\x00\x01"), "mixed.jsonl"))
    assert isinstance(items[0], Document) and items[0].id == "ok"
    assert isinstance(items[1], Document) and items[1].text == "普京21日与塞西通了电话。"  # GB18030 line decoded
    assert isinstance(items[2], Reject) and items[2].line == 3
