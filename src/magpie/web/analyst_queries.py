"""Read-only queries for the analysts' additions to the web application (issue 12).

Kept apart from :mod:`magpie.web.queries` (the table, timeline and network queries), and written
against its :class:`ReadOnlyStore`: its ``where()`` (the same filters as every page), ``records()``
and its caches. Everything here reads.

* :func:`spellings` and :func:`actor_codes_named` — an actor search (``/api/actors?q=``) in every
  spelling and script the lexicon knows: 普丁, 蒲亭 and 普京 find the same actor;
* :func:`event_keys` and :func:`download_rows` — every event of a filtered view, in the table's order,
  for the CSV and JSONL downloads;
* :func:`places` — the places of the matching events that have coordinates, for the map;
* :func:`actor_timeline` — events of one actor per day (or month) and QuadClass, for the actor page.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import orjson

from ..store import query
from .actor_search import SCRIPT_CONFIGS, actor_codes_named, spellings  # noqa: F401 (re-exported)

if TYPE_CHECKING:
    from .queries import EventQuery, ReadOnlyStore

DOWNLOAD_LIMIT = 1_000_000  # most events one download holds
DOWNLOAD_BATCH = 500  # event records read per query while a download streams
PLACES_LIMIT = 2_000  # most places on the map (the busiest)


# -- downloads ------------------------------------------------------------------------------------------------

def event_keys(store: ReadOnlyStore, spec: EventQuery, limit: int = DOWNLOAD_LIMIT) -> list[int]:
    """Keys of every event matching ``spec``, in its sort order (the table's order), at most ``limit``."""
    from .queries import order_by

    spec.validate()
    where, params = store.where(spec)
    order = order_by(spec.sort)
    return [r[0] for r in store._rows(f"SELECT e.event_key FROM events e{where}{order} LIMIT ?", [*params, limit])]


def download_rows(store: ReadOnlyStore, keys: Sequence[int]) -> Iterator[dict[str, Any]]:
    """The merged event records of ``keys`` (as ``/api/events`` gives them), read in batches."""
    for start in range(0, len(keys), DOWNLOAD_BATCH):
        yield from store.records(keys[start : start + DOWNLOAD_BATCH])


def csv_lines(records: Iterator[dict[str, Any]]) -> Iterator[str]:
    """CSV text (RFC 4180, a header row, the columns of ``magpie export --format csv``) for records, ~64 KB at a
    time."""
    import csv
    import io

    columns = [name for name, _ in query.FLAT_COLUMNS]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    for record in records:
        writer.writerow(query.flat(record))
        if buffer.tell() > 64_000:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def jsonl_lines(records: Iterator[dict[str, Any]]) -> Iterator[str]:
    """One JSON object per line, the records exactly as ``/api/events`` gives them (yielded ~64 KB at a time:
    each chunk a response streams costs a hop to a worker thread)."""
    lines: list[str] = []
    size = 0
    for record in records:
        line = orjson.dumps(record).decode("utf-8") + "\n"  # as /api/events encodes them
        lines.append(line)
        size += len(line)
        if size > 64_000:
            yield "".join(lines)
            lines, size = [], 0
    yield "".join(lines)


# -- map ------------------------------------------------------------------------------------------------------

def places(store: ReadOnlyStore, spec: EventQuery, limit: int = PLACES_LIMIT) -> dict[str, Any]:
    """Places with coordinates among the matching events: events per place and QuadClass, mean Goldstein,
    first and last date; the events placed only to a country (``countries``: place_country, no coordinates);
    how many matching events there are and how many have coordinates."""
    spec.validate()
    where, params = store.where(spec)
    joiner = " AND " if where else " WHERE "

    def compute() -> dict[str, Any]:
        rows = store._rows(
            f"SELECT e.place_name, e.place_country, e.place_lat, e.place_lon, count(*), "
            f"total(e.quad_class = 1), total(e.quad_class = 2), total(e.quad_class = 3), total(e.quad_class = 4), "
            f"avg(e.goldstein), min(e.date), max(e.date) FROM events e{where}{joiner}"
            f"e.place_lat IS NOT NULL AND e.place_lon IS NOT NULL "
            f"GROUP BY e.place_name, e.place_country, e.place_lat, e.place_lon ORDER BY count(*) DESC, e.place_name "
            f"LIMIT ?", [*params, limit])
        total = store._rows(f"SELECT count(*), total(e.place_lat IS NOT NULL AND e.place_lon IS NOT NULL) "
                            f"FROM events e{where}", params)[0]
        countries = store._rows(
            f"SELECT e.place_country, count(*) FROM events e{where}{joiner}e.place_country IS NOT NULL AND "
            f"(e.place_lat IS NULL OR e.place_lon IS NULL) GROUP BY e.place_country ORDER BY count(*) DESC, 1", params)
        return {"events": int(total[0]), "located": int(total[1]),
                "countries": [{"country": c, "events": int(n)} for c, n in countries], "places": [
            {"name": name, "country": country, "lat": lat, "lon": lon, "events": int(n),
             "per_quad": {"1": int(q1), "2": int(q2), "3": int(q3), "4": int(q4)},
             "goldstein": None if gold is None else round(float(gold), 2), "first_date": first, "last_date": last}
            for name, country, lat, lon, n, q1, q2, q3, q4, gold, first, last in rows]}

    return store._cached(("analyst-places", where, tuple(params), limit), compute)


# -- actor page -----------------------------------------------------------------------------------------------

def actor_timeline(store: ReadOnlyStore, code: str, spec: EventQuery) -> list[dict[str, Any]]:
    """Events of actor ``code`` (source or target) per date and QuadClass: ``[{date, q1..q4, as_source,
    as_target}]`` in date order; partial dates (2015, 2017-11) kept as they are, undated events last."""
    spec.validate()
    where, params = store.where(spec)
    where = (where + " AND " if where else " WHERE ") + "(e.source_code = ? OR e.target_code = ?)"
    rows = store._rows(
        f"SELECT e.date, e.quad_class, count(*), total(e.source_code = ?), total(e.target_code = ?) "
        f"FROM events e{where} GROUP BY e.date, e.quad_class ORDER BY e.date IS NULL, e.date",
        [code, code, *params, code, code])
    out: dict[str | None, dict[str, Any]] = {}
    for date, quad, count, as_source, as_target in rows:
        entry = out.setdefault(date, {"date": date, "q1": 0, "q2": 0, "q3": 0, "q4": 0, "as_source": 0,
                                      "as_target": 0})
        if quad in (1, 2, 3, 4):
            entry[f"q{quad}"] += int(count)
        entry["as_source"] += int(as_source)
        entry["as_target"] += int(as_target)
    return list(out.values())


def actor_counterparts(store: ReadOnlyStore, code: str, spec: EventQuery, limit: int = 100) -> list[dict[str, Any]]:
    """Every counterpart of actor ``code`` among the matching events (busiest first): its most frequent name,
    country, events (``outgoing``: ``code`` is the source, ``incoming``: the target), per QuadClass, mean
    Goldstein, first and last date."""
    spec.validate()
    where, params = store.where(spec)
    joiner = " AND " if where else " WHERE "
    rows = store._rows(
        f"SELECT other, max(country), sum(n), sum(out), total(q1), total(q2), total(q3), total(q4), "
        f"total(gold) / nullif(sum(scored), 0), min(first), max(last) FROM ("
        f"SELECT e.target_code AS other, e.target_country AS country, count(*) AS n, count(*) AS out, "
        f"total(e.quad_class = 1) AS q1, total(e.quad_class = 2) AS q2, total(e.quad_class = 3) AS q3, "
        f"total(e.quad_class = 4) AS q4, total(e.goldstein) AS gold, count(e.goldstein) AS scored, "
        f"min(e.date) AS first, max(e.date) AS last FROM events e{where}{joiner}e.source_code = ? "
        f"AND e.target_code IS NOT NULL AND e.target_code != ? GROUP BY e.target_code UNION ALL "
        f"SELECT e.source_code, e.source_country, count(*), 0, total(e.quad_class = 1), total(e.quad_class = 2), "
        f"total(e.quad_class = 3), total(e.quad_class = 4), total(e.goldstein), count(e.goldstein), min(e.date), "
        f"max(e.date) FROM events e{where}{joiner}e.target_code = ? AND e.source_code IS NOT NULL "
        f"AND e.source_code != ? GROUP BY e.source_code) GROUP BY other ORDER BY sum(n) DESC, other LIMIT ?",
        [*params, code, code, *params, code, code, limit])
    names = store._describe(where, params, [r[0] for r in rows])
    return [{"code": other, "name": names.get(other, {}).get("name"), "country": country, "events": int(n),
             "outgoing": int(out), "incoming": int(n) - int(out),
             "per_quad": {"1": int(q1), "2": int(q2), "3": int(q3), "4": int(q4)},
             "goldstein": None if gold is None else round(float(gold), 2), "first_date": first, "last_date": last}
            for other, country, n, out, q1, q2, q3, q4, gold, first, last in rows]
