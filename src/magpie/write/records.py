"""The event record: the one output schema (``schema/event.schema.json``)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

from ..document import Actor, Document, Event
from ..lexicon import Lexicon


def _actor(doc: Document, actor: Actor | None) -> dict[str, Any] | None:
    if actor is None:
        return None
    return {
        "code": actor.code,
        "country": actor.country,
        "role": actor.role,
        "name": actor.name,
        "text": doc.text[actor.start : actor.end],
        "start": actor.start,
        "end": actor.end,
    }


def event_id(doc: Document, event: Event) -> str:
    key = "|".join(str(x) for x in (doc.id, event.code, event.source.code, event.target.code if event.target
                                     else "", event.date, event.sentence.start, event.trigger.start))
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def event_record(doc: Document, event: Event, lexicon: Lexicon) -> dict[str, Any]:
    info = lexicon.event_info(event.code)
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
        "source": _actor(doc, event.source),
        "target": _actor(doc, event.target),
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
    for event in doc.events:
        yield event_record(doc, event, lexicon)


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
