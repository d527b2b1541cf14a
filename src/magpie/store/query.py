"""Filters over merged events, shared by ``Store.events()``, ``magpie export`` and the CLI.

Every filter is optional and they combine with AND:

=============  ==========================================================================================
``actor``      an actor code (``RUSGOV``), or a name in either script, as source or target: the name, in
               Simplified, is matched in canonical names and mentions, and every lexicon spelling counts
               (普丁, 蒲亭 → 普京; 俄羅斯 → RUS); ``source`` / ``target`` the same on one side only
``country``    ISO alpha-3 of either actor (``RUS``)
``root``       CAMEO root code (``04``); ``code`` a code or code prefix (``04``, ``041``)
``quad_class`` 1–4 (or a list of them)
``since``,     date range on the event date (YYYY-MM-DD, inclusive)
``until``
``text``       words in any mention's sentence, either script (SQLite FTS5 trigram index; a LIKE-style
               scan for fewer than three characters)
``doc``        events reported in this document id
``place``      the action place: a name in either script, found in the place's canonical name (a lexicon
               spelling counts; a country's name also finds the places in it: 俄羅斯 → 索契), or an ISO
               alpha-3 code for the place's country (``RUS``)
``limit``      at most this many events (in GlobalEventID order)
=============  ==========================================================================================
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any

from ..english import english_name
from ..errors import StoreError
from ..normalise import to_simplified

DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
CODE = re.compile(r"^\d{2,4}$")


@dataclass(frozen=True)
class Filters:
    actor: str | None = None
    source: str | None = None
    target: str | None = None
    country: str | None = None
    root: str | None = None
    code: str | None = None
    quad_class: int | tuple[int, ...] | None = None
    since: str | None = None
    until: str | None = None
    text: str | None = None
    doc: str | None = None
    place: str | None = None
    limit: int | None = None

    @classmethod
    def make(cls, **filters: Any) -> Filters:
        unknown = set(filters) - set(cls.__dataclass_fields__)
        if unknown:
            raise StoreError(f"unknown filter(s): {', '.join(sorted(unknown))} "
                             f"(known: {', '.join(cls.__dataclass_fields__)})")
        quad = filters.get("quad_class")
        if isinstance(quad, Iterable) and not isinstance(quad, str | bytes):
            filters["quad_class"] = tuple(int(q) for q in quad)
        elif quad is not None:
            filters["quad_class"] = int(quad)
        made = cls(**{k: v for k, v in filters.items()})
        made.validate()
        return made

    def validate(self) -> None:
        for name in ("since", "until"):
            value = getattr(self, name)
            if value is not None and not DATE.match(value):
                raise StoreError(f"{name}={value!r}: expected YYYY-MM-DD")
        for name in ("root", "code"):
            value = getattr(self, name)
            if value is not None and not CODE.match(value):
                raise StoreError(f"{name}={value!r}: expected a CAMEO code of 2-4 digits")
        quads = self.quad_class if isinstance(self.quad_class, tuple) else \
            () if self.quad_class is None else (self.quad_class,)
        if any(q not in (1, 2, 3, 4) for q in quads):
            raise StoreError(f"quad_class={self.quad_class!r}: expected 1, 2, 3 or 4")
        if self.limit is not None and self.limit < 0:
            raise StoreError("limit must be 0 or more")

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


def _lexicon_names(name: str) -> tuple[set[str], set[str], set[str]]:
    """Canonical names, actor codes and countries that the lexicon gives ``name`` (普丁, 蒲亭 → 普京)."""
    from ..lexicon import default_lexicon

    names, codes, countries = set(), set(), set()
    for entity in default_lexicon().entities.get(name, ()):
        if entity.person is not None:
            names.add(entity.person.name)
        if entity.kind == "organisation" and entity.code:
            codes.add(entity.code)
        if entity.kind == "country" and entity.country:
            countries.add(entity.country)
    return names, codes, countries


def _actor_clause(value: str, sides: tuple[str, ...], params: list[Any]) -> str:
    value = value.strip()
    parts = []
    if value.isascii() and value.isalpha():
        for side in sides:
            parts.append(f"e.{side}_code = ?")
            params.append(value.upper())
        return "(" + " OR ".join(parts) + ")"
    name = to_simplified(value)
    names, codes, countries = _lexicon_names(name)
    names.add(name)
    for side in sides:
        parts.extend(f"instr(e.{side}_name, ?) > 0" for _ in names)
        params.extend(sorted(names))
        if codes:
            parts.append(f"e.{side}_code IN ({','.join('?' * len(codes))})")
            params.extend(sorted(codes))
        if countries:
            parts.append(f"e.{side}_country IN ({','.join('?' * len(countries))})")
            params.extend(sorted(countries))
        parts.append(f"e.event_key IN (SELECT d.event_key FROM doc_events d WHERE instr(d.{side}_text, ?) > 0 "
                     f"OR instr(d.{side}_text, ?) > 0)")
        params.extend([name, value])
    return "(" + " OR ".join(parts) + ")"


def _place_clause(value: str, params: list[Any]) -> str:
    """The action place: a country code (``RUS``) or a name (索契, 索契市; lexicon spellings count)."""
    from ..lexicon import default_lexicon

    value = value.strip()
    if len(value) == 3 and value.isascii() and value.isalpha():
        params.append(value.upper())
        return "e.place_country = ?"
    name = to_simplified(value)
    names, countries = {name}, set()
    for entity in default_lexicon().entities.get(name, ()):
        if entity.kind == "place" and entity.place is not None:
            names.add(entity.place.name)
        if entity.kind == "country" and entity.country:
            countries.add(entity.country)
    parts = ["instr(e.place_name, ?) > 0" for _ in names]
    params.extend(sorted(names))
    if countries:
        parts.append(f"e.place_country IN ({','.join('?' * len(countries))})")
        params.extend(sorted(countries))
    return "(" + " OR ".join(parts) + ")"


def where(filters: Filters, fts: bool) -> tuple[str, list[Any]]:
    """The WHERE clause (over ``events e``) and its parameters."""
    clauses: list[str] = []
    params: list[Any] = []
    if filters.actor:
        clauses.append(_actor_clause(filters.actor, ("source", "target"), params))
    if filters.source:
        clauses.append(_actor_clause(filters.source, ("source",), params))
    if filters.target:
        clauses.append(_actor_clause(filters.target, ("target",), params))
    if filters.country:
        clauses.append("(e.source_country = ? OR e.target_country = ?)")
        params.extend([filters.country.upper()] * 2)
    if filters.root:
        clauses.append("e.root_code = ?")
        params.append(filters.root[:2])
    if filters.code:
        clauses.append("substr(e.code, 1, ?) = ?")
        params.extend([len(filters.code), filters.code])
    if filters.quad_class is not None:
        quads = filters.quad_class if isinstance(filters.quad_class, tuple) else (filters.quad_class,)
        clauses.append(f"e.quad_class IN ({','.join('?' * len(quads))})")
        params.extend(quads)
    if filters.since:
        clauses.append("e.date >= ?")
        params.append(filters.since)
    if filters.until:
        clauses.append("substr(e.date, 1, ?) <= ?")
        params.extend([len(filters.until), filters.until])
    if filters.text:
        text = to_simplified(filters.text.strip())
        if fts and len(text) >= 3:
            clauses.append("e.event_key IN (SELECT m.event_key FROM mentions m WHERE m.mention_key IN "
                           "(SELECT rowid FROM evidence_fts WHERE evidence_fts MATCH ?))")
            params.append('"' + text.replace('"', '""') + '"')
        else:
            clauses.append("e.event_key IN (SELECT m.event_key FROM mentions m WHERE m.mention_key IN "
                           "(SELECT rowid FROM evidence_fts WHERE instr(sentence, ?) > 0))")
            params.append(text)
    if filters.doc:
        clauses.append("e.event_key IN (SELECT de.event_key FROM doc_events de JOIN documents d "
                       "ON d.doc_key = de.doc_key WHERE d.id = ?)")
        params.append(filters.doc)
    if filters.place:
        clauses.append(_place_clause(filters.place, params))
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


# The flat event columns: CSV, Parquet, pandas and Arrow (one row per merged event).
FLAT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("global_event_id", "int64"), ("event_id", "string"), ("date", "date"), ("date_precision", "string"),
    ("date_inferred", "bool"),
    ("code", "string"), ("base_code", "string"), ("root_code", "string"), ("quad_class", "int64"),
    ("goldstein", "float64"), ("plover_event", "string"), ("plover_mode", "string"), ("planned", "bool"),
    ("is_root", "bool"),
    ("source_code", "string"), ("source_country", "string"), ("source_role", "string"), ("source_name", "string"),
    ("source_name_en", "string"),
    ("target_code", "string"), ("target_country", "string"), ("target_role", "string"), ("target_name", "string"),
    ("target_name_en", "string"),
    ("place_name", "string"), ("place_name_en", "string"), ("place_country", "string"), ("place_lat", "float64"),
    ("place_lon", "float64"),
    ("num_mentions", "int64"), ("num_sources", "int64"), ("num_articles", "int64"),
    ("doc_id", "string"), ("title", "string"), ("publisher", "string"), ("source_url", "string"),
    ("date_added", "string"),
    ("evidence", "string"), ("trigger", "string"),
)

SELECT = """
SELECT e.event_key, e.event_id, e.date, e.date_inferred, e.code, e.base_code, e.root_code, e.quad_class,
       e.goldstein, e.plover_event, e.plover_mode, e.planned, e.is_root,
       e.source_code, e.source_country, e.source_role, e.source_name,
       e.target_code, e.target_country, e.target_role, e.target_name,
       e.place_name, e.place_country, e.place_lat, e.place_lon,
       e.num_mentions, e.num_sources, e.num_articles, d.id, e.source_url, e.date_added,
       ev.sentence, ev.sentence_start, ev.sentence_end, ev.trigger, ev.trigger_start, ev.trigger_end,
       de.source_text, de.target_text, d.title, d.source
FROM events e JOIN documents d ON d.doc_key = e.doc_key
LEFT JOIN mentions ev ON ev.mention_key = (SELECT m.mention_key FROM mentions m WHERE m.event_key = e.event_key
                                           AND m.doc_key = e.doc_key ORDER BY m.is_evidence DESC, m.mention_key
                                           LIMIT 1)
LEFT JOIN doc_events de ON de.doc_event_key = ev.doc_event_key
"""

MENTIONS = """
SELECT m.event_key, d.id, m.sentence, m.sentence_start, m.sentence_end, m.trigger,
       m.trigger_start, m.trigger_end
FROM mentions m JOIN documents d ON d.doc_key = m.doc_key
WHERE m.event_key IN ({marks})
ORDER BY m.event_key, m.mention_key
"""


def _actor(code: str | None, country: str | None, role: str | None, name: str | None,
           text: str | None) -> dict[str, Any] | None:
    if code is None and country is None and name is None and text is None:
        return None
    return {"code": code, "country": country, "role": role, "name": name,
            "name_en": english_name(name, country, role), "text": text}


def record(row: tuple[Any, ...], mentions: list[dict[str, Any]] | None) -> dict[str, Any]:
    """A merged event record from a SELECT row (and its mentions, when fetched)."""
    (key, event_id, date, inferred, code, base, root, quad, goldstein, pev, pmode, planned, is_root,
     s_code, s_country, s_role, s_name, t_code, t_country, t_role, t_name,
     p_name, p_country, p_lat, p_lon, n_mentions, n_sources, n_articles, doc_id, url, added,
     sentence, s_start, s_end, trigger, t_start, t_end, s_text, t_text, title, publisher) = row
    result: dict[str, Any] = {
        "global_event_id": key,
        "event_id": event_id,
        "date": date,
        "date_precision": PRECISION.get(len(date)) if date else None,
        "date_inferred": bool(inferred),
        "code": code,
        "base_code": base,
        "root_code": root,
        "quad_class": quad,
        "goldstein": goldstein,
        "plover": {"event": pev, "mode": pmode},
        "planned": bool(planned),
        "is_root": bool(is_root),
        "source": _actor(s_code, s_country, s_role, s_name, s_text),
        "target": _actor(t_code, t_country, t_role, t_name, t_text),
        "place": None if p_name is None else {"name": p_name, "name_en": english_name(p_name), "country": p_country,
                                              "lat": p_lat, "lon": p_lon},
        "num_mentions": n_mentions,
        "num_sources": n_sources,
        "num_articles": n_articles,
        "doc_id": doc_id,
        "title": title,
        "publisher": publisher,
        "source_url": url,
        "date_added": added,
        "evidence": None if sentence is None else {
            "doc_id": doc_id, "sentence": sentence, "start": s_start, "end": s_end,
            "trigger": {"text": trigger, "start": t_start, "end": t_end}},
    }
    if mentions is not None:
        result["mentions"] = mentions
    return result


def mention(row: tuple[Any, ...]) -> dict[str, Any]:
    (_, doc_id, sentence, s_start, s_end, trigger, t_start, t_end) = row
    return {"doc_id": doc_id, "sentence": sentence, "start": s_start, "end": s_end,
            "trigger": {"text": trigger, "start": t_start, "end": t_end}}


PRECISION = {10: "day", 7: "month", 4: "year"}


@lru_cache(maxsize=8192)
def date_value(date: str | None) -> tuple[dt.date | None, str | None]:
    """A typed date and its precision (day, month, year): a month or a year is dated to its first day."""
    if not date:
        return None, None
    year, month, day = (int(date[:4]), int(date[5:7]) if len(date) >= 7 else 1,
                        int(date[8:10]) if len(date) >= 10 else 1)
    return dt.date(year, month, day), PRECISION.get(len(date))


def flat(rec: dict[str, Any]) -> dict[str, Any]:
    """One flat row (FLAT_COLUMNS) from a merged event record."""
    source, target, place = rec["source"] or {}, rec["target"] or {}, rec["place"] or {}
    evidence = rec.get("evidence") or {}
    date, precision = date_value(rec["date"])
    return {
        "global_event_id": rec["global_event_id"], "event_id": rec["event_id"], "date": date,
        "date_precision": precision,
        "date_inferred": rec["date_inferred"], "code": rec["code"], "base_code": rec["base_code"],
        "root_code": rec["root_code"], "quad_class": rec["quad_class"], "goldstein": rec["goldstein"],
        "plover_event": rec["plover"]["event"], "plover_mode": rec["plover"]["mode"], "planned": rec["planned"],
        "is_root": rec["is_root"],
        "source_code": source.get("code"), "source_country": source.get("country"),
        "source_role": source.get("role"), "source_name": source.get("name"), "source_name_en": source.get("name_en"),
        "target_code": target.get("code"), "target_country": target.get("country"),
        "target_role": target.get("role"), "target_name": target.get("name"), "target_name_en": target.get("name_en"),
        "place_name": place.get("name"), "place_name_en": place.get("name_en"), "place_country": place.get("country"),
        "place_lat": place.get("lat"), "place_lon": place.get("lon"),
        "num_mentions": rec["num_mentions"], "num_sources": rec["num_sources"], "num_articles": rec["num_articles"],
        "doc_id": rec["doc_id"], "title": rec["title"], "publisher": rec["publisher"],
        "source_url": rec["source_url"], "date_added": rec["date_added"],
        "evidence": evidence.get("sentence"), "trigger": (evidence.get("trigger") or {}).get("text"),
    }
