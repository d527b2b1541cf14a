"""Who did it to whom: the source and target of a trigger (subjects, 被/由/对/与/把 phrases, objects), the
agent a rule implies, and the one an act is done to when its actor cannot do it."""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right
from operator import attrgetter, itemgetter

from ..document import Actor, Span
from ..lexicon import Lexicon
from .grammar import (
    BA,
    CLAUSE_BREAKS,
    INSTRUMENTAL,
    LOCATIVE,
    PASSIVE,
    TO,
    WITH,
    is_modifier,
    is_relative,
    is_subject,
    is_topic,
    preposition,
)
from .placing import ORIGIN, homed, place_role, usable
from .state import REACTION_ROOTS, CodingState, Trigger, any_between, next_start

CLAUSE_OPENERS = set("，,；;：:。！？!?“”\"' \u3000\n")  # what stands before a clause's first word
QUANTITY = re.compile(r"[\d.,%％一二三四五六七八九十百千万亿两]+(?:[%％倍个项名批架艘次]|美元|元|人民币)?$")
_start = attrgetter("start")
_first = itemgetter(0)


class Arguments:
    """The source and targets of a trigger in its sentence."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon

    def __call__(self, view: str, state: CodingState, sentence: Span, c_start: int, c_end: int, trig: Trigger,
                 s_actors: list[Actor], last_subject: Actor | None) -> tuple[Actor | None, list[Actor]]:
        """The source of ``trig`` and its targets, in the clause ``c_start``..``c_end`` of ``sentence``
        (``last_subject``: the subject that carries on from earlier sentences); (None, []) when it has none."""
        before = [a for a in s_actors if a.end <= trig.start and usable(a, view)]
        after = [a for a in s_actors if a.start >= trig.end and a.start < c_end and usable(a, view)
                 and not is_topic(view, a) and not is_relative(view, a)]
        frame = trig.verb.frame
        nested_target: Actor | None = None
        embedded = _embedded(view, trig, c_end, s_actors)
        if frame != "passive" and view.endswith(("被", "遭", "遭到", "受到"), 0, trig.start):
            frame = "passive"  # 嫌疑人郭某被刑事拘留: passive with no agent named
        if frame == "passive":  # X被捕, X遇刺: the subject undergoes the event
            # not the object of another verb (在网上辱骂妻子多日被拘留: the one held is the man, not his wife)
            candidates = [a for a in before if is_subject(view, a, sentence.start) and a.start not in state.verb_ends]
            # else the nearest earlier clause's own subject (one that begins its clause), else the first
            openers = [a for a in candidates if a.start == sentence.start or view[a.start - 1] in CLAUSE_OPENERS]
            subject = next((a for a in candidates if a.start >= c_start), None) or \
                (openers[-1] if openers else next(iter(candidates), None))
            subject = subject or last_subject
            implied_role = self.lexicon.rule(trig.verb.code).implied_agent
            if subject is not None and implied_role and subject.role == implied_role:
                # 法院裁定黎智英…罪成: the court is the agent; the one it rules on comes after it
                undergoer = next((a for a in before if a.start >= subject.end and a.role != implied_role), None)
                if undergoer is not None:
                    agent = place_role(subject, undergoer, state.home)
                    undergoer = place_role(homed(undergoer, state), agent, state.home)
                    return (agent, [undergoer]) if agent.country and undergoer.country else (None, [])
                subject = last_subject  # 殴打接警员被拘留: the officer is the object of another verb
            if subject is not None and not subject.country:
                subject = place_role(homed(subject, state), None, state.home)
            if subject is not None and subject.kind == "country" and implied_role == "COP" \
                    and subject.country and len(subject.country) == 3:
                # 巴西“假面歌手”被捕: only people are arrested — a national
                subject = Actor(subject.start, subject.end, subject.country + "CVL", subject.country, "CVL",
                                subject.name, "role")
            agent = _named_agent(state, implied_role, trig, subject)
            if agent is None:
                # arrested in Manila: the police of the place where it happened, else of the one it happened to
                where = next((a.country for a in reversed(s_actors) if c_start <= a.start and a.end <= trig.start
                              and a.kind in ("place", "country") and a.country and len(a.country) == 3
                              and preposition(view, a.start) in LOCATIVE), None)
                agent = _implied_agent(implied_role, trig, subject, where)
            return (agent, [subject]) if agent is not None and subject is not None else (None, [])
        # passive: X 被 Y 逮捕 -> source Y, target X
        passive = next((a for a in reversed(before)
                        if a.start >= c_start and preposition(view, a.start) in PASSIVE), None)
        if passive is not None:
            subjects = [a for a in before if a.end <= passive.start and is_subject(view, a, sentence.start)]
            subject = next((a for a in subjects if a.start >= c_start), None) or next(iter(subjects), None)
            return passive, [subject] if subject is not None else []
        agent = next((a for a in reversed(before) if a.start >= c_start and preposition(view, a.start) == "由"
                      and trig.start - a.end <= 6), None)
        if agent is not None and frame != "with":
            # X一案，已由检察机关提起公诉: 由 names the agent; the one acted on is the subject, or the object
            objects = [a for a in after if not is_modifier(view, a)]
            if objects:
                return agent, objects[0].expand()
            subjects = [a for a in before if a.end <= agent.start and is_subject(view, a, sentence.start)]
            return agent, subjects[:1]
        near = [a for a in before if a.start >= c_start and preposition(view, a.start) not in WITH] \
            if embedded else []
        inner = before[-1] if before and before[-1].start >= c_start else None
        if inner is not None and preposition(view, inner.start) in ("对", "对于") and trig.start - inner.end <= 1 \
                and sum(1 for a in before if a.start >= c_start and preposition(view, a.start) in TO) == 1 \
                and trig.verb.code[:2] not in REACTION_ROOTS and any_between(state.reactions, trig.end, c_end):
            # 对美军空袭伊拉克境内目标提出抗议: the actor of a 对-phrase right before an event word, with the
            # clause's own reaction still to come, is the subject of that event
            stop = next_start(state, trig)
            objects = [a for a in after if not is_modifier(view, a) and a.start < stop]
            if not objects and trig.verb.code[:2] >= "17":  # 空袭伊拉克境内目标: the country attacked
                hit = next((a for a in s_actors if trig.end <= a.start < stop and a.country and len(a.country) == 3
                            and a.country != inner.country and preposition(view, a.start) not in LOCATIVE), None)
                if hit is not None:
                    objects = [Actor(hit.start, hit.end, hit.country, hit.country, None, hit.name, hit.kind)]
            return inner, objects[:1]
        if near:
            source = near[-1]
        else:  # not in a modifier, or one with no actor of its own (并谴责暴徒的违法行为: 的 is the object's)
            free = [a for a in before if is_subject(view, a, sentence.start) and not is_topic(view, a)
                    and not _in_dui_phrase(view, a, before, state)]
            in_clause = [a for a in free if a.start >= c_start]
            source = in_clause[0] if in_clause else (free[0] if free else None)
            k = bisect_right(state.speakers, c_start, key=_first) - 1
            speech = state.speakers[k][0] if k >= 0 and state.speakers[k][0] >= sentence.start else None
            if not in_clause and speech is not None:
                # 汪文斌表示，美方泛化…，对中国企业进行封锁: the reported clauses have their own subject
                source = next((a for a in free if a.start >= speech), source)
            if len(in_clause) > 1 and any_between(state.starts, in_clause[0].end, in_clause[-1].start) \
                    and not any(in_clause[0].end <= a.start < in_clause[-1].start
                                and preposition(view, a.start) in ("对", "对于") for a in before):
                # 中方反对美方对台军售: 美方 is the subject of the embedded verb (but in 中方对美方制裁中国企业
                # 提出抗议 the embedded clause is inside the 对-phrase: the outer verb is 中方's)
                source = in_clause[-1]
            tos = [a for a in before if a.start >= c_start and preposition(view, a.start) in TO
                   and not view.endswith("、", 0, a.start)]  # (a later item of a 、-list is no 对-phrase of its own)
            if len(tos) >= 2 and source is not None and source.end <= tos[0].start:
                if any_between(state.starts, tos[-1].end, trig.start):
                    nested_target = tos[0]  # 中方对[美方对中国企业实施制裁]表示不满: the outer verb's target
                else:
                    source = tos[-2]  # …美方对中国企业实施制裁: the inner verb's subject is the actor of the 对-phrase
            implied_role = self.lexicon.rule(trig.verb.code).implied_agent
            if not in_clause and implied_role and source is not None and source.role != implied_role:
                # 男子窜至城南行窃，民警迅速展开侦查，…将其抓获: of the earlier subjects, the police arrest
                source = next((a for a in reversed(free) if a.role == implied_role), source)
        if source is None:
            # zero subject: the previous sentence's subject carries on, for talk and diplomacy; a riot or a
            # bombing with no named perpetrator is not pinned on whoever spoke last
            source = last_subject if trig.verb.code[:2] < "14" else None
            implied_role = self.lexicon.rule(trig.verb.code).implied_agent
            if source is None and implied_role and frame == "obj":
                # 开展夜间清查行动，抓获违法犯罪人员9人: police report style, the agent is the one the rule implies
                objects = [a for a in after if not is_modifier(view, a) or a is after[-1]] or \
                    [a for a in before if a.start >= c_start and preposition(view, a.start) in BA]  # 将张某抓获
                if objects:
                    target = place_role(homed(objects[0], state), None, state.home)
                    agent = _named_agent(state, implied_role, trig, target) or \
                        _implied_agent(implied_role, trig, target)
                    if agent is not None:
                        return agent, target.expand()
            if source is None and trig.verb.code[:2] == "14":
                source = _protesters(view, s_actors, c_start, trig)
            if source is None:
                return None, []
        between = [a for a in before if a.start >= (source.end if source.end <= trig.start else c_start)]
        with_target = next((a for a in reversed(between) if preposition(view, a.start) in WITH
                            and _with_gap_ok(view[a.end:trig.start]) and not is_topic(view, a)), None)
        violent = trig.verb.code[:2] >= "17"  # 对边境的一座机场发动攻击: the place is the target
        to_target = next((a for a in reversed(between) if preposition(view, a.start) in TO
                          and (violent or not is_topic(view, a))), None)
        if to_target is None and violent:  # 对加沙地带发动空袭: a place attacked stands for its country
            hit = next((a for a in reversed(s_actors) if a.kind == "place" and a.start >= source.end
                        and a.end <= trig.start and a.country and len(a.country) == 3
                        and preposition(view, a.start) in TO and a.country != source.country), None)
            if hit is not None:
                to_target = Actor(hit.start, hit.end, hit.country, hit.country, None, hit.name, "place")
        elif to_target is not None and violent and to_target.kind == "place" and to_target.country:
            # 对大马士革发动空袭: a capital bombed is the city, not its government
            to_target = Actor(to_target.start, to_target.end, to_target.country, to_target.country, None,
                              to_target.name, "place")
        if nested_target is not None:
            to_target = nested_target
        if to_target is None:
            to_target = _dui_phrase_head(view, source, trig, between)
        objects = [a for a in after if not is_modifier(view, a) or a is after[-1]
                   or (a is after[0] and a.start - trig.end <= 1 and "10" <= trig.verb.code[:2] <= "13")]
        # (指责乌克兰的无人机…, 谴责以色列的空袭: what is condemned is the act or the thing of its owner)
        while objects and preposition(view, objects[0].start) in INSTRUMENTAL:
            objects.pop(0)  # 通过包机运往…: a means, not a target
        obj_target = objects[0] if objects else None
        if obj_target is None:  # 把/将 X 抓获: the object stands before the verb
            obj_target = next((a for a in between if preposition(view, a.start) in BA), None)
        if obj_target is not None and obj_target.kind == "place" and preposition(view, obj_target.start) in LOCATIVE:
            obj_target = None
        if frame == "with" and with_target is None and len(source.expand()) > 1:
            return source, []  # 双方 / 俄美两国 … 会谈: the members meet each other
        order = {"with": (with_target, obj_target), "obj": (obj_target, to_target),
                 "to": (to_target, obj_target), "none": (with_target, to_target)}[frame]
        target = next((t for t in order if t is not None), None)
        if target is None and trig.verb.code[:2] >= "18" and source.country:
            # 以色列战机锁定加沙市西部的警察局发动空袭, 在加沙发动空袭: the other country where force is used
            hit = next((a for a in reversed(between) if a.country and len(a.country) == 3
                        and a.country != source.country and a.kind != "person"
                        and preposition(view, a.start) not in WITH + PASSIVE), None)
            if hit is not None:
                target = hit if hit.role else Actor(hit.start, hit.end, hit.country, hit.country, None, hit.name,
                                                    hit.kind)
        if target is None and trig.verb.code[:2] >= "17":  # 炮击了乌克兰东部城市哈尔科夫: a place attacked
            hit = next((a for a in s_actors if a.start >= trig.end and a.start < c_end and a.country
                        and a.country != source.country and preposition(view, a.start) not in LOCATIVE), None)
            if hit is not None:
                target = Actor(hit.start, hit.end, hit.country, hit.country, None, hit.name, hit.kind)
        own = source.country or state.cjk_home or state.home  # 海军: unplaced until its counterpart is known
        if target is None and trig.verb.code[:2] == "15" and own:
            # 位台湾海峡、台岛北部…开展演习: a show of force is aimed at the country where it is staged
            near = [a for a in s_actors if a.start < c_end and a is not source and a.country
                    and len(a.country) == 3 and a.country != own and a.kind in ("place", "country")]
            if near:
                hit = near[0]
                target = Actor(hit.start, hit.end, hit.country, hit.country, None, hit.name, hit.kind)
        if target is None and (view.endswith(("予以", "给予", "加以"), 0, trig.start)
                               or view.startswith(("予以", "给予", "加以"), trig.start)):
            # 朝鲜发射导弹，韩国军方予以谴责: the object is the sentence's first subject
            first = next((a for a in s_actors if is_subject(view, a, sentence.start) and a is not source
                          and a.country != source.country), None)
            target = first
        if target is None and trig.verb.target is not None and trig.verb.target != source.country:
            # 访华, 共机绕台: the verb itself names the country it is aimed at (verbs.tsv target)
            country = trig.verb.target
            target = Actor(trig.start, trig.end, country, country, None, None, "country")
        return source, target.expand() if target is not None else []

    def undergoer(self, view: str, state: CodingState, trig: Trigger, source: Actor, targets: list[Actor],
                  s_actors: list[Actor], c_start: int) -> tuple[Actor | None, list[Actor]]:
        """The actor read as the source has a role that cannot do the act (rules.tsv ``not_by``): suspects do not
        arrest, the police do not march. With no target and an agent the rule implies, the actor is the one the
        act is done to (将7名犯罪嫌疑人成功抓获: the police arrest them); a protest is by the civilians of its
        place (警方因游行经过车站而反对: the march is not the police's); else the act is not the actor's."""
        rule = self.lexicon.rule(trig.verb.code)
        if not targets and rule.implied_agent:
            undergoer = place_role(homed(source, state), None, state.home)
            agent = _named_agent(state, rule.implied_agent, trig, undergoer) or \
                _implied_agent(rule.implied_agent, trig, undergoer)
            return (agent, undergoer.expand()) if agent is not None else (None, [])
        if trig.verb.code[:2] == "14":
            return _protesters(view, s_actors, c_start, trig), []
        return None, []


NAMED_AGENT_REACH = 80  # characters either side of a trigger in which a named police or court is its agent


def _named_agent(state: CodingState, role: str | None, trig: Trigger, undergoer: Actor | None) -> Actor | None:
    """行拘32人！临沂公安重拳整治…: the police or court the report names nearby, when it names one,
    rather than an unnamed one (in the same paragraph, not across a place that is somewhere else)."""
    if role is None or undergoer is None:
        return None
    # the actors are in text order: those that start past the reach are left out by bisect, and of the others,
    # those that end before it by the running maximum of where they end (kept with the state, made once)
    actors = state.actors
    reach_ends = vars(state).get("_reach_ends")
    if reach_ends is None or reach_ends[0] is not actors or len(reach_ends[1]) != len(actors):
        reach_ends = (actors, list(itertools.accumulate((a.end for a in actors), max)))
        vars(state)["_reach_ends"] = reach_ends
    lo = bisect_left(reach_ends[1], trig.start - NAMED_AGENT_REACH)
    hi = bisect_right(actors, trig.start + NAMED_AGENT_REACH, key=_start)
    near = [a for a in actors[lo:hi] if a.role == role and a.kind not in ("pronoun", "implied")
            and abs((a.start if a.start >= trig.end else a.end) - trig.start) <= NAMED_AGENT_REACH
            and a is not undergoer
            and "\n" not in state.view[min(a.end, trig.start):max(a.start, trig.end)]]
    if not near:
        return None
    agent = min(near, key=lambda a: abs(a.start - trig.start))
    placed = place_role(agent, undergoer, state.home)
    if undergoer.country and placed.country and placed.country != undergoer.country:
        return None
    return placed if placed.country else None


def _implied_agent(role: str | None, trig: Trigger, subject: Actor | None, where: str | None = None) -> Actor | None:
    """Who does it when the text does not say (rules.tsv): an arrest is the police's, a sentence the courts' —
    of the country where it happened (``where``), else of the one it happened to."""
    if role is None or subject is None or not subject.country or len(subject.country) != 3:
        return None
    country = where or subject.country
    return Actor(trig.start, trig.start, country + role, country, role, None, "implied")


def _dui_phrase_head(view: str, source: Actor, trig: Trigger, between: list[Actor]) -> Actor | None:
    """对涉嫌非法集资的犯罪嫌疑人执行逮捕, 对驻扎在边境的政府军发动空袭: the head of a 对-phrase whose
    noun is modified, so 对 does not stand right before it — the last actor after 对, not a place after 在."""
    start = source.end if source.end <= trig.start else trig.start
    k = view.rfind("对", start, trig.start)
    if k < 0 or (k > 0 and view[k - 1] in "反面应针绝相核敌") or any(c in view[k:trig.start] for c in "，,；;。"):
        return None
    # …的X, or X after a list of its titles (对第十九届中央候补委员、江苏省委原副书记张某…立案审查调查)
    # and the country of origin of goods (对原产于美国的进口商品加征关税: 于 here is no place)
    heads = [a for a in between if a.start > k and a.kind != "place"
             and (view[a.start - 1] in "的、" or view.endswith(ORIGIN, 0, a.start))]
    return heads[-1] if heads else None


def _protesters(view: str, s_actors: list[Actor], c_start: int, trig: Trigger) -> Actor | None:
    """多地游行, 首都的大规模游行, 某州游行: a protest that names no protester but where it happens
    is by the civilians of that place (CAMEO codes protesters as CVL)."""
    where = [a for a in s_actors if a.kind in ("place", "country") and a.end <= trig.start
             and a.country and len(a.country) == 3 and a.start >= c_start and trig.start - a.end <= 12]
    if not where:
        return None
    place = where[-1]
    return Actor(place.start, place.end, place.country + "CVL", place.country, "CVL", place.name, "role")


def _embedded(view: str, trig: Trigger, c_end: int, actors: list[Actor]) -> bool:
    """The trigger sits in a modifier (X斡旋Y的努力): '的' follows it within the clause — unless an actor
    heads the noun phrase after it (抓获一名冒充快递员的诈骗嫌疑人: the 的 belongs to the object)."""
    tail = view[trig.end:c_end]
    k = tail.find("的")
    if 0 <= k <= 12 and QUANTITY.match(tail[:k]):
        return False  # 加征34%的关税: the 的 joins a quantity to the object
    if 0 <= k <= 12 and not tail.startswith("的"):
        head = trig.end + k + 1
        return not any(a.start == head for a in actors)
    return "一事" in tail  # 就马英九要求…一事进行回应


def _with_gap_ok(gap: str) -> bool:
    """与X [在索契 / 21日 / 进行了 / 的] 会面 — but not 与X支持下应于28日恢复的日内瓦谈判. A place phrase
    (在喀土穆、达尔富尔地区的法希尔等多地) may be longer and hold a 的 of its own."""
    if gap.startswith(("在", "于")) and len(gap) <= 40 and not any(c in gap for c in "，,；;"):
        return True
    k = gap.find("的")
    return len(gap) <= 24 and (k < 0 or k == len(gap) - 1) and not any(c in gap for c in "，,；;")


def _in_dui_phrase(view: str, actor: Actor, before: list[Actor], state: CodingState) -> bool:
    """对美国总统、国务卿在内的13名美国政要实施制裁: an actor after a 对-phrase's head, in its clause and with no event
    word between them, is inside the phrase (a modifier of its noun), not the clause's subject."""
    for head in before:
        if head.start >= actor.start:
            return False
        if preposition(view, head.start) in ("对", "对于") \
                and not any(c in view[head.end:actor.start] for c in CLAUSE_BREAKS + "。") \
                and not any_between(state.starts, head.end, actor.start):
            return True
    return False
