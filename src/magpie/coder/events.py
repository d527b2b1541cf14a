"""Event coding: predicate triggers, their source and target actors, modality, date and place."""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from operator import attrgetter, itemgetter

from ..document import Actor, DateMention, Document, Event, Mention, Place, Span, Token
from ..lexicon import CJK_COUNTRIES, Lexicon, Verb
from .grammar import (
    BA,
    CLAUSE_BREAKS,
    INSTRUMENTAL,
    LOCATIVE,
    NEGATION_GAP,
    PASSIVE,
    TO,
    WITH,
    clause_bounds,
    is_modifier,
    is_nominal,
    is_relative,
    is_subject,
    is_topic,
    preposition,
)
from .tokens import NOUN_TAGS, VERB_TAGS

CLAUSE_OPENERS = set("，,；;：:。！？!?“”\"' \u3000\n")  # what stands before a clause's first word
NEG_WINDOW = 12  # characters before a trigger in which a negation cue may negate it (see _negates)
ALLEGED_WINDOW = 2  # 涉嫌袭警 but not 涉嫌受贿被逮捕 (nor 涉嫌受贿被提起公诉: the passive is what happened)
ARMED_ROLES = ("MIL", "REB", "UAF", "SPY", "INS")  # armed forces, rebels, militias, agents
AUTHORITY_ROLES = ("COP", "JUD")  # police, prosecutors and courts (rules.tsv by_authority)
PRIVATE_ROLES = ("CVL", "CRM", "BUS")  # people and firms: two of the same role are still two parties
ACCOUNT_ROLES = ("MED", "CVL", "EDU")  # witnesses, media and experts: what they say happened is their account
# …but a news report, a report to the police or an official notice states the incident (报道称, 报警称, 发文称)
STATES_THE_INCIDENT = ("报道", "报导", "报警", "报案", "发文", "通报", "公告", "发布")
# roots in which a country named as the source acts through its government: statements, appeals, intents,
# consultations, cooperation, aid, yielding, investigation, demands, disapproval, rejection, threats and reducing
# relations (not protests, force postures, coercion or violence, which are coded by whoever the text names)
GOVERNMENT_SOURCE_ROOTS = frozenset({"01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13",
                                     "16"})
FRONTED = 2  # a date starting this close to the sentence's start opens it and dates its main clause
ORIGIN = ("原产于", "产于", "产自")  # the country of origin of goods
# reactions whose target may be the actor of the event just reported (中方对此表示反对, 日方就此提出抗议)
REACTION_ROOTS = frozenset({"01", "02", "10", "11", "12", "13", "16"})
REACTION_ANAPHOR = re.compile("对此|就此")
_CN = "[\\d一二三四五六七八九十]"
DATE_MODIFIER = re.compile(rf"(?:{_CN}{{1,2}}月(?:{_CN}{{1,3}}[日号])?)?(?:份|初|底|中旬|下旬|上旬)?的")  # 去年7月的
QUANTITY = re.compile(r"[\d.,%％一二三四五六七八九十百千万亿两]+(?:[%％倍个项名批架艘次]|美元|元|人民币)?$")
APPEAL_ROOTS = frozenset({"02", "10"})  # appeals and demands: what they ask of others is not a reported act
DEFENDANT_TITLES = ("被告人", "被告", "犯罪嫌疑人", "嫌疑人", "嫌犯", "疑犯", "罪犯", "被执行人")
DATELINE_AFTER = re.compile(r"(?:\d{1,2}日)?(?:报道|报导|电|讯|专电|特电)")  # a place that files the report
CASE_COUNT = re.compile(r"[一二两三四五六七八九十几数多\d]+起$")
VERB_OBJECT_CASE = set("归到立报破结办作犯审备销翻投判断查定")  # 归案, 立案, 报案: verb + 案, not a case noun
VISITING = re.compile(r"(正在\S{0,12}访问|到访|来访|访华|访问的|应邀)")
_start = attrgetter("start")
_first = itemgetter(0)


@dataclass
class _Trigger:
    start: int
    end: int
    verb: Verb


class Events:
    """Find event triggers and code each with its actors."""

    name = "events"

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self._future = tuple(w for w, kind in lexicon.cues.items() if kind == "future")
        speech = sorted(lexicon.speech_verbs, key=len, reverse=True)
        self._speech = re.compile("(?:" + "|".join(map(re.escape, speech)) + ")(?=[，,：:])") if speech else None
        self._future_re = re.compile("(?:" + "|".join(re.escape(w) for w in sorted(self._future, key=len, reverse=True))
                                     + ")$") if self._future else re.compile("(?!)")

    def __call__(self, doc: Document) -> Document:
        view = doc.view
        triggers: list[_Trigger] = []
        starts: list[int] = []
        cues: list[tuple[int, int, str]] = []
        if not doc.predicates:
            doc.predicates = list(self.lexicon.find_predicates(view))
        for start, end, key in doc.predicates:
            verb = self.lexicon.verbs.get(key)
            if verb is not None:
                if verb.code != "-":
                    triggers.append(_Trigger(start, end, verb))
                    starts.append(start)
            elif key in self.lexicon.cues:
                cues.append((start, end, self.lexicon.cues[key]))
        events: list[Event] = []
        home = _home(doc, self.lexicon)
        cjk_home = home if home in CJK_COUNTRIES else ("CHN" if doc.script in ("hans", "mixed") else home)
        state = _State(starts=starts, home=home, cjk_home=cjk_home,
                       verb_ends=frozenset(end for _, end, _ in doc.predicates), actors=doc.actors, view=view,
                       trigger_ends=[t.end for t in triggers], coded=events,
                       reactions=[t.start for t in triggers if t.verb.code[:2] in REACTION_ROOTS])
        last_subject: Actor | None = None
        token_starts = [t.start for t in doc.tokens]
        last_paragraph = -1
        context_date: DateMention | None = None
        actors = [a for a in doc.actors if a.code or a.members or a.role or a.discovered or a.kind == "place"]
        actor_starts = [a.start for a in actors]
        dates = [d for d in doc.dates if d.kind == "event"]
        date_starts = [d.start for d in dates]
        cue_starts = [start for start, _, _ in cues]
        quote_starts = [q.start for q in doc.quotes]  # quotes are in text order
        quote_reach = list(itertools.accumulate((q.end for q in doc.quotes), max))  # the furthest end so far
        t_index = 0
        paragraph = 0
        for sentence in doc.sentences:
            first_event = len(events)  # the events of this sentence are the ones coded from here on
            while paragraph < len(doc.paragraphs) and doc.paragraphs[paragraph].end < sentence.end:
                paragraph += 1
            if paragraph != last_paragraph:
                last_paragraph, last_subject = paragraph, None if paragraph - last_paragraph > 1 else last_subject
            window = actors[bisect_left(actor_starts, sentence.start) : bisect_left(actor_starts, sentence.end)]
            s_actors = [a for a in window if a.end <= sentence.end]
            s_dates = dates[bisect_left(date_starts, sentence.start) : bisect_left(date_starts, sentence.end)]
            # a cue governs a trigger of its own sentence only
            s_cues = cues[bisect_left(cue_starts, sentence.start) : bisect_left(cue_starts, sentence.end)]
            s_quotes = doc.quotes[bisect_right(quote_reach, sentence.start) : bisect_left(quote_starts, sentence.end)]
            while t_index < len(triggers) and triggers[t_index].start < sentence.start:
                t_index += 1
            s_triggers = []
            while t_index < len(triggers) and triggers[t_index].end <= sentence.end:
                s_triggers.append(triggers[t_index])
                t_index += 1
            subject = next((a for a in s_actors if is_subject(view, a, sentence.start) and _usable(a, view)), None)
            s_starts = [a.start for a in s_actors]
            s_starts_set = set(s_starts)
            for trig in s_triggers:
                k = bisect_right(s_starts, trig.start) - 1
                if k >= 0 and any(trig.end <= a.end and a.end - a.start > trig.end - trig.start
                                  for a in s_actors[max(0, k - 2) : k + 1]):
                    continue  # 示威 inside 示威者: part of an actor's name
                if _charge_name(view, trig):
                    continue  # 以故意杀人、故意伤害等罪名: the names of offences, not events
                if _inside(trig.start, s_quotes) or _in_title_marks(view, trig.start, sentence.start) \
                        or is_nominal(view, trig.start, trig.end) or _case_noun(view, trig) \
                        or (trig.verb.trigger.startswith(("被", "遭")) and trig.end in s_starts_set):
                    # (被捕民主派人士, 被拘男子: a passive right before a person names them, it reports no arrest)
                    continue
                if doc.tokens and _governed_noun(view, doc.tokens, token_starts, trig, sentence.start,
                                                 self.lexicon, s_actors):
                    continue  # 警方将集会定性为暴乱: an event noun in another verb's object is not its subject's act
                if trig.verb.code == "010" and _light_verb(view, trig, s_triggers):
                    continue  # 表示强烈不满: the stance after 表示 is the event
                previous = next((e for e in reversed(events[first_event:]) if e.sentence == sentence), None)
                if previous is not None and previous.code.startswith("116") and trig.verb.code[:2] == "17" \
                        and not any(previous.trigger.end <= a.start < trig.start and a.role in AUTHORITY_ROLES
                                    for a in s_actors):
                    continue  # 判处无期徒刑，并处没收个人全部财产: the penalties are the sentence's, not new acts
                made = self._code(doc, state, sentence, trig, s_actors, s_cues, s_dates, context_date, last_subject,
                                  previous)
                events.extend(made)
            if subject is not None:
                last_subject = subject
            explicit = [e for e in events[first_event:] if e.date_explicit and e.sentence == sentence
                        and not e.planned]
            past = [d for d in s_dates if not self._future_re.search(view, max(0, d.start - 4), d.start)]
            if explicit:
                context_date = DateMention(sentence.start, sentence.start, explicit[-1].date or "", "event", False)
            elif past:
                context_date = past[-1]
        doc.events = events
        return doc

    # -------------------------------------------------------------- one trigger
    def _code(self, doc: Document, state: _State, sentence: Span, trig: _Trigger, s_actors: list[Actor],
              cues: list[tuple[int, int, str]], s_dates: list[DateMention],
              context_date: DateMention | None, last_subject: Actor | None,
              previous: Event | None = None) -> list[Event]:
        view = doc.view
        c_start, c_end = clause_bounds(view, trig.start, trig.end, sentence.start, sentence.end)
        planned = False
        for start, end, kind in cues:
            if kind == "conditional" and sentence.start <= start and end <= trig.start \
                    and sum(view.count(c, end, trig.start) for c in "，,；;") <= 1:
                return []  # 如果港府拒绝，检方将起诉: the condition and the clause of its consequence
            if end > trig.start or start < c_start:
                continue
            if kind == "negation" and trig.start - end <= NEG_WINDOW \
                    and _negates(view, end, trig.start, s_actors):
                return []
            if kind == "alleged" and not view.startswith(("被", "遭"), trig.start) \
                    and (trig.start - end <= ALLEGED_WINDOW or _coordinated(view, end, trig.start)) \
                    and "被" not in view[end:trig.start]:
                return []  # 涉嫌袭警: the offence a suspect is accused of, not a reported event
            if kind == "hypothetical" and start >= sentence.start:
                return []
            if kind == "habitual" and trig.start - end <= NEG_WINDOW and _negates(view, end, trig.start, s_actors):
                return []  # 美国一直警告朝鮮…, 多次表示: a habit or a record, no event on a day
            if kind == "future" and not _object_marker(view, doc.tokens, start, end, trig, s_actors):
                planned = True
        modal = not planned and bool(doc.tokens) and _modal_future(view, doc.tokens, c_start, trig,
                                                                  self.lexicon.modal_verbs, state.starts)
        planned = planned or modal  # 检察官会在两个月内提出起诉: 会 before the verb is what will happen
        source, targets = self._arguments(view, state, sentence, c_start, c_end, trig, s_actors, last_subject)
        if previous is not None and not targets and trig.verb.frame == "with" and previous.target is not None \
                and not any(c_start <= a.start < c_end for a in s_actors):
            # 普京与萨勒曼通电话，围绕…交换了意见: a later clause without its own actors shares the first one's
            source, targets = previous.source, [previous.target]
        if source is None or _object_noun(view, trig, source, state):
            return []
        if trig.verb.code[:2] == "01":  # 他向BBC表示, 使馆告诉总台记者: the medium relays a statement, no one's party
            targets = [t for t in targets if t.role != "MED"]
        if source.role in self.lexicon.rule(trig.verb.code).not_by:
            source, targets = self._undergoer(view, state, trig, source, targets, s_actors, c_start)
            if source is None:
                return []
        if not targets and trig.verb.code[:2] in REACTION_ROOTS and REACTION_ANAPHOR.search(view, c_start, trig.start):
            # 中方对此表示坚决反对: 对此 is the event just reported; the reaction is aimed at its actor
            done = next((e for e in reversed(state.coded) if e.source.country and source.country
                         and e.source.country != source.country and e.trigger.start < trig.start), None)
            if done is not None:
                targets = [done.source]
        k = bisect_right(state.speakers, trig.start, key=_first) - 1  # speakers are in text order
        speaker = state.speakers[k][1] if k >= 0 and state.speakers[k][0] >= sentence.start else None
        speaker_country = (speaker.country or state.home) if speaker is not None else None
        if speaker is not None and source.country and speaker_country and source.country != speaker_country:
            return []  # 普京对特朗普说，巴沙尔证实…: what another actor did, in someone's words, is not coded
        k = bisect_right(state.appeals, trig.start, key=_first) - 1
        appealer = state.appeals[k][1] if k >= 0 and state.appeals[k][0] >= sentence.start else None
        appeal_end = state.appeals[k][0] if appealer is not None else 0
        if appealer is not None and appeal_end <= trig.start \
                and not any(c in view[appeal_end:trig.start] for c in CLAUSE_BREAKS + "。"):
            return []  # 要求其尽快调查袭击事件: what the demand asks, in its own clause, has not been done
        if appealer is not None and source.code != appealer.code and not any(source is m for m in appealer.expand()) \
                and ((source.start >= appeal_end and not any(c in view[appeal_end:source.start] for c in CLAUSE_BREAKS))
                     or source.end <= appeal_end <= c_start):  # (呼吁人民勿接受政变，要挺身抗议: its addressee's)
            return []  # 全民盟呼吁人民勿接受政变，要挺身抗议: what an appeal or a demand asks of its addressee has
            # not happened (网民要求民阵申请游行后，民阵回应…: a later clause with its own subject has)
        if self.lexicon.rule(trig.verb.code).reporting:
            state.speakers.append((trig.end, source))
            if trig.verb.code[:2] in APPEAL_ROOTS:
                state.appeals.append((trig.end, source))
        witness = self._account_by(view, sentence, trig, s_actors)
        if witness is not None and witness.role in ACCOUNT_ROLES and source is not witness \
                and not any(source is m for m in witness.expand()):
            return []  # 据目击者称，凶徒要求司机…; 《华盛顿邮报》形容…: an account by a witness or a medium
        date, basis = self._date(doc, sentence, c_start, trig, s_dates, context_date)
        explicit = basis == "sentence"
        if planned and not explicit:
            date = self._scheduled_date(doc, sentence) or date
        if not explicit and _back_reference(view, trig):
            basis = "none"
        if date and doc.published and len(date) == 10 and len(doc.published) == 10 and date > doc.published:
            planned = True
        code = trig.verb.code
        if code == "040" and VISITING.search(view[trig.end:c_end]):
            code = "043"
        planned_as = self.lexicon.rule(code).planned_as
        if planned and planned_as == "-":
            return []  # 将要求港府…: a demand or a criticism announced for later has not been made (rules.tsv)
        if planned and planned_as:
            code = planned_as
            if date and doc.published and date > doc.published:
                # 他10日宣布，将自11月1日起加征关税: a threat or an intent is dated when it is announced
                said = [d for d in s_dates if d.end <= trig.start and d.kind == "event" and len(d.value) == 10
                        and d.value <= doc.published]
                date, basis = (said[-1].value, "sentence") if said else (doc.published, "none")
        elif modal and code[:2] >= "09":
            return []  # 检察官会在两个月内提出起诉: a prediction in someone's words; CAMEO has no intent to arrest
        place = self._place(doc, c_start, c_end, trig)
        events = []
        pairs: list[tuple[Actor, Actor | None]] = []
        sources = source.expand()
        if targets:
            pairs = [(s, t) for s in sources for t in targets]
        elif len(sources) > 1 and trig.verb.frame == "with":
            pairs = [(a, b) for k, a in enumerate(sources) for b in sources[k + 1:]]
        elif len(sources) > 1 and view.endswith(("互相", "相互", "彼此"), 0, trig.start):
            # 双方互相指责: each accuses the other
            pairs = [(a, b) for a in sources for b in sources if a is not b]
        elif (trig.verb.frame == "none" and not self.lexicon.rule(code).needs_target) or trig.verb.optional_target:
            pairs = [(s, None) for s in sources]
        elif not self.lexicon.rule(code).needs_target and not _existential(view, trig):
            # 武装分子制造三起袭击事件: force with no target named, by those who bear arms
            pairs = [(s, None) for s in sources if _armed(s)]
        home = state.home
        domestic = code[:2] >= "05"  # statements and meetings need actors the text places itself
        resolved = []
        for src, tgt in pairs:
            src, tgt = _homed(src, state), _homed(tgt, state) if tgt is not None else None
            if domestic:  # 香港警方拘捕了示威者: an unplaced role takes its counterpart's, the place's or the article's
                fallback = (place.country if place and place.country else None) or home
                if code[:2] == "15" and tgt is not None and fallback == tgt.country and home:
                    fallback = home  # 海军在台岛东部海域演习: a show of force staged at its target is the home side's
                violent = code[:2] >= "18"
                src = _placed(src, tgt, fallback, violent)
                if tgt is not None and code[:2] >= "09":  # a bare title as a target (总统选举) is no one
                    placed = _placed(tgt, src, fallback, violent)
                    tgt = placed if placed is tgt or placed.code != src.code \
                        or _distinct_party(placed, src) else tgt
            if tgt is not None:
                tgt = _as_defendant(self._national(tgt, view), view)
            resolved.append((self._national(src, view), tgt))
        implied_target = self.lexicon.rule(code).implied_target
        for src, tgt in resolved:
            if not _has_country(src) or (tgt is not None and not _has_country(tgt)):
                continue
            if tgt is None and implied_target:
                tgt = _implied_target(view, implied_target, src, s_actors, c_start, c_end, trig)
            # in diplomacy and verbal conflict a country acts through its government (美国谴责…); as a target
            # a country stays whole (the annotation conventions differ), except the host of a visit
            # (对朝鲜进行访问 is received by its government)
            if code[:2] in GOVERNMENT_SOURCE_ROOTS:
                src = _as_government(src)
            if tgt is not None and code.startswith("042") and tgt.country != src.country:
                tgt = _as_government(tgt)
            if tgt is not None and ((src.code == tgt.code and src.name == tgt.name) or src is tgt):
                continue
            if tgt is not None and src.code == tgt.code and src.kind != "person" \
                    and not _distinct_party(tgt, src):
                continue  # 美方…美方 is no event; 前夫起诉女子 (two civilians), 纪委监委对副市长周永强立案 are
            if tgt is not None and _firm(src) and _firm(tgt) and not self.lexicon.rule(code).between_firms:
                continue  # 收购, 战略合作, 签约 between companies is business, not politics (rules.tsv)
            if tgt is not None and tgt.country == src.country and not tgt.role and tgt.kind in ("country", "place"):
                continue  # a government acting on its own country as a whole is no event
            by_authority = self.lexicon.rule(code).by_authority
            events.append(Event(
                code=by_authority if by_authority and src.role in AUTHORITY_ROLES else code, source=src,
                target=tgt, sentence=sentence, trigger=Span(trig.start, trig.end),
                date=date, date_basis=basis,
                date_inferred=bool(date) and doc.published_inferred and not _absolute(date, s_dates, explicit),
                planned=planned, place=place, mentions=[Mention(sentence, Span(trig.start, trig.end))],
            ))
        return events

    def _undergoer(self, view: str, state: _State, trig: _Trigger, source: Actor, targets: list[Actor],
                   s_actors: list[Actor], c_start: int) -> tuple[Actor | None, list[Actor]]:
        """The actor read as the source has a role that cannot do the act (rules.tsv ``not_by``): suspects do not
        arrest, the police do not march. With no target and an agent the rule implies, the actor is the one the
        act is done to (将7名犯罪嫌疑人成功抓获: the police arrest them); a protest is by the civilians of its
        place (警方因游行经过车站而反对: the march is not the police's); else the act is not the actor's."""
        rule = self.lexicon.rule(trig.verb.code)
        if not targets and rule.implied_agent:
            undergoer = _placed(_homed(source, state), None, state.home)
            agent = _named_agent(state, rule.implied_agent, trig, undergoer) or \
                _implied_agent(rule.implied_agent, trig, undergoer)
            return (agent, undergoer.expand()) if agent is not None else (None, [])
        if trig.verb.code[:2] == "14":
            return _protesters(view, s_actors, c_start, trig), []
        return None, []

    def _account_by(self, view: str, sentence: Span, trig: _Trigger, s_actors: list[Actor]) -> Actor | None:
        """The speaker of the statement (stance.tsv speech verbs: 称, 表示, 形容) whose complement holds the
        trigger, when one stands earlier in the sentence."""
        if self._speech is None:
            return None
        found = None
        for match in self._speech.finditer(view, sentence.start, trig.start):
            found = match
        if found is None or found.end() > trig.start or view.endswith(STATES_THE_INCIDENT, 0, found.start()):
            return None  # 群众报警称, 网站报道称: a report or a notice states the incident
        return next((a for a in reversed(s_actors) if a.end <= found.start() and found.start() - a.end <= 12
                     and not any(c in view[a.end:found.start()] for c in "，,；;。")), None)

    def _national(self, actor: Actor, view: str) -> Actor:
        """外交部 in a Hong Kong report is China's: a national body placed in a territory is the sovereign's."""
        if actor.kind not in ("role", "person") or not actor.role:
            return actor
        country = self.lexicon.sovereign(view[actor.start:actor.end], actor.country)
        if country == actor.country or country is None:
            return actor
        return Actor(actor.start, actor.end, country + actor.role, country, actor.role, actor.name, actor.kind,
                     antecedent=actor.antecedent, discovered=actor.discovered)

    def _arguments(self, view: str, state: _State, sentence: Span, c_start: int, c_end: int, trig: _Trigger,
                   s_actors: list[Actor], last_subject: Actor | None) -> tuple[Actor | None, list[Actor]]:
        before = [a for a in s_actors if a.end <= trig.start and _usable(a, view)]
        after = [a for a in s_actors if a.start >= trig.end and a.start < c_end and _usable(a, view)
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
                    agent = _placed(subject, undergoer, state.home)
                    undergoer = _placed(_homed(undergoer, state), agent, state.home)
                    return (agent, [undergoer]) if agent.country and undergoer.country else (None, [])
                subject = last_subject  # 殴打接警员被拘留: the officer is the object of another verb
            if subject is not None and not subject.country:
                subject = _placed(_homed(subject, state), None, state.home)
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
                and trig.verb.code[:2] not in REACTION_ROOTS and _any_between(state.reactions, trig.end, c_end):
            # 对美军空袭伊拉克境内目标提出抗议: the actor of a 对-phrase right before an event word, with the
            # clause's own reaction still to come, is the subject of that event
            stop = _next_start(state, trig)
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
            if len(in_clause) > 1 and _any_between(state.starts, in_clause[0].end, in_clause[-1].start) \
                    and not any(in_clause[0].end <= a.start < in_clause[-1].start
                                and preposition(view, a.start) in ("对", "对于") for a in before):
                # 中方反对美方对台军售: 美方 is the subject of the embedded verb (but in 中方对美方制裁中国企业
                # 提出抗议 the embedded clause is inside the 对-phrase: the outer verb is 中方's)
                source = in_clause[-1]
            tos = [a for a in before if a.start >= c_start and preposition(view, a.start) in TO
                   and not view.endswith("、", 0, a.start)]  # (a later item of a 、-list is no 对-phrase of its own)
            if len(tos) >= 2 and source is not None and source.end <= tos[0].start:
                if _any_between(state.starts, tos[-1].end, trig.start):
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
                    target = _placed(_homed(objects[0], state), None, state.home)
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
        return source, target.expand() if target is not None else []

    def _date(self, doc: Document, sentence: Span, c_start: int, trig: _Trigger,
              s_dates: list[DateMention], context_date: DateMention | None) -> tuple[str | None, str]:
        # the clause's own date; a day named in an earlier clause of the sentence carries on, and so does a date
        # that opens the sentence (2016年3月，…会见…), but a bare year or month inside another clause is
        # background (在2019年的冲突之后，…昨日宣布: the event is dated by its own clause, or the report)
        # (a date before 的 modifies a noun, 去年7月的初选, 2014年的冲突: it dates that, not this event)
        s_dates = [d for d in s_dates if not DATE_MODIFIER.match(doc.view, d.end)]
        before = [d for d in s_dates if d.end <= trig.start]
        in_clause = [d for d in before if d.start >= c_start]
        before = [d for d in before if len(d.value) == 10 or d.start - sentence.start <= FRONTED]
        after = [d for d in s_dates if d.start >= trig.end and d.end <= _clause_end(doc.view, trig.end, sentence.end)]
        chosen = (in_clause or before or after or [None])[-1 if (in_clause or before) else 0]
        published = doc.published or ""
        if chosen is not None and len(chosen.value) < 10 and len(published) == 10 \
                and published.startswith(chosen.value):
            return published, "none"  # 今年…, 2024年首个工作日: a year or month holding the report's day
        if chosen is not None:
            return chosen.value, "sentence"
        if context_date is not None and len(context_date.value) == 10 \
                and not (len(published) == 10 and context_date.value > published):
            return context_date.value, "context"  # (not a day after the report's: 须于下周三前交出… is a deadline)
        return doc.published, "none"

    def _scheduled_date(self, doc: Document, sentence: Span) -> str | None:
        """A plan reported without a date is often dated by the next sentence (三边会谈定于22日举行)."""
        # sentences and dates are in text order: the next sentence and its dates are found by bisect
        k = bisect_left(doc.sentences, sentence.end, key=_start)
        later = doc.sentences[k : k + 1]
        for nxt in later:
            for d in doc.dates[bisect_left(doc.dates, nxt.start, key=_start) : bisect_left(doc.dates, nxt.end,
                                                                                         key=_start)]:
                if nxt.start <= d.start < nxt.end and d.kind == "event" \
                        and self._future_re.search(doc.view, nxt.start, d.start):
                    return d.value
        return None

    def _place(self, doc: Document, c_start: int, c_end: int, trig: _Trigger) -> Place | None:
        # the places are in text order (as the actors stage finds them): the clause's are found by bisect
        places = doc.places
        in_clause = places[bisect_left(places, c_start, key=_start) : bisect_left(places, c_end, key=_start)]
        located = [p for p in in_clause if p.end <= trig.start and preposition(doc.view, p.start) in LOCATIVE]
        if located:
            return located[-1].place
        if trig.verb.code.startswith("042"):
            after = [p for p in in_clause if p.start >= trig.end]
            if after:
                return after[0].place
        return None


NAMED_AGENT_REACH = 80  # characters either side of a trigger in which a named police or court is its agent


def _named_agent(state: _State, role: str | None, trig: _Trigger, undergoer: Actor | None) -> Actor | None:
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
    placed = _placed(agent, undergoer, state.home)
    if undergoer.country and placed.country and placed.country != undergoer.country:
        return None
    return placed if placed.country else None


def _implied_agent(role: str | None, trig: _Trigger, subject: Actor | None, where: str | None = None) -> Actor | None:
    """Who does it when the text does not say (rules.tsv): an arrest is the police's, a sentence the courts' —
    of the country where it happened (``where``), else of the one it happened to."""
    if role is None or subject is None or not subject.country or len(subject.country) != 3:
        return None
    country = where or subject.country
    return Actor(trig.start, trig.start, country + role, country, role, None, "implied")


@dataclass
class _State:
    """Per-document facts the coding of each trigger consults."""

    starts: list[int]  # where every trigger begins
    home: str | None  # the article's home country
    cjk_home: str | None = None  # the home of a Chinese-style name: the home if it is CJK, else CHN for Simplified
    speakers: list[tuple[int, Actor]] = field(default_factory=list)  # (end of a speech verb, its speaker)
    verb_ends: frozenset[int] = frozenset()  # where every predicate or cue word ends
    trigger_ends: list[int] = field(default_factory=list)  # where every event trigger ends
    reactions: list[int] = field(default_factory=list)  # where every trigger of a reaction (REACTION_ROOTS) begins
    appeals: list[tuple[int, Actor]] = field(default_factory=list)  # (end of an appeal or demand, who makes it)
    actors: list[Actor] = field(default_factory=list)  # the document's actors
    view: str = ""
    coded: list[Event] = field(default_factory=list)  # the events coded so far, in text order


def _home(doc: Document, lexicon: Lexicon) -> str | None:
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


def _homed(actor: Actor, state: _State) -> Actor:
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


def _placed(actor: Actor, other: Actor | None, fallback: str | None, violent: bool = False) -> Actor:
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


def _case_noun(view: str, trig: _Trigger) -> bool:
    """连胜文枪击案嫌犯: an event noun (…案, …事件) names a case, unless something happens to it (发生枪击案)."""
    word = trig.verb.trigger
    if not word.endswith(("案", "案件", "事件")) or (word.endswith("案") and word[-2:-1] in VERB_OBJECT_CASE):
        return False  # 抓获归案, 依法立案: 案 is the object of a verb, the word is a predicate
    return not view.endswith(("发生", "制造", "发动", "策划", "遭遇", "遭到", "发生了", "制造了"), 0,
                             _before_count(view, trig))


def _back_reference(view: str, trig: _Trigger) -> bool:
    """他与巴沙尔的会面, 会晤的情况: the event named as a noun, referring back to one reported elsewhere."""
    return view.endswith("的", 0, trig.start) or view.startswith(("的情况", "的结果", "的成果", "的内容"), trig.end)


def _clause_end(view: str, start: int, limit: int) -> int:
    ends = [p for c in "，,；;：:" if (p := view.find(c, start, limit)) >= 0]
    return min(ends) if ends else limit


def _usable(actor: Actor, view: str) -> bool:
    """Places are actors only as capitals used for their government (莫斯科表示), never after 在/赴."""
    origin = actor.kind == "country" and view.endswith(ORIGIN, 0, actor.start)  # 原产于美国的商品: a party
    if preposition(view, actor.start) in LOCATIVE and not origin:
        return False
    if actor.kind in ("place", "country") and DATELINE_AFTER.match(view, actor.end):
        return False  # 台北报道, 北京25日电: where the report was filed
    return bool(actor.code or actor.members or actor.role or actor.discovered)


def _negates(view: str, end: int, start: int, actors: list[Actor]) -> bool:
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


def _dui_phrase_head(view: str, source: Actor, trig: _Trigger, between: list[Actor]) -> Actor | None:
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


def _protesters(view: str, s_actors: list[Actor], c_start: int, trig: _Trigger) -> Actor | None:
    """多地游行, 首都的大规模游行, 某州游行: a protest that names no protester but where it happens
    is by the civilians of that place (CAMEO codes protesters as CVL)."""
    where = [a for a in s_actors if a.kind in ("place", "country") and a.end <= trig.start
             and a.country and len(a.country) == 3 and a.start >= c_start and trig.start - a.end <= 12]
    if not where:
        return None
    place = where[-1]
    return Actor(place.start, place.end, place.country + "CVL", place.country, "CVL", place.name, "role")


def _object_noun(view: str, trig: _Trigger, source: Actor, state: _State) -> bool:
    """谴责针对平民的袭击: the trigger is a noun (after 的) inside the object of another verb, whose subject is
    not its agent. (他与巴沙尔的会面 keeps its agent: no verb stands between 他 and the noun.)"""
    if not view.endswith("的", 0, trig.start) or source.end > trig.start:
        return False
    return _any_between(state.trigger_ends, source.end, trig.start - 1)


def _light_verb(view: str, trig: _Trigger, s_triggers: list[_Trigger]) -> bool:
    """表示强烈不满, 表示欢迎: 表示 only carries the stance named right after it."""
    nxt = next((t for t in s_triggers if t.start >= trig.end), None)
    return nxt is not None and nxt.start - trig.end <= 4 \
        and not any(c in view[trig.end:nxt.start] for c in "，,。；;：:")


def _coordinated(view: str, end: int, start: int) -> bool:
    """涉嫌参与非法集结及袭警: the trigger is the last of a list of offences that 涉嫌 governs."""
    gap = view[end:start]
    return len(gap) <= 12 and gap.endswith(("及", "和", "、", "与", "以及")) \
        and not any(c in gap for c in "被遭，,。；;：:")


def _armed(actor: Actor) -> bool:
    """Armed forces or an armed group: their force needs no named target to be an event (a bare country
    does: 阿根廷…爆发冲突 in a match report is sport)."""
    return actor.role in ARMED_ROLES or (actor.code or "").startswith("IMG")


def _existential(view: str, trig: _Trigger) -> bool:
    """美国加州一家超市发生枪击事件: 发生 makes the subject the place where it happened, not who did it."""
    return view.endswith(("发生", "发生了", "爆发", "爆发了", "出现", "传出"), 0, _before_count(view, trig))


def _before_count(view: str, trig: _Trigger) -> int:
    """Where the verb before an event noun ends: 制造三起袭击事件 — the count stands between."""
    count = CASE_COUNT.search(view, max(0, trig.start - 4), trig.start)
    return count.start() if count else trig.start


def _distinct_party(other: Actor, actor: Actor) -> bool:
    """Of one code, still another party: people and firms by another name (前夫起诉女子), or a named person
    (纪委监委对副市长…立案)."""
    return (other.role in PRIVATE_ROLES or actor.role in PRIVATE_ROLES or other.kind == "person") \
        and other.name != actor.name


def _firm(actor: Actor) -> bool:
    return actor.role == "BUS" or (actor.code or "").startswith("MNC") or \
        (bool(actor.members) and all(_firm(m) for m in actor.members))


def _has_country(actor: Actor) -> bool:
    return bool(actor.country)


def _inside(position: int, spans: list[Span]) -> bool:
    return any(s.start <= position < s.end for s in spans)


def _in_title_marks(view: str, position: int, start: int) -> bool:
    """A trigger inside 《…》 is part of a title (of a treaty, a book, a newspaper)."""
    opened = view.rfind("《", start, position)
    return opened >= 0 and view.rfind("》", opened, position) < 0


def _embedded(view: str, trig: _Trigger, c_end: int, actors: list[Actor]) -> bool:
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


def _absolute(date: str, s_dates: list[DateMention], explicit: bool) -> bool:
    return explicit and any(d.value == date and not d.relative for d in s_dates)


def _governed_noun(view: str, tokens: list[Token], starts: list[int], trig: _Trigger, floor: int,
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


def _implied_target(view: str, role: str, source: Actor, s_actors: list[Actor], c_start: int, c_end: int,
                    trig: _Trigger) -> Actor | None:
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


def _as_government(actor: Actor) -> Actor:
    """A country named as a whole (美国, 俄方 without a role) as its government (USAGOV)."""
    if actor.kind != "country" or actor.role or not actor.country or len(actor.country) != 3:
        return actor
    return Actor(actor.start, actor.end, actor.country + "GOV", actor.country, "GOV", actor.name, actor.kind,
                 antecedent=actor.antecedent)


def _modal_future(view: str, tokens: list[Token], c_start: int, trig: _Trigger, modals: frozenset[str],
                  trigger_starts: list[int]) -> bool:
    """A modal of the future (会, 将会: support.tsv kind modal) read as a word of its own in the trigger's
    clause, with no other trigger between it and this one (会见 and 社会 are other words, so never match)."""
    for k in range(bisect_left(tokens, c_start, key=_start), len(tokens)):  # no copy of the list's tail
        token = tokens[k]
        if token.start >= trig.start:
            return False
        if view[token.start:token.end] in modals and token.tag in ("v", "vd", "d") \
                and not _any_between(trigger_starts, token.end, trig.start):
            return True
    return False


# the two placing rules, for the stages after this one (stance.py)
home_country = _home
place_role = _placed


def _object_marker(view: str, tokens: list[Token], start: int, end: int, trig: _Trigger,
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


def _as_defendant(actor: Actor, view: str) -> Actor:
    """被告人孙某, 犯罪嫌疑人王某: a person named with the title of a defendant is acted on as a criminal suspect
    (CRM), whatever office the lexicon knows them by."""
    if actor.kind != "person" or not actor.country or actor.role == "CRM" \
            or not view.startswith(DEFENDANT_TITLES, actor.start):
        return actor
    return Actor(actor.start, actor.end, actor.country + "CRM", actor.country, "CRM", actor.name, actor.kind,
                 antecedent=actor.antecedent, discovered=actor.discovered)


def _next_start(state: _State, trig: _Trigger) -> int:
    """Where the next trigger after ``trig`` begins (the end of the text if none does)."""
    k = bisect_right(state.starts, trig.start)
    return state.starts[k] if k < len(state.starts) else len(state.view)


def _in_dui_phrase(view: str, actor: Actor, before: list[Actor], state: _State) -> bool:
    """对美国总统、国务卿在内的13名美国政要实施制裁: an actor after a 对-phrase's head, in its clause and with no event
    word between them, is inside the phrase (a modifier of its noun), not the clause's subject."""
    for head in before:
        if head.start >= actor.start:
            return False
        if preposition(view, head.start) in ("对", "对于") \
                and not any(c in view[head.end:actor.start] for c in CLAUSE_BREAKS + "。") \
                and not _any_between(state.starts, head.end, actor.start):
            return True
    return False


def _any_between(values: list[int], low: int, high: int) -> bool:
    """Whether some value of the sorted ``values`` lies in ``[low, high)``."""
    k = bisect_left(values, low)
    return k < len(values) and values[k] < high


def _charge_name(view: str, trig: _Trigger) -> bool:
    """故意杀人、故意伤害等暴力犯罪, 非法拘禁罪: an offence named as a charge (故意/非法 before it, 罪 or a list of
    offences after it) is no event of its own."""
    if not (view.endswith(("故意", "非法"), 0, trig.start) or view.startswith(("故意", "非法"), trig.start)):
        return False
    return view.startswith(("罪", "、", "等", "和", "及"), trig.end)
