"""The event record: the one output schema (``schema/event.schema.json``)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

from ..document import Actor, Document, Event
from ..lexicon import Lexicon
from ..normalise import to_simplified

MemberNames = dict[tuple[int, int, str | None], str]


def _role_title(doc: Document, group: Actor, lexicon: Lexicon) -> str | None:
    """The role word a group mention ends with (总统 in 俄美两国总统), in the Simplified view."""
    view = doc.view or doc.text
    for size in range(min(6, group.end - group.start), 0, -1):
        word = view[group.end - size : group.end]
        if any(e.kind == "role" for e in lexicon.entities.get(word, ())):
            return word
    return None


def member_names(doc: Document, lexicon: Lexicon) -> MemberNames:
    """Names for the members of group mentions that have none, keyed by (start, end, code) of the member.

    A group mention (俄美两国总统, 美俄, 二人 standing for one) stands for several actors with no name of
    their own. A member takes the name the text gives its actor: the one person the document names with the
    member's code (普京 for RUSGOV), or, when it names several, the one whose mention carries the group's
    title (俄罗斯总统普京 for 俄美两国总统; 外长拉夫罗夫 is not the president). A member with no role stands
    for its country and takes the country's lexicon name (美俄 → 美国, 俄罗斯). A pronoun or group whose
    antecedent is such a member takes the same name. Otherwise the member keeps no name.
    """
    view = doc.view or doc.text
    people: dict[str, dict[str, list[Actor]]] = {}  # code -> name -> its mentions
    for actor in doc.actors:
        for one in actor.expand():
            if one.kind == "person" and one.name and one.code:
                people.setdefault(one.code, {}).setdefault(one.name, []).append(one)
    found: MemberNames = {}
    resolved: dict[int, str] = {}  # id(member) -> name
    for group in doc.actors:
        if group.kind != "group":
            continue
        title = None
        for member in group.members:
            if member.name or not member.code:
                continue
            name: str | None = None
            if member.role is None and member.code in lexicon.countries:
                names = lexicon.countries[member.code].names
                name = to_simplified(names[0]) if names else None
            else:
                candidates = people.get(member.code, {})
                if len(candidates) > 1:
                    title = title or _role_title(doc, group, lexicon)
                    candidates = {n: ms for n, ms in candidates.items()
                                  if title and any(title in view[m.start : m.end] for m in ms)}
                if len(candidates) == 1:
                    name = next(iter(candidates))
            if name:
                found[(member.start, member.end, member.code)] = name
                resolved[id(member)] = name
    for actor in doc.actors:  # 二人, 双方, 他 resolved to a member of a group
        for one in actor.expand():
            if one.name is None and one.antecedent is not None and id(one.antecedent) in resolved:
                found[(one.start, one.end, one.code)] = resolved[id(one.antecedent)]
    return found


def _actor(doc: Document, actor: Actor | None, names: MemberNames | None = None) -> dict[str, Any] | None:
    if actor is None:
        return None
    name = actor.name
    if name is None and names:
        name = names.get((actor.start, actor.end, actor.code))
    return {
        "code": actor.code,
        "country": actor.country,
        "role": actor.role,
        "name": name,
        "text": doc.text[actor.start : actor.end],
        "start": actor.start,
        "end": actor.end,
    }


def event_id(doc: Document, event: Event) -> str:
    key = "|".join(str(x) for x in (doc.id, event.code, event.source.code, event.target.code if event.target
                                     else "", event.date, event.sentence.start, event.trigger.start))
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def event_record(doc: Document, event: Event, lexicon: Lexicon,
                 names: MemberNames | None = None) -> dict[str, Any]:
    """The record of one event; ``names``: :func:`member_names` of the document (computed when not given)."""
    info = lexicon.event_info(event.code)
    if names is None:
        names = member_names(doc, lexicon)
    return {
        "doc_id": doc.id,
        "event_id": event_id(doc, event),
        "date": event.date,
        "date_inferred": event.date_inferred,
        "code": event.code,
        "root_code": event.code[:2],
        "quad_class": info.quad_class,
        "goldstein": info.goldstein,
        "plover": {"event": info.plover_event, "mode": info.plover_mode},
        "planned": event.planned,
        "source": _actor(doc, event.source, names),
        "target": _actor(doc, event.target, names),
        "place": None if event.place is None else {
            "name": event.place.name, "country": event.place.country,
            "lat": event.place.lat, "lon": event.place.lon,
        },
        "evidence": {
            "sentence": doc.text[event.sentence.start : event.sentence.end],
            "start": event.sentence.start,
            "end": event.sentence.end,
            "trigger": {"text": doc.text[event.trigger.start : event.trigger.end],
                        "start": event.trigger.start, "end": event.trigger.end},
        },
        "num_mentions": len(event.mentions),
        "mentions": [
            {"sentence": doc.text[m.sentence.start : m.sentence.end], "start": m.sentence.start,
             "end": m.sentence.end, "trigger": {"text": doc.text[m.trigger.start : m.trigger.end],
                                                "start": m.trigger.start, "end": m.trigger.end}}
            for m in event.mentions
        ],
    }


def records(doc: Document, lexicon: Lexicon) -> Iterator[dict[str, Any]]:
    names = member_names(doc, lexicon) if doc.events else {}
    for event in doc.events:
        yield event_record(doc, event, lexicon, names)


def document_record(doc: Document) -> dict[str, Any]:
    """What Magpie made of one document: dates, script, what cleaning removed, how many events."""
    return {
        "doc_id": doc.id,
        "origin": doc.origin,
        "title": doc.title,
        "published": doc.published,
        "published_inferred": doc.published_inferred,
        "published_from": doc.published_from,
        "script": doc.script,
        "chars": len(doc.text),
        "removed": [{"start": r.start, "end": r.end, "reason": r.reason, "text": doc.text[r.start : r.end]}
                    for r in doc.removed],
        "sentences": len(doc.sentences),
        "actors": len(doc.actors),
        "events": len(doc.events),
    }
