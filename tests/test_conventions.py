"""Coding conventions that hold across sources: who acts for a country, whom a protest is against."""

from magpie.document import Document


def _events(pipeline, text):
    doc = pipeline(Document(id="c", text=text, published="2024-03-05"))
    return [(e.source.code, e.code[:2], e.target.code if e.target else None) for e in doc.events]


def test_a_country_acts_in_diplomacy_through_its_government(pipeline):
    assert ("USAGOV", "11", "PRK") in _events(pipeline, "美国4日谴责朝鲜。")


def test_a_country_in_a_protest_stays_as_named(pipeline):
    assert all(source != "CHLGOV" for source, _, _ in _events(pipeline, "智利首都举行大规模集会支持政府"))


def test_a_protest_with_no_target_is_against_the_government(pipeline):
    assert ("CHNCVL", "14", "CHNGOV") in _events(pipeline, "数百名村民4日在镇政府门前聚集抗议。")


def test_the_consequence_of_a_condition_did_not_happen(pipeline):
    assert not [e for e in _events(pipeline, "如果对方拒绝合作，北城检方将提起公诉。") if e[1] == "17"]


def test_a_modal_future_is_no_arrest_yet(pipeline):
    assert [e for e in _events(pipeline, "北城检察官上周对被告提出起诉。") if e[1] == "17"]
    assert not [e for e in _events(pipeline, "北城检察官会在两个月内对被告提出起诉。") if e[1] == "17"]


def test_disappointment_is_disapproval(pipeline):
    assert ("UKRGOV", "11", "IGOWSTNAT") in _events(pipeline, "乌克兰总统对北约的决定表示失望。")


def test_a_national_body_in_a_territory_is_the_sovereigns(pipeline):
    events = _events(pipeline, "香港警方昨日拘捕三名男子。外交部發言人昨日表示，英方公然干涉香港事務。")
    assert ("CHNGOV", "11", "GBR") in events or ("CHNGOV", "11", "GBRGOV") in events


def test_territories_name_their_sovereign(lexicon):
    assert lexicon.territories["HKG"] == "CHN"
    assert lexicon.sovereign("外交部", "HKG") == "CHN" and lexicon.sovereign("保安局", "HKG") == "HKG"


def test_the_place_a_report_is_filed_from_is_no_actor(pipeline):
    events = _events(pipeline, "（本报记者东城报道）东城市数百名居民昨日在市政府外集会抗议。")
    assert events and all(source != "TWNGOV" and not source.endswith("GOV") for source, _, _ in events)
    events = _events(pipeline, "〔記者王明／台北報導〕民眾黨昨日舉行遊行。")
    assert all(source != "TWNGOV" for source, _, _ in events)


def test_investigated_official_after_a_list_of_titles(pipeline):
    text = "中央纪委国家监委对第十届省委委员、江苏省委原副书记王大明严重违纪违法问题进行立案审查调查。"
    events = _events(pipeline, text)
    assert ("CHNGOV", "09", "CHNGOV") in events


def test_a_witness_account_is_not_coded_as_fact(pipeline):
    assert not [e for e in _events(pipeline, "据目击者称，凶徒一度要求司机送他离开。") if e[1] == "10"]


def test_a_report_to_the_police_states_the_incident(pipeline):
    assert [e for e in _events(pipeline, "北城公安局接群众报警称，一名男子在村口持刀伤人。") if e[1] == "18"]


def test_every_item_of_a_list_stands_under_its_preposition():
    from magpie.coder.grammar import preposition
    view = "外交部宣布，对美国总统、国务卿等人实施制裁。"
    assert preposition(view, view.index("美国")) == "对"
    assert preposition(view, view.index("国务卿")) == "对"
    assert preposition("美国、英国谴责此事。", 3) is None


def test_you_names_the_agent(pipeline):
    events = _events(pipeline, "北城公司原总经理王大明涉嫌受贿一案，已由北城检察机关提起公诉。")
    assert [e for e in events if e[1] == "17" and e[0].endswith("JUD")]


def test_force_announced_against_a_named_target_is_a_threat(pipeline):
    assert ("CHNGOV", "13", "JPNGOV") in _events(pipeline, "如日方武力介入，中方将对日方迎头痛击。") or \
        [e for e in _events(pipeline, "中方将对日方迎头痛击。") if e[1] == "13"]


def test_jiang_marking_an_object_is_no_future(pipeline):
    events = _events(pipeline, "一名男子昨日在村口将6名路人砍伤。")
    assert [e for e in events if e[1] == "18"]


def test_a_named_defendant_is_a_suspect(pipeline):
    events = _events(pipeline, "北城市中级人民法院昨日对被告人王大明以受贿罪判处有期徒刑十年。")
    assert [e for e in events if e[2] == "CHNCRM"]


def test_a_show_of_force_is_aimed_where_it_is_staged(pipeline):
    text = "10月4日，中国人民解放军东部战区组织陆军、海军等兵力，位台湾海峡、台岛以东，开展“雷霆-2024”演习。"
    assert ("CHNMIL", "15", "TWN") in _events(pipeline, text)


def test_tariffs_on_goods_of_a_country_of_origin(pipeline):
    assert ("CHNGOV", "16", "USA") in _events(pipeline, "中方4日决定对原产于美国的进口商品加征34%关税。")


def test_offences_named_as_charges_are_no_events(pipeline):
    text = "北城检察院以故意杀人、故意伤害等罪名对王某等人提起公诉。"
    assert not [e for e in _events(pipeline, text) if e[1] == "18"]
    assert [e for e in _events(pipeline, "一名男子昨日在村口故意伤害两名路人。") if e[1] == "18"]


def test_a_year_holding_the_reports_day_gives_the_reports_day(pipeline):
    doc = pipeline(Document(id="y", text="今年，北城警方拘捕了三名男子。", published="2024-03-05"))
    assert [e.date for e in doc.events] == ["2024-03-05"]
    doc = pipeline(Document(id="y", text="2019年，北城警方拘捕了三名男子。", published="2024-03-05"))
    assert [e.date for e in doc.events] == ["2019"]


def test_word_lists_are_validated(tmp_path):
    import pytest

    from magpie.errors import LexiconError
    from magpie.lexicon import Lexicon
    bad = tmp_path / "stance_extra.tsv"
    bad.write_text("words\tstance\tnote\n挑衅\tangry\tnot a kind\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"stance_extra.tsv:2: stance 'angry': expected speech, negative"):
        Lexicon.load([bad])
    bad.write_text("words\tkind\tnote\nhold\tsupport\tnot Chinese\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="Chinese words only"):
        Lexicon.load([bad])


def test_a_reaction_to_this_is_aimed_at_the_actor_of_the_event_just_reported(pipeline):
    text = "日本政府3日宣布对中国实施制裁。中方4日对此表示坚决反对。"
    assert ("CHNGOV", "11", "JPNGOV") in _events(pipeline, text)


def test_we_in_an_officials_statement_is_the_body_they_speak_for(pipeline):
    text = "中国外交部发言人王大明5日表示，日本军方的行动是又一挑衅行径，我们予以强烈谴责。"
    doc = pipeline(Document(id="w", text=text, published="2024-03-05"))
    we = next(a for a in doc.actors if doc.text[a.start:a.end] == "我们")
    assert we.antecedent is not None and we.role == "GOV"


def test_suspects_are_arrested_not_arresting(pipeline):
    text = "东城警方连日蹲守，于3月2日在城南将以上5名犯罪嫌疑人成功抓获。"
    events = _events(pipeline, text)
    assert ("CHNCOP", "17", "CHNCRM") in events
    assert not [e for e in events if e[0] == "CHNCRM"]


def test_the_police_do_not_march(pipeline):
    events = _events(pipeline, "反对派批评，警方因游行经过火车站而反对，并不合理。")
    assert not [e for e in events if e[1] == "14" and e[0].endswith("COP")]


def test_not_by_roles_are_checked(lexicon):
    from magpie.lexicon.check import check

    assert "CRM" in lexicon.rule("173").not_by and "COP" in lexicon.rule("141").not_by
    assert not [p for p in check(lexicon) if "not_by" in p]


def test_a_mainland_report_on_taiwan_keeps_the_pla_chinese(pipeline):
    text = "台湾地区领导人发表讲话后，海军舰艇编队今天在台岛东部海域开展演习。台湾方面对此表示关切。"
    assert ("CHNMIL", "15", "TWN") in _events(pipeline, text)


def test_the_actor_of_a_dui_phrase_before_an_event_word_is_its_subject(pipeline):
    events = _events(pipeline, "北方国外交部召见南方国大使，对南方国军队空袭北方国境内目标提出正式抗议。")
    assert not [e for e in events if e[1] == "19" and e[0].endswith("GOV")]
    assert ("CHNGOV", "11", "USAGOV") in _events(pipeline, "中方对美方制裁中国企业提出正式抗议。")


def test_a_threat_is_dated_when_it_is_announced(pipeline):
    doc = pipeline(Document(id="t", text="美国总统10日宣布，将自11月1日起对中国商品加征关税。", published="2025-10-11"))
    threats = [e for e in doc.events if e.code[:2] == "13"]
    assert threats and {e.date for e in threats} == {"2025-10-10"}


def test_a_statement_to_the_press_has_no_target(pipeline):
    assert not [e for e in _events(pipeline, "中国驻北国大使馆告诉总台记者，目前没有中国公民伤亡。") if e[1] == "01"]


def test_the_penalties_of_a_sentence_are_part_of_it(pipeline):
    text = "北城市中级人民法院对被告人王大明以受贿罪判处无期徒刑，剥夺政治权利终身，并处没收个人全部财产。"
    events = _events(pipeline, text)
    assert [e for e in events if e[1] == "11"] and not [e for e in events if e[1] == "17"]


def test_one_defendant_under_two_titles_is_one_sentencing():
    from magpie.coder.dedup import Dedup
    from magpie.document import Actor, Event, Span

    court = Actor(0, 4, "CHNJUD", "CHN", "JUD", None, "role")
    official = Actor(5, 12, "CHNGOV", "CHN", "GOV", "王大明", "person")
    defendant = Actor(20, 25, "CHNCRM", "CHN", "CRM", "王大明", "person")
    other = Actor(30, 35, "CHNCRM", "CHN", "CRM", "李小华", "person")

    def sentencing(target: Actor, at: int) -> Event:
        return Event(code="116", source=court, target=target, sentence=Span(0, 40), trigger=Span(at, at + 2),
                     date="2024-03-05", date_basis="sentence")

    doc = Document(id="d", text="x" * 40)
    doc.events = [sentencing(official, 13), sentencing(defendant, 26), sentencing(other, 36)]
    merged = Dedup()(doc).events
    assert [e.target.name for e in merged] == ["王大明", "李小华"]  # one man under two titles; another man
    assert merged[0].target.role == "CRM"  # the title the court gives him


def test_what_an_appeal_asks_has_not_happened(pipeline):
    events = _events(pipeline, "缅甸反对党全民盟发表声明，呼吁民众勿接受政变，要挺身抗议。")
    assert not [e for e in events if e[1] == "14"]
    events = _events(pipeline, "缅甸民众昨日在仰光街头抗议，反对党全民盟随后呼吁各方保持克制。")
    assert [e for e in events if e[1] == "14"]


def test_tariffs_with_a_quantity_are_the_announcers(pipeline):
    assert ("USAGOV", "16", "CHN") in _events(pipeline, "美方宣布新关税政策，其中，对中国输美商品加征34%的关税。")


def test_a_list_in_a_dui_phrase_is_the_target(pipeline):
    text = "俄罗斯外交部当天宣布，对美国总统、国务卿在内的多名美国官员实施制裁。"
    events = _events(pipeline, text)
    assert [e for e in events if e[0] == "RUSGOV" and e[1] == "16" and e[2] and e[2].startswith("USA")]
    assert not [e for e in events if e[0].startswith("USA")]


def test_what_is_condemned_belongs_to_its_owner(pipeline):
    events = _events(pipeline, "莫斯科周三指责乌克兰的无人机袭击了俄罗斯和白俄罗斯的多座机场。")
    assert ("RUSGOV", "11", "UKR") in events


def test_a_habit_is_no_dated_event(pipeline):
    assert not [e for e in _events(pipeline, "美国一直警告朝鲜不要向俄罗斯提供武器。") if e[1] == "13"]
    assert [e for e in _events(pipeline, "美国4日警告朝鲜不要向俄罗斯提供武器。") if e[1] == "13"]


def test_a_passive_before_a_name_only_describes_them(pipeline):
    events = _events(pipeline, "保安局局长李明指控被捕民主派人士图谋瘫痪政府。")
    assert not [e for e in events if e[1] == "17"]


def test_a_deadline_after_the_report_dates_no_later_event(pipeline):
    text = "区域法院批准被告保释，各人须于下周三下午4时前交出旅行证件。北城检方对被告王大明提起公诉。"
    doc = pipeline(Document(id="d", text=text, published="2021-04-02"))
    assert [e.date for e in doc.events if e.code.startswith("17")] == ["2021-04-02"]


def test_a_demand_announced_for_later_is_not_made_yet(pipeline):
    assert not [e for e in _events(pipeline, "美国总统计划下周要求日本政府提供证据。") if e[1] == "10"]
    assert [e for e in _events(pipeline, "美国总统4日要求日本政府提供证据。") if e[1] == "10"]


def test_jiang_after_yi_is_the_object_marker():
    from magpie.pipeline import Options, Pipeline

    plain = Pipeline(Options(lexical_model=False))  # the rule alone, without the model's reading of 将
    doc = plain(Document(id="j", text="我国已将相关做法起诉至世贸组织。", published="2024-03-05"))
    assert doc.events and not any(e.planned for e in doc.events)


def test_an_ambiguous_side_is_the_country_the_article_names(pipeline):
    text = "马尔代夫总统访华。中方愿同马方一道，不断拓展交流合作。"
    assert ("CHNGOV", "03", "MDVGOV") in _events(pipeline, text)
    text = "马来西亚总理访华。中方愿同马方一道，不断拓展交流合作。"
    assert ("CHNGOV", "03", "MYSGOV") in _events(pipeline, text)


def test_what_a_demand_asks_in_its_clause_is_not_done(pipeline):
    events = _events(pipeline, "利比亚发生袭击事件。中方已向利方提出紧急交涉，要求其尽快调查袭击事件。")
    assert ("CHNGOV", "10", "LBYGOV") in events and not [e for e in events if e[1] == "09"]


def test_a_date_before_de_dates_its_noun_not_the_event(pipeline):
    doc = pipeline(Document(id="m", text="香港警方以去年7月的初选为由拘捕53名民主派人士。", published="2021-01-07"))
    assert [e.date for e in doc.events] == ["2021-01-07"]
    doc = pipeline(Document(id="n", text="美国以去年的冲突为由制裁俄罗斯。", published="2021-01-07"))
    assert [e.date for e in doc.events] == ["2021-01-07"]


def test_a_question_or_an_obligation_is_no_act(pipeline):
    assert not [e for e in _events(pipeline, "美国总统为什么要向中国道歉？") if e[1] == "05"]
    assert not [e for e in _events(pipeline, "日本首相应该向韩国道歉。") if e[1] == "05"]
    assert [e for e in _events(pipeline, "日本首相4日向韩国道歉。") if e[1] == "05"]


def test_force_used_on_a_body_of_another_country_targets_it(pipeline):
    assert ("ISR", "19", "PSECOP") in _events(pipeline, "以色列战机仍锁定加沙市西部的警察局发动空袭。")


def test_the_people_of_a_camp_keep_its_role(pipeline):
    assert ("HKGCOP", "17", "HKGOPP") in _events(pipeline, "香港警方昨晨拘捕53名民主派人士。")


def test_a_verb_that_names_its_target(pipeline, lexicon):
    assert ("CHNMIL", "15", "TWN") in _events(pipeline, "国防部表示，今日侦获解放军军机多架次绕台。")
    assert ("JPNGOV", "04", "CHNGOV") in _events(pipeline, "日本首相今日访华。")
    assert lexicon.verbs["访美"].target == "USA" and lexicon.verbs["访问"].target is None


def test_huo_ending_a_verb_is_no_passive():
    from magpie.coder.grammar import preposition

    assert preposition("警方侦获共机", 4) is None and preposition("警方查获毒品", 4) is None
    assert preposition("该片获观众点赞", 3) == "获"
