"""PLOVER JSON records (one per line), after the PLOVER manual's data fields (chapter 6).

Field names follow the manual's Table 6.1 in the camelCase of the PLOVER GSR files: ``id``, ``date``,
``actor`` and ``recipient`` (lists of entity objects: ``code`` country, ``sector`` role,
``entityText`` as written, ``identifierText`` canonical name, ``identifierTextEn`` its English from the
lexicon, ``cameoCode``), ``event`` (list of
PLOVER categories), ``mode``, ``context`` (lists; the contexts the CAMEO→PLOVER 2021 map gives the CAMEO code,
e.g. ``["diplomatic"]`` for 036, 051 and 057: ``data/plover_contexts.tsv``), ``eventLoc``
(location object), ``eventText``, ``quadCode``, ``eventScale`` (Goldstein), ``text`` (the evidence
sentence), ``textInfo`` (its offsets in the article), ``citeInfo``, ``coder`` and ``codedDate``;
plus ``cameo``, ``numMentions``, ``numSources``, ``numArticles`` (named extras the manual allows).
Events whose CAMEO code PLOVER drops (roots 01 and 02: no PLOVER category) are not written.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import ExportError

CONTEXTS = Path(__file__).resolve().parent / "data" / "plover_contexts.tsv"
_CODE = re.compile(r"^\d{2,4}$")
_CONTEXT = re.compile(r"^[a-z][a-z_]*$")
REQUIRED = ("id", "date", "actor", "event", "mode", "context", "recipient", "eventLoc", "text")


def _entity(actor: dict[str, Any] | None) -> list[dict[str, Any]]:
    if not actor:
        return []
    return [{"code": actor.get("country"), "sector": actor.get("role"), "entityText": actor.get("text"),
             "identifierText": actor.get("name"), "identifierTextEn": actor.get("name_en"),
             "cameoCode": actor.get("code")}]


def load_contexts(path: Path = CONTEXTS) -> dict[str, tuple[str, ...]]:
    """CAMEO code → PLOVER contexts from a ``plover_contexts.tsv`` file, validated (errors name the line)."""
    table: dict[str, tuple[str, ...]] = {}
    header = False
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip() or line.startswith("#"):
                continue
            cells = line.rstrip("\n").split("\t")
            if not header:
                if cells != ["code", "contexts"]:
                    raise ExportError(f"{path}:{number}: expected the header code<TAB>contexts")
                header = True
                continue
            if len(cells) != 2 or not _CODE.match(cells[0]):
                raise ExportError(f"{path}:{number}: expected a CAMEO code of 2-4 digits and its contexts")
            names = tuple(c.strip() for c in cells[1].split(";"))
            bad = [c for c in names if not _CONTEXT.match(c)]
            if bad:
                raise ExportError(f"{path}:{number}: context {bad[0]!r} is not a PLOVER context name (lower_case)")
            if cells[0] in table:
                raise ExportError(f"{path}:{number}: code {cells[0]} is listed twice")
            table[cells[0]] = names
    return table


@cache
def _contexts() -> dict[str, tuple[str, ...]]:
    return load_contexts()


def contexts(code: str | None) -> list[str]:
    """The PLOVER contexts of a CAMEO code (``[]`` when the map gives none)."""
    return list(_contexts().get(code or "", ()))


def record(event: dict[str, Any], coder: str) -> dict[str, Any] | None:
    """The PLOVER record of a merged event, or None when PLOVER has no category for its code."""
    category = event["plover"]["event"]
    if not category:
        return None
    place = event.get("place")
    evidence = event.get("evidence") or {}
    added = event.get("date_added") or ""
    return {
        "id": f"magpie-{event['event_id']}",
        "date": event["date"],
        "actor": _entity(event["source"]),
        "recipient": _entity(event["target"]),
        "event": [category],
        "mode": [event["plover"]["mode"]] if event["plover"]["mode"] else [],
        "context": contexts(event["code"]),
        "eventLoc": None if not place else {
            "extractedPlace": place.get("name"), "resolvedPlace": place.get("name"), "lat": place.get("lat"),
            "lon": place.get("lon"), "countryCode": place.get("country")},
        "eventText": [evidence["trigger"]["text"]] if evidence else [],
        "quadCode": event["quad_class"],
        "eventScale": event["goldstein"],
        "text": evidence.get("sentence"),
        "textInfo": {"docId": evidence.get("doc_id"), "start": evidence.get("start"), "end": evidence.get("end")}
        if evidence else None,
        "citeInfo": {"corpus": "magpie", "citation": event["doc_id"], "url": event.get("source_url"),
                     "title": event.get("title"), "publication": event.get("publisher"), "language": "zh",
                     "coder": coder, "codebook": "CAMEO via CAMEO2PLOVER-2021"},
        "coder": coder,
        "codedDate": f"{added[:4]}-{added[4:6]}-{added[6:8]}" if len(added) >= 8 else None,
        "cameo": event["code"],
        "planned": event["planned"],
        "numMentions": event["num_mentions"],
        "numSources": event["num_sources"],
        "numArticles": event["num_articles"],
    }
