"""The GDELT 2.0 event table: 61 tab-separated columns in GDELT's order, no header.

Magpie fills what it knows — dates, actor codes, names, countries and roles, the CAMEO event,
QuadClass, Goldstein, NumMentions / NumSources / NumArticles, IsRootEvent, the action place (name,
latitude, longitude), DATEADDED and SOURCEURL — and leaves the rest empty (AvgTone, ethnic and
religion codes, FIPS geo country codes, ADM codes, feature ids, actor geography). Actor names are
Magpie's canonical (Simplified Chinese) names. SOURCEURL is the first article's URL, else its id.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

ACTOR = ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code", "Religion2Code",
         "Type1Code", "Type2Code", "Type3Code")
GEO = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")

COLUMNS: tuple[str, ...] = (
    "GlobalEventID", "Day", "MonthYear", "Year", "FractionDate",
    *(f"Actor1{c}" for c in ACTOR), *(f"Actor2{c}" for c in ACTOR),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    *(f"Actor1Geo_{c}" for c in GEO), *(f"Actor2Geo_{c}" for c in GEO), *(f"ActionGeo_{c}" for c in GEO),
    "DATEADDED", "SOURCEURL",
)
assert len(COLUMNS) == 61

GROUP_PREFIXES = {"IGO", "NGO", "IMG", "MNC", "NGM"}  # transnational actors: the next 3 letters name the group


@lru_cache(maxsize=8192)
def _dates(date: str | None) -> tuple[str, str, str, str]:
    """Day (SQLDATE, YYYYMMDD), MonthYear (YYYYMM), Year and FractionDate of an event date.

    FractionDate is GDELT's: the year plus the day of the year over 365 (19790101 → 1979.0027; GDELT's
    data, whatever its codebook's "(MONTH * 30 + DAY) / 365" says). GDELT's date columns are always
    complete integers, so a date known only to the month or year is written as the first day of that
    month or year (2017-11 → 20171101, 201711; 2015 → 20150101, 201501); the CSV, Parquet and JSONL
    exports carry its precision (``date_precision``).
    """
    if not date:
        return "", "", "", ""
    year = int(date[:4])
    month = int(date[5:7]) if len(date) >= 7 else 1
    day = int(date[8:10]) if len(date) >= 10 else 1
    ordinal = dt.date(year, month, day).timetuple().tm_yday
    return f"{year:04d}{month:02d}{day:02d}", f"{year:04d}{month:02d}", f"{year:04d}", f"{year + ordinal / 365:.4f}"


def _actor(actor: dict[str, Any] | None) -> list[str]:
    if not actor or (not actor.get("code") and not actor.get("country")):
        return [""] * len(ACTOR)
    code = actor.get("code") or ""
    country = actor.get("country") or ""
    roles = [code[i : i + 3] for i in range(3, len(code), 3)]
    known = ""
    if code[:3] in GROUP_PREFIXES and roles:
        known, roles = roles[0], roles[1:]
        country = ""
    types = ([*roles, "", "", ""])[:3]
    return [code, actor.get("name") or actor.get("text") or "", country, known, "", "", "", *types]


def _number(value: float | int | None) -> str:
    if value is None:
        return ""
    return f"{value:g}" if isinstance(value, float) else str(value)


def _clean(value: str) -> str:
    return value.replace("\t", " ").replace("\n", " ").replace("\r", " ")


def row(record: dict[str, Any]) -> list[str]:
    """The 61 GDELT fields (strings) of one merged event record."""
    place = record.get("place") or {}
    day, month_year, year, fraction = _dates(record["date"])
    if place:
        action_geo = ["4" if place.get("lat") is not None else "1", place.get("name") or "", "", "", "",
                      _number(place.get("lat")), _number(place.get("lon")), ""]
    else:
        action_geo = [""] * len(GEO)
    values = [
        str(record["global_event_id"]), day, month_year, year, fraction,
        *_actor(record["source"]), *_actor(record["target"]),
        "1" if record["is_root"] else "0", record["code"], record["base_code"], record["root_code"],
        _number(record["quad_class"]), _number(record["goldstein"]),
        str(record["num_mentions"]), str(record["num_sources"]), str(record["num_articles"]), "",
        *[""] * len(GEO), *[""] * len(GEO), *action_geo,
        record.get("date_added") or "", record.get("source_url") or record.get("doc_id") or "",
    ]
    assert len(values) == len(COLUMNS)
    return [_clean(v) for v in values]


def line(record: dict[str, Any]) -> str:
    return "\t".join(row(record)) + "\n"
