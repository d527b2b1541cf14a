"""The one data model: a Document flows through the pipeline and each stage adds to it.

Every span is a pair of character offsets into ``Document.text`` exactly as given (never a copy
of the text), so evidence can always be sliced from the original.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True, frozen=True)
class Span:
    """A half-open character range ``[start, end)`` in the original text."""

    start: int
    end: int

    def __len__(self) -> int:
        return self.end - self.start

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end


@dataclass(slots=True, frozen=True)
class Removed:
    """A stretch of the original text that cleaning set aside, and why."""

    start: int
    end: int
    reason: str  # site_name | caption | credit | repeated | boilerplate


@dataclass(slots=True)
class Actor:
    """An actor mention: a span of the text and the CAMEO actor it stands for.

    ``code`` is the full CAMEO actor code (``RUSGOV``, ``IGOUNO``); ``country`` its country or IGO
    part and ``role`` its first role. A group mention (俄美两国) carries several members that share
    the span. A pronoun or short name resolved to an earlier mention keeps ``antecedent``.
    """

    start: int
    end: int
    code: str | None
    country: str | None
    role: str | None
    name: str | None
    kind: str  # person | organisation | country | role | place | pronoun | group
    members: list[Actor] = field(default_factory=list)
    antecedent: Actor | None = None
    discovered: bool = False  # a name found from its title, not in the lexicon

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)

    def expand(self) -> list[Actor]:
        """The concrete actors this mention stands for (itself, or the members of a group)."""
        return self.members if self.members else [self]


@dataclass(slots=True, frozen=True)
class DateMention:
    start: int
    end: int
    value: str  # YYYY-MM-DD, YYYY-MM or YYYY
    kind: str  # event | report | range
    relative: bool  # resolved against the publication date (21日, 昨天, 上周三)


@dataclass(slots=True, frozen=True)
class Place:
    name: str
    country: str | None
    lat: float | None
    lon: float | None


@dataclass(slots=True, frozen=True)
class PlaceMention:
    start: int
    end: int
    place: Place
    kind: str  # capital | city | region | landmark | country


@dataclass(slots=True, frozen=True)
class Token:
    """A word found by the learnt lexical layer (tokens.py): offsets into the text and its LAC tag."""

    start: int
    end: int
    tag: str  # n, v, vn, p, PER, LOC, ORG, TIME, w …


@dataclass(slots=True, frozen=True)
class Mention:
    """One place in the text where an event is reported: the sentence and the trigger word."""

    sentence: Span
    trigger: Span


@dataclass(slots=True)
class Event:
    """A coded event: source actor → CAMEO code → target actor, with date, place and evidence."""

    code: str
    source: Actor
    target: Actor | None
    sentence: Span
    trigger: Span
    date: str | None = None
    date_basis: str = "none"  # sentence (its own date) | context (an earlier sentence's) | none (publication, or a
    # nominal back-reference such as 他与巴沙尔的会面, which says nothing about when)
    date_inferred: bool = False  # resolved against an inferred publication date
    planned: bool = False
    place: Place | None = None
    mentions: list[Mention] = field(default_factory=list)

    @property
    def root(self) -> str:
        return self.code[:2]

    @property
    def date_explicit(self) -> bool:
        return self.date_basis == "sentence"


@dataclass(slots=True)
class Document:
    """An article, as read, and everything the pipeline finds in it."""

    id: str
    text: str
    title: str | None = None
    published: str | None = None
    source: str | None = None
    url: str | None = None
    origin: str | None = None  # file (and line) the document came from
    metadata_published: str | None = None  # the date in the page's metadata (HTML), used when nothing better is given
    published_from: str | None = None  # input | option (--published) | metadata (HTML) | text (inferred); None: no date

    # added by the pipeline
    view: str = ""  # Simplified, cleaned view of ``text``: same length, same offsets
    script: str | None = None  # hans | hant | mixed | none
    published_inferred: bool = False
    removed: list[Removed] = field(default_factory=list)
    paragraphs: list[Span] = field(default_factory=list)
    sentences: list[Span] = field(default_factory=list)
    quotes: list[Span] = field(default_factory=list)  # quoted speech “…” (reported, not narrated)
    predicates: list[tuple[int, int, str]] = field(default_factory=list)  # trigger and cue words (start, end, key)
    tokens: list[Token] = field(default_factory=list)  # words of the learnt lexical layer, in text order
    actors: list[Actor] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    def slice(self, span: Span | Actor | Removed) -> str:
        return self.text[span.start : span.end]


@dataclass(slots=True, frozen=True)
class Reject:
    """Input that could not be made into a document, with the reason and where it came from."""

    origin: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.origin}:{self.line}" if self.line is not None else self.origin
        return f"{where}: {self.reason}"
