"""In-document coreference: 后者 / 前者 / 双方 / 他 / 该国 take the actor(s) they refer to."""

from __future__ import annotations

from bisect import bisect_left

from ..document import Actor, Document
from .grammar import LOCATIVE, is_subject, preposition

OFFICIAL_ROLES = {"GOV", "MIL", "LEG", "JUD", "COP", "OPP"}  # whom a spokesperson's 我们 stands for
PEOPLE_ROLES = {"CVL", "CRM", "BUS", "EDU", "MED", "LAB", "REF"}  # private people a 他 / 其 may stand for


class Coreference:
    """Resolve pronoun mentions, reading the article in order."""

    name = "coreference"

    def __call__(self, doc: Document) -> Document:
        history: list[Actor] = []  # resolved concrete actors, in text order
        subjects: list[Actor] = []  # sentence subjects that are people
        sentence_index = 0
        sentences = doc.sentences
        first_in_sentence: set[int] = set()
        starts = [a.start for a in doc.actors]
        for sentence in sentences:
            for actor in doc.actors[bisect_left(starts, sentence.start) : bisect_left(starts, sentence.end)]:
                if actor.kind != "pronoun" and is_subject(doc.view, actor, sentence.start):
                    first_in_sentence.add(id(actor))
                    break
        recent = _Recent()
        for actor in doc.actors:
            while sentence_index < len(sentences) and sentences[sentence_index].end <= actor.start:
                sentence_index += 1
            if actor.kind == "pronoun":
                self._resolve(actor, history, subjects, recent)
            if (actor.code or actor.members) and actor.kind != "place" and preposition(doc.view, actor.start) \
                    not in LOCATIVE:
                for a in actor.expand():
                    if a.country:
                        history.append(a)
                        recent.add(a, subject=id(actor) in first_in_sentence)
                if id(actor) in first_in_sentence and actor.kind == "person":
                    subjects.append(actor)
            elif id(actor) in first_in_sentence and actor.kind in ("person", "role") and actor.role in PEOPLE_ROLES:
                subjects.append(actor)  # 男子偷手机…民警将其抓获: people of domestic news, placed later
            elif actor.kind == "person" and actor.discovered:
                recent.person = actor  # 总经理王某涉嫌受贿，检察机关对其提起公诉: a named person, placed later
        return doc

    @staticmethod
    def _resolve(actor: Actor, history: list[Actor], subjects: list[Actor], recent: _Recent) -> None:
        kind = actor.name
        target: Actor | None = None
        if kind == "latter" and history:
            target = history[-1]
        elif kind == "former":
            target = recent.other  # the latest actor of another country than the last one's
        elif kind == "person":
            target = subjects[-1] if subjects else recent.person
        elif kind == "speaker":
            target = recent.official  # 发言人表示，…，我们予以强烈谴责: "we" is the body the official speaks for
        elif kind == "country" and history:
            last = history[-1]
            actor.code, actor.country = last.country, last.country
            actor.antecedent = last
            return
        elif kind == "pair":
            pair = _distinct(reversed(history[-12:]), 2)
            if len(pair) == 2:
                actor.members = [
                    Actor(actor.start, actor.end, a.code, a.country, a.role, a.name, a.kind, antecedent=a)
                    for a in reversed(pair)
                ]
                actor.kind = "group"
            return
        if target is not None:
            actor.code, actor.country, actor.role = target.code, target.country, target.role
            actor.antecedent = target
            actor.kind = target.kind if target.kind in ("person", "role") else "pronoun"
            actor.name = target.name
            actor.discovered = target.discovered


class _Recent:
    """What the pronouns look back for in the history of actors, kept up to date as it grows (a look back over
    the whole history for each pronoun would cost time quadratic in the article's length): the latest person,
    the latest official body or officer that opened a sentence, and the latest actor whose country differs
    from the last actor's."""

    def __init__(self) -> None:
        self.last: Actor | None = None
        self.other: Actor | None = None
        self.person: Actor | None = None
        self.official: Actor | None = None

    def add(self, actor: Actor, subject: bool = False) -> None:
        if subject and actor.role in OFFICIAL_ROLES and actor.kind in ("person", "role", "organisation"):
            self.official = actor  # an official who opens a sentence: the one who speaks
        if self.last is not None and actor.country != self.last.country:
            self.other = self.last
        self.last = actor
        if actor.kind == "person":
            self.person = actor


def _distinct(actors, count: int) -> list[Actor]:
    out: list[Actor] = []
    seen: set[str] = set()
    for actor in actors:
        if actor.country and actor.country not in seen:
            seen.add(actor.country)
            out.append(actor)
            if len(out) == count:
                break
    return out
