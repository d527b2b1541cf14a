"""Ingest: coded documents into the store, with near-duplicate links and cross-document event merging.

Two halves. :func:`prepare` runs where the document was coded (a worker process with
``--workers``): it turns the Document into a compact, picklable :class:`Prepared` (records, actor
mentions, MinHash signature). :class:`Writer` runs in the process that holds the database: it
decides whether the document is new, links near-duplicates, merges its events into the events
already stored and commits every ``batch_size`` documents in one transaction, so a run killed at
any moment loses only the uncommitted batch and a rerun skips what is stored.

Merging (GDELT-style, one row per event across articles): two per-document events are the same
event when they have the same actors at country level plus role (either order for symmetric codes
such as meetings and calls), the same CAMEO code (a generic 040 joins a specific 04x) and the same
planned/done status, and full dates at most one day apart (partial dates must be equal; undated
events do not merge). An event of a copy or near-duplicate of an article that matches none joins the
original's event of the same kind and actors whatever its date, so copies raise NumMentions,
NumArticles and NumSources and never add events.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from ..document import Document, Reject
from ..pipeline import Pipeline
from ..write.records import member_names, records

SYMMETRIC = {"019", "036", "046", "057"}  # besides every 04x: codes with no direction


def content_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(slots=True)
class Prepared:
    """Everything the store keeps about one coded document (small and picklable)."""

    id: str
    text: str
    title: str | None
    published: str | None
    published_inferred: bool
    source: str | None
    url: str | None
    origin: str | None
    script: str | None
    removed: list[dict[str, Any]]
    content_hash: str
    signature: bytes | None
    bands: list[int]
    records: list[dict[str, Any]]
    is_root: list[bool]  # per record: reported in the lead (title and first paragraph)
    simplified: list[list[str]]  # per record, per mention: the sentence in Simplified script
    actors: list[tuple[Any, ...]] = field(default_factory=list)


def prepare(doc: Document, pipeline: Pipeline) -> Prepared:
    """Reduce a coded Document to what the store writes (runs in the worker that coded it)."""
    from .. import neardup  # numpy: imported when ingesting, not with magpie

    sig = neardup.signature(doc.view or doc.text)
    paragraphs = [p for p in doc.paragraphs if p.end > p.start]
    lead_end = paragraphs[min(1, len(paragraphs) - 1)].end if paragraphs else len(doc.text)
    recs = list(records(doc, pipeline.lexicon))
    view = doc.view or doc.text
    names = member_names(doc, pipeline.lexicon)  # 俄美两国总统: the members' names, as in the records
    actors = []
    for actor in doc.actors:
        text = doc.text[actor.start : actor.end]
        for member in actor.expand():
            name = member.name or names.get((member.start, member.end, member.code))
            actors.append((actor.start, actor.end, text, member.code, member.country, member.role,
                           name, member.kind))
    return Prepared(
        id=doc.id, text=doc.text, title=doc.title, published=doc.published,
        published_inferred=doc.published_inferred, source=doc.source, url=doc.url, origin=doc.origin,
        script=doc.script, removed=[{"start": r.start, "end": r.end, "reason": r.reason} for r in doc.removed],
        content_hash=content_hash(doc.text),
        signature=None if sig is None else neardup.to_blob(sig),
        bands=[] if sig is None else neardup.band_keys(sig),
        records=recs,
        is_root=[r["evidence"]["start"] < lead_end for r in recs],
        simplified=[[view[m["start"] : m["end"]] for m in r["mentions"]] for r in recs],
        actors=actors,
    )


def symmetric(code: str) -> bool:
    return code[:2] == "04" or code[:3] in SYMMETRIC


def merge_key(record: dict[str, Any]) -> str:
    """Actors (country|role, sorted for symmetric codes), kind and planned: what merging events share."""
    code = record["code"]
    source, target = record["source"] or {}, record["target"] or {}
    pair = [f"{source.get('country') or ''}|{source.get('role') or ''}",
            f"{target.get('country') or ''}|{target.get('role') or ''}"]
    if symmetric(code):
        pair.sort()
    kind = "04" if code[:2] == "04" else code
    return f"{kind}/{int(bool(record['planned']))}/{pair[0]}/{pair[1]}"


def compatible(stored: str, new: str) -> bool:
    """Same CAMEO code, or a generic 040 and a specific 04x."""
    return stored == new or (stored[:2] == new[:2] == "04" and "040" in (stored, new))


def ordinal(date: str | None) -> int | None:
    if date is None or len(date) != 10:
        return None
    try:
        return dt.date.fromisoformat(date).toordinal()
    except ValueError:
        return None


def source_key(source: str | None, url: str | None) -> str:
    if source:
        return source
    if url:
        return urlsplit(url).hostname or url
    return ""


@dataclass
class IngestStats:
    """What an ingest run did (``Store.ingest`` returns it; the CLI prints it)."""

    read: int = 0  # documents and rejects read
    stored: int = 0
    skipped: int = 0  # already in the store (same id and text)
    duplicates: int = 0  # stored and linked to an original (exact or near copy)
    renamed: int = 0  # id already used by another text: stored as id@hash
    rejects: int = 0
    events: int = 0  # per-document events stored
    events_new: int = 0  # merged events created (the others joined an existing event)
    mentions: int = 0
    chars: int = 0
    started: float = field(default_factory=time.perf_counter)
    total: int | None = None  # documents expected, when known (for an ETA)

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.started


class Writer:
    """Writes Prepared documents and Rejects into an open store connection, in batched transactions."""

    def __init__(self, conn: sqlite3.Connection, run_key: int, *, batch_size: int = 200,
                 threshold: float | None = None) -> None:
        from .. import neardup

        self.neardup = neardup
        self.conn = conn
        self.run_key = run_key
        self.batch_size = max(1, batch_size)
        self.threshold = neardup.THRESHOLD if threshold is None else threshold
        self.pending = 0
        self.touched: set[int] = set()
        self.date_added = ""
        self.next_mention = 0
        self.fts: list[tuple[int, str]] = []  # evidence sentences to index at commit
        self.stats = IngestStats()

    # -- transactions -------------------------------------------------------------------------------------
    def _begin(self) -> None:
        if not self.conn.in_transaction:
            self.conn.execute("BEGIN IMMEDIATE")
            self.date_added = dt.datetime.now(dt.UTC).strftime("%Y%m%d%H%M%S")
            self.next_mention = self.conn.execute(
                "SELECT coalesce(max(mention_key), 0) + 1 FROM mentions").fetchone()[0]
            self.fts.clear()

    def commit(self) -> None:
        if not self.conn.in_transaction:
            return
        self._update_counts()
        self.conn.executemany("INSERT INTO evidence_fts(rowid, sentence) VALUES (?, ?)", self.fts)
        self.fts.clear()
        self.conn.execute(
            "UPDATE runs SET documents=?, skipped=?, duplicates=?, events_new=?, mentions=?, rejects=? "
            "WHERE run_key=?",
            (self.stats.stored, self.stats.skipped, self.stats.duplicates, self.stats.events_new,
             self.stats.mentions, self.stats.rejects, self.run_key))
        self.conn.execute("COMMIT")
        self.pending = 0

    def rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")
        self.touched.clear()
        self.fts.clear()
        self.pending = 0

    def _tick(self) -> None:
        self.pending += 1
        if self.pending >= self.batch_size:
            self.commit()

    # -- lookups ------------------------------------------------------------------------------------------
    def stored_id(self, doc_id: str, digest: str) -> str | None:
        """The id to store this text under, or None when it is already stored (idempotent re-ingest)."""
        row = self.conn.execute("SELECT content_hash FROM documents WHERE id=?", (doc_id,)).fetchone()
        if row is None:
            return doc_id
        if row[0] == digest:
            return None
        alternative = f"{doc_id}@{digest[:12]}"
        if self.conn.execute("SELECT 1 FROM documents WHERE id=?", (alternative,)).fetchone():
            return None
        return alternative

    def _original(self, doc: Prepared) -> tuple[str | None, int | None, float | None]:
        """(id, doc_key, similarity) of the original this document copies, if any."""
        row = self.conn.execute("SELECT id, doc_key, duplicate_of FROM documents WHERE content_hash=? "
                                "ORDER BY doc_key LIMIT 1", (doc.content_hash,)).fetchone()
        if row is not None:
            return (*self._root(row[0], row[1], row[2]), 1.0)
        if doc.signature is None:
            return None, None, None
        marks = ",".join("?" * len(doc.bands))
        candidates = self.conn.execute(
            f"SELECT doc_key, count(*) AS n FROM lsh WHERE bucket IN ({marks}) GROUP BY doc_key "
            f"ORDER BY n DESC, doc_key LIMIT 20", doc.bands).fetchall()
        if not candidates:
            return None, None, None
        neardup = self.neardup
        mine = neardup.from_blob(doc.signature)
        best: tuple[float, int] | None = None
        for key, _ in candidates:
            blob = self.conn.execute("SELECT signature FROM minhash WHERE doc_key=?", (key,)).fetchone()
            score = neardup.similarity(mine, neardup.from_blob(blob[0])) if blob else 0.0
            if score >= self.threshold and (best is None or score > best[0] or
                                            (score == best[0] and key < best[1])):
                best = (score, key)
        if best is None:
            return None, None, None
        row = self.conn.execute("SELECT id, doc_key, duplicate_of FROM documents WHERE doc_key=?",
                                (best[1],)).fetchone()
        return (*self._root(row[0], row[1], row[2]), round(best[0], 4))

    def _root(self, doc_id: str, key: int, duplicate_of: str | None) -> tuple[str, int]:
        if duplicate_of is None:
            return doc_id, key
        row = self.conn.execute("SELECT doc_key FROM documents WHERE id=?", (duplicate_of,)).fetchone()
        return duplicate_of, row[0]

    # -- writing ------------------------------------------------------------------------------------------
    def add_reject(self, reject: Reject) -> None:
        self._begin()
        self.stats.read += 1
        self.stats.rejects += 1
        self.conn.execute("INSERT OR IGNORE INTO rejects(origin, line, reason, run_key) VALUES (?, ?, ?, ?)",
                          (reject.origin, reject.line, reject.reason, self.run_key))
        self._tick()

    def skip(self) -> None:
        """A document found in the store before coding."""
        self.stats.read += 1
        self.stats.skipped += 1

    def add(self, doc: Prepared) -> bool:
        """Store one document and its events; False when it was already stored."""
        self._begin()
        self.stats.read += 1
        doc_id = self.stored_id(doc.id, doc.content_hash)
        if doc_id is None:
            self.stats.skipped += 1
            return False
        if doc_id != doc.id:
            self.stats.renamed += 1
        original_id, original_key, sim = self._original(doc)
        conn = self.conn
        cursor = conn.execute(
            "INSERT INTO documents(id, source, url, title, published, published_inferred, content_hash, script, "
            "removed, duplicate_of, similarity, source_key, chars, events, origin, run_key, text) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (doc_id, doc.source, doc.url, doc.title, doc.published, int(doc.published_inferred), doc.content_hash,
             doc.script, json.dumps(doc.removed), original_id, sim, source_key(doc.source, doc.url),
             len(doc.text), len(doc.records), doc.origin, self.run_key, doc.text))
        doc_key = cursor.lastrowid
        assert doc_key is not None
        if doc.signature is not None:
            conn.execute("INSERT INTO minhash(doc_key, signature) VALUES (?, ?)", (doc_key, doc.signature))
            conn.executemany("INSERT OR IGNORE INTO lsh(bucket, doc_key) VALUES (?, ?)",
                             [(band, doc_key) for band in doc.bands])
        if doc.actors:
            conn.executemany("INSERT INTO actors(doc_key, start, end, text, code, country, role, name, kind) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", [(doc_key, *row) for row in doc.actors])
        for record, is_root, simplified in zip(doc.records, doc.is_root, doc.simplified, strict=True):
            self._add_event(doc, doc_key, original_key, record, is_root, simplified)
        self.stats.stored += 1
        self.stats.chars += len(doc.text)
        if original_id is not None:
            self.stats.duplicates += 1
        self._tick()
        return True

    def _add_event(self, doc: Prepared, doc_key: int, original_key: int | None, record: dict[str, Any],
                   is_root: bool, simplified: list[str]) -> None:
        conn = self.conn
        key = merge_key(record)
        event_key = self._find_event(key, record, original_key)
        if event_key is None:
            event_key = self._new_event(doc, doc_key, key, record, is_root)
        self.touched.add(event_key)
        source, target = record["source"] or {}, record["target"] or {}
        cursor = conn.execute(
            "INSERT INTO doc_events(event_id, doc_key, event_key, date, date_inferred, code, planned, source_code, "
            "source_text, source_start, source_end, target_code, target_text, target_start, target_end, "
            "num_mentions, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (record["event_id"], doc_key, event_key, record["date"], int(record["date_inferred"]), record["code"],
             int(record["planned"]), source.get("code"), source.get("text"), source.get("start"),
             source.get("end"), target.get("code"), target.get("text"), target.get("start"), target.get("end"),
             record["num_mentions"],
             json.dumps({k: v for k, v in record.items() if k != "mentions"}, ensure_ascii=False)))
        doc_event_key = cursor.lastrowid
        evidence = record["evidence"]
        key = self.next_mention
        rows = []
        for mention, sentence in zip(record["mentions"], simplified, strict=True):
            trigger = mention["trigger"]
            is_evidence = (mention["start"], trigger["start"]) == (evidence["start"], evidence["trigger"]["start"])
            rows.append((key, event_key, doc_event_key, doc_key, int(is_evidence), mention["start"], mention["end"],
                         trigger["start"], trigger["end"], mention["sentence"], trigger["text"]))
            self.fts.append((key, sentence))
            key += 1
        conn.executemany(
            "INSERT INTO mentions(mention_key, event_key, doc_event_key, doc_key, is_evidence, sentence_start, "
            "sentence_end, trigger_start, trigger_end, sentence, trigger) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows)
        self.next_mention = key
        self.stats.events += 1
        self.stats.mentions += len(rows)

    def _find_event(self, key: str, record: dict[str, Any], original_key: int | None) -> int | None:
        code, date = record["code"], record["date"]
        day = ordinal(date)
        rows: list[tuple[int, str, int]] = []
        if day is not None:
            rows = [(k, c, abs(d - day)) for k, c, d in self.conn.execute(
                "SELECT event_key, code, day FROM events WHERE merge_key=? AND day BETWEEN ? AND ?",
                (key, day - 1, day + 1))]
        elif date is not None:
            rows = [(k, c, 0) for k, c in self.conn.execute(
                "SELECT event_key, code FROM events WHERE merge_key=? AND day IS NULL AND date=?", (key, date))]
        found = self._best(rows, code)
        if found is None and original_key is not None:  # a copy: join the original's event of this kind
            rows = [(k, c, 0) for k, c in self.conn.execute(
                "SELECT event_key, code FROM events WHERE merge_key=? AND event_key IN "
                "(SELECT event_key FROM doc_events WHERE doc_key=?)", (key, original_key))]
            found = self._best(rows, code)
        if found is None:
            return None
        event_key, stored_code = found
        if stored_code == "040" and code != "040":  # a specific consultation refines the generic one
            self._refine(event_key, record)
        return event_key

    @staticmethod
    def _best(rows: list[tuple[int, str, int]], code: str) -> tuple[int, str] | None:
        ok = [(c != code, distance, k, c) for k, c, distance in rows if compatible(c, code)]
        if not ok:
            return None
        _, _, event_key, stored_code = min(ok)
        return event_key, stored_code

    def _refine(self, event_key: int, record: dict[str, Any]) -> None:
        code = record["code"]
        self.conn.execute(
            "UPDATE events SET code=?, base_code=?, root_code=?, quad_class=?, goldstein=?, plover_event=?, "
            "plover_mode=? WHERE event_key=?",
            (code, code[:3], code[:2], record["quad_class"], record["goldstein"], record["plover"]["event"],
             record["plover"]["mode"], event_key))

    def _new_event(self, doc: Prepared, doc_key: int, key: str, record: dict[str, Any], is_root: bool) -> int:
        source, target, place = record["source"] or {}, record["target"] or {}, record["place"] or {}
        code = record["code"]
        cursor = self.conn.execute(
            "INSERT INTO events(event_id, date, day, date_inferred, code, base_code, root_code, quad_class, goldstein,"
            " plover_event, plover_mode, planned, is_root, source_code, source_country, source_role, source_name, "
            "target_code, target_country, target_role, target_name, place_name, place_country, place_lat, place_lon,"
            " doc_key, source_url, date_added, merge_key) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (record["event_id"], record["date"], ordinal(record["date"]), int(record["date_inferred"]), code,
             code[:3], code[:2], record["quad_class"], record["goldstein"], record["plover"]["event"],
             record["plover"]["mode"], int(record["planned"]), int(is_root), source.get("code"),
             source.get("country"), source.get("role"), source.get("name"), target.get("code"),
             target.get("country"), target.get("role"), target.get("name"), place.get("name"),
             place.get("country"), place.get("lat"), place.get("lon"), doc_key, doc.url, self.date_added, key))
        self.stats.events_new += 1
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def _update_counts(self) -> None:
        if not self.touched:
            return
        keys = sorted(self.touched)
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            self.conn.execute(
                f"UPDATE events SET "
                f"num_mentions = (SELECT count(*) FROM mentions m WHERE m.event_key = events.event_key), "
                f"num_articles = (SELECT count(DISTINCT m.doc_key) FROM mentions m "
                f"                WHERE m.event_key = events.event_key), "
                f"num_sources = (SELECT count(DISTINCT d.source_key) FROM mentions m JOIN documents d "
                f"               ON d.doc_key = m.doc_key WHERE m.event_key = events.event_key) "
                f"WHERE event_key IN ({marks})", chunk)
        self.touched.clear()


ProgressCallback = Callable[[IngestStats, "Reject | None"], None]
