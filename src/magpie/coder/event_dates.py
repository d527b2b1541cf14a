"""The date of an event: its clause's own date, a date that opens the sentence, the context's, or the
report's; a plan reported without one is dated by the next sentence."""

from __future__ import annotations

import re
from bisect import bisect_left
from operator import attrgetter

from ..document import DateMention, Document, Span
from .state import Trigger

_CN = "[\\d一二三四五六七八九十]"
DATE_MODIFIER = re.compile(rf"(?:{_CN}{{1,2}}月(?:{_CN}{{1,3}}[日号])?)?(?:份|初|底|中旬|下旬|上旬)?的")  # 去年7月的
FRONTED = 2  # a date starting this close to the sentence's start opens it and dates its main clause
_start = attrgetter("start")


class EventDates:
    """Date a trigger; ``future_re`` matches a future cue ending where a date begins."""

    def __init__(self, future_re: re.Pattern[str]) -> None:
        self._future_re = future_re

    def date(self, doc: Document, sentence: Span, c_start: int, trig: Trigger,
             s_dates: list[DateMention], context_date: DateMention | None) -> tuple[str | None, str]:
        # the clause's own date; a day named in an earlier clause of the sentence carries on, and so does a date
        # that opens the sentence (2016年3月，…会见…), but a bare year or month inside another clause is
        # background (在2019年的冲突之后，…昨日宣布: the event is dated by its own clause, or the report)
        # (a date before 的 modifies a noun, 去年7月的初选, 2014年的冲突: it dates that, not this event)
        s_dates = [d for d in s_dates if not DATE_MODIFIER.match(doc.view, d.end)]
        before = [d for d in s_dates if d.end <= trig.start]
        in_clause = [d for d in before if d.start >= c_start]
        before = [d for d in before if len(d.value) == 10 or d.start - sentence.start <= FRONTED]
        after = [d for d in s_dates if d.start >= trig.end and d.end <= clause_end(doc.view, trig.end, sentence.end)]
        chosen = (in_clause or before or after or [None])[-1 if (in_clause or before) else 0]
        published = doc.published or ""
        if chosen is not None and len(chosen.value) < 10 and len(published) == 10 \
                and published.startswith(chosen.value):
            return published, "none"  # 今年…, 2024年首个工作日: a year or month holding the report's day
        if chosen is not None:
            return chosen.value, "sentence"
        if context_date is not None and len(context_date.value) == 10 \
                and not (len(published) == 10 and context_date.value > published):
            return context_date.value, "context"  # (not a day after the report's: 须于下周三前交出… is a deadline)
        return doc.published, "none"

    def scheduled(self, doc: Document, sentence: Span) -> str | None:
        """A plan reported without a date is often dated by the next sentence (三边会谈定于22日举行)."""
        # sentences and dates are in text order: the next sentence and its dates are found by bisect
        k = bisect_left(doc.sentences, sentence.end, key=_start)
        later = doc.sentences[k : k + 1]
        for nxt in later:
            for d in doc.dates[bisect_left(doc.dates, nxt.start, key=_start) : bisect_left(doc.dates, nxt.end,
                                                                                         key=_start)]:
                if nxt.start <= d.start < nxt.end and d.kind == "event" \
                        and self._future_re.search(doc.view, nxt.start, d.start):
                    return d.value
        return None


def clause_end(view: str, start: int, limit: int) -> int:
    ends = [p for c in "，,；;：:" if (p := view.find(c, start, limit)) >= 0]
    return min(ends) if ends else limit


def absolute(date: str, s_dates: list[DateMention], explicit: bool) -> bool:
    return explicit and any(d.value == date and not d.relative for d in s_dates)
