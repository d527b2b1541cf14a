"""The GDELT 2.0 Mentions table and an ICEWS-style event table.

**Mentions** (``magpie export --format mentions``): one row per mention of a merged event in an
article, the 16 tab-separated columns of GDELT 2.0's mentions files in order, no header:

=============================  =================================================================================
``GLOBALEVENTID``              the merged event (the ``GlobalEventID`` of the GDELT events export)
``EventTimeDate``              the event's DATEADDED (YYYYMMDDHHMMSS, UTC)
``MentionTimeDate``            when the article was stored (its ingest run, YYYYMMDDHHMMSS, UTC)
``MentionType``                1 (web: the article has a URL) or 2 (citation only: the document id)
``MentionSourceName``          the article's source, else its URL's host
``MentionIdentifier``          the URL, else the document id
``SentenceID``                 the mention's sentence in the article, from 1
``Actor1CharOffset`` …         character offsets in the article of the source actor, the target actor (-1 when
``Actor2CharOffset``           not in this mention, as in GDELT) and the trigger word (``ActionCharOffset``)
``InRawText``                  1 when both actors are named in the mention's own sentence, 0 when one of them comes
                               from coreference or another sentence
``Confidence``                 empty: Magpie's rules give no probability (GDELT: a percentage)
``MentionDocLen``              the article's length in characters
``MentionDocTone``, …          empty (no tone; the text is coded as written, untranslated)
=============================  =================================================================================

**ICEWS** (``--format icews``): the columns of ICEWS's coded event files, tab-separated, with a header;
names and countries in English where the lexicon has them.
"""

from __future__ import annotations

import bisect
import re
from collections import OrderedDict
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ..english import english_name
from ..store.query import Filters, where

if TYPE_CHECKING:
    from ..store import Store

MENTION_COLUMNS = (
    "GLOBALEVENTID", "EventTimeDate", "MentionTimeDate", "MentionType", "MentionSourceName", "MentionIdentifier",
    "SentenceID", "Actor1CharOffset", "Actor2CharOffset", "ActionCharOffset", "InRawText", "Confidence",
    "MentionDocLen", "MentionDocTone", "MentionDocTranslationInfo", "Extras",
)
ICEWS_COLUMNS = (
    "Event ID", "Event Date", "Source Name", "Source Sectors", "Source Country", "Event Text", "CAMEO Code",
    "Intensity", "Target Name", "Target Sectors", "Target Country", "Story ID", "Sentence Number", "Publisher",
    "City", "District", "Province", "Country", "Latitude", "Longitude",
)
_SENTENCE_END = re.compile(r"[。！？!?]+[”’」』\"']*|\n\s*\n")

SELECT_MENTIONS = """
SELECT m.event_key, e.date_added, r.started, d.url, d.source, d.id, m.sentence_start, m.sentence_end,
       m.trigger_start, m.is_evidence, de.source_start, de.target_start, d.chars, d.doc_key
FROM mentions m JOIN events e ON e.event_key = m.event_key JOIN documents d ON d.doc_key = m.doc_key
JOIN doc_events de ON de.doc_event_key = m.doc_event_key LEFT JOIN runs r ON r.run_key = d.run_key
WHERE m.event_key IN (SELECT e.event_key FROM events e{clause} ORDER BY e.event_key{limit})
ORDER BY m.event_key, m.mention_key
"""


class SentenceNumbers:
    """Sentence numbers (from 1) of offsets in stored articles: ends of sentences and paragraphs counted."""

    def __init__(self, store: Store, keep: int = 256) -> None:
        self.store, self.keep = store, keep
        self._ends: OrderedDict[str, list[int]] = OrderedDict()

    def __call__(self, doc_id: str, offset: int) -> int:
        ends = self._ends.get(doc_id)
        if ends is None:
            row = self.store.conn.execute("SELECT text FROM documents WHERE id = ?", (doc_id,)).fetchone()
            ends = [m.end() for m in _SENTENCE_END.finditer(row[0] if row else "")]
            self._ends[doc_id] = ends
            if len(self._ends) > self.keep:
                self._ends.popitem(last=False)
        else:
            self._ends.move_to_end(doc_id)
        return bisect.bisect_right(ends, offset) + 1


def _stamp(iso: str | None) -> str:
    return re.sub(r"\D", "", iso or "")[:14]


def _source(source: str | None, url: str | None) -> str:
    return source or (urlsplit(url).hostname or "" if url else "")


def mention_rows(store: Store, filters: dict[str, Any]) -> Iterator[list[str]]:
    """The 16 GDELT Mentions fields (strings) of every mention of the merged events matching ``filters``."""
    spec = Filters.make(**filters)
    clause, params = where(spec, store.fts)
    limit = f" LIMIT {int(spec.limit)}" if spec.limit is not None else ""
    sentence = SentenceNumbers(store)
    cursor = store.conn.execute(SELECT_MENTIONS.format(clause=clause, limit=limit), params)
    while rows := cursor.fetchmany(500):
        for (key, added, started, url, source, doc_id, s_start, s_end, t_start, is_evidence, a1, a2, chars,
             _) in rows:
            if not is_evidence:  # the actors' offsets are stored for the evidence mention only
                a1 = a2 = None
            in_raw = a1 is not None and s_start <= a1 < s_end and (a2 is None or s_start <= a2 < s_end)
            yield [str(key), added or "", _stamp(started), "1" if url else "2", _source(source, url), url or doc_id,
                   str(sentence(doc_id, s_start)), str(-1 if a1 is None else a1), str(-1 if a2 is None else a2),
                   str(t_start), "1" if in_raw else "0", "", str(chars), "", "", ""]


def _country_name(code: str | None) -> str:
    return english_name(None, code) or code or "" if code else ""


def _sectors(actor: dict[str, Any]) -> str:
    code = actor.get("code") or ""
    return ",".join(code[i : i + 3] for i in range(3, len(code), 3))


def icews_row(record: dict[str, Any], event_text: str, sentence: int | None) -> list[str]:
    """One ICEWS-style row of a merged event record."""
    source, target, place = record["source"] or {}, record["target"] or {}, record["place"] or {}

    def name(actor: dict[str, Any]) -> str:
        return actor.get("name_en") or actor.get("name") or actor.get("text") or ""

    def number(value: float | None) -> str:
        return "" if value is None else f"{value:g}"

    return [str(record["global_event_id"]), record["date"] or "", name(source), _sectors(source),
            _country_name(source.get("country")), event_text, record["code"], number(record["goldstein"]),
            name(target), _sectors(target), _country_name(target.get("country")), record["doc_id"] or "",
            "" if sentence is None else str(sentence), record.get("publisher") or "",
            place.get("name_en") or place.get("name") or "", "", "", _country_name(place.get("country")),
            number(place.get("lat")), number(place.get("lon"))]
