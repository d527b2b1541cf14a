"""The document page's text: the original article cut into segments, each knowing what covers it.

Events' mention sentences, their triggers, the actors' mentions and what cleaning removed overlap
freely; :func:`segments` cuts the text at every boundary so that each segment carries the set of
events whose mentions cover it and its other marks. The template escapes every segment's text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any


@dataclass
class Segment:
    text: str
    start: int
    events: list[int] = field(default_factory=list)  # indexes of the document's events whose mentions cover it
    evidence: list[int] = field(default_factory=list)  # … whose evidence (clearest mention) covers it
    trigger: list[int] = field(default_factory=list)  # … whose trigger covers it
    actor: list[int] = field(default_factory=list)  # … whose source or target mention covers it
    removed: str | None = None  # why cleaning set it aside

    @property
    def classes(self) -> str:
        names = []
        if self.evidence:
            names.append("evidence")
        elif self.events:
            names.append("mention")
        if self.trigger:
            names.append("trigger")
        if self.actor:
            names.append("actor")
        if self.removed:
            names.append("removed")
        return " ".join(names)

    @property
    def marked(self) -> bool:
        return bool(self.events or self.trigger or self.actor)


def _clip(start: Any, end: Any, length: int) -> tuple[int, int] | None:
    if not isinstance(start, int) or not isinstance(end, int):
        return None
    start, end = max(0, min(start, length)), max(0, min(end, length))
    return (start, end) if end > start else None


def segments(text: str, events: list[dict[str, Any]], removed: list[dict[str, Any]]) -> list[Segment]:
    """Cut ``text`` at every mention, trigger, actor and removed boundary (offsets out of range are clipped)."""
    n = len(text)
    spans: list[tuple[int, int, str, Any]] = []
    for index, event in enumerate(events):
        for mention in event.get("mentions") or []:
            span = _clip(mention.get("start"), mention.get("end"), n)
            if span:
                spans.append((*span, "evidence" if mention.get("is_evidence") else "events", index))
            trigger = mention.get("trigger") or {}
            span = _clip(trigger.get("start"), trigger.get("end"), n)
            if span:
                spans.append((*span, "trigger", index))
        for side in ("source", "target"):
            actor = event.get(side) or {}
            span = _clip(actor.get("start"), actor.get("end"), n)
            if span:
                spans.append((*span, "actor", index))
    for item in removed:
        span = _clip(item.get("start"), item.get("end"), n)
        if span:
            spans.append((*span, "removed", item.get("reason") or "removed"))
    cuts = sorted({0, n, *(s for s, _, _, _ in spans), *(e for _, e, _, _ in spans)})
    result: list[Segment] = []
    for start, end in pairwise(cuts):
        segment = Segment(text[start:end], start)
        for s, e, kind, value in spans:
            if s <= start and end <= e:
                if kind == "removed":
                    segment.removed = value
                else:
                    target: list[int] = getattr(segment, kind)
                    if value not in target:
                        target.append(value)
                    if kind == "evidence" and value not in segment.events:
                        segment.events.append(value)
        for values in (segment.events, segment.evidence, segment.trigger, segment.actor):
            values.sort()
        result.append(segment)
    return result
