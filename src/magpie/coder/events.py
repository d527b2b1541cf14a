"""Event coding: the trigger loop and its filters, and the coding of one trigger — modality, its actors
(arguments.py), their countries (placing.py), its date (event_dates.py) and place."""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right
from operator import attrgetter, itemgetter

from ..document import Actor, DateMention, Document, Event, Mention, Place, Span
from ..lexicon import CJK_COUNTRIES, Lexicon
from .arguments import Arguments
from .event_dates import EventDates, absolute
from .grammar import CLAUSE_BREAKS, LOCATIVE, clause_bounds, is_nominal, is_subject, preposition
from .placing import (
    as_defendant,
    as_government,
    distinct_party,
    has_country,
    home_country,
    homed,
    implied_target_actor,
    is_armed,
    is_firm,
    place_role,
    usable,
)
from .state import REACTION_ROOTS, CodingState, Trigger
from .triggers import (
    NEG_WINDOW,
    back_reference,
    case_noun,
    charge_name,
    coordinated,
    existential,
    governed_noun,
    in_title_marks,
    inside,
    light_verb,
    modal_future,
    negates,
    object_marker,
    object_noun,
)

ALLEGED_WINDOW = 2  # 涉嫌袭警 but not 涉嫌受贿被逮捕 (nor 涉嫌受贿被提起公诉: the passive is what happened)
AUTHORITY_ROLES = ("COP", "JUD")  # police, prosecutors and courts (rules.tsv by_authority)
ACCOUNT_ROLES = ("MED", "CVL", "EDU")  # witnesses, media and experts: what they say happened is their account
# …but a news report, a report to the police or an official notice states the incident (报道称, 报警称, 发文称)
STATES_THE_INCIDENT = ("报道", "报导", "报警", "报案", "发文", "通报", "公告", "发布")
# roots in which a country named as the source acts through its government: statements, appeals, intents,
# consultations, cooperation, aid, yielding, investigation, demands, disapproval, rejection, threats and reducing
# relations (not protests, force postures, coercion or violence, which are coded by whoever the text names)
GOVERNMENT_SOURCE_ROOTS = frozenset({"01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13",
                                     "16"})
REACTION_ANAPHOR = re.compile("对此|就此")
APPEAL_ROOTS = frozenset({"02", "10"})  # appeals and demands: what they ask of others is not a reported act
VISITING = re.compile(r"(正在\S{0,12}访问|到访|来访|访华|访问的|应邀)")
_start = attrgetter("start")
_first = itemgetter(0)


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
        self._arguments = Arguments(lexicon)
        self._dates = EventDates(self._future_re)

    def __call__(self, doc: Document) -> Document:
        view = doc.view
        triggers: list[Trigger] = []
        starts: list[int] = []
        cues: list[tuple[int, int, str]] = []
        if not doc.predicates:
            doc.predicates = list(self.lexicon.find_predicates(view))
        for start, end, key in doc.predicates:
            verb = self.lexicon.verbs.get(key)
            if verb is not None:
                if verb.code != "-":
                    triggers.append(Trigger(start, end, verb))
                    starts.append(start)
            elif key in self.lexicon.cues:
                cues.append((start, end, self.lexicon.cues[key]))
        events: list[Event] = []
        home = home_country(doc, self.lexicon)
        cjk_home = home if home in CJK_COUNTRIES else ("CHN" if doc.script in ("hans", "mixed") else home)
        state = CodingState(starts=starts, home=home, cjk_home=cjk_home,
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
            subject = next((a for a in s_actors if is_subject(view, a, sentence.start) and usable(a, view)), None)
            s_starts = [a.start for a in s_actors]
            s_starts_set = set(s_starts)
            for trig in s_triggers:
                k = bisect_right(s_starts, trig.start) - 1
                if k >= 0 and any(trig.end <= a.end and a.end - a.start > trig.end - trig.start
                                  for a in s_actors[max(0, k - 2) : k + 1]):
                    continue  # 示威 inside 示威者: part of an actor's name
                if charge_name(view, trig):
                    continue  # 以故意杀人、故意伤害等罪名: the names of offences, not events
                if inside(trig.start, s_quotes) or in_title_marks(view, trig.start, sentence.start) \
                        or is_nominal(view, trig.start, trig.end) or case_noun(view, trig) \
                        or (trig.verb.trigger.startswith(("被", "遭")) and trig.end in s_starts_set):
                    # (被捕民主派人士, 被拘男子: a passive right before a person names them, it reports no arrest)
                    continue
                if doc.tokens and governed_noun(view, doc.tokens, token_starts, trig, sentence.start,
                                                self.lexicon, s_actors):
                    continue  # 警方将集会定性为暴乱: an event noun in another verb's object is not its subject's act
                if trig.verb.code == "010" and light_verb(view, trig, s_triggers):
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
    def _code(self, doc: Document, state: CodingState, sentence: Span, trig: Trigger, s_actors: list[Actor],
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
                    and negates(view, end, trig.start, s_actors):
                return []
            if kind == "alleged" and not view.startswith(("被", "遭"), trig.start) \
                    and (trig.start - end <= ALLEGED_WINDOW or coordinated(view, end, trig.start)) \
                    and "被" not in view[end:trig.start]:
                return []  # 涉嫌袭警: the offence a suspect is accused of, not a reported event
            if kind == "hypothetical" and start >= sentence.start:
                return []
            if kind == "habitual" and trig.start - end <= NEG_WINDOW and negates(view, end, trig.start, s_actors):
                return []  # 美国一直警告朝鮮…, 多次表示: a habit or a record, no event on a day
            if kind == "future" and not object_marker(view, doc.tokens, start, end, trig, s_actors):
                planned = True
        modal = not planned and bool(doc.tokens) and modal_future(view, doc.tokens, c_start, trig,
                                                                  self.lexicon.modal_verbs, state.starts)
        planned = planned or modal  # 检察官会在两个月内提出起诉: 会 before the verb is what will happen
        source, targets = self._arguments(view, state, sentence, c_start, c_end, trig, s_actors, last_subject)
        if previous is not None and not targets and trig.verb.frame == "with" and previous.target is not None \
                and not any(c_start <= a.start < c_end for a in s_actors):
            # 普京与萨勒曼通电话，围绕…交换了意见: a later clause without its own actors shares the first one's
            source, targets = previous.source, [previous.target]
        if source is None or object_noun(view, trig, source, state):
            return []
        if trig.verb.code[:2] == "01":  # 他向BBC表示, 使馆告诉总台记者: the medium relays a statement, no one's party
            targets = [t for t in targets if t.role != "MED"]
        if source.role in self.lexicon.rule(trig.verb.code).not_by:
            source, targets = self._arguments.undergoer(view, state, trig, source, targets, s_actors, c_start)
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
        date, basis = self._dates.date(doc, sentence, c_start, trig, s_dates, context_date)
        explicit = basis == "sentence"
        if planned and not explicit:
            date = self._dates.scheduled(doc, sentence) or date
        if not explicit and back_reference(view, trig):
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
        elif not self.lexicon.rule(code).needs_target and not existential(view, trig):
            # 武装分子制造三起袭击事件: force with no target named, by those who bear arms
            pairs = [(s, None) for s in sources if is_armed(s)]
        home = state.home
        domestic = code[:2] >= "05"  # statements and meetings need actors the text places itself
        resolved = []
        for src, tgt in pairs:
            src, tgt = homed(src, state), homed(tgt, state) if tgt is not None else None
            if domestic:  # 香港警方拘捕了示威者: an unplaced role takes its counterpart's, the place's or the article's
                fallback = (place.country if place and place.country else None) or home
                if code[:2] == "15" and tgt is not None and fallback == tgt.country and home:
                    fallback = home  # 海军在台岛东部海域演习: a show of force staged at its target is the home side's
                violent = code[:2] >= "18"
                src = place_role(src, tgt, fallback, violent)
                if tgt is not None and code[:2] >= "09":  # a bare title as a target (总统选举) is no one
                    placed = place_role(tgt, src, fallback, violent)
                    tgt = placed if placed is tgt or placed.code != src.code \
                        or distinct_party(placed, src) else tgt
            if tgt is not None:
                tgt = as_defendant(self._national(tgt, view), view)
            resolved.append((self._national(src, view), tgt))
        implied_target = self.lexicon.rule(code).implied_target
        for src, tgt in resolved:
            if not has_country(src) or (tgt is not None and not has_country(tgt)):
                continue
            if tgt is None and implied_target:
                tgt = implied_target_actor(view, implied_target, src, s_actors, c_start, c_end, trig)
            # in diplomacy and verbal conflict a country acts through its government (美国谴责…); as a target
            # a country stays whole (the annotation conventions differ), except the host of a visit
            # (对朝鲜进行访问 is received by its government)
            if code[:2] in GOVERNMENT_SOURCE_ROOTS:
                src = as_government(src)
            if tgt is not None and code.startswith("042") and tgt.country != src.country:
                tgt = as_government(tgt)
            if tgt is not None and ((src.code == tgt.code and src.name == tgt.name) or src is tgt):
                continue
            if tgt is not None and src.code == tgt.code and src.kind != "person" \
                    and not distinct_party(tgt, src):
                continue  # 美方…美方 is no event; 前夫起诉女子 (two civilians), 纪委监委对副市长周永强立案 are
            if tgt is not None and is_firm(src) and is_firm(tgt) and not self.lexicon.rule(code).between_firms:
                continue  # 收购, 战略合作, 签约 between companies is business, not politics (rules.tsv)
            if tgt is not None and tgt.country == src.country and not tgt.role and tgt.kind in ("country", "place"):
                continue  # a government acting on its own country as a whole is no event
            by_authority = self.lexicon.rule(code).by_authority
            events.append(Event(
                code=by_authority if by_authority and src.role in AUTHORITY_ROLES else code, source=src,
                target=tgt, sentence=sentence, trigger=Span(trig.start, trig.end),
                date=date, date_basis=basis,
                date_inferred=bool(date) and doc.published_inferred and not absolute(date, s_dates, explicit),
                planned=planned, place=place, mentions=[Mention(sentence, Span(trig.start, trig.end))],
            ))
        return events

    def _account_by(self, view: str, sentence: Span, trig: Trigger, s_actors: list[Actor]) -> Actor | None:
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

    def _place(self, doc: Document, c_start: int, c_end: int, trig: Trigger) -> Place | None:
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
