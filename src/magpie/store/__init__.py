"""The event store: coded documents, merged events and their mentions in one SQLite database.

    >>> import magpie
    >>> with magpie.open("magpie.db", create=True) as store:          # doctest: +SKIP
    ...     stats = store.ingest(magpie.read_inputs(["news/"]), workers=2)
    ...     events = store.events(actor="普京", root="04", since="2017-11-01")
    ...     frame = events.to_pandas()                                # or store.to_pandas(actor=...)

``Store.events(**filters)`` returns an :class:`EventList` (a list of merged event records, with
``.to_arrow()`` and ``.to_pandas()``); ``Store.iter_events`` streams them; ``Store.to_arrow`` and
``Store.to_pandas`` are shortcuts for the flat table. Filters are documented in :mod:`magpie.store.query`.
The database is plain SQLite (WAL mode): ``sqlite3 magpie.db`` or ``datasette magpie.db`` read it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..document import Document, Reject
from ..errors import StoreError, WorkerError
from ..pipeline import Options
from . import query
from .ingest import IngestStats, Prepared, Writer, content_hash, prepare
from .lock import ingest_lock
from .schema import damaged, identify, migrate, quick_check

if TYPE_CHECKING:
    import pandas
    import pyarrow

__all__ = ["EventList", "Filters", "IngestStats", "Store", "check", "open"]

Filters = query.Filters
BATCH = 200  # documents per transaction


class EventList(list[dict[str, Any]]):
    """Merged event records (a list of dicts) that also convert to a flat Arrow table or DataFrame."""

    def to_arrow(self) -> pyarrow.Table:
        from ..export.tabular import arrow_table

        return arrow_table(self)

    def to_pandas(self) -> pandas.DataFrame:
        from ..export.tabular import pandas_frame

        return pandas_frame(self.to_arrow())


def explain(path: str, error: sqlite3.Error, action: str) -> str:
    """A message that says what went wrong with the database file and what to do about it."""
    text = str(error).lower()
    if "locked" in text or "busy" in text:
        return (f"{path}: the database is locked by another process (another `magpie ingest`?); wait for it to "
                f"finish, or use another --db")
    if "readonly" in text or "read-only" in text:
        return f"{path}: the database is read-only here (file or disk permissions); copy it somewhere writable"
    if "disk is full" in text or "database or disk is full" in text:
        return f"{path}: the disk (or the database's size limit) is full; free space and run the same command again"
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return (f"{path}: the file is not a readable SQLite database (damaged or another format); restore it from a "
                f"copy, or ingest into a new --db")
    if "unable to open" in text:
        return f"{path}: cannot open the database file (does its folder exist, and may Magpie write there?)"
    return f"{path}: cannot {action} the database ({error})"


class Store:
    """An open event store. Use :func:`magpie.open` (or ``Store(path, create=True)``); close it when done."""

    def __init__(self, path: str | Path, *, create: bool = False, busy_timeout: float = 10.0) -> None:
        self.path = str(path)
        if self.path != ":memory:" and not create and not Path(self.path).exists():
            raise StoreError(f"{self.path}: no such database (ingest documents first: magpie ingest … --db "
                             f"{self.path})")
        try:
            self.conn = sqlite3.connect(self.path, isolation_level=None, timeout=busy_timeout)
        except sqlite3.DatabaseError as error:
            raise StoreError(explain(self.path, error, "open")) from error
        try:
            identify(self.conn, self.path, create=create or self.path == ":memory:")  # before any write
            _wal(self.conn, busy_timeout)
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=OFF")
            self.conn.execute("PRAGMA cache_size=-65536")  # 64 MiB of pages: indexes stay in memory
            self.version = migrate(self.conn, self.path)
            row = self.conn.execute("SELECT value FROM meta WHERE key='fts'").fetchone()
        except sqlite3.DatabaseError as error:
            self.conn.close()
            raise StoreError(explain(self.path, error, "open")) from error
        except StoreError:
            self.conn.close()
            raise
        self.fts = bool(row and row[0] == "fts5")

    # -- life cycle ---------------------------------------------------------------------------------------
    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.path!r}, schema v{self.version})"

    # -- ingest -------------------------------------------------------------------------------------------
    def ingest(self, items: Iterable[Document | Reject], options: Options | None = None, *, workers: int | None = 1,
               batch_size: int = BATCH, threshold: float | None = None, inputs: Sequence[str] = (),
               total: int | None = None,
               on_progress: Callable[[IngestStats, Reject | None], None] | None = None,
               on_wait: Callable[[int | None], None] | None = None) -> IngestStats:
        """Code ``items`` and store them; idempotent (stored documents are skipped before coding).

        ``workers`` > 1 codes in that many processes (``None``/0: one per CPU). ``threshold``: the
        estimated Jaccard similarity from which a document is a near-duplicate (default
        ``magpie.neardup.THRESHOLD``, 0.7). ``on_progress(stats,
        reject)`` is called after every item (``reject`` is the Reject, else None). A run that stops
        (an exception, Ctrl-C, kill -9) keeps every committed batch of ``batch_size`` documents.

        One ingest at a time per store (:mod:`magpie.store.lock`): while another run holds the store,
        this one waits (``on_wait(pid)`` is told once), so concurrent runs store what the same runs one
        after the other would.
        """
        with ingest_lock(self.path, on_wait):
            return self._ingest(items, options, workers=workers, batch_size=batch_size, threshold=threshold,
                                inputs=inputs, total=total, on_progress=on_progress)

    def _ingest(self, items: Iterable[Document | Reject], options: Options | None, *, workers: int | None,
                batch_size: int, threshold: float | None, inputs: Sequence[str], total: int | None,
                on_progress: Callable[[IngestStats, Reject | None], None] | None) -> IngestStats:
        from ..parallel import code_parallel

        options = options or Options()
        self.quick_check()  # never write into a damaged file: it spreads the damage
        started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        try:
            run_key = self.conn.execute(
                "INSERT INTO runs(started, magpie_version, inputs, options) VALUES (?, ?, ?, ?)",
                (started, _version(), json.dumps(list(inputs), ensure_ascii=False),
                 json.dumps({"published": options.published, "lexicons": list(options.lexicons), "workers": workers,
                             "batch_size": batch_size, "threshold": threshold}))).lastrowid
        except sqlite3.Error as error:
            raise StoreError(explain(self.path, error, "write")) from error
        assert run_key is not None
        writer = Writer(self.conn, run_key, batch_size=batch_size, threshold=threshold)
        writer.stats.total = total

        def fresh() -> Iterator[Document | Reject]:
            for item in items:
                if isinstance(item, Document) and writer.stored_id(item.id, content_hash(item.text)) is None:
                    writer.skip()
                    if on_progress:
                        on_progress(writer.stats, None)
                    continue
                yield item

        try:
            for result in code_parallel(fresh(), options, workers, transform=prepare):
                if isinstance(result, Reject):
                    writer.add_reject(result)
                    if on_progress:
                        on_progress(writer.stats, result)
                    continue
                assert isinstance(result, Prepared)
                writer.add(result)
                if on_progress:
                    on_progress(writer.stats, None)
            writer.commit()
        except sqlite3.Error as error:
            _quietly(writer.rollback)
            raise StoreError(explain(self.path, error, "write") + " (the batches committed before are kept)") \
                from error
        except WorkerError as error:
            _quietly(writer.rollback)
            raise WorkerError(f"{error}. The batches committed before are kept: run the same command again to "
                              f"finish (stored documents are skipped)") from error
        except BaseException:
            _quietly(writer.rollback)
            raise
        else:
            finished = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            self.conn.execute("UPDATE runs SET finished=? WHERE run_key=?", (finished, run_key))
        return writer.stats

    # -- queries ------------------------------------------------------------------------------------------
    def iter_events(self, *, mentions: bool = True, **filters: Any) -> Iterator[dict[str, Any]]:
        """Stream merged event records matching ``filters`` (GlobalEventID order)."""
        spec = filters.pop("filters", None) or Filters.make(**filters)
        clause, params = query.where(spec, self.fts)
        sql = query.SELECT + clause + " ORDER BY e.event_key"
        if spec.limit is not None:
            sql += f" LIMIT {int(spec.limit)}"
        cursor = self._fetch(self.conn.execute, sql, params)
        while rows := self._fetch(cursor.fetchmany, 500):
            found: dict[int, list[dict[str, Any]]] | None = None
            if mentions:
                found = {row[0]: [] for row in rows}
                keys = list(found)
                sql_mentions = query.MENTIONS.format(marks=",".join("?" * len(keys)))
                for m in self._fetch(lambda: self.conn.execute(sql_mentions, keys).fetchall()):  # noqa: B023
                    found[m[0]].append(query.mention(m))
            for row in rows:
                yield query.record(row, None if found is None else found[row[0]])

    def _fetch(self, fetch: Callable[..., Any], *args: Any) -> Any:
        """``fetch(*args)`` (a query, rows from a cursor); a damaged page met on the way is a StoreError
        that says so, not a traceback."""
        try:
            return fetch(*args)
        except sqlite3.Error as error:
            text = str(error).lower()
            if "malformed" in text or "corrupt" in text or "not a database" in text:
                raise StoreError(damaged(self.path, str(error))) from error
            raise StoreError(f"{self.path}: cannot query events ({error})") from error

    def events(self, *, mentions: bool = True, **filters: Any) -> EventList:
        """Merged event records matching ``filters`` (see :mod:`magpie.store.query`), as an EventList."""
        return EventList(self.iter_events(mentions=mentions, **filters))

    def to_arrow(self, **filters: Any) -> pyarrow.Table:
        """The flat event table (one row per merged event, no mention list) as a pyarrow Table."""
        from ..export.tabular import arrow_table

        return arrow_table(self.iter_events(mentions=False, **filters))

    def to_pandas(self, **filters: Any) -> pandas.DataFrame:
        """The flat event table as a pandas DataFrame (needs pandas)."""
        from ..export.tabular import pandas_frame

        return pandas_frame(self.to_arrow(**filters))

    def document(self, doc_id: str) -> dict[str, Any] | None:
        """One stored document (its metadata, text and what cleaning removed), or None."""
        self.conn.row_factory = sqlite3.Row
        try:
            row = self.conn.execute("SELECT * FROM documents WHERE id=?", (doc_id,)).fetchone()
        finally:
            self.conn.row_factory = None
        if row is None:
            return None
        doc = dict(row)
        doc["removed"] = json.loads(doc["removed"])
        doc["published_inferred"] = bool(doc["published_inferred"])
        return doc

    def doc_events(self, doc_id: str) -> list[dict[str, Any]]:
        """The per-document event records of one document, exactly as ``magpie code`` writes them."""
        rows = self.conn.execute("SELECT de.doc_event_key, de.record FROM doc_events de JOIN documents d "
                                 "ON d.doc_key = de.doc_key WHERE d.id = ? ORDER BY de.doc_event_key",
                                 (doc_id,)).fetchall()
        result = []
        for key, text in rows:
            record = json.loads(text)
            record["mentions"] = [
                {"sentence": sentence, "start": start, "end": end,
                 "trigger": {"text": trigger, "start": t_start, "end": t_end}}
                for sentence, start, end, trigger, t_start, t_end in self.conn.execute(
                    "SELECT sentence, sentence_start, sentence_end, trigger, trigger_start, trigger_end FROM mentions "
                    "WHERE doc_event_key = ? ORDER BY mention_key", (key,))]
            result.append(record)
        return result

    def rejects(self) -> list[dict[str, Any]]:
        return [{"origin": o, "line": line, "reason": r} for o, line, r in self.conn.execute(
            "SELECT origin, line, reason FROM rejects ORDER BY reject_key")]

    def counts(self) -> dict[str, int]:
        """Rows per table, plus near-duplicate documents and total mentions."""
        result = {table: self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                  for table in ("documents", "events", "doc_events", "mentions", "actors", "rejects")}
        result["duplicates"] = self.conn.execute(
            "SELECT count(*) FROM documents WHERE duplicate_of IS NOT NULL").fetchone()[0]
        return result

    def quick_check(self) -> None:
        """SQLite's ``PRAGMA quick_check`` (about 0.2 s for 100,000 events); a StoreError naming any damage."""
        quick_check(self.conn, self.path)

    def integrity_check(self) -> str:
        """SQLite's ``PRAGMA integrity_check``: ``ok`` or the problems found."""
        return "\n".join(r[0] for r in self.conn.execute("PRAGMA integrity_check"))


def check(path: str | Path) -> int:
    """Open ``path`` read-only and make sure it is a Magpie store without damage (``PRAGMA quick_check``);
    return its schema version. Writes nothing; a StoreError says what is wrong (``magpie serve`` calls it)."""
    shown = str(path)
    if not Path(path).is_file():
        raise StoreError(f"{shown}: no such database (ingest documents first: magpie ingest … --db {shown})")
    try:
        conn = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise StoreError(explain(shown, error, "open")) from error
    try:
        identify(conn, shown, create=False)
        quick_check(conn, shown)
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.DatabaseError as error:
        raise StoreError(explain(shown, error, "open")) from error
    finally:
        conn.close()


def open(path: str | Path, *, create: bool = False, busy_timeout: float = 10.0) -> Store:
    """Open the store at ``path`` (``create=True`` makes a new one if missing); a context manager.

    ``busy_timeout``: seconds to wait for another process that holds a write lock before giving up."""
    return Store(path, create=create, busy_timeout=busy_timeout)


def _wal(conn: sqlite3.Connection, timeout: float) -> None:
    """Switch to WAL mode. On a new file opened by several processes at once SQLite answers "locked" at
    once (no busy wait for a journal-mode change), so try again until ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if ("locked" not in str(error) and "busy" not in str(error)) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _quietly(action: Callable[[], None]) -> None:
    with contextlib.suppress(sqlite3.Error):
        action()


def _version() -> str:
    from .. import __version__

    return __version__

