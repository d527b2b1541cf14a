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
