"""Domestic crime and court news (mainland usage): the police, procurators and courts act on people the
report often names only by a pseudonym (王某), a role (男子) or a count (6人)."""

import pytest

from .conftest import coded

# (text, expected (source code, CAMEO code, target code) — every event of the text)
CASES = [
    # negation reaches its verb only across function words and the verb's own actors
    ("男子酒后遇“冤家” 出言不逊醉驾被刑拘", {("CHNCOP", "173", "CHNCVL")}),
    ("委内瑞拉反对党要员桑布拉诺因参与发动未遂政变被捕", {("VENCOP", "173", "VENOPP")}),
    # 归案 is a predicate, not a case noun
    ("目前，犯罪嫌疑人黄某已被警方抓获归案。", {("CHNCOP", "173", "CHNCRM")}),
    ("接警后，莱山警方第二天便将窃贼捉拿归案。", {("CHNCOP", "173", "CHNCRM")}),
    # a place, its administrative suffix and an institution are one actor
    ("恺英网络：实控人王悦涉嫌操纵证券市场罪被上海市公安局逮捕", {("CHNCOP", "173", "CHNBUS")}),
    # a person of the source's own country is a target (only a country as a whole is not)
    ("张鹭因醉酒驾驶被天津警方刑事拘留。", {("CHNCOP", "173", "CHN")}),
    # pseudonyms
    ("最终李某被处以行政拘留10天。", {("CHNCOP", "173", "CHN")}),
    ("5月13日，刘某等6人被行政拘留。", {("CHNCOP", "173", "CHN")}),
    # the object's own modifier (…的盗窃嫌疑人) does not make the verb a modifier; the reporter is the agent
    ("今日，佛山禅城公安通报，成功抓获一名伪装逃跑的盗窃嫌疑人。", {("CHNCOP", "173", "CHNCRM")}),
    # a space in a headline separates clauses: 华为 sued 传音, the listing is another clause
    # 起诉 by a firm or a citizen is a lawsuit (115), by prosecutors a charge (173); two civilians are two parties
    ("传音控股如约挂牌 被华为起诉未阻断上市进程", {("CHNBUS", "115", "CHNBUS")}),
    ("岳阳女子离婚后给儿子改姓被前夫起诉", {("CHNCVL", "115", "CHNCVL")}),
    ("检察院依法对犯罪嫌疑人提起诉讼。", {("CHNJUD", "173", "CHNCRM")}),
    ("岳阳一女子被起诉。", {("CHNJUD", "173", "CHNCVL")}),
    # kinship terms and occupations are people; a police report's zero subject is the police
    ("“荒山挖出活婴”案最新：孩子爷爷被刑拘", {("CHNCOP", "173", "CHNCVL")}),
    ("南县开展设卡清查集中行动，抓获违法犯罪人员11人", {("CHNCOP", "173", "CHNCRM")}),
    # the head of a modified 对-phrase is the target; the object of another verb is not the one held
    ("常德桃源警方对涉嫌合同诈骗的犯罪嫌疑人邹某龙依法执行了逮捕。", {("CHNCOP", "173", "CHNCRM")}),
    ("榆林男子发现妻子网聊 冒名网上辱骂妻子一年多被拘留", {("CHNCOP", "173", "CHNCVL")}),
    # 其 after 将 is the one just named; of the earlier subjects the police are the ones who arrest
    ("一名莱阳籍男子流窜至莱西市实施盗窃，民警迅速展开侦破工作，成功追到嫌疑男子的住处并将其抓获。",
     {("CHNCOP", "173", "CHNCVL")}),
    # the police the report names nearby, not an unnamed one; a name right after 判处
    ("刑拘47人！潍坊公安重拳打击非法“带路”", {("CHNCOP", "173", "CHNCVL")}),
    ("法院一审以妨害作证罪判处高军磊有期徒刑八个月。", {("CHNJUD", "116", "CHN")}),
    # a lawsuit is coded with no named defendant; an age before the object; 涉嫌 does not reach past 被
    ("华为在美提起诉讼：禁令是“用立法代替审判”的暴政", {("CHNBUS", "115", None)}),
    ("女儿突遭意外，老夫妻竟将10岁孙女告上法庭", {("CHNCVL", "115", "CHNCVL")}),
    ("江西广播电视台原党委书记、台长杨玲玲涉嫌受贿被提起公诉", {("CHNCOP", "173", "CHNGOV")}),
    # 日网友 is Japanese netizens; 老夫妻 is no Laotian couple (above), an appeal needs someone appealed against
    ("被告律师上诉", set()),
    # only people are arrested: a country as the one arrested is one of its nationals
    ("伊朗“僵尸新娘”被捕", {("IRNCOP", "173", "IRNCVL")}),
    ("江南警方辗转多地，破获盗窃案件，犯罪嫌疑人刘某被警方抓获。", {("CHNCOP", "173", "CHNCRM")}),
    # a strike at a firm the lexicon knows; a means of transport (通过国航包机) is no target
    ("通用汽车罢工刚结束，沃尔沃麦克卡车工厂也开始罢工", {("USABUS", "143", None), ("SWEBUS", "143", None)}),
    # a named official is a party distinct from the commission that investigates him
    ("经批准，辽宁省纪委监委对本溪市政府原党组成员、副市长黄力强涉嫌严重违纪违法问题进行了立案审查调查。",
     {("CHNGOV", "091", "CHNGOV")}),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:12] for c in CASES])
def test_domestic_arrests(pipeline, text, expected):
    doc = coded(pipeline, text, "2019-06-01")
    assert {(e.source.code, e.code[:3], e.target.code if e.target else None) for e in doc.events} == expected


@pytest.mark.parametrize("text", [
    "香港警方表示，调查仍在进行当中，到目前为止，没有人被拘捕。",  # no one was arrested
    "警方没有拘留任何人。",
    "商务部安排救援物资，包机将从开罗机场接回撤离人员。",  # 包机 is a chartered plane, not Mr Bao
])
def test_nothing_happened(pipeline, text):
    doc = coded(pipeline, text, "2019-06-01")
    assert not [e for e in doc.events if e.root == "17"]
    assert not [a for a in doc.actors if a.kind == "person"]


def test_pseudonyms_are_people_and_not_indefinite_words(pipeline):
    doc = coded(pipeline, "邹某龙、罗某婷和李某某在某地的王某家中被抓获，某公司某些员工作证。", "2019-06-01")
    names = [doc.text[a.start:a.end] for a in doc.actors if a.kind == "person"]
    assert names == ["邹某龙", "罗某婷", "李某某", "王某"]


@pytest.mark.parametrize("text", [
    "美国西方石油公司和阿纳达科石油公司9日宣布，双方已签署一份约束性协议。",  # a deal between firms
    "京运通公告，公司于2019年8月13日与无锡上机数控股份有限公司签订《供需合同》。",
    "在昨天的半决赛中，中国男篮3分惜败给立陶宛无缘决赛。",  # teams, not countries
    "北京时间7月7日凌晨3点，阿根廷队和智利队连续第三次在美洲杯淘汰赛相遇。",
    "蔚来ES8召回甩锅宁德时代？",  # one firm blaming another
    "美洲杯-智利2进球被判无效！点战5-4打服哥伦比亚 进四强！",  # a referee's ruling
])
def test_business_and_sport_are_not_politics(pipeline, text):
    assert coded(pipeline, text, "2019-08-14").events == []


def test_titles_in_a_row_and_institutions_with_unknown_names(pipeline):
    doc = coded(pipeline, "国务委员、公安部部长赵克志10日在京会见台南市电脑商业同业公会考察团一行。", "2019-06-11")
    assert [(e.source.code, e.code, e.target.code) for e in doc.events] == [("CHNGOV", "040", "TWNGOV")]
    assert doc.text[doc.events[0].source.start:doc.events[0].source.end] == "国务委员、公安部部长赵克志"
    # a verb inside the stretch keeps a country and a later institution apart
    doc = coded(pipeline, "委内瑞拉首都举行大规模游行集会支持政府", "2019-06-11")
    assert [(e.source.code, e.code) for e in doc.events] == [("VEN", "141")]


def test_named_police_is_the_agent(pipeline):
    doc = coded(pipeline, "刑拘47人！潍坊公安重拳打击非法“带路”", "2019-06-11")
    (event,) = doc.events
    assert doc.text[event.source.start:event.source.end] == "潍坊公安"


def test_a_means_is_not_a_target(pipeline):
    doc = coded(pipeline, "商务部紧急安排一批救援物资并通过国航包机于2月24日运往利比亚。", "2011-02-24")
    assert not [e for e in doc.events if e.target is not None and e.target.role == "BUS"]


def test_two_people_sentenced_are_two_events(pipeline):
    text = "宁海县法院以盗窃罪判处赵某有期徒刑十个月，以盗窃罪判处李某有期徒刑九个月。"
    doc = coded(pipeline, text, "2019-06-11")
    assert sorted(doc.text[e.target.start:e.target.end] for e in doc.events) == ["李某", "赵某"]


@pytest.mark.parametrize(("text", "agent"), [
    ("目前违法行为人宋某已被东海县双店派出所依法行政拘留", "东海县双店派出所"),  # a local name before the police
    ("海淀警方循迹追踪抓获盗窃嫌疑人", "海淀警方"),
    ("经信州公安刑警大队侦查，嫌疑人已被刑拘", "信州公安刑警大队"),  # 经 is a preposition
])
def test_local_police_names(pipeline, text, agent):
    doc = coded(pipeline, text, "2019-06-11")
    (event,) = doc.events
    assert doc.text[event.source.start:event.source.end] == agent


def test_a_passive_with_no_subject_of_its_own_takes_the_nearest_clause_subject(pipeline):
    doc = coded(pipeline, "“老公我要这个！”妻子一句话，男子偷走6组红绿灯，已被刑拘！", "2019-06-11")
    (event,) = [e for e in doc.events if e.code == "173"]
    assert doc.text[event.target.start:event.target.end] == "男子"


def test_nationality_and_the_police_of_the_place(pipeline):
    doc = coded(pipeline, "一名日本籍男子已在马尼拉被捕", "2019-06-11")
    assert [(e.source.code, e.code, e.target.code) for e in doc.events] == [("PHLCOP", "173", "JPNCVL")]


def test_a_name_whose_two_characters_recur_is_two_characters(pipeline):
    text = "她与“警察”男友王军交往一年后才发现真相。近日，王军以招摇撞骗罪被判处有期徒刑。"
    doc = coded(pipeline, text, "2019-06-11")
    assert "男友王军" in [doc.text[a.start:a.end] for a in doc.actors]
