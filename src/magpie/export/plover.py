"""PLOVER JSON records (one per line), after the PLOVER manual's data fields (chapter 6).

Field names follow the manual's Table 6.1 in the camelCase of the PLOVER GSR files: ``id``, ``date``,
``actor`` and ``recipient`` (lists of entity objects: ``code`` country, ``sector`` role,
``entityText`` as written, ``identifierText`` canonical name, ``identifierTextEn`` its English from the
lexicon, ``cameoCode``), ``event`` (list of
PLOVER categories), ``mode``, ``context`` (lists; Magpie codes no context, so ``[]``), ``eventLoc``
(location object), ``eventText``, ``quadCode``, ``eventScale`` (Goldstein), ``text`` (the evidence
sentence), ``textInfo`` (its offsets in the article), ``citeInfo``, ``coder`` and ``codedDate``;
plus ``cameo``, ``numMentions``, ``numSources``, ``numArticles`` (named extras the manual allows).
Events whose CAMEO code PLOVER drops (roots 01 and 02: no PLOVER category) are not written.
"""

from __future__ import annotations

from typing import Any

REQUIRED = ("id", "date", "actor", "event", "mode", "context", "recipient", "eventLoc", "text")


def _entity(actor: dict[str, Any] | None) -> list[dict[str, Any]]:
    if not actor:
        return []
    return [{"code": actor.get("country"), "sector": actor.get("role"), "entityText": actor.get("text"),
             "identifierText": actor.get("name"), "identifierTextEn": actor.get("name_en"),
             "cameoCode": actor.get("code")}]


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
        "context": [],
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
