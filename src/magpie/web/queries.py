"""Read-only queries for the web application (``magpie serve``): paged events, actors, documents, statistics.

Everything here reads; nothing writes. :class:`ReadOnlyStore` opens the database with SQLite's
``mode=ro`` URI and ``PRAGMA query_only``, through a bounded pool of connections shared by the threads.
The event filters are :class:`magpie.store.query.Filters` with the same meaning as ``magpie export`` (the WHERE clause
comes from :func:`magpie.store.query.where`); two things are added for the web:

* an **actor name** (普京, 俄羅斯 …) is matched exactly as :mod:`magpie.store.query` matches it —
  the same substring tests over canonical names and mention texts, the same lexicon spellings —
  but the substring tests run once over the *distinct* names and mention texts (cached until the
  store grows), so the query itself is an indexed ``IN`` list instead of a scan of every event;
* ``pair`` (two actor codes, either direction) and ``country_pair`` (two countries): the events
  of one edge of the network.

Every endpoint is answered from an in-memory **event index** (:class:`_EventIndex`: the columns that
the filters, sorts and summaries read, one small integer per event and column, and the mention texts
of every per-document event; numpy) when the store has at most ``index_limit`` events: codes,
countries, roots, QuadClasses, dates, pairs and actor names are tested there, sorting and paging is a
partial sort of the matches, the count is exact, and statistics, network and actor summaries are
group-bys over the matches (:class:`_Graph`; the ``*_sql`` methods give the same answers in SQL). Text
and document filters still run in SQL (the clauses above), their matching events remembered (LRU) per
filter. The index and every cache are keyed on ``PRAGMA data_version`` of one connection
that only watches, so a concurrent ``magpie ingest`` into the same file invalidates them; the index
is rebuilt at most every ``REBUILD_SECONDS`` (between rebuilds, a changed store is answered by SQL).
"""

from __future__ import annotations

import array
import bisect
import contextlib
import json
import re
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from ..errors import StoreError
from ..normalise import to_simplified
from ..store import query
from ..store.schema import SCHEMA_VERSION

__all__ = ["MAX_PAGE_SIZE", "SORTS", "EventQuery", "QueryError", "ReadOnlyStore", "make_query"]

T = TypeVar("T")

MAX_PAGE_SIZE = 200
MAX_PAGE = 100_000
COUNT_CAP = 10_000  # totals above this are reported as "at least" (total_exact: false)
SCAN_ROWS = 20_000  # events a date-ordered page may walk before collecting and sorting is cheaper
MAX_IN = 900  # longest IN list for resolved names; beyond it, the plain scan of magpie.store.query
INDEX_LIMIT = 2_000_000  # most events held in the in-memory event index (about 130 bytes each)
REBUILD_SECONDS = 5.0  # least time between two builds of the event index while the store changes
MASK_BYTES = 32 * 2**20  # memory for remembered name / text / document matches
ACTOR_CODE = re.compile(r"^[A-Z][A-Z0-9]{2,19}$")
COUNTRY = re.compile(r"^[A-Z]{3}$")

# sort keys of /api/events (a leading "-" sorts descending); the event key breaks ties
SORTS = {
    "date": "e.date", "id": "e.event_key", "code": "e.code", "quad": "e.quad_class", "goldstein": "e.goldstein",
    "mentions": "e.num_mentions", "articles": "e.num_articles", "sources": "e.num_sources",
    "source": "e.source_code", "target": "e.target_code",
}


class QueryError(StoreError):
    """The database could not answer (locked, corrupt, removed): not the caller's fault."""


@dataclass(frozen=True)
class EventQuery:
    """Filters plus the web's additions (an edge of the network), sorting and paging."""

    filters: query.Filters = field(default_factory=query.Filters)
    pair: tuple[str, str] | None = None
    country_pair: tuple[str, str] | None = None
    sort: str = "-date"
    page: int = 1
    page_size: int = 50

    def validate(self) -> None:
        self.filters.validate()
        key = self.sort.lstrip("-")
        if key not in SORTS:
            raise StoreError(f"sort={self.sort!r}: expected one of {', '.join(SORTS)} (prefix - for descending)")
        if not 1 <= self.page_size <= MAX_PAGE_SIZE:
            raise StoreError(f"page_size={self.page_size}: expected 1 to {MAX_PAGE_SIZE}")
        if not 1 <= self.page <= MAX_PAGE:
            raise StoreError(f"page={self.page}: expected 1 to {MAX_PAGE:,}")
        for name, pair, pattern in (("pair", self.pair, ACTOR_CODE), ("country_pair", self.country_pair, COUNTRY)):
            if pair is not None and (len(pair) != 2 or not all(pattern.match(p) for p in pair)):
                what = "two actor codes" if name == "pair" else "two ISO alpha-3 countries"
                raise StoreError(f"{name}={','.join(pair)!r}: expected {what} separated by a comma")


# columns of the in-memory event index (what the common filters test and every sort orders by): text or numbers
INDEX_COLUMNS = {"date": str, "code": str, "root_code": str, "quad_class": int, "goldstein": float,
                 "num_mentions": int, "num_articles": int, "num_sources": int, "source_code": str, "target_code": str,
                 "source_country": str, "target_country": str,
                 # what the statistics, network and actor summaries add up (not filtered on)
                 "source_name": str, "target_name": str, "source_role": str, "target_role": str}
# the filters _EventIndex.mask applies (limit: not a filter of the web's queries)
INDEX_FILTERS = frozenset({"actor", "source", "target", "country", "root", "code", "quad_class", "since", "until",
                           "text", "doc", "limit"})
# the two ends of an event at each level of the network and the statistics
ENDS = {"actor": ("source_code", "target_code"), "country": ("source_country", "target_country")}


class _EventIndex:
    """The filter and sort columns of every event, in memory, for one version of the store.

    Events are held in ``event_key`` order (``keys``); per column, the distinct values in SQLite's
    order (NULL first, then numbers or text by code point, as ``ORDER BY`` sorts them) and, per event,
    the rank of its value among them (int32). A filter is a boolean mask over the events; a sort is a
    partial sort of (rank, position) among the matches, the same order as ``ORDER BY column,
    event_key``.
    """

    def __init__(self, version: int, keys: np.ndarray, columns: dict[str, tuple[list[Any], np.ndarray]]) -> None:
        self.version = version
        self.keys = keys
        self.size = len(keys)
        self.values = {name: values for name, (values, _) in columns.items()}
        self.codes = {name: codes for name, (_, codes) in columns.items()}
        self.lookup = {name: {v: i for i, v in enumerate(values)} for name, values in self.values.items()}
        self.texts: list[str | None] = []  # distinct mention texts of doc_events (filled by build)
        self.text_events = np.zeros(0, np.int64)  # per doc_event: its event's position
        self.text_ids: tuple[np.ndarray, ...] = (np.zeros(0, np.int32), np.zeros(0, np.int32))  # source, target
        scores = np.array([np.nan if v is None else float(v) for v in self.values["goldstein"]], dtype=np.float64)
        self.gold = scores[self.codes["goldstein"]] if self.size else np.zeros(0)  # NaN: no score
        self.full_day = np.array([v is not None and len(v) == 10 for v in self.values["date"]], dtype=bool)
        # per level, one vocabulary for both ends (sorted: an id's order is its text's) and each end's ids (-1: NULL)
        self.ends: dict[str, tuple[list[str], np.ndarray, np.ndarray]] = {}
        for level, (one, other) in ENDS.items():
            vocabulary = sorted({v for v in (*self.values[one], *self.values[other]) if v is not None})
            at = {v: i for i, v in enumerate(vocabulary)}
            ids = [np.array([-1 if v is None else at[v] for v in self.values[side]], dtype=np.int64)[self.codes[side]]
                   if self.size else np.zeros(0, np.int64) for side in (one, other)]
            self.ends[level] = (vocabulary, ids[0], ids[1])

    @classmethod
    def build(cls, conn: sqlite3.Connection, version: int, limit: int) -> _EventIndex | None:
        """Read the columns (one statement: one consistent read); None when over ``limit`` events or when a
        column holds what its type does not say, text among numbers or the reverse (then SQL answers)."""
        conn.execute("BEGIN")  # one snapshot for the events and the mention texts
        try:
            return cls._read(conn, version, limit)
        finally:
            conn.execute("COMMIT")

    @classmethod
    def _read(cls, conn: sqlite3.Connection, version: int, limit: int) -> _EventIndex | None:
        if conn.execute("SELECT count(*) FROM events").fetchone()[0] > limit:
            return None
        cursor = conn.execute(f"SELECT event_key, {', '.join(INDEX_COLUMNS)} FROM events ORDER BY event_key")
        keys = array.array("q")
        seen: list[dict[Any, int]] = [{} for _ in INDEX_COLUMNS]
        raw = [array.array("i") for _ in INDEX_COLUMNS]  # per column, the value's number in order of appearance
        while True:
            rows = cursor.fetchmany(20_000)
            if not rows:
                break
            columns = list(zip(*rows, strict=True))
            keys.extend(columns[0])
            for distinct, codes, values in zip(seen, raw, columns[1:], strict=True):
                codes.extend([distinct.setdefault(v, len(distinct)) for v in values])
        built: dict[str, tuple[list[Any], np.ndarray]] = {}
        for (name, kind), distinct, codes in zip(INDEX_COLUMNS.items(), seen, raw, strict=True):
            present = [v for v in distinct if v is not None]
            if not {type(v) for v in present} <= ({str} if kind is str else {int, float}):
                return None
            ordered = ([None] if None in distinct else []) + sorted(present)
            rank = {v: i for i, v in enumerate(ordered)}
            remap = np.array([rank[v] for v in distinct], dtype=np.int32)
            built[name] = (ordered, remap[np.frombuffer(codes, dtype=np.int32)] if codes else np.zeros(0, np.int32))
        index = cls(version, np.frombuffer(keys, dtype=np.int64).copy(), built)
        # the mention texts of every per-document event (what an actor name also matches), by event position
        texts: dict[str | None, int] = {}
        found = array.array("q")
        sides = (array.array("i"), array.array("i"))
        cursor = conn.execute("SELECT event_key, source_text, target_text FROM doc_events")
        while rows := cursor.fetchmany(20_000):
            columns = list(zip(*rows, strict=True))
            found.extend(columns[0])
            for side, values in zip(sides, columns[1:], strict=True):
                side.extend([texts.setdefault(v, len(texts)) for v in values])
        event_keys = np.frombuffer(found, dtype=np.int64) if found else np.zeros(0, np.int64)
        at = np.searchsorted(index.keys, event_keys)
        inside = at < index.size
        inside[inside] = index.keys[at[inside]] == event_keys[inside]
        index.texts = list(texts)
        index.text_events = at[inside]
        index.text_ids = tuple(np.frombuffer(side, dtype=np.int32)[inside] if len(side) else np.zeros(0, np.int32)
                               for side in sides)
        return index

    # -- filters ----------------------------------------------------------------------------------------------
    def equal(self, column: str, value: Any) -> np.ndarray:
        code = self.lookup[column].get(value)
        if code is None or value is None:
            return np.zeros(self.size, dtype=bool)
        return self.codes[column] == code  # type: ignore[no-any-return]

    def between(self, column: str, low: Any = None, high: Any = None,
                key: Callable[[Any], Any] | None = None) -> np.ndarray:
        """Events whose value is not NULL and ``low <= key(value) <= high`` (either bound may be left out);
        ``key`` must keep the order of values (a prefix does), so the matches are a range of ranks."""
        values = self.values[column]
        start = 1 if values and values[0] is None else 0
        first = start if low is None else bisect.bisect_left(values, low, lo=start, key=key)
        end = len(values) if high is None else bisect.bisect_right(values, high, lo=start, key=key)
        codes = self.codes[column]
        return (codes >= first) & (codes < end)  # type: ignore[no-any-return]

    def named(self, value: str, sides: tuple[str, ...]) -> np.ndarray:
        """The events whose actor on one of ``sides`` is ``value`` by name (not a code): what
        :func:`magpie.store.query._actor_clause` matches — canonical names containing the name or a lexicon
        spelling of it, the lexicon's codes and countries for it, mention texts containing it as written or
        simplified — tested over the distinct values once, then per event by lookup."""
        value = value.strip()
        name = to_simplified(value)
        names, codes, countries = query._lexicon_names(name)
        names.add(name)
        texts = np.array([t is not None and (name in t or value in t) for t in self.texts], dtype=bool)
        found = np.zeros(self.size, dtype=bool)
        for side in sides:
            for column, test in ((f"{side}_name", lambda v: any(k in v for k in names)),
                                 (f"{side}_code", codes.__contains__), (f"{side}_country", countries.__contains__)):
                lookup = np.array([v is not None and test(v) for v in self.values[column]], dtype=bool)
                if lookup.any():
                    found |= lookup[self.codes[column]]
            if texts.any():
                found[self.text_events[texts[self.text_ids[0 if side == "source" else 1]]]] = True
        return found

    def select(self, found: np.ndarray) -> np.ndarray:
        """The mask of the events whose keys are in ``found`` (keys the index does not hold are ignored)."""
        mask = np.zeros(self.size, dtype=bool)
        if len(found) and self.size:
            at = np.searchsorted(self.keys, found)
            inside = at < self.size
            at, found = at[inside], found[inside]
            mask[at[self.keys[at] == found]] = True
        return mask

    def mask(self, spec: EventQuery, in_sql: Callable[[query.Filters], np.ndarray],
             named: Callable[[str, tuple[str, ...]], np.ndarray] | None = None) -> np.ndarray | None:
        """The events matching ``spec`` (None: all), with what :meth:`ReadOnlyStore.where` means by it; text and
        document filters through ``in_sql``, actor names through ``named`` (None: ``in_sql``)."""
        f = spec.filters
        masks: list[np.ndarray] = []
        for name, sides in (("actor", ("source", "target")), ("source", ("source",)), ("target", ("target",))):
            value = getattr(f, name)
            if not value:
                continue
            plain = value.strip()
            if plain.isascii() and plain.isalpha():  # an actor code (as _actor_clause)
                masks.append(_any(self.equal(f"{side}_code", plain.upper()) for side in sides))
            elif named is not None:
                masks.append(named(value, sides))
            else:
                masks.append(in_sql(query.Filters(**{name: value})))
        if f.country:
            country = f.country.upper()
            masks.append(self.equal("source_country", country) | self.equal("target_country", country))
        if f.root:
            masks.append(self.equal("root_code", f.root[:2]))
        if f.code:  # substr(code, 1, n) = code
            size = len(f.code)
            masks.append(self.between("code", f.code, f.code, key=lambda v: v[:size]))
        if f.quad_class is not None:
            quads = f.quad_class if isinstance(f.quad_class, tuple) else (f.quad_class,)
            masks.append(_any(self.equal("quad_class", q) for q in quads))
        if f.since:  # date >= since
            masks.append(self.between("date", low=f.since))
        if f.until:  # substr(date, 1, n) <= until
            size = len(f.until)
            masks.append(self.between("date", high=f.until, key=lambda v: v[:size]))
        if f.text:
            masks.append(in_sql(query.Filters(text=f.text)))
        if f.doc:
            masks.append(in_sql(query.Filters(doc=f.doc)))
        if f.place:  # the action place (magpie.store.query._place_clause)
            masks.append(in_sql(query.Filters(place=f.place)))
        for pair, (one, other) in ((spec.pair, ("source_code", "target_code")),
                                   (spec.country_pair, ("source_country", "target_country"))):
            if pair:
                a, b = pair
                masks.append((self.equal(one, a) & self.equal(other, b)) | (self.equal(one, b) & self.equal(other, a)))
        if not masks:
            return None
        result = masks[0]
        for more in masks[1:]:
            result = result & more
        return result

    # -- sorting and paging -----------------------------------------------------------------------------------
    def page(self, positions: np.ndarray | None, sort: str, offset: int, size: int) -> list[int]:
        """Event keys of one page of the events at ``positions`` (None: all) in ``sort`` order."""
        matches = self.size if positions is None else len(positions)
        if offset >= matches:
            return []
        if positions is None:
            positions = np.arange(self.size, dtype=np.int64)
        column = SORTS[sort.lstrip("-")].removeprefix("e.")
        order = positions.astype(np.int64)  # position order is event_key order: the tie-break
        if column != "event_key":
            order = self.codes[column][positions].astype(np.int64) * max(self.size, 1) + order
        if sort.startswith("-"):
            order = -order
        want = min(offset + size, matches)
        first = np.argpartition(order, want - 1)[:want] if want < matches else np.arange(matches)
        first = first[np.argsort(order[first])]
        return self.keys[positions[first[offset:want]]].tolist()  # type: ignore[no-any-return]

    # -- aggregates (statistics, network, actors) -------------------------------------------------------------
    def graph(self, positions: np.ndarray | None, level: str) -> _Graph:
        """The actor (or country) graph of the events at ``positions`` (None: all)."""
        vocabulary, source, target = self.ends[level]
        gold = self.gold
        if positions is not None:
            source, target, gold = source[positions], target[positions], gold[positions]
        scored = ~np.isnan(gold)
        return _Graph(vocabulary, source, target, None, np.where(scored, gold, 0.0), scored.astype(np.float64))

    def _column(self, name: str, positions: np.ndarray | None) -> np.ndarray:
        codes = self.codes[name]
        return codes if positions is None else codes[positions]

    def describe(self, positions: np.ndarray | None,
                 codes: Sequence[str]) -> tuple[dict[str, dict[str, Any]], dict[tuple[str, str], int]]:
        """For each actor code among the events at ``positions``: its most frequent canonical name, country and role
        (as :meth:`ReadOnlyStore._describe`); and the events per (code, name)."""
        vocabulary, *ends = self.ends["actor"]
        inside = np.zeros(len(vocabulary), dtype=bool)
        inside[[i for c in codes if (i := bisect.bisect_left(vocabulary, c)) < len(vocabulary)
                and vocabulary[i] == c]] = True
        countries = self.ends["country"]
        found: dict[str, dict[str, Any]] = {}
        names: dict[tuple[str, str], int] = {}
        for side, ids, country_ids in (("source", ends[0], countries[1]), ("target", ends[1], countries[2])):
            if positions is not None:
                ids, country_ids = ids[positions], country_ids[positions]
            keep = ids >= 0
            keep[keep] = inside[ids[keep]]
            at = ids[keep]
            if not len(at):
                continue
            name_values, roles = self.values[f"{side}_name"], self.values[f"{side}_role"]
            width = len(name_values)
            pairs, inverse = _group(at * width + self._column(f"{side}_name", positions)[keep], len(vocabulary) * width)
            counts = np.bincount(inverse, minlength=len(pairs))
            for pair, count in zip(pairs.tolist(), counts.tolist(), strict=True):
                code, name = vocabulary[pair // width], name_values[pair % width]
                found.setdefault(code, {"name": None, "country": None, "role": None})
                if name is not None:
                    names[(code, name)] = names.get((code, name), 0) + count
            # the greatest country and role per code (ids are in value order; -1: NULL)
            role_ids = self._column(f"{side}_role", positions)[keep].astype(np.int64)
            if roles and roles[0] is None:
                role_ids = role_ids - 1
            for key, values, ids in (("country", countries[0], country_ids[keep]), ("role", roles, role_ids)):
                offset = 1 if values and values[0] is None else 0
                for code, value in _greatest(at, ids, len(vocabulary), len(values)).items():
                    info = found[vocabulary[code]]
                    info[key] = max(filter(None, (info[key], values[value + offset])))
        _best_names(found, names)
        return found, names

    def per_root(self, positions: np.ndarray | None) -> list[dict[str, Any]]:
        """[{root, events, goldstein (mean)}] of the events at ``positions`` (None: all), by root."""
        roots = self.values["root_code"]
        gold = self.gold if positions is None else self.gold[positions]
        scored = ~np.isnan(gold)
        root_codes = self._column("root_code", positions)
        counts = np.bincount(root_codes, minlength=len(roots))
        sums = np.bincount(root_codes, weights=np.where(scored, gold, 0.0), minlength=len(roots))
        scores = np.bincount(root_codes, weights=scored, minlength=len(roots))
        return [{"root": roots[r], "events": int(counts[r]),
                 "goldstein": _round(sums[r] / scores[r]) if scores[r] else None}
                for r in np.flatnonzero(counts).tolist()]

    def stats(self, positions: np.ndarray | None, pairs: int) -> dict[str, Any]:
        """:meth:`ReadOnlyStore.stats` of the events at ``positions`` (None: all), ``per_day`` as :class:`_Days`
        (columns: a cached answer takes ~150 KB over ten years of days, where a dict per day would take ~670 KB)."""
        dates, quads = self.values["date"], self.values["quad_class"]
        width = len(quads)
        grid = np.bincount(self._column("date", positions).astype(np.int64) * width
                           + self._column("quad_class", positions), minlength=len(dates) * width)
        grid = grid.reshape(len(dates), width) if len(dates) else np.zeros((0, width), np.int64)
        total = int(grid.sum())
        partial = int(grid[~self.full_day].sum()) if len(dates) else 0
        per_quad = {"1": 0, "2": 0, "3": 0, "4": 0}
        columns: dict[str, list[int]] = {}
        days = np.flatnonzero(self.full_day & (grid.sum(axis=1) > 0)) if len(dates) else np.zeros(0, np.int64)
        for j, quad in enumerate(quads):
            if quad is not None:
                per_quad[str(quad)] = per_quad.get(str(quad), 0) + int(grid[:, j].sum())
                columns[str(quad)] = grid[days, j].tolist()
        zero = [0] * len(days)
        per_day = _Days([dates[d] for d in days.tolist()],
                        {key: columns.get(key, zero) for key in sorted(per_quad, key=lambda k: (len(k), k))})
        return {"total": total, "dated": total - partial, "partial_dates": partial, "per_day": per_day,
                "per_quad": per_quad, "per_root": self.per_root(positions),
                "per_country_pair": _country_pairs(self.graph(positions, "country"), pairs)}


def _group(keys: np.ndarray, limit: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct ``keys`` (sorted; all in 0 <= key < limit) and each key's number among them: np.unique with
    return_inverse, by counting when the range is small (no sort)."""
    keys = keys.astype(np.int64, copy=False)
    if limit > 4_000_000 or limit > 64 * len(keys) + 65_536:
        return np.unique(keys, return_inverse=True)  # type: ignore[no-any-return]
    present = np.bincount(keys, minlength=limit) > 0
    distinct = np.flatnonzero(present)
    number = np.cumsum(present) - 1
    return distinct, number[keys]


def _greatest(at: np.ndarray, ids: np.ndarray, size: int, values: int) -> dict[int, int]:
    """For each distinct ``at``, the greatest of its ``ids`` that is not -1 (codes whose ids are all -1 left out)."""
    keep = ids >= 0
    groups, _ = _group(at[keep] * values + ids[keep], size * max(values, 1))
    last = np.flatnonzero(np.diff(groups // values, append=-1) != 0) if len(groups) else groups
    return {group // values: group % values for group in groups[last].tolist()}


def _any(masks: Iterable[np.ndarray]) -> np.ndarray:
    result: np.ndarray | None = None
    for mask in masks:
        result = mask if result is None else result | mask
    assert result is not None
    return result


@dataclass
class _Days:
    """Events per day per QuadClass as columns: the days (YYYY-MM-DD, in order) and, per QuadClass, the counts."""

    dates: list[str]
    counts: dict[str, list[int]]  # "1" … "4" (and any other QuadClass met) -> a count per day

    def rows(self) -> list[dict[str, Any]]:
        """[{date, q1, q2, q3, q4}] as /api/stats answers."""
        zero = [0] * len(self.dates)
        one, two, three, four = (self.counts.get(k, zero) for k in ("1", "2", "3", "4"))
        rows = [{"date": d, "q1": a, "q2": b, "q3": c, "q4": e}
                for d, a, b, c, e in zip(self.dates, one, two, three, four, strict=True)]
        for key in sorted(set(self.counts) - {"1", "2", "3", "4"}):  # no such QuadClass in a valid store
            for row, value in zip(rows, self.counts[key], strict=True):
                row[f"q{key}"] = value
        return rows


class _Graph:
    """Nodes (actors or countries) and undirected edges with [events, Goldstein sum, scored events], from
    directed (source, target) ids into a sorted vocabulary (-1: NULL), one row per event or per group."""

    def __init__(self, names: list[str], source: np.ndarray, target: np.ndarray, count: np.ndarray | None,
                 gold: np.ndarray, scored: np.ndarray) -> None:
        """``count``: events per row (None: one each); ``gold``: Goldstein sums (0 where none); ``scored``: events
        with a score per row."""
        self.names = names
        size = len(names)

        def add(ids: np.ndarray, keep: np.ndarray, weights: np.ndarray | None, length: int) -> np.ndarray:
            return np.bincount(ids[keep] if keep is not None else ids, minlength=length,
                               weights=None if weights is None else weights[keep] if keep is not None else weights)

        ends = (source >= 0, (target >= 0) & (target != source))  # an event counts once for each node it has
        self.count = np.zeros(size, np.int64)
        self.gold = np.zeros(size, np.float64)
        self.scored = np.zeros(size, np.int64)
        for ids, keep in zip((source, target), ends, strict=True):
            self.count += add(ids, keep, count, size).astype(np.int64)
            self.gold += add(ids, keep, gold, size)
            self.scored += add(ids, keep, scored, size).astype(np.int64)
        edge = ends[1] & ends[0]
        low, high = np.minimum(source[edge], target[edge]), np.maximum(source[edge], target[edge])
        width = max(size, 1)
        keys, inverse = _group(low * width + high, width * width)
        self.a, self.b = keys // width, keys % width
        self.edge_count = add(inverse, None, None if count is None else count[edge], len(keys)).astype(np.int64)
        self.edge_gold = add(inverse, None, gold[edge], len(keys))
        self.edge_scored = add(inverse, None, scored[edge], len(keys)).astype(np.int64)

    @classmethod
    def from_pairs(cls, pairs: Sequence[tuple[Any, ...]]) -> _Graph:
        """From SQL rows (source, target, events, Goldstein sum, scored events)."""
        names = sorted({v for row in pairs for v in row[:2] if v is not None})
        at = {v: i for i, v in enumerate(names)}
        columns = list(zip(*pairs, strict=True)) if pairs else [(), (), (), (), ()]
        source, target = (np.array([-1 if v is None else at[v] for v in c], dtype=np.int64) for c in columns[:2])
        return cls(names, source, target, np.array(columns[2], dtype=np.int64),
                   np.array(columns[3], dtype=np.float64), np.array(columns[4], dtype=np.int64))

    def ranked(self) -> list[str]:
        """Nodes with events, the busiest first (ties: by name)."""
        present = np.flatnonzero(self.count > 0)
        order = np.lexsort((present, -self.count[present]))  # vocabulary order is name order
        return [self.names[i] for i in present[order]]

    def node(self, name: str) -> tuple[int, float, int]:
        i = bisect.bisect_left(self.names, name)
        if i == len(self.names) or self.names[i] != name:
            return 0, 0.0, 0
        return int(self.count[i]), float(self.gold[i]), int(self.scored[i])

    def ids(self, names: Sequence[str]) -> np.ndarray:
        at = [bisect.bisect_left(self.names, n) for n in names]
        return np.array([i for i, n in zip(at, names, strict=True) if i < len(self.names) and self.names[i] == n],
                        dtype=np.int64)

    def edges(self, keep: np.ndarray | None = None, top: int | None = None) -> list[tuple[str, str, int, float, int]]:
        """(a, b, events, Goldstein sum, scored) of the edges in ``keep`` (a mask; None: all), the busiest first
        (ties: by a, then b), at most ``top``."""
        chosen = np.arange(len(self.a)) if keep is None else np.flatnonzero(keep)
        order = chosen[np.lexsort((self.b[chosen], self.a[chosen], -self.edge_count[chosen]))][:top]
        return [(self.names[a], self.names[b], int(n), float(g), int(sc)) for a, b, n, g, sc in
                zip(self.a[order].tolist(), self.b[order].tolist(), self.edge_count[order].tolist(),
                    self.edge_gold[order].tolist(), self.edge_scored[order].tolist(), strict=True)]

    def partners(self, name: str, top: int) -> list[tuple[int, float, str]]:
        """(events, mean Goldstein or 0.0, other end) of the ``top`` busiest edges of ``name`` (ties: by the other)."""
        at = self.ids([name])
        if not len(at) or top <= 0:
            return []
        mine = np.flatnonzero((self.a == at[0]) | (self.b == at[0]))
        other = np.where(self.a[mine] == at[0], self.b[mine], self.a[mine])
        order = np.lexsort((other, -self.edge_count[mine]))[:top]
        return [(int(self.edge_count[e]), float(self.edge_gold[e]) / int(self.edge_scored[e])
                 if self.edge_scored[e] else 0.0, self.names[o])
                for e, o in zip(mine[order].tolist(), other[order].tolist(), strict=True)]

    def among(self, names: Iterable[str]) -> np.ndarray:
        """The mask of the edges between two of ``names``."""
        inside = np.zeros(len(self.names), dtype=bool)
        inside[self.ids(list(names))] = True
        return inside[self.a] & inside[self.b]  # type: ignore[no-any-return]

    def touching(self, names: Iterable[str]) -> np.ndarray:
        """The mask of the edges with one end among ``names``."""
        inside = np.zeros(len(self.names), dtype=bool)
        inside[self.ids(list(names))] = True
        return inside[self.a] | inside[self.b]  # type: ignore[no-any-return]


@dataclass
class _Distinct:
    """Distinct actor names and mention texts, valid for one version of the store."""

    mark: int
    names: dict[str, list[str]]  # side -> distinct canonical names
    texts: dict[str, list[str]]  # side -> distinct mention texts


class _Pool:
    """At most ``size`` read-only connections, shared by every thread: a query borrows one and gives it back.

    Threads come and go (the server's worker threads retire when idle), so connections are not bound to
    threads: the number of open database handles stays at most ``size`` however many threads have asked.
    A borrower waits up to ``wait`` seconds for a free connection, then gets a :class:`QueryError`.
    """

    def __init__(self, opener: Callable[[], sqlite3.Connection], size: int, wait: float) -> None:
        if size < 1:
            raise ValueError("a pool holds one connection or more")
        self.size = size
        self.wait = wait
        self._opener = opener
        self._idle: list[sqlite3.Connection] = []
        self._open = 0  # connections open: idle or borrowed
        self._free = threading.Condition(threading.Lock())
        self._generation = 0  # close() moves it on: connections borrowed before are closed when given back

    @property
    def open(self) -> int:
        """Connections open now (idle or borrowed)."""
        with self._free:
            return self._open

    @contextlib.contextmanager
    def borrow(self) -> Iterator[sqlite3.Connection]:
        conn, generation = self._take()
        try:
            yield conn
        finally:
            self._give(conn, generation)

    def _take(self) -> tuple[sqlite3.Connection, int]:
        deadline = time.monotonic() + self.wait
        with self._free:
            while not self._idle and self._open >= self.size:
                left = deadline - time.monotonic()
                if left <= 0 or not self._free.wait(left):
                    raise QueryError(f"all {self.size} database connections stayed busy for {self.wait:g} s")
            if self._idle:
                return self._idle.pop(), self._generation
            self._open += 1
            generation = self._generation
        try:
            return self._opener(), generation
        except BaseException:
            with self._free:
                self._open -= 1
                self._free.notify()
            raise

    def _give(self, conn: sqlite3.Connection, generation: int) -> None:
        with self._free:
            if generation == self._generation:
                self._idle.append(conn)
                self._free.notify()
                return
        conn.close()  # borrowed before close(): it was already counted out

    def close(self) -> None:
        """Close the idle connections now and the borrowed ones when they come back (the pool stays usable)."""
        with self._free:
            idle, self._idle = self._idle, []
            self._open = 0
            self._generation += 1
            self._free.notify_all()
        for conn in idle:
            conn.close()


class ReadOnlyStore:
    """A Magpie store opened read-only (``mode=ro`` and ``query_only``): a pool of at most ``connections``
    connections shared by the threads that query it (plus one that watches for changes)."""

    def __init__(self, path: str | Path, *, cache_size: int = 256, index_limit: int = INDEX_LIMIT,
                 connections: int = 4, wait: float = 10.0) -> None:
        self.path = Path(path)
        self.cache_size = cache_size
        self.index_limit = index_limit
        self._cache: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._masks: OrderedDict[tuple[Any, ...], np.ndarray] = OrderedDict()
        self._index: tuple[int, _EventIndex | None] | None = None  # (version, index) of the last build
        self._built = float("-inf")  # when the last build started (time.monotonic)
        self._building = threading.Lock()
        if not self.path.is_file():
            raise StoreError(f"{self.path}: no such database (ingest documents first: magpie ingest … --db "
                             f"{self.path})")
        self._lock = threading.Lock()
        self._distinct: _Distinct | None = None
        self._watch: sqlite3.Connection | None = None  # asks PRAGMA data_version (under _lock)
        self.pool = _Pool(self._open, connections, wait)
        try:
            with self.borrow() as conn:
                self.version = conn.execute("PRAGMA user_version").fetchone()[0]
                row = conn.execute("SELECT value FROM meta WHERE key='fts'").fetchone()
        except sqlite3.DatabaseError as error:
            self.close()
            raise StoreError(f"{self.path}: not a Magpie store ({error})") from error
        if self.version < 1 or self.version > SCHEMA_VERSION:
            self.close()
            raise StoreError(f"{self.path}: schema version {self.version}; this Magpie reads 1 to {SCHEMA_VERSION}")
        self.fts = bool(row and row[0] == "fts5")

    # -- connections ------------------------------------------------------------------------------------------
    def borrow(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        """``with store.borrow() as conn:`` a read-only connection from the pool, given back at the end
        (:class:`QueryError` when none can be opened or none came free in time)."""
        return self.pool.borrow()

    def _open(self) -> sqlite3.Connection:
        uri = self.path.resolve().as_uri() + "?mode=ro"
        conn = None
        try:
            conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
            conn.execute("PRAGMA query_only = ON")
            conn.execute("PRAGMA busy_timeout = 5000")
            conn.execute("PRAGMA cache_size = -32768")
            conn.execute("PRAGMA mmap_size = 268435456")
        except sqlite3.Error as error:  # out of file handles, file removed…: the server's fault, not the caller's
            if conn is not None:
                conn.close()
            raise QueryError(f"{self.path}: cannot open read-only ({error})") from error
        return conn

    def close(self) -> None:
        """Close every connection (borrowed ones as they come back); a later query opens new ones."""
        self.pool.close()
        with self._lock:
            if self._watch is not None:
                self._watch.close()
                self._watch = None

    def data_version(self) -> int:
        """``PRAGMA data_version`` of a connection that only watches: it changes when another connection
        (``magpie ingest``) commits to the file, so it keys every cache."""
        with self._lock:
            try:
                if self._watch is None:
                    self._watch = self._open()
                return int(self._watch.execute("PRAGMA data_version").fetchone()[0])
            except sqlite3.Error as error:
                raise QueryError(f"{self.path}: query failed ({error})") from error

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        try:
            with self.borrow() as conn:
                return conn.execute(sql, params).fetchall()
        except sqlite3.Error as error:
            raise QueryError(f"{self.path}: query failed ({error})") from error

    # -- filters ----------------------------------------------------------------------------------------------
    def _distinct_values(self) -> _Distinct:
        mark = self.data_version()
        cached = self._distinct
        if cached is not None and cached.mark == mark:
            return cached
        names = {side: [r[0] for r in self._rows(f"SELECT DISTINCT {side}_name FROM events "
                                                 f"WHERE {side}_name IS NOT NULL")]
                 for side in ("source", "target")}
        texts = {side: [r[0] for r in self._rows(f"SELECT DISTINCT {side}_text FROM doc_events "
                                                 f"WHERE {side}_text IS NOT NULL")]
                 for side in ("source", "target")}
        fresh = _Distinct(mark, names, texts)
        self._distinct = fresh
        return fresh

    def _actor_clause(self, value: str, sides: tuple[str, ...], params: list[Any]) -> str | None:
        """query._actor_clause with its substring tests resolved over distinct values (None: too many)."""
        value = value.strip()
        if value.isascii() and value.isalpha():
            parts = []
            for side in sides:
                parts.append(f"e.{side}_code = ?")
                params.append(value.upper())
            return "(" + " OR ".join(parts) + ")"
        name = to_simplified(value)
        names, codes, countries = query._lexicon_names(name)
        names.add(name)
        distinct = self._distinct_values()
        parts: list[str] = []
        local: list[Any] = []
        for side in sides:
            matched = [n for n in distinct.names[side] if any(k in n for k in names)]
            texts = [t for t in distinct.texts[side] if name in t or value in t]
            if len(matched) > MAX_IN or len(texts) > MAX_IN:
                return None
            if matched:
                parts.append(f"e.{side}_name IN ({','.join('?' * len(matched))})")
                local.extend(matched)
            if codes:
                parts.append(f"e.{side}_code IN ({','.join('?' * len(codes))})")
                local.extend(sorted(codes))
            if countries:
                parts.append(f"e.{side}_country IN ({','.join('?' * len(countries))})")
                local.extend(sorted(countries))
            if texts:
                parts.append(f"e.event_key IN (SELECT d.event_key FROM doc_events d "
                             f"WHERE d.{side}_text IN ({','.join('?' * len(texts))}))")
                local.extend(texts)
        params.extend(local)
        return "(" + " OR ".join(parts) + ")" if parts else "0"

    def where(self, spec: EventQuery) -> tuple[str, list[Any]]:
        """The WHERE clause over ``events e`` for ``spec`` (and its parameters)."""
        filters = spec.filters
        clauses: list[str] = []
        params: list[Any] = []
        rest: dict[str, Any] = {}
        for side, sides in (("actor", ("source", "target")), ("source", ("source",)), ("target", ("target",))):
            value = getattr(filters, side)
            if not value:
                continue
            clause = self._actor_clause(value, sides, params)
            if clause is None:
                rest[side] = value  # too many names: the plain scan
            else:
                clauses.append(clause)
        plain = replace(filters, actor=rest.get("actor"), source=rest.get("source"), target=rest.get("target"),
                        limit=None)
        sql, more = query.where(plain, self.fts)
        if sql:
            clauses.append(sql.removeprefix(" WHERE "))
            params.extend(more)
        if filters.code:  # implied by the prefix test above; lets SQLite use the index on code
            clauses.append("e.code >= ? AND e.code < ?")
            params.extend([filters.code, filters.code[:-1] + chr(ord(filters.code[-1]) + 1)])
        if spec.pair:
            a, b = spec.pair
            clauses.append("((e.source_code = ? AND e.target_code = ?) OR (e.source_code = ? AND e.target_code = ?))")
            params.extend([a, b, b, a])
        if spec.country_pair:
            a, b = spec.country_pair
            clauses.append("((e.source_country = ? AND e.target_country = ?) "
                           "OR (e.source_country = ? AND e.target_country = ?))")
            params.extend([a, b, b, a])
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    # -- events -----------------------------------------------------------------------------------------------
    def events(self, spec: EventQuery) -> dict[str, Any]:
        """One page of merged events (records without their mention lists) and the total."""
        spec.validate()
        index = self._index_for(spec)
        if index is None:
            return self.events_sql(spec)
        mask = self._index_mask(index, spec)
        positions = None if mask is None else np.flatnonzero(mask)
        counted = index.size if positions is None else len(positions)
        keys = index.page(positions, spec.sort, (spec.page - 1) * spec.page_size, spec.page_size)
        return {"total": min(counted, COUNT_CAP), "total_exact": counted <= COUNT_CAP, "page": spec.page,
                "page_size": spec.page_size, "sort": spec.sort, "events": self.records(keys)}

    def events_sql(self, spec: EventQuery) -> dict[str, Any]:
        """:meth:`events` in SQL alone (when the store is too large for the event index, or just changed)."""
        spec.validate()
        where, params = self.where(spec)
        order = order_by(spec.sort)
        offset = (spec.page - 1) * spec.page_size
        # the same filters share one count whatever the sort and page (capped: counting is a scan)
        counted = self._cached(("count", where, tuple(params)), lambda: self._rows(
            f"SELECT count(*) FROM (SELECT 1 FROM events e{where} LIMIT {COUNT_CAP + 1})", params)[0][0])
        total, exact = min(counted, COUNT_CAP), counted <= COUNT_CAP
        hint = ""
        if where and SORTS[spec.sort.lstrip("-")] == "e.date" and counted:
            # many matches sorted by date: walking the date index and testing each event finds a page after
            # (offset + size) * all / matches events, cheaper than collecting and sorting every match
            everything = self._cached(("all",), lambda: self._rows("SELECT count(*) FROM events")[0][0])
            if (offset + spec.page_size) * everything / counted <= SCAN_ROWS:
                hint = " INDEXED BY events_date"
        keys = [r[0] for r in self._rows(f"SELECT e.event_key FROM events e{hint}{where}{order} LIMIT ? OFFSET ?",
                                         [*params, spec.page_size, offset])] if counted else []
        return {"total": total, "total_exact": exact, "page": spec.page,
                "page_size": spec.page_size, "sort": spec.sort, "events": self.records(keys)}

    def _index_for(self, spec: EventQuery) -> _EventIndex | None:
        """The event index, when it can answer ``spec``: every filter set is one :meth:`_EventIndex.mask` knows
        (a filter added to :class:`magpie.store.query.Filters` later is answered in SQL until the index learns it)."""
        unknown = [f.name for f in fields(spec.filters) if f.name not in INDEX_FILTERS
                   and getattr(spec.filters, f.name) is not None]
        return None if unknown else self.event_index()

    def event_index(self) -> _EventIndex | None:
        """The event index for the current version of the store, built when missing or stale (None: answer in
        SQL: over ``index_limit`` events, being built by another thread, or rebuilt too recently)."""
        if self.index_limit <= 0:
            return None
        version = self.data_version()
        current = self._index
        if current is not None and current[0] == version:
            return current[1]
        if time.monotonic() - self._built < REBUILD_SECONDS or not self._building.acquire(blocking=False):
            return None
        try:
            current = self._index
            if current is not None and current[0] == version:
                return current[1]
            self._built = time.monotonic()
            try:
                with self.borrow() as conn:
                    index = _EventIndex.build(conn, version, self.index_limit)
            except sqlite3.Error as error:
                raise QueryError(f"{self.path}: query failed ({error})") from error
            self._index = (version, index)
            with self._lock:
                self._masks.clear()
            return index
        finally:
            self._building.release()

    def _index_mask(self, index: _EventIndex, spec: EventQuery) -> np.ndarray | None:
        """The events of ``index`` matching ``spec`` (None: all); actor names, text and document matches remembered."""
        return index.mask(spec, lambda filters: self._mask(index, filters),
                          lambda value, sides: self._remembered(index, ("named", value, sides),
                                                                lambda: index.named(value, sides)))

    def _remembered(self, index: _EventIndex, what: tuple[Any, ...], compute: Callable[[], np.ndarray]) -> np.ndarray:
        """A mask over ``index``, remembered (LRU, ``MASK_BYTES``)."""
        key = (index.version, *what)
        with self._lock:
            found = self._masks.get(key)
            if found is not None:
                self._masks.move_to_end(key)
                return found
        mask = compute()
        with self._lock:
            self._masks[key] = mask
            while len(self._masks) > max(8, MASK_BYTES // max(index.size, 1)):
                self._masks.popitem(last=False)
        return mask

    def _mask(self, index: _EventIndex, filters: query.Filters) -> np.ndarray:
        """The events matching one name, text or document filter, in SQL (remembered, LRU, ``MASK_BYTES``)."""
        where, params = self.where(EventQuery(filters))

        def compute() -> np.ndarray:
            try:
                with self.borrow() as conn:
                    rows = conn.execute(f"SELECT e.event_key FROM events e{where}", params)
                    return index.select(np.fromiter((r[0] for r in rows), dtype=np.int64))
            except sqlite3.Error as error:
                raise QueryError(f"{self.path}: query failed ({error})") from error

        return self._remembered(index, (where, tuple(params)), compute)

    def records(self, keys: Sequence[int]) -> list[dict[str, Any]]:
        """Merged event records (no mention lists) for ``keys``, in that order."""
        if not keys:
            return []
        rows = self._rows(query.SELECT + f" WHERE e.event_key IN ({','.join('?' * len(keys))})", list(keys))
        found = {row[0]: query.record(row, None) for row in rows}
        return [found[k] for k in keys if k in found]

    # -- actors -----------------------------------------------------------------------------------------------
    def _pairs(self, where: str, params: list[Any], level: str = "actor") -> list[tuple[Any, ...]]:
        """(source, target, events, sum of Goldstein, events with a Goldstein score) per actor or country pair."""
        a, b = ("source_code", "target_code") if level == "actor" else ("source_country", "target_country")
        return self._cached(("pairs", level, where, tuple(params)), lambda: self._rows(
            f"SELECT e.{a}, e.{b}, count(*), total(e.goldstein), count(e.goldstein) FROM events e{where} "
            f"GROUP BY e.{a}, e.{b}", params))

    def _describe(self, where: str, params: list[Any], codes: Sequence[str]) -> dict[str, dict[str, Any]]:
        """For each actor code: its most frequent canonical name, country and role among the matching events."""
        if not codes:
            return {}
        marks = ",".join("?" * len(codes))
        joiner = " AND " if where else " WHERE "
        rows = self._rows(
            f"SELECT e.source_code, e.source_name, max(e.source_country), max(e.source_role), count(*) FROM events e"
            f"{where}{joiner}e.source_code IN ({marks}) GROUP BY 1, 2 UNION ALL "
            f"SELECT e.target_code, e.target_name, max(e.target_country), max(e.target_role), count(*) FROM events e"
            f"{where}{joiner}e.target_code IN ({marks}) GROUP BY 1, 2", [*params, *codes, *params, *codes])
        found: dict[str, dict[str, Any]] = {}
        names: dict[tuple[str, str], int] = {}
        for code, name, country, role, count in rows:
            info = found.setdefault(code, {"name": None, "country": None, "role": None})
            info["country"] = max(filter(None, (info["country"], country)), default=None)
            info["role"] = max(filter(None, (info["role"], role)), default=None)
            if name is not None:
                names[(code, name)] = names.get((code, name), 0) + count
        _best_names(found, names)
        return found

    def _positions(self, index: _EventIndex, spec: EventQuery) -> np.ndarray | None:
        """The positions in ``index`` of the events matching ``spec`` (None: all)."""
        mask = self._index_mask(index, spec)
        return None if mask is None else np.flatnonzero(mask)

    def actors(self, spec: EventQuery, q: str | None = None, limit: int = 50, offset: int = 0,
               partners: int = 5) -> dict[str, Any]:
        """Actors (codes) of the matching events with event counts, mean Goldstein and top partners."""
        spec.validate()
        index = self._index_for(spec)
        if index is None or (q and q.strip()):  # a name is searched in every spelling, in SQL
            return self.actors_sql(spec, q, limit, offset, partners)

        def compute() -> dict[str, Any]:
            positions = self._positions(index, spec)
            return _actors(index.graph(positions, "actor"), q, limit, offset, partners,
                           lambda codes: index.describe(positions, codes)[0])

        return self._cached(("actors", index.version, *_what(spec), q, limit, offset, partners), compute)

    def actors_sql(self, spec: EventQuery, q: str | None = None, limit: int = 50, offset: int = 0,
                   partners: int = 5) -> dict[str, Any]:
        """:meth:`actors` in SQL alone (when the store is too large for the event index, or just changed)."""
        spec.validate()
        where, params = self.where(spec)
        graph = _Graph.from_pairs(self._pairs(where, params))
        only = None
        if q and q.strip():  # a code prefix, or a name in any spelling the lexicon knows (magpie.web.analyst_queries)
            from .actor_search import actor_codes_named

            only = actor_codes_named(self, where, params, q)
        return _actors(graph, None, limit, offset, partners, lambda codes: self._describe(where, params, codes),
                       only)

    def actor(self, code: str, spec: EventQuery, recent: int = 10) -> dict[str, Any] | None:
        """One actor code: names, counts, dates, breakdowns, top partners and recent events (None: no events)."""
        spec.validate()
        index = self._index_for(spec)
        if index is None:
            return self.actor_sql(code, spec, recent)

        def compute() -> dict[str, Any] | None:
            vocabulary, source, target = index.ends["actor"]
            at = bisect.bisect_left(vocabulary, code)
            if at == len(vocabulary) or vocabulary[at] != code:
                return None
            mask = self._index_mask(index, spec)
            sides = (source == at, target == at)
            mine = sides[0] | sides[1]
            positions = np.flatnonzero(mine if mask is None else mine & mask)
            if not len(positions):
                return None
            info, named = index.describe(positions, [code])
            dates = index.codes["date"][positions]
            dated = dates[dates > 0] if index.values["date"] and index.values["date"][0] is None else dates
            gold = index.gold[positions]
            quads = np.bincount(index.codes["quad_class"][positions], minlength=len(index.values["quad_class"]))
            graph = index.graph(positions, "actor")
            partners = sorted(((n, g / sc if sc else 0.0, b if a == code else a)
                               for a, b, n, g, sc in graph.edges(graph.touching([code]))), key=lambda t: (-t[0], t[2]))
            names = sorted(((name, n) for (_, name), n in named.items()), key=lambda t: (-t[1], t[0]))[:10]
            return {"code": code, "country": info[code]["country"], "role": info[code]["role"],
                    "names": [{"name": n, "events": c} for n, c in names],
                    "events": len(positions), "as_source": int(sides[0][positions].sum()),
                    "as_target": int(sides[1][positions].sum()),
                    "first_date": index.values["date"][dates.min()] if len(dated) else None,
                    "last_date": index.values["date"][dates.max()] if len(dated) else None,
                    "goldstein": _round(float(np.nanmean(gold))) if (~np.isnan(gold)).any() else None,
                    "per_quad": {str(q): int(quads[i]) for i, q in enumerate(index.values["quad_class"])
                                 if q is not None and quads[i]},
                    "per_root": index.per_root(positions),
                    "partners": [{"code": other, "events": n, "goldstein": _round(g)} for n, g, other in partners[:10]],
                    "recent": index.page(positions, "-date", 0, recent)}

        found = self._cached(("actor", index.version, code, *_what(spec), recent), compute)
        return None if found is None else {**found, "recent": self.records(found["recent"])}

    def actor_sql(self, code: str, spec: EventQuery, recent: int = 10) -> dict[str, Any] | None:
        """:meth:`actor` in SQL alone (when the store is too large for the event index, or just changed)."""
        spec.validate()
        where, params = self.where(spec)
        where = (where + " AND " if where else " WHERE ") + "(e.source_code = ? OR e.target_code = ?)"
        params = [*params, code, code]
        summary = self._rows(
            f"SELECT count(*), total(e.source_code = ?), total(e.target_code = ?), min(e.date), max(e.date), "
            f"avg(e.goldstein) FROM events e{where}", [code, code, *params])[0]
        if not summary[0]:
            return None
        names = self._rows(
            f"SELECT name, sum(n) FROM (SELECT e.source_name AS name, count(*) AS n FROM events e{where} "
            f"AND e.source_code = ? GROUP BY 1 UNION ALL SELECT e.target_name, count(*) FROM events e{where} "
            f"AND e.target_code = ? GROUP BY 1) WHERE name IS NOT NULL GROUP BY name ORDER BY sum(n) DESC, name "
            f"LIMIT 10", [*params, code, *params, code])
        info = self._describe(where, params, [code]).get(code, {})
        quads = self._rows(f"SELECT e.quad_class, count(*) FROM events e{where} GROUP BY e.quad_class", params)
        roots = self._rows(f"SELECT e.root_code, count(*), avg(e.goldstein) FROM events e{where} "
                           f"GROUP BY e.root_code ORDER BY e.root_code", params)
        graph = _Graph.from_pairs(self._pairs(where, params))
        partners = sorted(((n, g / sc if sc else 0.0, b if a == code else a)
                           for a, b, n, g, sc in graph.edges(graph.touching([code]))), key=lambda t: (-t[0], t[2]))[:10]
        keys = [r[0] for r in self._rows(f"SELECT e.event_key FROM events e{where} "
                                         f"ORDER BY e.date DESC, e.event_key DESC LIMIT ?", [*params, recent])]
        return {"code": code, "country": info.get("country"), "role": info.get("role"),
                "names": [{"name": n, "events": int(c)} for n, c in names],
                "events": summary[0], "as_source": int(summary[1]), "as_target": int(summary[2]),
                "first_date": summary[3], "last_date": summary[4], "goldstein": _round(summary[5]),
                "per_quad": {str(q): c for q, c in quads if q is not None},
                "per_root": [{"root": r, "events": c, "goldstein": _round(g)} for r, c, g in roots],
                "partners": [{"code": other, "events": int(n), "goldstein": _round(g)} for n, g, other in partners],
                "recent": self.records(keys)}

    # -- documents --------------------------------------------------------------------------------------------
    def document(self, doc_id: str) -> dict[str, Any] | None:
        """One document: metadata, original text, what cleaning removed, and every event with its offsets."""
        rows = self._rows("SELECT doc_key, id, source, url, title, published, published_inferred, script, removed, "
                          "duplicate_of, similarity, chars, events, text FROM documents WHERE id = ?", [doc_id])
        if not rows:
            return None
        (doc_key, ident, source, url, title, published, inferred, script, removed, duplicate_of, similarity,
         chars, n_events, text) = rows[0]
        spans = []
        for span in json.loads(removed):
            start, end = int(span["start"]), int(span["end"])
            spans.append({"start": start, "end": end, "reason": span.get("reason"), "text": text[start:end]})
        events = []
        doc_events = self._rows(
            "SELECT de.doc_event_key, de.event_key, de.record, e.event_id, e.num_mentions, e.num_articles, "
            "e.num_sources, e.doc_key = de.doc_key FROM doc_events de JOIN events e ON e.event_key = de.event_key "
            "WHERE de.doc_key = ? ORDER BY de.doc_event_key", [doc_key])
        mentions: dict[int, list[dict[str, Any]]] = {}
        for key, sentence, s_start, s_end, trigger, t_start, t_end, is_evidence in self._rows(
                "SELECT doc_event_key, sentence, sentence_start, sentence_end, trigger, trigger_start, trigger_end, "
                "is_evidence FROM mentions WHERE doc_key = ? ORDER BY mention_key", [doc_key]):
            mentions.setdefault(key, []).append(
                {"sentence": sentence, "start": s_start, "end": s_end, "is_evidence": bool(is_evidence),
                 "trigger": {"text": trigger, "start": t_start, "end": t_end}})
        for key, event_key, record_json, merged_id, n_mentions, n_articles, n_sources, first in doc_events:
            record = json.loads(record_json)
            record["mentions"] = mentions.get(key, [])
            record["global_event_id"] = event_key
            record["merged"] = {"event_id": merged_id, "num_mentions": n_mentions, "num_articles": n_articles,
                                "num_sources": n_sources, "first_article": bool(first)}
            events.append(record)
        copies = [r[0] for r in self._rows("SELECT id FROM documents WHERE duplicate_of = ? ORDER BY doc_key LIMIT 50",
                                           [ident])]
        return {"id": ident, "title": title, "source": source, "url": url, "published": published,
                "published_inferred": bool(inferred), "script": script, "chars": chars, "duplicate_of": duplicate_of,
                "similarity": similarity, "copies": copies, "text": text, "removed": spans,
                "num_events": n_events, "events": events}

    # -- statistics -------------------------------------------------------------------------------------------
    def stats(self, spec: EventQuery, pairs: int = 50) -> dict[str, Any]:
        """Events per day per QuadClass, per QuadClass, per root and per country pair (undirected) for ``spec``."""
        spec.validate()
        index = self._index_for(spec)
        if index is None:
            return self.stats_sql(spec, pairs)
        found = self._cached(("stats", index.version, *_what(spec), pairs),
                             lambda: index.stats(self._positions(index, spec), pairs))
        return {**found, "per_day": found["per_day"].rows()}

    def network(self, spec: EventQuery, level: str = "actor", nodes: int = 40) -> dict[str, Any]:
        """The top ``nodes`` actors (or countries) of the matching events and the edges among them."""
        spec.validate()
        if level not in ("actor", "country"):
            raise StoreError(f"level={level!r}: expected actor or country")
        index = self._index_for(spec)
        if index is None:
            return self.network_sql(spec, level, nodes)

        def compute() -> dict[str, Any]:
            positions = self._positions(index, spec)
            return _network(index.graph(positions, level), level, nodes,
                            lambda codes: index.describe(positions, codes)[0])

        return self._cached(("network", index.version, *_what(spec), level, nodes), compute)

    def stats_sql(self, spec: EventQuery, pairs: int = 50) -> dict[str, Any]:
        """:meth:`stats` in SQL alone (when the store is too large for the event index, or just changed)."""
        spec.validate()
        where, params = self.where(spec)

        def compute() -> dict[str, Any]:
            days: dict[str, dict[str, int]] = {}
            partial = total = 0
            quads = {"1": 0, "2": 0, "3": 0, "4": 0}
            for date, quad, count in self._rows(f"SELECT e.date, e.quad_class, count(*) FROM events e{where} "
                                                f"GROUP BY e.date, e.quad_class ORDER BY e.date", params):
                total += count
                if quad is not None:
                    quads[str(quad)] = quads.get(str(quad), 0) + count
                if date is None or len(date) != 10:
                    partial += count
                    continue
                day = days.setdefault(date, {"1": 0, "2": 0, "3": 0, "4": 0})
                if quad is not None:
                    day[str(quad)] = day.get(str(quad), 0) + count
            roots = self._rows(f"SELECT e.root_code, count(*), avg(e.goldstein) FROM events e{where} "
                               f"GROUP BY e.root_code ORDER BY e.root_code", params)
            return {"total": total, "dated": total - partial, "partial_dates": partial,
                    "per_day": [{"date": d, **{f"q{k}": v for k, v in c.items()}} for d, c in days.items()],
                    "per_quad": quads,
                    "per_root": [{"root": r, "events": c, "goldstein": _round(g)} for r, c, g in roots],
                    "per_country_pair": _country_pairs(_Graph.from_pairs(self._pairs(where, params, "country")),
                                                       pairs)}

        return self._cached(("stats", where, tuple(params), pairs), compute)

    def network_sql(self, spec: EventQuery, level: str = "actor", nodes: int = 40) -> dict[str, Any]:
        """:meth:`network` in SQL alone (when the store is too large for the event index, or just changed)."""
        spec.validate()
        if level not in ("actor", "country"):
            raise StoreError(f"level={level!r}: expected actor or country")
        where, params = self.where(spec)
        return _network(_Graph.from_pairs(self._pairs(where, params, level)), level, nodes,
                        lambda codes: self._describe(where, params, codes))

    # -- cache ------------------------------------------------------------------------------------------------
    def _cached(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        """``compute()``, remembered for the same key while the store does not change (LRU, ``cache_size``)."""
        if self.cache_size <= 0:
            return compute()
        full = (key, self.data_version())
        with self._lock:
            if full in self._cache:
                self._cache.move_to_end(full)
                return self._cache[full]  # type: ignore[no-any-return]
        value = compute()
        with self._lock:
            self._cache[full] = value
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        return value


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 2)


def _what(spec: EventQuery) -> tuple[Any, ...]:
    """The part of ``spec`` that aggregates depend on (not the sort or page): a cache key."""
    return spec.filters, spec.pair, spec.country_pair


def _best_names(found: dict[str, dict[str, Any]], names: dict[tuple[str, str], int]) -> None:
    """Set each code's name to its most frequent one (ties: the greater name)."""
    best: dict[str, tuple[int, str]] = {}
    for (code, name), count in names.items():
        if code not in best or (count, name) > best[code]:
            best[code] = (count, name)
    for code, (_, name) in best.items():
        found[code]["name"] = name


def _country_pairs(graph: _Graph, pairs: int) -> list[dict[str, Any]]:
    return [{"a": a, "b": b, "events": n, "goldstein": _round(g / sc) if sc else None}
            for a, b, n, g, sc in graph.edges(top=pairs)]


def _network(graph: _Graph, level: str, nodes: int,
             describe: Callable[[list[str]], dict[str, dict[str, Any]]]) -> dict[str, Any]:
    top = graph.ranked()[:nodes]
    info = describe(top) if level == "actor" else {}
    counts = {k: graph.node(k) for k in top}
    return {"level": level,
            "nodes": [{"id": k, "name": info.get(k, {}).get("name"), "events": counts[k][0],
                       "goldstein": _round(counts[k][1] / counts[k][2]) if counts[k][2] else None} for k in top],
            "edges": [{"source": a, "target": b, "events": n, "goldstein": _round(g / sc) if sc else None}
                      for a, b, n, g, sc in graph.edges(graph.among(top))]}


def order_by(sort: str) -> str:
    """The ORDER BY clause of a sort (a key of SORTS, ``-`` for descending); ties broken by the event key."""
    column = SORTS[sort.lstrip("-")]
    direction = "DESC" if sort.startswith("-") else "ASC"
    if column == "e.event_key":
        return f" ORDER BY e.event_key {direction}"
    return f" ORDER BY {column} {direction}, e.event_key {direction}"


def _actors(graph: _Graph, q: str | None, limit: int, offset: int, partners: int,
            describe: Callable[[list[str]], dict[str, dict[str, Any]]], only: set[str] | None = None) -> dict[str, Any]:
    codes = graph.ranked()
    if only is not None:
        codes = [c for c in codes if c in only]
    if q and q.strip():
        needle, simple = q.strip().upper(), to_simplified(q.strip())
        named = describe(codes) if not needle.isascii() else {}
        codes = [c for c in codes if c.startswith(needle) or simple in (named.get(c, {}).get("name") or "")]
    page = codes[offset: offset + limit]
    info = describe(page)
    result = []
    for code in page:
        count, gold, scored = graph.node(code)
        top = graph.partners(code, partners)
        result.append({"code": code, **info.get(code, {"name": None, "country": None, "role": None}),
                       "events": count, "goldstein": _round(gold / scored) if scored else None,
                       "partners": [{"code": other, "events": n, "goldstein": _round(g)} for n, g, other in top]})
    return {"total": len(codes), "limit": limit, "offset": offset, "actors": result}


def _like_prefix(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def make_query(filters: dict[str, Any], *, pair: Iterable[str] | None = None,
               country_pair: Iterable[str] | None = None, sort: str = "-date", page: int = 1,
               page_size: int = 50) -> EventQuery:
    """An :class:`EventQuery` from plain values (validated; raises StoreError with a message)."""
    spec = EventQuery(query.Filters.make(**filters),
                      tuple(p.strip().upper() for p in pair) if pair is not None else None,  # type: ignore[arg-type]
                      tuple(p.strip().upper() for p in country_pair)  # type: ignore[arg-type]
                      if country_pair is not None else None,
                      sort, page, page_size)
    spec.validate()
    return spec
