"""Stance: a statement whose complement condemns another party's conduct is criticism (111)."""

from magpie.document import Document


def _events(pipeline, text):
    doc = pipeline(Document(id="s", text=text, published="2024-03-05"))
    return [(e.code, e.source.country, e.target.country if e.target else None, e.date) for e in doc.events]


def test_statement_condemning_another_country_is_criticism(pipeline):
    events = _events(pipeline, "中国外交部发言人4日表示，日本政府公然违背承诺，严重损害两国关系。")
    assert ("111", "CHN", "JPN", "2024-03-04") in events


def test_neutral_statement_is_no_criticism(pipeline):
    events = _events(pipeline, "中国外交部发言人4日表示，日本政府将派代表团访问北京。")
    assert not [e for e in events if e[0] == "111"]


def test_own_side_is_not_criticised(pipeline):
    events = _events(pipeline, "中国外交部发言人表示，中方坚决反对任何干涉行为。")
    assert not [e for e in events if e[0] == "111" and e[2] == "CHN"]


def test_a_verb_of_criticising_condemns_its_complement(pipeline):
    events = _events(pipeline, "公民党立法会议员陈大文昨日狠斥，中央政府为香港强推新法。")
    assert [e for e in events if e[0] == "111" and e[2] == "CHN"]


def test_the_complement_of_a_verb_of_criticising_is_one_clause(pipeline):
    events = _events(pipeline, "美国谴责政变，日本希望缅甸和平解决问题。")
    assert not [e for e in events if e[0] == "111" and e[2] == "JPN"]
