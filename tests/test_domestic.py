"""Domestic crime and court news (mainland usage): the police, procurators and courts act on people the
report often names only by a pseudonym (王某), a role (男子) or a count (6人).

Every sentence here is written for these tests (no evaluation text is copied): each shows one
construction the coder must read.
"""

import pytest

from .conftest import coded

# (text, expected (source code, CAMEO code, target code) — every event of the text)
CASES = [
    # negation reaches its verb only across function words and the verb's own actors
    ("一名男子口出不逊酒驾被刑拘", {("CHNCOP", "173", "CHNCVL")}),
    ("玻利维亚反对派领袖因策划未遂兵变被捕", {("BOLCOP", "173", "BOLOPP")}),
    # 归案 is a predicate, not a case noun
    ("截至发稿，涉案嫌疑人郭某已被警方抓获归案。", {("CHNCOP", "173", "CHNCRM")}),
    ("接到报警后，城西警方当晚就将窃贼捉拿归案。", {("CHNCOP", "173", "CHNCRM")}),
    # a place, its administrative suffix and an institution are one actor
    ("某科技公司公告：董事长李明涉嫌内幕交易被杭州市公安局逮捕", {("CHNCOP", "173", "CHNBUS")}),
    # a person of the source's own country is a target (only a country as a whole is not)
    ("孙磊因无证驾驶被南京警方刑事拘留。", {("CHNCOP", "173", "CHN")}),
    # pseudonyms
    ("最终赵某被处以行政拘留五日。", {("CHNCOP", "173", "CHN")}),
    ("3月2日，陈某等4人被行政拘留。", {("CHNCOP", "173", "CHN")}),
    # the object's own modifier (…的诈骗嫌疑人) does not make the verb a modifier; the reporter is the agent
    ("昨日，江宁公安通报，成功抓获一名冒充快递员的诈骗嫌疑人。", {("CHNCOP", "173", "CHNCRM")}),
    # a space in a headline separates clauses; 起诉 by a firm or a citizen is a lawsuit (115), by
    # prosecutors a charge (173); two civilians are two parties
    ("远航控股如期挂牌 被小米起诉未影响上市", {("CHNBUS", "115", "CHNBUS")}),
    ("常州女子离婚后被前夫起诉", {("CHNCVL", "115", "CHNCVL")}),
    ("检察院依法对犯罪嫌疑人提起诉讼。", {("CHNJUD", "173", "CHNCRM")}),
    ("一名女子被起诉。", {("CHNJUD", "173", "CHNCVL")}),
    # kinship terms and occupations are people; a police report's zero subject is the police
    ("“山洞藏毒”案最新：孩子外公被刑拘", {("CHNCOP", "173", "CHNCVL")}),
    ("城东分局开展夜间清查行动，抓获违法犯罪人员9人", {("CHNCOP", "173", "CHNCRM")}),
    # the head of a modified 对-phrase is the target; the object of another verb is not the one held
    ("丰台警方对涉嫌非法集资的犯罪嫌疑人钱某峰依法执行了逮捕。", {("CHNCOP", "173", "CHNCRM")}),
    ("该男子怀疑妻子出轨 在网上辱骂妻子多日被拘留", {("CHNCOP", "173", "CHNCVL")}),
    # 其 after 将 is the one just named; of the earlier subjects the police are the ones who arrest
    ("一名外地男子窜至城南实施盗窃，民警迅速展开侦查，最终追到嫌疑男子的住处并将其抓获。",
     {("CHNCOP", "173", "CHNCVL")}),
    # the police the report names nearby, not an unnamed one; a name right after 判处
    ("行拘32人！临沂公安重拳整治非法营运", {("CHNCOP", "173", "CHNCVL")}),
    ("法院一审以诈骗罪判处钱志远有期徒刑三年。", {("CHNJUD", "116", "CHN")}),
    # a lawsuit is coded with no named defendant; an age before the object; 涉嫌 does not reach past 被
    ("小米在美国法院提起诉讼。", {("CHNBUS", "115", None)}),
    ("儿子意外身亡后，老两口竟将8岁孙子告上法庭", {("CHNCVL", "115", "CHNCVL")}),
    ("省广播电视台原党委书记、台长周建国涉嫌受贿被提起公诉", {("CHNCOP", "173", "CHNGOV")}),
    # an appeal needs someone appealed against
    ("被告律师上诉", set()),
    # only people are arrested: a country as the one arrested is one of its nationals
    ("巴西“假面歌手”被捕", {("BRACOP", "173", "BRACVL")}),
    ("北湖警方辗转三省，破获一起盗窃案件，犯罪嫌疑人陆某被警方抓获。", {("CHNCOP", "173", "CHNCRM")}),
    # a strike at a firm the lexicon knows
    ("通用汽车上周罢工，沃尔沃随后也爆发罢工", {("USABUS", "143", None), ("SWEBUS", "143", None)}),
    # a named official is a party distinct from the commission that investigates him
    ("经批准，河北省纪委监委对保定市政府原党组成员、副市长周永强涉嫌严重违纪违法问题进行立案审查调查。",
     {("CHNGOV", "091", "CHNGOV")}),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:12] for c in CASES])
def test_domestic_arrests(pipeline, text, expected):
    doc = coded(pipeline, text, "2019-06-01")
    assert {(e.source.code, e.code[:3], e.target.code if e.target else None) for e in doc.events} == expected


@pytest.mark.parametrize("text", [
    "警方称调查仍在继续，目前没有人被拘捕。",  # no one was arrested
    "警方没有拘留任何人。",
    "外交部安排的包机将从开罗接回滞留人员。",  # 包机 is a chartered plane, not Mr Bao
])
def test_nothing_happened(pipeline, text):
    doc = coded(pipeline, text, "2019-06-01")
    assert not [e for e in doc.events if e.root == "17"]
    assert not [a for a in doc.actors if a.kind == "person"]


def test_pseudonyms_are_people_and_not_indefinite_words(pipeline):
    doc = coded(pipeline, "钱某峰、孙某婷和李某某在某地的王某家中被抓获，某公司某些员工作证。", "2019-06-01")
    names = [doc.text[a.start:a.end] for a in doc.actors if a.kind == "person"]
    assert names == ["钱某峰", "孙某婷", "李某某", "王某"]


@pytest.mark.parametrize("text", [
    "埃克森美孚和雪佛龙9日宣布，双方已签署一份合作协议。",  # a deal between firms
    "某光伏公司公告，公司于3月5日与苏州一家设备股份有限公司签订采购合同。",
    "中国女足昨晚2比1战胜澳大利亚队。",  # teams, not countries
    "北京时间今天凌晨，巴西队和秘鲁队在美洲杯决赛相遇。",
    "小米甩锅联想？",  # one firm blaming another
    "乌拉圭两粒进球均被判无效",  # a referee's ruling
])
def test_business_and_sport_are_not_politics(pipeline, text):
    assert coded(pipeline, text, "2019-08-14").events == []


def test_titles_in_a_row_and_institutions_with_unknown_names(pipeline):
    doc = coded(pipeline, "国务委员、外交部部长王毅10日在京会见高雄市电子商业同业公会考察团一行。", "2019-06-11")
    assert [(e.source.code, e.code, e.target.code) for e in doc.events] == [("CHNGOV", "040", "TWNGOV")]
    assert doc.text[doc.events[0].source.start:doc.events[0].source.end] == "国务委员、外交部部长王毅"
    # a verb inside the stretch keeps a country and a later institution apart
    doc = coded(pipeline, "智利首都举行大规模集会支持政府", "2019-06-11")
    assert [(e.source.code, e.code) for e in doc.events] == [("CHL", "141")]


def test_named_police_is_the_agent(pipeline):
    doc = coded(pipeline, "行拘32人！临沂公安重拳整治非法营运", "2019-06-11")
    (event,) = doc.events
    assert doc.text[event.source.start:event.source.end] == "临沂公安"


def test_a_means_is_not_a_target(pipeline):
    doc = coded(pipeline, "商务部安排一批物资，通过国航包机向尼泊尔提供援助。", "2015-05-02")
    assert not [e for e in doc.events if e.target is not None and e.target.role == "BUS"]


def test_two_people_sentenced_are_two_events(pipeline):
    text = "江北区法院以诈骗罪判处孙某有期徒刑两年，以诈骗罪判处周某有期徒刑一年。"
    doc = coded(pipeline, text, "2019-06-11")
    assert sorted(doc.text[e.target.start:e.target.end] for e in doc.events) == ["周某", "孙某"]


@pytest.mark.parametrize(("text", "agent"), [
    ("目前违法行为人陶某已被西湖县三桥派出所依法行政拘留", "西湖县三桥派出所"),  # a local name before the police
    ("滨江警方连夜追踪抓获盗窃嫌疑人", "滨江警方"),
    ("经城关公安刑警大队侦查，嫌疑人已被刑拘", "城关公安刑警大队"),  # 经 is a preposition
])
def test_local_police_names(pipeline, text, agent):
    doc = coded(pipeline, text, "2019-06-11")
    (event,) = doc.events
    assert doc.text[event.source.start:event.source.end] == agent


def test_a_passive_with_no_subject_of_its_own_takes_the_nearest_clause_subject(pipeline):
    doc = coded(pipeline, "“我想要那个！”女友一句话，男子偷走两辆电动车，已被刑拘！", "2019-06-11")
    (event,) = [e for e in doc.events if e.code == "173"]
    assert doc.text[event.target.start:event.target.end] == "男子"


def test_nationality_and_the_police_of_the_place(pipeline):
    doc = coded(pipeline, "一名韩国籍男子已在曼谷被捕", "2019-06-11")
    assert [(e.source.code, e.code, e.target.code) for e in doc.events] == [("THACOP", "173", "KORCVL")]


def test_a_name_whose_two_characters_recur_is_two_characters(pipeline):
    text = "她与“军官”男友刘强交往半年后才发现真相。近日，刘强以诈骗罪被判处有期徒刑。"
    doc = coded(pipeline, text, "2019-06-11")
    assert "男友刘强" in [doc.text[a.start:a.end] for a in doc.actors]


def test_force_with_no_named_target(pipeline):
    text = "据当地警方消息，极端组织“伊斯兰国”武装分子周三在伊拉克北部制造三起袭击事件。"
    doc = coded(pipeline, text, "2019-06-25")
    assert [(e.source.code, e.root, e.target) for e in doc.events] == [("IMGISI", "18", None)]
    # where a shooting happened is not who shot; a bare country is no armed actor
    assert coded(pipeline, "美国得州一所学校10日发生枪击事件，3人受伤。", "2019-06-25").events == []
    assert coded(pipeline, "阿根廷率先发动进攻，梅西破门得分。", "2019-07-07").events == []


@pytest.mark.parametrize(("text", "expected"), [
    # a Traditional-script report that names no place is read by its press words: Hong Kong's 拘捕, 提堂, 落案
    ("警方昨日拘捕三名男子，涉嫌非法集結，今日在裁判法院提堂。", {("HKGCOP", "173", "HKGCVL")}),
    ("警方落案起訴一名十六歲少年。", {("HKGCOP", "173", "HKGCVL")}),
    ("數千名市民昨日遊行至政府總部，要求撤回修例。", {("HKGCVL", "141", "HKGGOV")}),
    # Taiwan's 地檢署 and 機車騎士
    ("地檢署依詐欺罪起訴一名機車騎士。", {("TWNJUD", "173", "TWNCVL")}),
    # with no press words at all, no country is guessed
    ("警方昨日逮捕三名涉嫌詐騙的男子。", set()),
])
def test_traditional_reports_take_the_home_of_their_press_words(pipeline, text, expected):
    doc = coded(pipeline, text, None)
    assert {(e.source.code, e.code[:3], e.target.code if e.target else None) for e in doc.events} == expected


def test_an_ordinary_title_keeps_the_role_before_it(pipeline):
    doc = coded(pipeline, "美国总统顾问库什纳访问以色列。", "2019-06-11")
    assert [(e.source.code, e.code, e.target.code) for e in doc.events] == [("USAGOV", "042", "ISRGOV")]


def test_a_title_of_one_country_places_the_person(pipeline):
    # 市委书记 is a Communist Party title: the man is Chinese though the article is about Taiwanese guests
    doc = coded(pipeline, "市委书记张建明会见了台湾代表团。", "2019-06-11")
    assert [(e.source.code, e.code, e.target.code) for e in doc.events] == [("CHNGOV", "040", "TWNGOV")]
    assert doc.text[doc.events[0].source.start:doc.events[0].source.end] == "市委书记张建明"


def test_an_untitled_name_with_a_rarer_surname_before_an_event_verb(pipeline):
    doc = coded(pipeline, "于海田会见俄罗斯客人。", "2019-10-14")
    assert [(doc.text[e.source.start:e.source.end], e.code, e.target.code) for e in doc.events] == [
        ("于海田", "040", "RUS")]


def test_a_list_of_offences_under_one_alleged_and_two_domestic_events_apart(pipeline):
    text = ("警務處昨日表示，警方在旺角拘捕了二十三名男女，涉嫌參與非法集結及襲警。"
            "政府譴責暴徒的違法行為。泛民議員批評警方濫捕。")
    doc = coded(pipeline, text, "2019-08-12")
    assert {(e.source.code, e.code, e.target.code) for e in doc.events} == {
        ("HKGCOP", "173", "HKGCVL"), ("HKGGOV", "111", "HKGCRM"), ("HKGLEG", "111", "HKGCOP")}
