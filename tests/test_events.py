import pytest

from .conftest import coded, triples


def test_phone_call_with_preposition(pipeline):
    doc = coded(pipeline, "俄罗斯总统普京21日与埃及总统塞西通了电话。")
    assert triples(doc) == {("RUSGOV", "041", "EGYGOV", "2017-11-21")}


def test_host_meets_visiting_guest(pipeline):
    text = "蒙古国总统额勒贝格道尔吉24日在国家宫会见了到访的中国外交部长杨洁篪。"
    doc = coded(pipeline, text, "2011-02-24")
    (event,) = doc.events
    assert (event.source.code, event.code, event.target.country, event.date) == ("MNGGOV", "043", "CHN", "2011-02-24")


def test_object_inside_a_relative_clause_is_skipped(pipeline):
    text = "金永南21日在平壤会见了正在朝鲜访问的中国外交部副部长张志军。"
    doc = coded(pipeline, text, "2011-02-21")
    meeting = next(e for e in doc.events if e.root == "04" and e.source.country == "PRK")
    assert meeting.target.country == "CHN" and meeting.place and meeting.place.name == "平壤"


def test_visit_via_dui_and_invitation_actor_is_not_subject(pipeline):
    doc = coded(pipeline, "应朝鲜外务省邀请，中国外交部副部长张志军一行20日起开始对朝鲜进行访问。", "2011-02-21")
    visit = next(e for e in doc.events if e.code.startswith("042"))
    assert (visit.source.country, visit.target.country, visit.date) == ("CHN", "PRK", "2011-02-20")


def test_praise_through_dui_phrase(pipeline):
    doc = coded(pipeline, "中方对印尼在东盟框架下积极斡旋柬泰边境冲突的努力表示赞赏和支持。", "2011-02-22")
    praise = [e for e in doc.events if e.root == "05"]
    assert [(e.source.code, e.target.country) for e in praise] == [("CHNGOV", "IDN")]
    assert not any(e.root >= "14" for e in doc.events)


def test_topic_countries_are_not_targets(pipeline):
    doc = coded(pipeline, "俄美两国总统21日进行了通话，二人主要讨论了叙利亚问题。")
    assert triples(doc) == {("RUSGOV", "041", "USAGOV", "2017-11-21")}


def test_repeated_mentions_are_one_event_with_all_mentions(pipeline):
    text = "普京21日与沙特国王萨勒曼通电话，围绕中东地区局势交换了意见。他们讨论了叙利亚冲突长期调停的前景。"
    doc = coded(pipeline, text)
    (event,) = doc.events
    assert event.code == "041" and len(event.mentions) == 3


def test_undated_mention_merges_into_dated_event(pipeline):
    text = "普京向特朗普介绍了他与叙利亚总统巴沙尔·阿萨德的会面。巴沙尔20日与普京在索契会面。"
    doc = coded(pipeline, text)
    meetings = [e for e in doc.events if e.root == "04" and {e.source.country, e.target.country} == {"RUS", "SYR"}]
    assert len(meetings) == 1 and meetings[0].date == "2017-11-20" and len(meetings[0].mentions) == 2
    assert meetings[0].source.country == "SYR"  # the explicitly dated sentence gives the order


def test_quoted_speech_is_not_narrated_events(pipeline):
    doc = coded(pipeline, "特朗普对记者说：“我们热烈讨论了让叙利亚恢复和平一事，热烈讨论了朝鲜问题。”")
    assert not [e for e in doc.events if e.root == "04"]


def test_place_and_nominal_noun_phrases(pipeline):
    doc = coded(pipeline, "塞西表示支持莫斯科为落实阿斯坦纳和谈框架内所达成的协议所付出的努力。", "2017-11-22")
    assert {e.root for e in doc.events} <= {"05"}


def test_no_target_no_event_for_verbal_roots(pipeline):
    doc = coded(pipeline, "巴沙尔还支持举行总统和议会选举这一想法。")
    assert doc.events == []


@pytest.mark.parametrize(("text", "expected"), [
    # an envoy posted abroad belongs to the country that sends him
    ("俄罗斯外交部召见美国驻俄大使。", {("RUSGOV", "114", "USAGOV")}),
    # a bank's head keeps the bank's role; an IGO's head is the IGO
    ("中国人民银行行长易纲会见国际货币基金组织总裁。", {("CHNGOV", "040", "IGOIMF")}),
    # a place bombed stands for its country, a capital bombed is the city, not its government
    ("以色列空军对加沙地带发动空袭。", {("ISRMIL", "195", "PSE")}),
    ("以色列空军对大马士革发动空袭。", {("ISRMIL", "195", "SYR")}),
    # 对此 is "about this": the brand after it apologises, it is not apologised to
    ("一款T恤把香港列为国家，对此范思哲深表歉意。", {("ITABUS", "055", None)}),
    # nested 对-phrases: the outer verb's target is the first; 表示 before a stance is no event of its own
    ("中方对美方近期对中国企业实施制裁表示强烈不满。", {("USAGOV", "163", "CHNBUS"), ("CHNGOV", "110", "USAGOV")}),
    ("美方近日对伊朗企业实施制裁。", {("USAGOV", "163", "IRNBUS")}),
    # riot weapons are repression; a crowd is civilians
    ("香港警方使用催泪弹驱散人群。", {("HKGCOP", "175", "HKGCVL")}),
    # 的 after the object is the object's; a clause with no subject of its own takes the reported one
    ("行政長官林鄭月娥表示，政府會嚴正執法，並譴責暴徒的違法行為。", {("HKGGOV", "111", "HKGCRM")}),
    # a visit to a country is received by its government
    ("中国外交部副部长张志军对朝鲜进行访问。", {("CHNGOV", "042", "PRKGOV")}),
    # 谴责…的袭击: the one who condemns an attack did not make it
    ("联合国秘书长古特雷斯谴责针对平民的袭击。", {("IGOUNO", "111", "CHNCVL")}),
])
def test_international_constructions(pipeline, text, expected):
    doc = coded(pipeline, text, "2019-06-11")
    assert {(e.source.code, e.code, e.target.code if e.target else None) for e in doc.events} == expected
