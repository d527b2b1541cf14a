"""What the coding of one document's triggers shares: the trigger type and the per-document state."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from ..document import Actor, Event
from ..lexicon import Verb

# reactions whose target may be the actor of the event just reported (中方对此表示反对, 日方就此提出抗议)
REACTION_ROOTS = frozenset({"01", "02", "10", "11", "12", "13", "16"})


@dataclass
class Trigger:
    start: int
    end: int
    verb: Verb


@dataclass
class CodingState:
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


def next_start(state: CodingState, trig: Trigger) -> int:
    """Where the next trigger after ``trig`` begins (the end of the text if none does)."""
    k = bisect_right(state.starts, trig.start)
    return state.starts[k] if k < len(state.starts) else len(state.view)


def any_between(values: list[int], low: int, high: int) -> bool:
    """Whether some value of the sorted ``values`` lies in ``[low, high)``."""
    k = bisect_left(values, low)
    return k < len(values) and values[k] < high
