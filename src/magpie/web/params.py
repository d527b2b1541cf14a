"""What the endpoints share: the filter parameters, their validation, the error shape and JSON responses.

Kept apart from :mod:`magpie.web.app` so that the analysts' endpoints (:mod:`magpie.web.analyst`) use the
same parameters without importing the application module that registers them.
"""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import Depends, Query
from fastapi.responses import Response
from pydantic import BaseModel

from ..errors import StoreError
from .queries import EventQuery, make_query

MAX_ID = 512  # longest document id accepted
MAX_TEXT = 200  # longest free-text filter


class Error(BaseModel):
    error: str


ERRORS: dict[int | str, dict[str, Any]] = {400: {"model": Error, "description": "a bad parameter (the message says "
                                                                                   "which and why)"}}


# -- parameters -----------------------------------------------------------------------------------------------

def _bad(message: str) -> StoreError:
    return StoreError(message)


def _pair(value: str | None, name: str) -> tuple[str, ...] | None:
    if value is None:
        return None
    parts = tuple(p for p in value.split(","))
    if len(parts) != 2:
        raise _bad(f"{name}={value!r}: expected two values separated by a comma")
    return parts


def _text(value: str | None, name: str, limit: int = MAX_TEXT) -> str | None:
    if value is None:
        return None
    if len(value) > limit:
        raise _bad(f"{name}: at most {limit} characters")
    if any(ord(c) < 32 and c not in "\t\n\r" for c in value):
        raise _bad(f"{name}: control characters are not allowed")
    value = value.strip()
    return value or None


def event_query(
    actor: Annotated[str | None, Query(description="actor code (RUSGOV) or name in either script (普京, 普丁, "
                                                   "俄羅斯), as source or target")] = None,
    source: Annotated[str | None, Query(description="the same, source actor only")] = None,
    target: Annotated[str | None, Query(description="the same, target actor only")] = None,
    country: Annotated[str | None, Query(description="ISO alpha-3 country of either actor (RUS)")] = None,
    root: Annotated[str | None, Query(description="CAMEO root code (04)")] = None,
    code: Annotated[str | None, Query(description="CAMEO code or prefix (041)")] = None,
    quad: Annotated[list[int] | None, Query(description="QuadClass 1-4 (repeatable)")] = None,
    since: Annotated[str | None, Query(description="events on or after this date (YYYY-MM-DD)")] = None,
    until: Annotated[str | None, Query(description="events on or before this date (YYYY-MM-DD)")] = None,
    text: Annotated[str | None, Query(description="words in a mention sentence, either script (FTS5)")] = None,
    doc: Annotated[str | None, Query(description="events reported in this document id")] = None,
    place: Annotated[str | None, Query(description="action place: a name in either script (索契, 俄羅斯) or the "
                                                   "place's ISO alpha-3 country (RUS)")] = None,
    pair: Annotated[str | None, Query(description="two actor codes A,B: the events between them, either "
                                                  "direction")] = None,
    country_pair: Annotated[str | None, Query(description="two countries A,B: the events between them")] = None,
) -> dict[str, Any]:
    """The filters shared by the event endpoints (validated later, with the sort and page)."""
    values = {"actor": _text(actor, "actor"), "source": _text(source, "source"), "target": _text(target, "target"),
              "country": _text(country, "country"), "root": _text(root, "root"), "code": _text(code, "code"),
              "since": _text(since, "since"), "until": _text(until, "until"), "text": _text(text, "text"),
              "doc": _text(doc, "doc", MAX_ID), "place": _text(place, "place")}
    filters: dict[str, Any] = {k: v for k, v in values.items() if v is not None}
    if "country" in filters:
        if not (len(filters["country"]) == 3 and filters["country"].isascii() and filters["country"].isalpha()):
            raise _bad(f"country={filters['country']!r}: expected an ISO alpha-3 code such as RUS")
        filters["country"] = filters["country"].upper()
    if quad:
        bad = [q for q in quad if q not in (1, 2, 3, 4)]
        if bad:
            raise _bad(f"quad={bad[0]}: expected a QuadClass, 1, 2, 3 or 4")
        filters["quad_class"] = tuple(quad)
    return {"filters": filters, "pair": _pair(_text(pair, "pair"), "pair"),
            "country_pair": _pair(_text(country_pair, "country_pair"), "country_pair")}


FilterArgs = Annotated[dict[str, Any], Depends(event_query)]


def _spec(args: dict[str, Any], **extra: Any) -> EventQuery:
    return make_query(args["filters"], pair=args["pair"], country_pair=args["country_pair"], **extra)


def _json(content: Any) -> Response:
    """A JSON response (orjson: the same bytes as JSONResponse, several times faster), never cached."""
    return Response(orjson.dumps(content), media_type="application/json", headers={"cache-control": "no-store"})
