"""The store's SQLite schema, versioned: ``PRAGMA user_version`` counts the migrations applied.

Migrations are appended, never edited: a database written by an older Magpie is brought up to date
when it is opened; one written by a newer Magpie is refused. Every table is a plain table with
readable column names (the database opens in ``sqlite3`` and Datasette without Magpie); the views
join them for browsing.
"""

from __future__ import annotations

import sqlite3

from ..errors import StoreError

SCHEMA_V1 = """
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT
);

CREATE TABLE runs (
    run_key        INTEGER PRIMARY KEY,
    started        TEXT NOT NULL,        -- ISO 8601, UTC
    finished       TEXT,                 -- NULL: the run was interrupted
    magpie_version TEXT NOT NULL,
    inputs         TEXT NOT NULL,        -- JSON list
    options        TEXT NOT NULL,        -- JSON object
    documents      INTEGER NOT NULL DEFAULT 0,   -- stored by this run
    skipped        INTEGER NOT NULL DEFAULT 0,   -- already in the store
    duplicates     INTEGER NOT NULL DEFAULT 0,   -- stored, linked to an original
    events_new     INTEGER NOT NULL DEFAULT 0,   -- merged events created
    mentions       INTEGER NOT NULL DEFAULT 0,
    rejects        INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE documents (
    doc_key            INTEGER PRIMARY KEY,
    id                 TEXT NOT NULL UNIQUE,
    source             TEXT,
    url                TEXT,
    title              TEXT,
    published          TEXT,              -- YYYY-MM-DD
    published_inferred INTEGER NOT NULL,  -- 1: inferred from the text
    content_hash       TEXT NOT NULL,     -- sha1 of the text (hex)
    script             TEXT,              -- hans | hant | mixed | none
    removed            TEXT NOT NULL,     -- JSON [{start, end, reason}]: what cleaning set aside
    duplicate_of       TEXT REFERENCES documents(id),  -- the original of a copy or near-duplicate
    similarity         REAL,              -- estimated Jaccard similarity with the closest earlier copy (1: same text)
    source_key         TEXT NOT NULL,     -- what NumSources counts: source, else the URL's host, else ''
    chars              INTEGER NOT NULL,
    events             INTEGER NOT NULL,  -- per-document events coded
    origin             TEXT,              -- file (and line) it was read from
    run_key            INTEGER REFERENCES runs(run_key),
    text               TEXT NOT NULL
);
CREATE INDEX documents_hash ON documents(content_hash);
CREATE INDEX documents_duplicate_of ON documents(duplicate_of);

CREATE TABLE events (                   -- merged events: one row per event across all documents
    event_key      INTEGER PRIMARY KEY,  -- GDELT GlobalEventID
    event_id       TEXT NOT NULL UNIQUE, -- 16 hex: the event_id of its first per-document record
    date           TEXT,                 -- YYYY-MM-DD, YYYY-MM or YYYY
    day            INTEGER,              -- proleptic ordinal of a full date (for the one-day window)
    date_inferred  INTEGER NOT NULL,
    code           TEXT NOT NULL,        -- CAMEO event code
    base_code      TEXT NOT NULL,
    root_code      TEXT NOT NULL,
    quad_class     INTEGER,
    goldstein      REAL,
    plover_event   TEXT,
    plover_mode    TEXT,
    planned        INTEGER NOT NULL,
    is_root        INTEGER NOT NULL,     -- reported in the lead of its first article
    source_code    TEXT,
    source_country TEXT,
    source_role    TEXT,
    source_name    TEXT,
    target_code    TEXT,
    target_country TEXT,
    target_role    TEXT,
    target_name    TEXT,
    place_name     TEXT,
    place_country  TEXT,
    place_lat      REAL,
    place_lon      REAL,
    num_mentions   INTEGER NOT NULL DEFAULT 0,  -- every mention in every article
    num_sources    INTEGER NOT NULL DEFAULT 0,  -- distinct sources of those articles
    num_articles   INTEGER NOT NULL DEFAULT 0,  -- distinct articles (copies included)
    doc_key        INTEGER NOT NULL REFERENCES documents(doc_key),  -- first article
    source_url     TEXT,
    date_added     TEXT NOT NULL,        -- YYYYMMDDHHMMSS, UTC
    merge_key      TEXT NOT NULL         -- actors (country|role) and kind: candidates for merging
);
CREATE INDEX events_merge ON events(merge_key, day);
CREATE INDEX events_date ON events(date);
CREATE INDEX events_code ON events(code);
CREATE INDEX events_source ON events(source_code);
CREATE INDEX events_target ON events(target_code);

CREATE TABLE doc_events (               -- per-document event records (as `magpie code` writes them)
    doc_event_key  INTEGER PRIMARY KEY,
    event_id       TEXT NOT NULL,        -- the per-document event_id
    doc_key        INTEGER NOT NULL REFERENCES documents(doc_key),
    event_key      INTEGER NOT NULL REFERENCES events(event_key),
    date           TEXT,
    date_inferred  INTEGER NOT NULL,
    code           TEXT NOT NULL,
    planned        INTEGER NOT NULL,
    source_code    TEXT,
    source_text    TEXT,
    source_start   INTEGER,
    source_end     INTEGER,
    target_code    TEXT,
    target_text    TEXT,
    target_start   INTEGER,
    target_end     INTEGER,
    num_mentions   INTEGER NOT NULL,
    record         TEXT NOT NULL         -- the record (schema/event.schema.json) less its mentions (JSON)
);
CREATE INDEX doc_events_doc ON doc_events(doc_key);
CREATE INDEX doc_events_event ON doc_events(event_key);

CREATE TABLE mentions (                 -- event <-> document <-> evidence offsets
    mention_key    INTEGER PRIMARY KEY,
    event_key      INTEGER NOT NULL REFERENCES events(event_key),
    doc_event_key  INTEGER NOT NULL REFERENCES doc_events(doc_event_key),
    doc_key        INTEGER NOT NULL REFERENCES documents(doc_key),
    is_evidence    INTEGER NOT NULL,     -- the clearest mention of the per-document event
    sentence_start INTEGER NOT NULL,
    sentence_end   INTEGER NOT NULL,
    trigger_start  INTEGER NOT NULL,
    trigger_end    INTEGER NOT NULL,
    sentence       TEXT NOT NULL,        -- text[sentence_start:sentence_end] as written
    trigger        TEXT NOT NULL
);
CREATE INDEX mentions_event ON mentions(event_key, doc_key);
CREATE INDEX mentions_doc ON mentions(doc_key);

CREATE TABLE actors (                   -- actor mentions in documents (group mentions: one row per member)
    actor_key INTEGER PRIMARY KEY,
    doc_key   INTEGER NOT NULL REFERENCES documents(doc_key),
    start     INTEGER NOT NULL,
    end       INTEGER NOT NULL,
    text      TEXT NOT NULL,            -- as written
    code      TEXT,
    country   TEXT,
    role      TEXT,
    name      TEXT,                     -- canonical (Simplified)
    kind      TEXT NOT NULL
);
CREATE INDEX actors_doc ON actors(doc_key);

CREATE TABLE rejects (
    reject_key INTEGER PRIMARY KEY,
    origin     TEXT NOT NULL,           -- file, or document id
    line       INTEGER,                 -- JSONL line
    reason     TEXT NOT NULL,
    run_key    INTEGER REFERENCES runs(run_key)
);
CREATE UNIQUE INDEX rejects_unique ON rejects(origin, ifnull(line, -1), reason);

CREATE TABLE minhash (                  -- near-duplicate detection (magpie.neardup)
    doc_key   INTEGER PRIMARY KEY REFERENCES documents(doc_key),
    signature BLOB NOT NULL             -- 128 little-endian uint32 MinHash values
);
CREATE TABLE lsh (                      -- one row per (band key, document)
    bucket  INTEGER NOT NULL,
    doc_key INTEGER NOT NULL,
    PRIMARY KEY (bucket, doc_key)
) WITHOUT ROWID;

CREATE VIEW event_mentions AS
SELECT m.mention_key, e.event_key, e.event_id, e.date, e.code, e.source_code, e.target_code,
       d.id AS doc_id, d.title, d.url, d.published, m.is_evidence, m.sentence_start, m.sentence_end,
       m.trigger_start, m.trigger_end, m.sentence, m.trigger
FROM mentions m JOIN events e ON e.event_key = m.event_key JOIN documents d ON d.doc_key = m.doc_key;

CREATE VIEW duplicates AS
SELECT d.id AS doc_id, d.duplicate_of, d.similarity, d.title, o.title AS original_title, d.source, o.source
       AS original_source
FROM documents d JOIN documents o ON o.id = d.duplicate_of;

CREATE VIEW event_table AS
SELECT e.event_key, e.event_id, e.date, e.code, e.quad_class, e.goldstein, e.source_code, e.source_name,
       e.target_code, e.target_name, e.place_name, e.num_mentions, e.num_sources, e.num_articles,
       d.id AS first_doc_id, d.title AS first_title, e.source_url,
       (SELECT sentence FROM mentions m WHERE m.event_key = e.event_key ORDER BY m.is_evidence DESC,
        m.mention_key LIMIT 1) AS evidence
FROM events e JOIN documents d ON d.doc_key = e.doc_key;
"""

FTS5 = "CREATE VIRTUAL TABLE evidence_fts USING fts5(sentence, tokenize='trigram')"
FTS_FALLBACK = "CREATE TABLE evidence_fts (rowid INTEGER PRIMARY KEY, sentence TEXT NOT NULL)"


def _script(conn: sqlite3.Connection, script: str) -> None:
    """Run the statements of ``script`` inside the current transaction (``executescript`` would commit)."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            conn.execute(statement)
            statement = ""


def _v1(conn: sqlite3.Connection) -> None:
    _script(conn, SCHEMA_V1)
    # evidence sentences in Simplified script, rowid = mentions.mention_key; FTS5 (trigram) when available
    try:
        conn.execute(FTS5)
        fts = "fts5"
    except sqlite3.OperationalError:
        conn.execute(FTS_FALLBACK)
        fts = "none"
    conn.execute("INSERT INTO meta(key, value) VALUES ('fts', ?), ('minhash', ?)",
                 (fts, "v1: 5-character shingles, 128 one-permutation bins, 32 bands of 4"))


# v2: indexes for the web application's filters and sorts (magpie serve): roots, QuadClasses and countries
# by date; names and mention texts, which actor-name filters resolve to IN lists (magpie.web.queries)
SCHEMA_V2 = """
CREATE INDEX events_root_date ON events(root_code, date);
CREATE INDEX events_quad_date ON events(quad_class, date);
CREATE INDEX events_source_country ON events(source_country, date);
CREATE INDEX events_target_country ON events(target_country, date);
CREATE INDEX events_source_name ON events(source_name);
CREATE INDEX events_target_name ON events(target_name);
CREATE INDEX doc_events_source_text ON doc_events(source_text, event_key);
CREATE INDEX doc_events_target_text ON doc_events(target_text, event_key);
"""


def _v2(conn: sqlite3.Connection) -> None:
    _script(conn, SCHEMA_V2)


MIGRATIONS = [_v1, _v2]  # append new migrations; never edit one that has shipped
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(conn: sqlite3.Connection, path: str) -> int:
    """Apply pending migrations (each in its own transaction); return the schema version."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StoreError(f"{path}: schema version {version} is newer than this Magpie understands "
                         f"({SCHEMA_VERSION}): upgrade Magpie")
    for number in range(version, SCHEMA_VERSION):
        try:
            conn.execute("BEGIN IMMEDIATE")
            MIGRATIONS[number](conn)
            conn.execute(f"PRAGMA user_version = {number + 1}")
            conn.execute("COMMIT")
        except sqlite3.Error as error:
            conn.execute("ROLLBACK")
            raise StoreError(f"{path}: migration to schema version {number + 1} failed: {error}") from error
    return SCHEMA_VERSION
