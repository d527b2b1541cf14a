"""Lexicon curation: people who take part in events but are not in the lexicon yet."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from .document import Actor, Document


@dataclass
class UnknownActor:
    """A name Magpie discovered from its title, with what it saw of it across the corpus."""

    name: str
    count: int = 0
    codes: Counter = field(default_factory=Counter)
    titles: Counter = field(default_factory=Counter)
    first_seen: str | None = None  # earliest event date
    last_seen: str | None = None
    example: str = ""

    @property
    def suggested_code(self) -> str | None:
        return self.codes.most_common(1)[0][0] if self.codes else None

    def as_row(self) -> dict[str, str]:
        """A row in the people.tsv format, ready to review and add with ``--lexicon``."""
        titles = "、".join(t for t, _ in self.titles.most_common(3))
        return {
            "names": self.name,
            "code": self.suggested_code or "",
            "start": (self.first_seen or "")[:4],
            "end": "",
            "en": "",
            "note": f"seen in {self.count} event(s) as {titles or '?'}; e.g. {self.example}",
        }


def unknown_actors(docs: Iterable[Document], min_count: int = 1) -> list[UnknownActor]:
    """People coded in events whose names came from discovery (a title and a name), most frequent first."""
    found: dict[str, UnknownActor] = {}
    for doc in docs:
        for event in doc.events:
            for actor in (event.source, event.target):
                if actor is None:
                    continue
                origin = _origin(actor)
                if not origin.discovered or not origin.name or "某" in origin.name:
                    continue  # 王某, 李某某: an anonymised person is no one to add to a lexicon
                entry = found.setdefault(origin.name, UnknownActor(origin.name))
                entry.count += 1
                if actor.code:
                    entry.codes[actor.code] += 1
                mention = doc.view[origin.start : origin.end]
                if mention.endswith(origin.name) and len(mention) > len(origin.name):
                    entry.titles[mention[: -len(origin.name)]] += 1  # 埃及总统, 美国…大学研究员
                if event.date:
                    entry.first_seen = min(filter(None, (entry.first_seen, event.date)))
                    entry.last_seen = max(filter(None, (entry.last_seen, event.date)))
                if not entry.example:
                    entry.example = doc.text[event.sentence.start : event.sentence.end][:80].replace("\n", " ")
    out = [u for u in found.values() if u.count >= min_count]
    return sorted(out, key=lambda u: (-u.count, u.name))


def _origin(actor: Actor) -> Actor:
    while actor.antecedent is not None:
        actor = actor.antecedent
    return actor
