from magpie.coder.dates import Dates, infer_published
from magpie.document import Document


def dates(text: str, published: str | None = "2011-02-22") -> list[tuple[str, str]]:
    doc = Dates(("将", "定于"))(Document(id="t", text=text, view=text, published=published))
    return [(text[d.start : d.end], d.value, d.kind) for d in doc.dates]


def test_absolute_and_relative_dates():
    got = dates("2017年11月9日，11月21日报道，21日，昨天，上周三，去年，二〇一七年十一月二十一日")
    assert ("2017年11月9日", "2017-11-09", "event") in got
    assert ("11月21日", "2010-11-21", "report") in got  # far after publication: the previous year
    assert ("21日", "2011-02-21", "event") in got
    assert ("昨天", "2011-02-21", "event") in got
    assert ("上周三", "2011-02-16", "event") in got  # 2011-02-22 is a Tuesday
    assert ("去年", "2010", "event") in got
    assert ("二〇一七年十一月二十一日", "2017-11-21", "event") in got


def test_day_after_publication_is_previous_month_unless_future():
    assert dates("28日", "2011-03-02")[0][1] == "2011-02-28"
    assert dates("定于28日", "2017-11-22")[0][1] == "2017-11-28"


def test_report_and_range_kinds():
    got = dates("新华网北京2月22日电 11月22日至24日")
    assert got[0][2] == "report"
    assert [g[2] for g in got[1:]] == ["event", "range_end"]


def test_infer_published_from_report_dates_and_captions(seed_doc):
    assert seed_doc.published == "2017-11-22" and seed_doc.published_inferred


def test_no_dates_no_inference():
    doc = Document(id="t", text="没有日期的文本。", view="没有日期的文本。")
    assert infer_published(doc, []) is None


def test_a_month_and_day_take_the_year_their_sentence_names(pipeline):
    text = "前年反修例运动期间，民阵发起8月18日的集会。他于今年6月12日被捕。9月3日，法院开庭。"
    doc = pipeline(Document(id="y", text=text, published="2021-04-02"))
    got = {text[d.start : d.end]: d.value for d in doc.dates}
    assert got["8月18日"] == "2019-08-18"  # 前年, not the latest 18 August before the report
    assert got["6月12日"] == "2021-06-12"  # 今年6月12日: the year is a word of its own
    assert got["9月3日"] == "2020-09-03"  # a sentence of its own: the latest 3 September
