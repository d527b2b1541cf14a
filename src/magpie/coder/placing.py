"""Placing actors: the article's home country, the country of an unplaced role or person, and the party an
actor stands for (a government, a defendant, armed, a firm, the target an act implies); whether a mention can be
an actor at all."""

from __future__ import annotations

import re

from ..document import Actor, Document
from ..lexicon import Lexicon
from .grammar import LOCATIVE, preposition
from .state import CodingState, Trigger

ORIGIN = ("原产于", "产于", "产自")  # the country of origin of goods
DEFENDANT_TITLES = ("被告人", "被告", "犯罪嫌疑人", "嫌疑人", "嫌犯", "疑犯", "罪犯", "被执行人")
DATELINE_AFTER = re.compile(r"(?:\d{1,2}日)?(?:报道|报导|电|讯|专电|特电)")  # a place that files the report
ARMED_ROLES = ("MIL", "REB", "UAF", "SPY", "INS")  # armed forces, rebels, militias, agents
PRIVATE_ROLES = ("CVL", "CRM", "BUS")  # people and firms: two of the same role are still two parties


def home_country(doc: Document, lexicon: Lexicon) -> str | None:
    """The article's home country: the most named country among its actors and places; a Simplified-script
    article that names none is mainland domestic news (警方抓获两名男子), a Traditional one the news of the
    place whose press words it uses (regions.tsv: 警方拘捕…提堂 is Hong Kong's)."""
    counts: dict[str, int] = {}
    for actor in doc.actors:
        for a in actor.expand():
            if a.country and len(a.country) == 3:
                counts[a.country] = counts.get(a.country, 0) + 1
    for place in doc.places:
        if place.place.country:
            counts[place.place.country] = counts.get(place.place.country, 0) + 1
    if counts:
        best = max(counts, key=lambda c: counts[c])
        # Taiwan's press writes Traditional: a Simplified report about Taiwan is the mainland's, and its unnamed
        # 海军, 战区 or 外交部 are Beijing's (Taiwan's own bodies are named as such: 台防务部门, 民进党当局)
        return "CHN" if best == "TWN" and doc.script == "hans" else best
    return "CHN" if doc.script == "hans" else lexicon.region_of(doc.view)


def homed(actor: Actor, state: CodingState) -> Actor:
    """A person discovered with no country (沈跃跃会见…, 市委书记张三会见…, 陈某被刑拘) belongs to the
    article's home country (a Chinese-style name to a Chinese-speaking one), with the role of their title."""
    if actor.country or not actor.discovered:
        return actor
    chinese_style = bool(actor.name) and "·" not in (actor.name or "") and len(actor.name or "") <= 3
    home = state.cjk_home if chinese_style else state.home
    if not home:
        return actor
    return Actor(actor.start, actor.end, home + (actor.role or ""), home, actor.role, actor.name, actor.kind,
                 antecedent=actor.antecedent, discovered=True)


def place_role(actor: Actor, other: Actor | None, fallback: str | None, violent: bool = False) -> Actor:
    """A role without a country (警方, 外交部, 示威者, 法院) placed in the event's place or the article's home
    country (``fallback``), else in its counterpart's country — an article's own ministry or police is meant
    (台湾外交部予以谴责 in a Taiwanese report); ``violent`` is kept for callers that distinguish it."""
    if actor.country or not actor.role or actor.kind in ("pronoun", "group"):
        return actor
    counterpart = other.country if other is not None and other.country and len(other.country) == 3 else None
    country = fallback or counterpart
    if not country:
        return actor
    return Actor(actor.start, actor.end, country + actor.role, country, actor.role, actor.name, actor.kind,
                 antecedent=actor.antecedent)


def usable(actor: Actor, view: str) -> bool:
    """Places are actors only as capitals used for their government (莫斯科表示), never after 在/赴."""
    origin = actor.kind == "country" and view.endswith(ORIGIN, 0, actor.start)  # 原产于美国的商品: a party
    if preposition(view, actor.start) in LOCATIVE and not origin:
        return False
    if actor.kind in ("place", "country") and DATELINE_AFTER.match(view, actor.end):
        return False  # 台北报道, 北京25日电: where the report was filed
    return bool(actor.code or actor.members or actor.role or actor.discovered)


def as_government(actor: Actor) -> Actor:
    """A country named as a whole (美国, 俄方 without a role) as its government (USAGOV)."""
    if actor.kind != "country" or actor.role or not actor.country or len(actor.country) != 3:
        return actor
    return Actor(actor.start, actor.end, actor.country + "GOV", actor.country, "GOV", actor.name, actor.kind,
                 antecedent=actor.antecedent)


def as_defendant(actor: Actor, view: str) -> Actor:
    """被告人孙某, 犯罪嫌疑人王某: a person named with the title of a defendant is acted on as a criminal suspect
    (CRM), whatever office the lexicon knows them by."""
    if actor.kind != "person" or not actor.country or actor.role == "CRM" \
            or not view.startswith(DEFENDANT_TITLES, actor.start):
        return actor
    return Actor(actor.start, actor.end, actor.country + "CRM", actor.country, "CRM", actor.name, actor.kind,
                 antecedent=actor.antecedent, discovered=actor.discovered)


def is_armed(actor: Actor) -> bool:
    """Armed forces or an armed group: their force needs no named target to be an event (a bare country
    does: 阿根廷…爆发冲突 in a match report is sport)."""
    return actor.role in ARMED_ROLES or (actor.code or "").startswith("IMG")


def distinct_party(other: Actor, actor: Actor) -> bool:
    """Of one code, still another party: people and firms by another name (前夫起诉女子), or a named person
    (纪委监委对副市长…立案)."""
    return (other.role in PRIVATE_ROLES or actor.role in PRIVATE_ROLES or other.kind == "person") \
        and other.name != actor.name


def is_firm(actor: Actor) -> bool:
    return actor.role == "BUS" or (actor.code or "").startswith("MNC") or \
        (bool(actor.members) and all(is_firm(m) for m in actor.members))


def has_country(actor: Actor) -> bool:
    return bool(actor.country)


def implied_target_actor(view: str, role: str, source: Actor, s_actors: list[Actor], c_start: int, c_end: int,
                         trig: Trigger) -> Actor | None:
    """Whom an act with no named target is aimed at (rules.tsv implied_target): a protest is against the
    authorities — the body where it gathers (在立法院外集会, 聚集县政府), else its country's government. A strike
    at a firm (通用汽车罢工) is against the firm, which the text names: no target is implied."""
    country = source.country
    if not country or len(country) != 3 or source.role in ("GOV", "LEG", "JUD", "COP", "MIL", "BUS"):
        return None
    body = next((a for a in s_actors if c_start <= a.start < c_end and a is not source and a.role
                 in ("GOV", "LEG", "JUD", "COP") and a.country == country and a.kind != "person"), None)
    if body is not None:
        return body
    return Actor(trig.start, trig.start, country + role, country, role, None, "implied")
