"""A large synthetic event store, built fast for load tests and benchmarks (``bench/load.py``).

Real ingest codes about 250 articles a second per core; a load test needs 100,000 events or more
in seconds. :func:`build` ingests a few real articles with the ordinary store API (so the database
has the real schema, migrations, FTS and a few genuine events), then appends synthetic documents
with SQL, in the same tables and with the same invariants: every event has a per-document record,
one evidence mention whose offsets index its document's text, and an FTS row for the mention; the
counts match. Actors, CAMEO codes, dates and places are drawn (seeded) from the bundled lexicon
with a skewed distribution, as in news (a few actors and roots dominate).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import StoreError
from ..lexicon import Lexicon, PlaceEntry

__all__ = ["SyntheticStats", "build"]

# a verb (the trigger) per CAMEO root, as news writes it
VERBS = {
    "01": "发表声明", "02": "呼吁", "03": "表示愿意合作", "04": "举行会谈", "05": "高度评价", "06": "签署合作协议",
    "07": "提供援助", "08": "同意让步", "09": "展开调查", "10": "要求", "11": "批评", "12": "拒绝",
    "13": "威胁", "14": "抗议", "15": "举行军演", "16": "中断关系", "17": "实施制裁", "18": "袭击",
    "19": "交火", "20": "屠杀",
}
ROOT_WEIGHTS = {"01": 14, "02": 4, "03": 5, "04": 30, "05": 10, "06": 4, "07": 3, "08": 2, "09": 1, "10": 3,
                "11": 6, "12": 2, "13": 2, "14": 2, "15": 2, "16": 1, "17": 3, "18": 3, "19": 2, "20": 1}
TOPICS = ("叙利亚问题", "朝鲜半岛局势", "经贸合作", "气候变化", "地区安全", "反恐合作", "能源合作", "乌克兰局势",
          "南海问题", "伊朗核问题", "中东和平进程", "疫情防控", "粮食安全", "人文交流", "双边关系")
ROLES = (("GOV", "政府", 6), ("", "", 3), ("MIL", "军方", 2), ("BUS", "企业", 1), ("OPP", "反对派", 1))
COUNTRIES = ("CHN", "USA", "RUS", "JPN", "KOR", "PRK", "TWN", "HKG", "GBR", "FRA", "DEU", "IND", "PAK", "IRN",
             "ISR", "PSE", "SYR", "TUR", "SAU", "EGY", "UKR", "AUS", "CAN", "BRA", "ZAF", "VNM", "PHL", "IDN",
             "MYS", "SGP", "THA", "MMR", "AFG", "IRQ", "ITA", "ESP", "POL", "NGA", "KEN", "ETH", "MEX", "ARG",
             "CUB", "VEN", "NZL", "KAZ", "UZB", "MNG", "LAO", "KHM")
START = dt.date(2015, 1, 1)
DAYS = 3653  # ten years


@dataclass
class SyntheticStats:
    events: int = 0
    documents: int = 0
    seconds: float = 0.0
    bytes: int = 0


def build(path: str | Path, events: int = 100_000, *, seed_inputs: Sequence[str | Path] = (), seed: int = 7,
          events_per_doc: int = 5) -> SyntheticStats:
    """Create the store at ``path`` (which must not exist) with ``events`` synthetic events or more.

    ``seed_inputs`` (files or folders) are ingested first with the real coder. Deterministic for a
    given ``seed``. Runs ``ANALYZE`` at the end, as a long-lived store would have.
    """
    import magpie
    from magpie.lexicon import default_lexicon
    from magpie.read import read_inputs

    started = time.perf_counter()
    path = Path(path)
    if path.exists():
        raise StoreError(f"{path}: already exists (the synthetic store is built from scratch)")
    with magpie.open(path, create=True) as store:
        if seed_inputs:
            store.ingest(read_inputs([str(p) for p in seed_inputs]), workers=1)
    rng = random.Random(seed)
    lexicon = default_lexicon()
    country_names = {code: c.names[0] for code, c in lexicon.countries.items() if c.names}
    countries = [c for c in COUNTRIES if c in country_names]
    country_weights = [1.0 / (rank + 1) ** 0.9 for rank in range(len(countries))]
    by_root: dict[str, list[str]] = {}
    for code, info in lexicon.cameo.items():
        if len(code) == 3 and info.quad_class:
            by_root.setdefault(code[:2], []).append(code)
    roots = [r for r in ROOT_WEIGHTS if r in by_root]
    root_weights = [ROOT_WEIGHTS[r] for r in roots]
    places = [(p.name, p.country, p.lat, p.lon) for p in _places(lexicon)][:400]
    added = dt.datetime.now(dt.UTC).strftime("%Y%m%d%H%M%S")

    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("PRAGMA cache_size=-131072")
        conn.execute("BEGIN")
        next_doc = (conn.execute("SELECT max(doc_key) FROM documents").fetchone()[0] or 0) + 1
        next_event = (conn.execute("SELECT max(event_key) FROM events").fetchone()[0] or 0) + 1
        next_doc_event = (conn.execute("SELECT max(doc_event_key) FROM doc_events").fetchone()[0] or 0) + 1
        next_mention = (conn.execute("SELECT max(mention_key) FROM mentions").fetchone()[0] or 0) + 1
        docs_rows: list[tuple[object, ...]] = []
        event_rows: list[tuple[object, ...]] = []
        doc_event_rows: list[tuple[object, ...]] = []
        mention_rows: list[tuple[object, ...]] = []
        fts_rows: list[tuple[int, str]] = []
        made = 0
        n_docs = 0
        while made < events:
            doc_key = next_doc
            next_doc += 1
            doc_id = f"synthetic-{doc_key:07d}"
            day0 = rng.randrange(DAYS)
            lines = [f"合成新闻 {doc_id}"]
            offset = len(lines[0]) + 1
            per_doc = []
            for _ in range(min(events_per_doc, events - made)):
                root = rng.choices(roots, root_weights)[0]
                code = rng.choice(by_root[root])
                info = lexicon.cameo[code]
                sides = []
                for _side in range(2):
                    country = rng.choices(countries, country_weights)[0]
                    role, role_name, _ = rng.choices(ROLES, [r[2] for r in ROLES])[0]
                    name = country_names[country] + role_name
                    sides.append((country + role, country, role or None, name))
                if sides[0][0] == sides[1][0]:
                    sides[1] = ("USAGOV", "USA", "GOV", country_names["USA"] + "政府") if sides[0][1] != "USA" \
                        else ("CHNGOV", "CHN", "GOV", country_names["CHN"] + "政府")
                day = START + dt.timedelta(days=min(DAYS - 1, day0 + rng.randrange(3)))
                date = day.isoformat() if rng.random() > 0.02 else day.isoformat()[:7]
                verb = VERBS[root]
                topic = rng.choice(TOPICS)
                head = f"{day.month}月{day.day}日,{sides[0][3]}与{sides[1][3]}就{topic}"
                sentence = f"{head}{verb}。"
                s_start = offset
                s_end = s_start + len(sentence)
                t_start = s_start + len(head)
                t_end = t_start + len(verb)
                src_start = s_start + head.index(sides[0][3])
                tgt_start = s_start + head.index(sides[1][3], src_start - s_start + len(sides[0][3]))
                lines.append(sentence)
                offset = s_end + 1
                place = rng.choice(places) if places and rng.random() < 0.3 else None
                event_id = hashlib.sha1(f"{seed}/{doc_id}/{made}".encode()).hexdigest()[:16]
                source = {"code": sides[0][0], "country": sides[0][1], "role": sides[0][2], "name": sides[0][3],
                          "text": sides[0][3], "start": src_start, "end": src_start + len(sides[0][3])}
                target = {"code": sides[1][0], "country": sides[1][1], "role": sides[1][2], "name": sides[1][3],
                          "text": sides[1][3], "start": tgt_start, "end": tgt_start + len(sides[1][3])}
                evidence = {"sentence": sentence, "start": s_start, "end": s_end,
                            "trigger": {"text": verb, "start": t_start, "end": t_end}}
                record = {"doc_id": doc_id, "event_id": event_id, "date": date, "date_inferred": False,
                          "code": code, "root_code": root, "quad_class": info.quad_class,
                          "goldstein": info.goldstein,
                          "plover": {"event": info.plover_event, "mode": info.plover_mode}
                          if info.plover_event else None,
                          "planned": False, "source": source, "target": target,
                          "place": None if place is None else
                          {"name": place[0], "country": place[1], "lat": place[2], "lon": place[3]},
                          "evidence": evidence, "num_mentions": 1}
                per_doc.append(record)
                event_key, doc_event_key, mention_key = next_event, next_doc_event, next_mention
                next_event += 1
                next_doc_event += 1
                next_mention += 1
                event_rows.append((
                    event_key, event_id, date, day.toordinal() if len(date) == 10 else None, 0, code, code[:3], root,
                    info.quad_class, info.goldstein, info.plover_event, info.plover_mode, 0, int(len(per_doc) == 1),
                    source["code"], source["country"], source["role"], source["name"],
                    target["code"], target["country"], target["role"], target["name"],
                    *(place if place else (None, None, None, None)), 1, 1, 1, doc_key, None, added,
                    f"{code}/0/{source['country']}|{source['role'] or ''}/{target['country']}|{target['role'] or ''}"))
                doc_event_rows.append((
                    doc_event_key, event_id, doc_key, event_key, date, 0, code, 0, source["code"], source["text"],
                    source["start"], source["end"], target["code"], target["text"], target["start"], target["end"],
                    1, json.dumps(record, ensure_ascii=False)))
                mention_rows.append((mention_key, event_key, doc_event_key, doc_key, 1, s_start, s_end, t_start, t_end,
                                     sentence, verb))
                fts_rows.append((mention_key, sentence))
                made += 1
            text = "\n".join(lines)
            published = max((r["date"] for r in per_doc if len(r["date"]) == 10), default=None)
            docs_rows.append((doc_key, doc_id, "synthetic", None, lines[0], published, 0,
                              hashlib.sha1(text.encode()).hexdigest(), "hans", "[]", None, None, "synthetic",
                              len(text), len(per_doc), "magpie.web.synthetic", None, text))
            n_docs += 1
            if len(event_rows) >= 20_000 or made >= events:
                _flush(conn, docs_rows, event_rows, doc_event_rows, mention_rows, fts_rows)
        conn.execute("COMMIT")
        conn.execute("ANALYZE")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.Error as error:
        raise StoreError(f"{path}: cannot build the synthetic store ({error})") from error
    finally:
        conn.close()
    return SyntheticStats(events=made, documents=n_docs, seconds=time.perf_counter() - started,
                          bytes=path.stat().st_size)


def _places(lexicon: Lexicon) -> list[PlaceEntry]:
    """The gazetteer's places that have a country, in lexicon order (one per place)."""
    seen: set[str] = set()
    found = []
    for entities in lexicon.entities.values():
        for entity in entities:
            place = entity.place
            if entity.kind == "place" and place is not None and place.country and place.name not in seen:
                seen.add(place.name)
                found.append(place)
    return found


def _flush(conn: sqlite3.Connection, docs: list, events: list, doc_events: list,  # type: ignore[type-arg]
           mentions: list, fts: list) -> None:  # type: ignore[type-arg]
    conn.executemany(
        "INSERT INTO documents(doc_key, id, source, url, title, published, published_inferred, content_hash, script, "
        "removed, duplicate_of, similarity, source_key, chars, events, origin, run_key, text) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", docs)
    conn.executemany(
        "INSERT INTO events(event_key, event_id, date, day, date_inferred, code, base_code, root_code, quad_class, "
        "goldstein, plover_event, plover_mode, planned, is_root, source_code, source_country, source_role, "
        "source_name, target_code, target_country, target_role, target_name, place_name, place_country, place_lat, "
        "place_lon, num_mentions, num_sources, num_articles, doc_key, source_url, date_added, merge_key) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        events)
    conn.executemany(
        "INSERT INTO doc_events(doc_event_key, event_id, doc_key, event_key, date, date_inferred, code, planned, "
        "source_code, source_text, source_start, source_end, target_code, target_text, target_start, target_end, "
        "num_mentions, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", doc_events)
    conn.executemany(
        "INSERT INTO mentions(mention_key, event_key, doc_event_key, doc_key, is_evidence, sentence_start, "
        "sentence_end, trigger_start, trigger_end, sentence, trigger) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        mentions)
    conn.executemany("INSERT INTO evidence_fts(rowid, sentence) VALUES (?, ?)", fts)
    for rows in (docs, events, doc_events, mentions, fts):
        rows.clear()
