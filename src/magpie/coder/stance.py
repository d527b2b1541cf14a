"""Stance: a statement that judges another actor's conduct is criticism (CAMEO 111).

News reports disapproval less often with a verb of criticising than with a statement whose words condemn:
外交部发言人表示，X公然违背承诺 (the ministry criticises X), 发言人称，Y的做法是典型的霸凌 (criticises Y).
This stage reads each statement (a speech verb of ``stance.tsv`` after its speaker) and, when its complement
judges conduct as wrong (a ``negative`` word of ``stance.tsv``) and names an actor of another party as the one
who acts, codes speaker → 111 → that actor. A ``critical`` verb (狠斥，X…; 批评称，X…) condemns by itself.
It runs after the event coder and adds nothing where the coder
already found a disapproval (root 11) by the same speaker in the sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from ..document import Actor, DateMention, Document, Event, Mention, Span
from ..lexicon import Lexicon
from .grammar import LOCATIVE, is_subject, preposition
from .placing import home_country, place_role

POLITICAL_ROLES = frozenset({"GOV", "LEG", "OPP", "JUD", "COP", "MIL", "ELI", "PTY", "REB"})
CRITICISE = "111"
CLAUSE_END = re.compile(r"[。！？!?；;]")
CLAUSE_BREAK = re.compile(r"[，,。！？!?；;]")  # a critical verb's complement is the one clause after it


class Stance:
    """Code criticism carried by the complement of a statement (stance.tsv)."""

    name = "stance"

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        words = sorted(lexicon.speech_verbs | lexicon.critical_verbs, key=len, reverse=True)
        # a speech verb closing its speaker's phrase: 表示，/称：/指 + the complement
        self._speech = re.compile("(?:" + "|".join(map(re.escape, words)) + ")(?=[，,：:]|[^，,。]{2})") \
            if words else None
        self._negative = tuple(sorted(lexicon.negative_words, key=len, reverse=True))

    def __call__(self, doc: Document) -> Document:
        if self._speech is None or not self._negative:
            return doc
        view = doc.view
        actors = [a for a in doc.actors if a.code or a.members or a.role or a.discovered]
        starts = [a.start for a in actors]
        added: list[Event] = []
        home = home_country(doc, self.lexicon)
        # (sentence start, country) of the disapprovals the coder found, and the dates, each looked up by sentence
        criticised = {(e.sentence.start, e.source.country) for e in doc.events if e.root == "11"}
        dates = [d for d in doc.dates if d.kind == "event" and len(d.value) == 10]
        date_starts = [d.start for d in dates]
        for sentence in doc.sentences:
            for match in self._speech.finditer(view, sentence.start, sentence.end):
                own = dates[bisect_left(date_starts, sentence.start) : bisect_left(date_starts, match.start())]
                event = self._criticism(doc, sentence, match.start(), match.end(), actors, starts, home,
                                        criticised, own)
                if event is not None:
                    added.append(event)
        if added:
            doc.events = sorted(doc.events + added, key=lambda e: e.trigger.start)
        return doc

    def _criticism(self, doc: Document, sentence: Span, start: int, end: int, actors: list[Actor],
                   starts: list[int], home: str | None, criticised: set[tuple[int, str | None]],
                   own: list[DateMention]) -> Event | None:
        view = doc.view
        window = actors[bisect_left(starts, sentence.start) : bisect_left(starts, sentence.end)]
        speaker = next((a for a in reversed(window) if a.end <= start and start - a.end <= 12
                        and is_subject(view, a, sentence.start) and preposition(view, a.start) not in LOCATIVE
                        and not any(c in view[a.end:start] for c in "，,；;。")), None)
        if speaker is None or not _political(speaker):
            return None
        if not speaker.country:  # 外交部发言人表示: the article's own ministry, or its sovereign's (外交部 in 香港)
            speaker = place_role(speaker, None, home)
            country = self.lexicon.sovereign(view[speaker.start:speaker.end], speaker.country)
            if country and country != speaker.country and speaker.role:
                speaker = Actor(speaker.start, speaker.end, country + speaker.role, country, speaker.role,
                                speaker.name, speaker.kind)
        critical = view[start:end] in self.lexicon.critical_verbs  # 狠斥，X…: the verb itself condemns
        stop = (CLAUSE_BREAK if critical else CLAUSE_END).search(view, end + 1, sentence.end)
        complement_end = stop.start() if stop else sentence.end
        complement = view[end:complement_end]
        if not critical and not any(word in complement for word in self._negative):
            return None
        target = next((a for a in window if end <= a.start < complement_end
                       and preposition(view, a.start) not in LOCATIVE and a.kind != "place"), None)
        if target is None or not target.country or not speaker.country:
            return None
        if target.country == speaker.country and (target.code == speaker.code or not target.role):
            return None  # the speaker's own side
        if (sentence.start, speaker.country) in criticised:
            return None  # a verb of criticising already carries it
        date, basis = (own[-1].value, "sentence") if own else (doc.published, "none")
        return Event(code=CRITICISE, source=speaker, target=target, sentence=sentence, trigger=Span(start, end),
                     date=date, date_basis=basis, date_inferred=doc.published_inferred and basis == "none",
                     mentions=[Mention(sentence, Span(start, end))])


def _political(actor: Actor) -> bool:
    roles = {m.role for m in actor.expand()} if actor.members else {actor.role}
    return bool(roles & POLITICAL_ROLES) or (actor.kind == "country" and not actor.role) \
        or (actor.code or "").startswith("IGO")
