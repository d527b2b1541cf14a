"""Read-only queries for the web application (``magpie serve``): paged events, actors, documents, statistics.

Everything here reads; nothing writes. :class:`ReadOnlyStore` opens the database with SQLite's
``mode=ro`` URI and ``PRAGMA query_only``, one connection per thread. The event filters are
:class:`magpie.store.query.Filters` with the same meaning as ``magpie export`` (the WHERE clause
comes from :func:`magpie.store.query.where`); two things are added for the web:

* an **actor name** (普京, 俄羅斯 …) is matched exactly as :mod:`magpie.store.query` matches it —
  the same substring tests over canonical names and mention texts, the same lexicon spellings —
  but the substring tests run once over the *distinct* names and mention texts (cached until the
  store grows), so the query itself is an indexed ``IN`` list instead of a scan of every event;
* ``pair`` (two actor codes, either direction) and ``country_pair`` (two countries): the events
  of one edge of the network.

``/api/events`` is answered from an in-memory **event index** (:class:`_EventIndex`: the columns that
the common filters and every sort read, one small integer per event and column, numpy) when the
store has at most ``index_limit`` events: codes, countries, roots, QuadClasses, dates and pairs are
tested there, sorting and paging is a partial sort of the matches, and the count is exact. Names,
text and document filters still run in SQL (the clauses above), their matching events remembered
(LRU) per filter. The index and every cache are keyed on ``PRAGMA data_version`` of one connection
that only watches, so a concurrent ``magpie ingest`` into the same file invalidates them; the index
is rebuilt at most every ``REBUILD_SECONDS`` (between rebuilds, a changed store is answered by SQL).
"""

from __future__ import annotations

import array
import bisect
import json
import re
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from ..errors import StoreError
from ..normalise import to_simplified
from . import query
from .schema import SCHEMA_VERSION

__all__ = ["MAX_PAGE_SIZE", "SORTS", "EventQuery", "QueryError", "ReadOnlyStore", "make_query"]

T = TypeVar("T")

MAX_PAGE_SIZE = 200
MAX_PAGE = 100_000
COUNT_CAP = 10_000  # totals above this are reported as "at least" (total_exact: false)
SCAN_ROWS = 20_000  # events a date-ordered page may walk before collecting and sorting is cheaper
MAX_IN = 900  # longest IN list for resolved names; beyond it, the plain scan of magpie.store.query
INDEX_LIMIT = 2_000_000  # most events held in the in-memory event index (about 60 bytes each)
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
                 "source_country": str, "target_country": str}


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

    @classmethod
    def build(cls, conn: sqlite3.Connection, version: int, limit: int) -> _EventIndex | None:
        """Read the columns (one statement: one consistent read); None when over ``limit`` events or when a
        column holds what its type does not say, text among numbers or the reverse (then SQL answers)."""
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
        return cls(version, np.frombuffer(keys, dtype=np.int64).copy(), built)

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

    def select(self, found: np.ndarray) -> np.ndarray:
        """The mask of the events whose keys are in ``found`` (keys the index does not hold are ignored)."""
        mask = np.zeros(self.size, dtype=bool)
        if len(found) and self.size:
            at = np.searchsorted(self.keys, found)
            inside = at < self.size
            at, found = at[inside], found[inside]
            mask[at[self.keys[at] == found]] = True
        return mask

    def mask(self, spec: EventQuery, in_sql: Callable[[query.Filters], np.ndarray]) -> np.ndarray | None:
        """The events matching ``spec`` (None: all), with what :meth:`ReadOnlyStore.where` means by it; names,
        text and document filters through ``in_sql``."""
        f = spec.filters
        masks: list[np.ndarray] = []
        for name, sides in (("actor", ("source", "target")), ("source", ("source",)), ("target", ("target",))):
            value = getattr(f, name)
            if not value:
                continue
            plain = value.strip()
            if plain.isascii() and plain.isalpha():  # an actor code (as _actor_clause)
                masks.append(_any(self.equal(f"{side}_code", plain.upper()) for side in sides))
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


def _any(masks: Iterable[np.ndarray]) -> np.ndarray:
    result: np.ndarray | None = None
    for mask in masks:
        result = mask if result is None else result | mask
    assert result is not None
    return result


@dataclass
class _Distinct:
    """Distinct actor names and mention texts, valid for one version of the store."""

    mark: int
    names: dict[str, list[str]]  # side -> distinct canonical names
    texts: dict[str, list[str]]  # side -> distinct mention texts


class ReadOnlyStore:
    """A Magpie store opened read-only (``mode=ro`` and ``query_only``), a connection per thread."""

    def __init__(self, path: str | Path, *, cache_size: int = 256, index_limit: int = INDEX_LIMIT) -> None:
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
        self._local = threading.local()
        self._lock = threading.Lock()
        self._distinct: _Distinct | None = None
        self._all: list[sqlite3.Connection] = []
        self._watch: sqlite3.Connection | None = None  # asks PRAGMA data_version (under _lock)
        conn = self.connection()
        try:
            self.version = conn.execute("PRAGMA user_version").fetchone()[0]
            row = conn.execute("SELECT value FROM meta WHERE key='fts'").fetchone()
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{self.path}: not a Magpie store ({error})") from error
        if self.version < 1 or self.version > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: schema version {self.version}; this Magpie reads 1 to {SCHEMA_VERSION}")
        self.fts = bool(row and row[0] == "fts5")

    # -- connections ------------------------------------------------------------------------------------------
    def connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._open()
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    def _open(self) -> sqlite3.Connection:
        uri = self.path.resolve().as_uri() + "?mode=ro"
        try:
            conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
            conn.execute("PRAGMA query_only = ON")
            conn.execute("PRAGMA busy_timeout = 5000")
            conn.execute("PRAGMA cache_size = -32768")
            conn.execute("PRAGMA mmap_size = 268435456")
        except sqlite3.Error as error:
            raise StoreError(f"{self.path}: cannot open read-only ({error})") from error
        return conn

    def close(self) -> None:
        with self._lock:
            for conn in self._all:
                conn.close()
            self._all.clear()
            if self._watch is not None:
                self._watch.close()
                self._watch = None
        self._local = threading.local()

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
            return self.connection().execute(sql, params).fetchall()
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
        index = self.event_index()
        if index is None:
            return self.events_sql(spec)
        mask = index.mask(spec, lambda filters: self._mask(index, filters))
        positions = None if mask is None else np.flatnonzero(mask)
        counted = index.size if positions is None else len(positions)
        keys = index.page(positions, spec.sort, (spec.page - 1) * spec.page_size, spec.page_size)
        return {"total": min(counted, COUNT_CAP), "total_exact": counted <= COUNT_CAP, "page": spec.page,
                "page_size": spec.page_size, "sort": spec.sort, "events": self.records(keys)}

    def events_sql(self, spec: EventQuery) -> dict[str, Any]:
        """:meth:`events` in SQL alone (when the store is too large for the event index, or just changed)."""
        spec.validate()
        where, params = self.where(spec)
        column = SORTS[spec.sort.lstrip("-")]
        direction = "DESC" if spec.sort.startswith("-") else "ASC"
        order = f" ORDER BY {column} {direction}, e.event_key {direction}" if column != "e.event_key" \
            else f" ORDER BY e.event_key {direction}"
        offset = (spec.page - 1) * spec.page_size
        # the same filters share one count whatever the sort and page (capped: counting is a scan)
        counted = self._cached(("count", where, tuple(params)), lambda: self._rows(
            f"SELECT count(*) FROM (SELECT 1 FROM events e{where} LIMIT {COUNT_CAP + 1})", params)[0][0])
        total, exact = min(counted, COUNT_CAP), counted <= COUNT_CAP
        hint = ""
        if where and column == "e.date" and counted:
            # many matches sorted by date: walking the date index and testing each event finds a page after
            # (offset + size) * all / matches events, cheaper than collecting and sorting every match
            everything = self._cached(("all",), lambda: self._rows("SELECT count(*) FROM events")[0][0])
            if (offset + spec.page_size) * everything / counted <= SCAN_ROWS:
                hint = " INDEXED BY events_date"
        keys = [r[0] for r in self._rows(f"SELECT e.event_key FROM events e{hint}{where}{order} LIMIT ? OFFSET ?",
                                         [*params, spec.page_size, offset])] if counted else []
        return {"total": total, "total_exact": exact, "page": spec.page,
                "page_size": spec.page_size, "sort": spec.sort, "events": self.records(keys)}

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
                index = _EventIndex.build(self.connection(), version, self.index_limit)
            except sqlite3.Error as error:
                raise QueryError(f"{self.path}: query failed ({error})") from error
            self._index = (version, index)
            with self._lock:
                self._masks.clear()
            return index
        finally:
            self._building.release()

    def _mask(self, index: _EventIndex, filters: query.Filters) -> np.ndarray:
        """The events matching one name, text or document filter, in SQL (remembered, LRU, ``MASK_BYTES``)."""
        where, params = self.where(EventQuery(filters))
        key = (index.version, where, tuple(params))
        with self._lock:
            found = self._masks.get(key)
            if found is not None:
                self._masks.move_to_end(key)
                return found
        try:
            rows = self.connection().execute(f"SELECT e.event_key FROM events e{where}", params)
            mask = index.select(np.fromiter((r[0] for r in rows), dtype=np.int64))
        except sqlite3.Error as error:
            raise QueryError(f"{self.path}: query failed ({error})") from error
        with self._lock:
            self._masks[key] = mask
            while len(self._masks) > max(8, MASK_BYTES // max(index.size, 1)):
                self._masks.popitem(last=False)
        return mask

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

    @staticmethod
    def _tally(pairs: Iterable[tuple[Any, ...]]) -> tuple[dict[str, list[float]], dict[tuple[str, str], list[float]]]:
        """Per node [events, Goldstein sum, scored] and per undirected edge the same, from directed pair counts."""
        nodes: dict[str, list[float]] = {}
        edges: dict[tuple[str, str], list[float]] = {}
        for source, target, count, gold, scored in pairs:
            for node in {source, target} - {None}:
                entry = nodes.setdefault(node, [0, 0.0, 0])
                entry[0] += count
                entry[1] += gold
                entry[2] += scored
            if source is not None and target is not None and source != target:
                entry = edges.setdefault((min(source, target), max(source, target)), [0, 0.0, 0])
                entry[0] += count
                entry[1] += gold
                entry[2] += scored
        return nodes, edges

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
            info = found.setdefault(code, {"name": None, "country": country, "role": role})
            info["country"] = info["country"] or country
            info["role"] = info["role"] or role
            if name is not None:
                names[(code, name)] = names.get((code, name), 0) + count
        best: dict[str, tuple[int, str]] = {}
        for (code, name), count in names.items():
            if code not in best or (count, name) > best[code]:
                best[code] = (count, name)
        for code, (_, name) in best.items():
            found[code]["name"] = name
        return found

    def actors(self, spec: EventQuery, q: str | None = None, limit: int = 50, offset: int = 0,
               partners: int = 5) -> dict[str, Any]:
        """Actors (codes) of the matching events with event counts, mean Goldstein and top partners."""
        spec.validate()
        where, params = self.where(spec)
        pairs = self._pairs(where, params)
        nodes, edges = self._tally(pairs)
        codes = sorted(nodes, key=lambda c: (-nodes[c][0], c))
        if q and q.strip():  # a code prefix, or a name in any spelling the lexicon knows (magpie.web.analyst_queries)
            from ..web.analyst_queries import actor_codes_named

            wanted = actor_codes_named(self, where, params, q)
            codes = [c for c in codes if c in wanted]
        page = codes[offset: offset + limit]
        info = self._describe(where, params, page)
        neighbours: dict[str, list[tuple[int, float, str]]] = {}
        wanted = set(page)
        for (a, b), (count, gold, scored) in edges.items():
            for node, other in ((a, b), (b, a)):
                if node in wanted:
                    neighbours.setdefault(node, []).append((count, gold / scored if scored else 0.0, other))
        result = []
        for code in page:
            count, gold, scored = nodes[code]
            top = sorted(neighbours.get(code, []), key=lambda t: (-t[0], t[2]))[:partners]
            result.append({"code": code, **info.get(code, {"name": None, "country": None, "role": None}),
                           "events": int(count), "goldstein": _round(gold / scored) if scored else None,
                           "partners": [{"code": other, "events": int(n), "goldstein": _round(g)}
                                        for n, g, other in top]})
        return {"total": len(codes), "limit": limit, "offset": offset, "actors": result}

    def actor(self, code: str, spec: EventQuery, recent: int = 10) -> dict[str, Any] | None:
        """One actor code: names, counts, dates, breakdowns, top partners and recent events (None: no events)."""
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
        _, edges = self._tally(self._pairs(where, params))
        partners = sorted(((n, g / s if s else 0.0, b if a == code else a) for (a, b), (n, g, s) in edges.items()
                           if code in (a, b)), key=lambda t: (-t[0], t[2]))[:10]
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
            _, edges = self._tally(self._pairs(where, params, "country"))
            top = sorted(edges.items(), key=lambda item: (-item[1][0], item[0]))[:pairs]
            return {"total": total, "dated": total - partial, "partial_dates": partial,
                    "per_day": [{"date": d, **{f"q{k}": v for k, v in c.items()}} for d, c in days.items()],
                    "per_quad": quads,
                    "per_root": [{"root": r, "events": c, "goldstein": _round(g)} for r, c, g in roots],
                    "per_country_pair": [{"a": a, "b": b, "events": int(n), "goldstein": _round(g / s) if s else None}
                                         for (a, b), (n, g, s) in top]}

        return self._cached(("stats", where, tuple(params), pairs), compute)

    def network(self, spec: EventQuery, level: str = "actor", nodes: int = 40) -> dict[str, Any]:
        """The top ``nodes`` actors (or countries) of the matching events and the edges among them."""
        spec.validate()
        if level not in ("actor", "country"):
            raise StoreError(f"level={level!r}: expected actor or country")
        where, params = self.where(spec)
        counts, edges = self._tally(self._pairs(where, params, level))
        top = sorted(counts, key=lambda k: (-counts[k][0], k))[:nodes]
        chosen = set(top)
        info = self._describe(where, params, top) if level == "actor" else {}
        links = sorted(((a, b, v) for (a, b), v in edges.items() if a in chosen and b in chosen),
                       key=lambda t: (-t[2][0], t[0], t[1]))
        return {"level": level,
                "nodes": [{"id": k, "name": info.get(k, {}).get("name"), "events": int(counts[k][0]),
                           "goldstein": _round(counts[k][1] / counts[k][2]) if counts[k][2] else None} for k in top],
                "edges": [{"source": a, "target": b, "events": int(n), "goldstein": _round(g / s) if s else None}
                          for a, b, (n, g, s) in links]}

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
