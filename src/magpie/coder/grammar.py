"""Small facts about Chinese sentence structure used by several stages.

The word lists are function words of the language (prepositions), not domain lexicon entries.
"""

from __future__ import annotations

import re

from ..document import Actor

WITH = ("与", "同", "和", "跟", "及")
TO = ("向", "对", "给", "为", "替", "对于")
PASSIVE = ("被", "遭", "遭到", "受到", "遭受", "获", "获得", "赢得", "深受")  # X获Y点赞: Y praises X
LOCATIVE = ("在", "于", "赴", "到", "抵达", "前往", "从", "自", "至", "来自", "飞抵", "途经", "抵",
            "往", "运往", "送往", "飞往", "驶往", "转运至", "运抵", "返回", "撤离", "逃往", "位于")
BA = ("把", "将")  # 把/将 X 抓获: the object before the verb
OTHER = ("应", "据", "由", "经", "随", "援引", "引述", "根据", "代表", "受")
INSTRUMENTAL = ("通过", "经由", "借助", "利用", "乘坐", "搭乘", "凭借")  # 通过包机运往: a means, not a target
SKIP = " \t“”‘’\"'《》"
# determiners, counts and ages between a preposition and its actor: 遭一名男子, 将该男子, 被两名民警, 将10岁孙女
DETERMINER = re.compile(r"(?:[该这那此某]|[一二两三四五六七八九十几数\d]+(?:[名个位伙群]|岁的?))$")
CLAUSE_BREAKS = "，,；;：:"
HEADLINE_GAP = re.compile(r"(?<=[\u4e00-\u9fff”」』！？!?）)])[ \u3000]+(?=[\u4e00-\u9fff“「『（(])")
# what may stand between a negation and the verb it negates: auxiliaries, adverbs, the passive and the
# prepositions that introduce the verb's actors (没有被捕, 未能与美方会谈, 不再对其制裁). A content word in
# the gap (口出不逊酒驾被刑拘, 未遂兵变被捕) means the negation belongs to another word.
NEGATION_GAP = set("会能要再曾被遭到予以得准肯愿敢想必是了过就也都还并从一直有可应该需打算同意计划准备"
                   "将把对向与和跟同给为受已经正在继续依法公开正式立即马上当场及时 \t“”‘’\"'")


_ALL_PREPOSITIONS = sorted({*WITH, *TO, *PASSIVE, *LOCATIVE, *OTHER, *BA, *INSTRUMENTAL}, key=len, reverse=True)
_PREPOSITION = re.compile("(?:" + "|".join(re.escape(w) for w in _ALL_PREPOSITIONS) + ")$")
_PREPOSITION_AT = re.compile("|".join(re.escape(w) for w in _ALL_PREPOSITIONS))


# A preposition that is really the end of a longer word: 反对 / 认为 / 参与 / 面向 / 关于 are verbs or
# topic markers, not the 对 / 为 / 与 / 向 / 于 that introduce an actor.
NOT_AFTER = {"对": "反面应针绝相核敌", "为": "认成称作因行以视", "与": "参给", "向": "面趋走动导倾意",
             "于": "由关对至属等", "获": "侦查缴抓捕截破俘猎收斩擒拿"}  # 侦获共机, 查获毒品: 获 ends the verb


def preposition(view: str, start: int) -> str | None:
    """The preposition standing right before a mention (quotes and spaces skipped), if any."""
    i = start
    while i > 0 and view[i - 1] in SKIP:
        i -= 1
    if i > 1 and view[i - 1] in "此事" and view.endswith(("对此", "为此", "就此", "因此", "对此事"), 0, i):
        return None  # 对此范思哲深表歉意: "about this" — what follows is the subject
    determiner = DETERMINER.search(view, max(0, i - 4), i)
    if determiner is not None:
        i = determiner.start()
    match = _PREPOSITION.search(view, max(0, i - 4), i)
    if match is None:
        if i > 0 and view[i - 1] == "、":
            return _list_preposition(view, i - 1)
        return None
    word = match.group()
    before = view[match.start() - 1] if match.start() > 0 else ""
    if word in ("和", "及", "同") and before == "、":
        return None
    if before and before in NOT_AFTER.get(word, ""):
        return None
    return word


# Words that make a preceding country or city a sports team (中国队, 德国女足): a team playing another is no
# political event.
TEAM_TAILS = ("队", "国家队", "男篮", "女篮", "男足", "女足", "男排", "女排", "国足", "球队", "代表队", "选手", "队员",
              "泳队", "乒乓球队", "体操队", "田径队", "冰球队", "奥运代表团")

# Nouns that make a preceding country a topic or a place, not a participant (叙利亚问题, 叙利亚境内).
TOPIC_HEADS = ("问题", "局势", "形势", "危机", "局面", "事务", "境内", "境外", "方面", "关系", "和平进程",
               "冲突", "战争", "内战", "战场", "全国", "国内", "南部", "北部", "东部", "西部", "中部", "东南部",
               "西南部", "东北部", "西北部", "边境", "领土", "主权", "人民", "经济", "政局", "大选", "选举",
               "本土", "安全", "各方", "各派", "内部", "一方", "方案", "提议", "倡议", "立场", "政策", "议题",
               "核问题", "联合声明", "联合公报", "联合宣言", "联合宣告")


def is_modifier(view: str, actor: Actor) -> bool:
    """X的… or X问题: the mention modifies a later noun (以色列总理内塔尼亚胡的请求, 叙利亚问题)."""
    return view.startswith("的", actor.end) or is_topic(view, actor)


# A trigger followed by one of these is a noun inside a longer noun phrase (阿斯坦纳和谈框架, 谈判进程).
NOMINAL_TAILS = ("框架", "进程", "机制", "模式", "成果", "精神", "代表团", "桌", "大会", "会议", "议程", "轨道",
                 "渠道", "平台", "筹备", "前景", "势头", "之前", "之后", "期间", "以来", "之际", "前夕",
                 "人士", "人员", "者")  # 被捕人士: the arrested, not an arrest


def is_nominal(view: str, start: int, end: int) -> bool:
    """The trigger at ``[start, end)`` is part of a noun phrase or a time phrase, not a predicate
    (阿斯坦纳和谈框架, 在日内瓦谈判之前, 在会晤后)."""
    if view.startswith(NOMINAL_TAILS, end):
        return True
    return view.startswith(("后", "时", "中", "前"), end) and "在" in view[max(0, start - 8) : start]


def is_relative(view: str, actor: Actor) -> bool:
    """X牵头的…, X支持下…: the mention is the subject of a modifier clause, not an argument."""
    tail = view[actor.end : actor.end + 5]
    k = tail.find("的")
    if 0 < k <= 4 and not any(c in tail[:k] for c in "，,；;。、"):
        return True
    return tail.startswith(("支持下", "主导下", "牵头下"))


def is_topic(view: str, actor: Actor) -> bool:
    """A country named as a topic or region (叙利亚问题, 叙利亚境内), not as a participant."""
    return actor.kind in ("country", "group") and view.startswith(TOPIC_HEADS, actor.end)


def is_subject(view: str, actor: Actor, sentence_start: int) -> bool:
    """A mention that can be the subject of a verb: not governed by a preposition, not X的."""
    if actor.role == "MED":
        return False
    prep = preposition(view, actor.start)
    return prep is None and not is_modifier(view, actor)


def clause_bounds(view: str, start: int, end: int, sentence_start: int, sentence_end: int) -> tuple[int, int]:
    """The clause (between commas, semicolons and colons) around ``[start, end)``. In headlines a space
    between Chinese words separates clauses too (远航控股如期挂牌 被小米起诉)."""
    left = max((view.rfind(c, sentence_start, start) for c in CLAUSE_BREAKS), default=-1)
    left = sentence_start if left < sentence_start else left + 1
    rights = [p for c in CLAUSE_BREAKS if (p := view.find(c, end, sentence_end)) >= 0]
    right = min(rights) if rights else sentence_end
    if " " in view[left:right] or "\u3000" in view[left:right]:
        for gap in HEADLINE_GAP.finditer(view, left, right):
            if gap.end() <= start:
                left = gap.end()
            elif gap.start() >= end:
                right = gap.start()
                break
    return left, right


def _list_preposition(view: str, comma: int) -> str | None:
    """对美国总统、国务卿…实施制裁: a later item of a 、-list stands under the preposition of the first item.
    The list runs back from the 、 to a clause break; its first item's preposition is the list's."""
    start = comma
    while start > 0 and view[start - 1] not in CLAUSE_BREAKS + "。！？!?\n" and comma - start < LIST_REACH:
        start -= 1
    for k in range(start, comma):  # the first preposition of the stretch, right before an item
        match = _PREPOSITION_AT.match(view, k)
        if match is not None and match.group() in TO + WITH + PASSIVE + BA:
            before = view[k - 1] if k > 0 else ""
            if not (before and before in NOT_AFTER.get(match.group(), "")):
                return match.group()
    return None


LIST_REACH = 24  # characters a 、-list may reach back to its preposition
