"""The lexicon validator: every bundled file loads, every code is valid, no conflicts, both scripts."""

import pytest

from magpie.errors import LexiconError
from magpie.lexicon import Lexicon
from magpie.lexicon.check import check
from magpie.normalise import to_simplified


def test_bundled_lexicon_has_no_problems(lexicon):
    assert check(lexicon) == []


def test_sizes(lexicon):
    kinds = {}
    for bucket in lexicon.entities.values():
        for entity in bucket:
            kinds[entity.kind] = kinds.get(entity.kind, 0) + 1
    assert len(lexicon.countries) >= 240
    assert kinds["person"] >= 1000 and kinds["organisation"] >= 300 and kinds["place"] >= 1500
    assert len(lexicon.verbs) >= 1000
    roots = {verb.code[:2] for verb in lexicon.verbs.values() if verb.code != "-"}
    assert roots == {f"{r:02d}" for r in range(1, 21)}


def test_every_event_code_has_cameo_data(lexicon):
    for verb in lexicon.verbs.values():
        if verb.code != "-":
            info = lexicon.event_info(verb.code)
            assert 1 <= info.quad_class <= 4


def test_both_scripts_are_matched(lexicon):
    for traditional, simplified_code in [("俄羅斯", "RUS"), ("敘利亞", "SYR"), ("沙烏地阿拉伯", "SAU"), ("北韓", "PRK"),
                                         ("紐西蘭", "NZL"), ("聯合國", "IGOUNO"), ("克里姆林宮", "RUSGOV")]:
        found = lexicon.find_entities(to_simplified(traditional))
        assert found, traditional
        entity = lexicon.entities[found[0][2]][0]
        assert (entity.country or entity.code) == simplified_code, traditional


def test_cross_strait_renderings(lexicon):
    for mainland, taiwan in [("普京", "普丁"), ("特朗普", "川普"), ("内塔尼亚胡", "納坦雅胡")]:
        codes = []
        for name in (mainland, taiwan):
            (match,) = lexicon.find_entities(to_simplified(name))
            codes.append(lexicon.entities[match[2]][0].person.role_at("2018-01-01").code)
        assert codes[0] == codes[1], (mainland, taiwan)


def test_dated_roles():
    lexicon = Lexicon.load()
    (match,) = lexicon.find_entities("马英九")
    person = lexicon.entities[match[2]][0].person
    assert person.role_at("2011-02-23").code == "TWNGOV"


def test_malformed_user_lexicon_names_file_and_line(tmp_path):
    path = tmp_path / "mine.tsv"
    path.write_text("names\tcode\tstart\tend\ten\tnote\n普京\tRUSGOV\t2000\t\tPutin\t\n某人\tXXXGOV\tnot-a-date\t\t\t\n",
                    encoding="utf-8")
    with pytest.raises(LexiconError) as info:
        Lexicon.load([path])
    assert "mine.tsv:3" in str(info.value) and "not-a-date" in str(info.value)


def test_unknown_header_is_explained(tmp_path):
    path = tmp_path / "odd.tsv"
    path.write_text("foo\tbar\n1\t2\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="unknown header"):
        Lexicon.load([path])


def test_surnames_are_listed_and_checked(lexicon, tmp_path):
    assert {"邹", "晁", "欧"} <= lexicon.surnames and len(lexicon.surnames) >= 400
    assert "包" not in lexicon.people_surnames  # the strict set for untitled names comes from people*.tsv only
    path = _refused(tmp_path, "surnames\tnote\n仉\trare\nAB\tnot Chinese\n", "mine.tsv:3")
    path.write_text("surnames\tnote\n仉\trare\n", encoding="utf-8")
    assert "仉" in Lexicon.load([path]).surnames


def test_region_words_name_a_known_country(lexicon, tmp_path):
    assert lexicon.region_of("警方拘捕三名男子，今日提堂") == "HKG"
    assert lexicon.region_of("地检署起诉一名立委") == "TWN"
    assert lexicon.region_of("今天天气很好") is None
    _refused(tmp_path, "words\tcountry\tnote\n提堂\tXXX\tnot a country\n", "mine.tsv:2", "XXX")


def test_a_role_country_must_be_known(tmp_path):
    _refused(tmp_path, "names\trole\tkind\tnote\tcountry\n区长\tGOV\ttitle\t\tXXX\n", "mine.tsv:2", "XXX")


def _refused(tmp_path, content, *in_message):
    """A user lexicon with this content is refused, the error naming each of ``in_message``."""
    path = tmp_path / "mine.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(LexiconError) as info:
        Lexicon.load([path])
    assert all(part in str(info.value) for part in in_message)
    return path


def test_a_verb_target_must_be_a_country_code(tmp_path):
    _refused(tmp_path, "trigger\tcode\tframe\tnote\ttarget\n访X国\t042\tnone\tvisit\tXland\n", "mine.tsv:2", "alpha-3")
