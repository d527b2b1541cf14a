from .conftest import coded


def actor_of(doc, text):
    for actor in doc.actors:
        if doc.text[actor.start : actor.end] == text:
            return actor
    raise AssertionError(f"no actor {text!r} in {[doc.text[a.start:a.end] for a in doc.actors]}")


def test_country_title_and_unknown_name_make_one_actor(pipeline):
    doc = coded(pipeline, "埃及總統阿卜杜勒·法塔赫·塞西表示，埃及願意合作。塞西還說，雙方關係良好。")
    sisi = actor_of(doc, "埃及總統阿卜杜勒·法塔赫·塞西")
    assert sisi.code == "EGYGOV" and sisi.kind == "person"
    later = actor_of(doc, "塞西")  # the short name is followed through the article
    assert later.code == "EGYGOV"


def test_institution_between_country_and_title(pipeline):
    doc = coded(pipeline, "美國約翰斯·霍普金斯大學研究員伊里亞德·科恩認為，問題複雜。")
    cohen = actor_of(doc, "美國約翰斯·霍普金斯大學研究員伊里亞德·科恩")
    assert cohen.code == "USAEDU" and cohen.name == "伊里亚德·科恩"


def test_chinese_institution_title_and_name(pipeline):
    doc = coded(pipeline, "中国外交部副部长张志军一行20日起开始对朝鲜进行访问。张志军表示满意。", "2011-02-21")
    zhang = actor_of(doc, "中国外交部副部长张志军")
    assert zhang.country == "CHN" and zhang.role == "GOV"
    assert actor_of(doc, "张志军").code == zhang.code


def test_abbreviated_country_groups(pipeline):
    doc = coded(pipeline, "俄美两国总统21日进行了通话。")
    group = actor_of(doc, "俄美两国总统")
    assert group.kind == "group" and sorted(m.code for m in group.members) == ["RUSGOV", "USAGOV"]


def test_coordinated_countries_with_count_word(pipeline):
    doc = coded(pipeline, "俄罗斯、伊朗和土耳其三国领导人即将举行峰会。")
    group = actor_of(doc, "俄罗斯、伊朗和土耳其三国领导人")
    assert sorted(m.code for m in group.members) == ["IRNGOV", "RUSGOV", "TURGOV"]


def test_latter_and_pair_pronouns(pipeline):
    doc = coded(pipeline, "俄罗斯总统普京21日应以色列总理内塔尼亚胡的请求，与后者通了电话。双方交换了意见。")
    latter = actor_of(doc, "后者")
    assert latter.code == "ISRGOV" and latter.antecedent is not None
    pair = actor_of(doc, "双方")
    assert sorted(m.country for m in pair.members) == ["ISR", "RUS"]


def test_metonyms_and_media(pipeline):
    doc = coded(pipeline, "克里姆林宫的声明说，白宫表示欢迎。据“今日俄罗斯”电视台网站报道，会谈顺利。")
    assert actor_of(doc, "克里姆林宫").code == "RUSGOV"
    assert actor_of(doc, "白宫").code == "USAGOV"


def test_name_inside_a_longer_word_is_not_matched(pipeline):
    doc = coded(pipeline, "沿海地区的伊斯兰国家代表出席了会议。")
    texts = [doc.text[a.start : a.end] for a in doc.actors]
    assert "海地" not in texts and "伊斯兰国" not in texts
