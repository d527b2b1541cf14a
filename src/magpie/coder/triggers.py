"""The trigger filters: whether a trigger word reports an event (not a name, a charge, a title, a noun in
another verb's object), and whether a cue before it negates it or puts it in the future."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from operator import attrgetter

from ..document import Actor, Span, Token
from ..lexicon import Lexicon
from .grammar import NEGATION_GAP, TO, preposition
from .state import CodingState, Trigger, any_between
from .tokens import NOUN_TAGS, VERB_TAGS

NEG_WINDOW = 12  # characters before a trigger in which a negation cue may negate it (see negates)
CASE_COUNT = re.compile(r"[一二两三四五六七八九十几数多\d]+起$")
VERB_OBJECT_CASE = set("归到立报破结办作犯审备销翻投判断查定")  # 归案, 立案, 报案: verb + 案, not a case noun
_start = attrgetter("start")


def charge_name(view: str, trig: Trigger) -> bool:
    """故意杀人、故意伤害等暴力犯罪, 非法拘禁罪: an offence named as a charge (故意/非法 before it, 罪 or a list of
    offences after it) is no event of its own."""
    if not (view.endswith(("故意", "非法"), 0, trig.start) or view.startswith(("故意", "非法"), trig.start)):
        return False
    return view.startswith(("罪", "、", "等", "和", "及"), trig.end)


def inside(position: int, spans: list[Span]) -> bool:
    return any(s.start <= position < s.end for s in spans)


def in_title_marks(view: str, position: int, start: int) -> bool:
    """A trigger inside 《…》 is part of a title (of a treaty, a book, a newspaper)."""
    opened = view.rfind("《", start, position)
    return opened >= 0 and view.rfind("》", opened, position) < 0


def case_noun(view: str, trig: Trigger) -> bool:
    """连胜文枪击案嫌犯: an event noun (…案, …事件) names a case, unless something happens to it (发生枪击案)."""
    word = trig.verb.trigger
    if not word.endswith(("案", "案件", "事件")) or (word.endswith("案") and word[-2:-1] in VERB_OBJECT_CASE):
        return False  # 抓获归案, 依法立案: 案 is the object of a verb, the word is a predicate
    return not view.endswith(("发生", "制造", "发动", "策划", "遭遇", "遭到", "发生了", "制造了"), 0,
                             _before_count(view, trig))


def back_reference(view: str, trig: Trigger) -> bool:
    """他与巴沙尔的会面, 会晤的情况: the event named as a noun, referring back to one reported elsewhere."""
    return view.endswith("的", 0, trig.start) or view.startswith(("的情况", "的结果", "的成果", "的内容"), trig.end)


def existential(view: str, trig: Trigger) -> bool:
    """美国加州一家超市发生枪击事件: 发生 makes the subject the place where it happened, not who did it."""
    return view.endswith(("发生", "发生了", "爆发", "爆发了", "出现", "传出"), 0, _before_count(view, trig))


def _before_count(view: str, trig: Trigger) -> int:
    """Where the verb before an event noun ends: 制造三起袭击事件 — the count stands between."""
    count = CASE_COUNT.search(view, max(0, trig.start - 4), trig.start)
    return count.start() if count else trig.start


def light_verb(view: str, trig: Trigger, s_triggers: list[Trigger]) -> bool:
    """表示强烈不满, 表示欢迎: 表示 only carries the stance named right after it."""
    nxt = next((t for t in s_triggers if t.start >= trig.end), None)
    return nxt is not None and nxt.start - trig.end <= 4 \
        and not any(c in view[trig.end:nxt.start] for c in "，,。；;：:")


def object_noun(view: str, trig: Trigger, source: Actor, state: CodingState) -> bool:
    """谴责针对平民的袭击: the trigger is a noun (after 的) inside the object of another verb, whose subject is
    not its agent. (他与巴沙尔的会面 keeps its agent: no verb stands between 他 and the noun.)"""
    if not view.endswith("的", 0, trig.start) or source.end > trig.start:
        return False
    return any_between(state.trigger_ends, source.end, trig.start - 1)


def negates(view: str, end: int, start: int, actors: list[Actor]) -> bool:
    """A negation ending at ``end`` governs the trigger at ``start`` when only function words and the verb's own
    actors stand between them (未能与美方会谈), not another content word (口出不逊酒驾被刑拘)."""
    i = end
    while i < start:
        actor = next((a for a in actors if a.start == i and a.end <= start), None)
        if actor is not None:
            i = actor.end
        elif view[i] in NEGATION_GAP:
            i += 1
        else:
            return False
    return True


def coordinated(view: str, end: int, start: int) -> bool:
    """涉嫌参与非法集结及袭警: the trigger is the last of a list of offences that 涉嫌 governs."""
    gap = view[end:start]
    return len(gap) <= 12 and gap.endswith(("及", "和", "、", "与", "以及")) \
        and not any(c in gap for c in "被遭，,。；;：:")


def governed_noun(view: str, tokens: list[Token], starts: list[int], trig: Trigger, floor: int,
                  lexicon: Lexicon, actors: list[Actor]) -> bool:
    """The lexical layer reads the trigger as a noun (n, vn …) that is the object of a verb other than a support
    verb (support.tsv): 将集会定性为暴乱, 激化香港的愤怒和抗议, 造成严重威胁, 这是指对机场的袭击. Or the trigger is
    part of a longer noun or name (爆炸声, 示威者)."""
    k = bisect_right(starts, trig.start) - 1
    if k < 0 or not tokens[k].start <= trig.start < tokens[k].end:
        return False  # the model did not read this sentence
    token = tokens[k]
    if token.end < trig.end:
        return False  # the trigger spans several words: the lexicon knows better
    if token.end > trig.end and token.tag in ("n", "nz", "nw", "PER", "ORG", "LOC"):
        return True  # 爆炸声, 道歉信: the trigger modifies a head noun (无人机攻击, 大罢工 keep theirs)
    if trig.verb.trigger.startswith(("被", "遭")) or view.endswith(("被", "遭", "遭到", "受到"), 0, trig.start):
        return False  # a passive is a predicate, whatever its tag
    modifies = k + 2 < len(tokens) and tokens[k + 1].start == token.end \
        and view[tokens[k + 1].start:tokens[k + 1].end] == "的" and tokens[k + 2].tag in ("n", "nz")
    if (token.tag not in NOUN_TAGS and not modifies) or token.start != trig.start:
        return False  # (九龙大游行的传单: an event modifying a noun is as much that noun's as an event noun is)
    support, measure = lexicon.support_verbs, lexicon.measure_verbs
    modifier = -1  # where the noun's 的-modifier ends
    for j in range(k - 1, -1, -1):
        word = tokens[j]
        if word.end <= floor or word.tag == "w":
            return False
        if view[word.start:word.end] in ("的", "之"):
            modifier = max(modifier, word.start)
            continue
        if word.tag == "p":
            continue
        if word.tag in VERB_TAGS:
            if view[word.start:word.end] in measure:
                continue
            if view[word.start:word.end] in support:
                return False
            # 介绍了他与巴沙尔的会面: the noun names its own agent in its modifier, as a back-reference
            return not any(word.end <= a.start and a.end <= modifier and preposition(view, a.start) not in TO
                           for a in actors)
    return False


def modal_future(view: str, tokens: list[Token], c_start: int, trig: Trigger, modals: frozenset[str],
                 trigger_starts: list[int]) -> bool:
    """A modal of the future (会, 将会: support.tsv kind modal) read as a word of its own in the trigger's
    clause, with no other trigger between it and this one (会见 and 社会 are other words, so never match)."""
    for k in range(bisect_left(tokens, c_start, key=_start), len(tokens)):  # no copy of the list's tail
        token = tokens[k]
        if token.start >= trig.start:
            return False
        if view[token.start:token.end] in modals and token.tag in ("v", "vd", "d") \
                and not any_between(trigger_starts, token.end, trig.start):
            return True
    return False


def object_marker(view: str, tokens: list[Token], start: int, end: int, trig: Trigger,
                  s_actors: list[Actor]) -> bool:
    """将 marking the object (将两名男子抓获, 将涉嫌盗窃的庄某抓获), not the future: an actor stands between it and
    the verb with no preposition of its own, or the lexical layer reads 将 as a preposition (将6名行人砍伤)."""
    if view[start:end] != "将":
        return False
    if view.endswith(("已", "已经", "曾", "曾经"), 0, start):
        return True  # 我国已将美方做法起诉至世贸组织: what has been done is no future
    if any(end <= a.start and a.end <= trig.start and preposition(view, a.start) in (None, "将") for a in s_actors):
        return True
    k = bisect_right(tokens, start, key=_start) - 1
    return k >= 0 and tokens[k].start == start and tokens[k].end == end and tokens[k].tag == "p"
