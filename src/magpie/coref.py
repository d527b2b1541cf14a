"""In-document coreference: 后者 / 前者 / 双方 / 他 / 该国 take the actor(s) they refer to."""

from __future__ import annotations

from bisect import bisect_left

from .document import Actor, Document
from .grammar import LOCATIVE, is_subject, preposition

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
        for actor in doc.actors:
            while sentence_index < len(sentences) and sentences[sentence_index].end <= actor.start:
                sentence_index += 1
            if actor.kind == "pronoun":
                self._resolve(actor, history, subjects)
            if (actor.code or actor.members) and actor.kind != "place" and preposition(doc.view, actor.start) \
                    not in LOCATIVE:
                history.extend(a for a in actor.expand() if a.country)
                if id(actor) in first_in_sentence and actor.kind == "person":
                    subjects.append(actor)
            elif id(actor) in first_in_sentence and actor.kind in ("person", "role") and actor.role in PEOPLE_ROLES:
                subjects.append(actor)  # 男子偷手机…民警将其抓获: people of domestic news, placed later
        return doc

    @staticmethod
    def _resolve(actor: Actor, history: list[Actor], subjects: list[Actor]) -> None:
        kind = actor.name
        target: Actor | None = None
        if kind == "latter" and history:
            target = history[-1]
        elif kind == "former":
            distinct = _distinct(reversed(history), 2)
            target = distinct[1] if len(distinct) > 1 else None
        elif kind == "person":
            target = subjects[-1] if subjects else next(
                (a for a in reversed(history) if a.kind == "person"), None)
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
