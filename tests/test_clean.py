from magpie.coder.clean import Clean
from magpie.coder.sentences import Sentences
from magpie.document import Document


def clean(text: str, **kw) -> Document:
    return Sentences()(Clean()(Document(id="t", text=text, **kw)))


def test_seed_header_captions_and_repeats(seed_doc):
    doc = seed_doc
    reasons = [r.reason for r in doc.removed]
    assert reasons[0] == "site_name" and doc.slice(doc.removed[0]) == "華文網"
    assert doc.title == "外媒:普京力推“後IS時代”敘利亞和平進程"
    assert reasons.count("caption") == 2
    assert reasons.count("repeated") == 4  # the fragment, the sub-heading and two paragraphs
    # the removed text is blank in the view, the original is untouched
    for r in doc.removed:
        assert doc.view[r.start : r.end].strip() == ""
        assert doc.text[r.start : r.end].strip() != ""
    assert len(doc.view) == len(doc.text)
    assert doc.script == "hant"


def test_view_is_simplified_with_same_offsets(seed_doc):
    i = seed_doc.text.index("俄羅斯總統普京")
    assert seed_doc.view[i : i + 7] == "俄罗斯总统普京"


def test_broken_paragraphs_are_rejoined(seed_doc):
    doc = seed_doc
    start = doc.text.index("報導稱,俄羅斯總統告訴美國總統")
    sentence = next(s for s in doc.sentences if s.start == start)
    assert doc.text[sentence.start : sentence.end].endswith("同時為中東地區國家的政治進程作貢獻。")
    assert "\n" not in doc.view[sentence.start : sentence.end]


def test_title_detected_only_when_followed_by_body():
    doc = clean("新华网\n标题在这里\n正文第一句话很长，说明了事情的经过。第二句。")
    assert doc.title == "标题在这里" and doc.removed[0].reason == "site_name"
    doc = clean("正文第一句话很长，说明了事情的经过。第二句。")
    assert doc.title is None and not doc.removed


def test_credit_lines_removed():
    doc = clean("中方表示欢迎。\n（完）\n责任编辑：王小明")
    assert [r.reason for r in doc.removed] == ["credit", "credit"]


def test_short_repeated_heading_removed_but_not_distinct_text():
    doc = clean("一段很长的正文，讲述会谈的内容。\n小标题\n另一段正文，与前面不同。\n小标题")
    assert [doc.slice(r) for r in doc.removed] == ["小标题"]


def test_sentences_and_quotes():
    doc = clean("特朗普对记者说：“我们热烈讨论了叙利亚问题，热烈讨论了朝鲜问题。”普京表示同意。")
    assert len(doc.sentences) == 2
    assert len(doc.quotes) == 1 and doc.slice(doc.quotes[0]).startswith("我们热烈讨论了")
