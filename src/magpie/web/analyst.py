"""The analysts' endpoints and pages (issue 12): filtered downloads, the map, actor pages.

Registered on the application by :func:`magpie.web.app.create_app` (``register``); the queries are in
:mod:`magpie.web.analyst_queries`. Every list takes the same filters as ``/api/events``.

* ``GET /api/events.csv``, ``GET /api/events.jsonl`` — every event of the filtered view, in the table's sort
  order, as a download (CSV: the columns of ``magpie export --format csv``; JSONL: the records of
  ``/api/events``);
* ``GET /api/places`` — the places with coordinates of the matching events, for the map;
* ``GET /api/actors/{code}/timeline`` — one actor's events per date and QuadClass, and every counterpart.

Pages: Map (``/map``), Actors (``/actors``, a search) and one actor (``/actors/{code}``).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse

from ..errors import StoreError
from . import analyst_queries as aq
from .params import ERRORS, Error, FilterArgs, _json, _spec
from .queries import SORTS, ReadOnlyStore

ACTOR_CODE = re.compile(r"^[A-Z0-9]{3,20}$")
MEDIA = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8"}


def _code(value: str) -> str:
    code = value.strip().upper()
    if not code.isascii() or not ACTOR_CODE.match(code):
        raise StoreError(f"actor code {value[:40]!r}: expected 3 to 20 letters and digits (RUSGOV, IGOUNO)")
    return code


def _filename(fmt: str, args: dict[str, Any]) -> str:
    """``magpie-events[-actor-RUSGOV-root-04].csv``: ASCII filter values name the file, others are left out."""
    parts = ["magpie-events"]
    for key, value in sorted(args["filters"].items()):
        text = ",".join(map(str, value)) if isinstance(value, tuple) else str(value)
        if text.isascii() and re.fullmatch(r"[A-Za-z0-9,._-]{1,40}", text):
            parts.extend([key, text.replace(",", "+")])
    return "-".join(parts)[:120] + "." + fmt


def register(app: FastAPI, store: ReadOnlyStore, run: Callable[..., Awaitable[Any]],
             page: Callable[..., HTMLResponse], error: Callable[[Request, int, str], Response]) -> None:
    """Add the analysts' endpoints and pages to ``app`` (``run``: a query in a worker thread; ``page``: a
    rendered template; ``error``: an error response in the form the request wants)."""

    @app.get("/api/events.{fmt}", responses={**ERRORS, 200: {"content": {MEDIA["csv"]: {}, MEDIA["jsonl"]: {}},
                                                                "description": "every matching event"}},
             tags=["events"], summary="Download every event of the filtered view (CSV or JSONL)")
    async def api_download(
        fmt: Annotated[str, PathParam(pattern="^(csv|jsonl)$", description="csv or jsonl")],
        args: FilterArgs,
        sort: Annotated[str, Query(description=f"one of {', '.join(SORTS)}; prefix - for descending")] = "-date",
        limit: Annotated[int, Query(ge=1, le=aq.DOWNLOAD_LIMIT, description="at most this many events")]
        = aq.DOWNLOAD_LIMIT,
    ) -> Response:
        spec = _spec(args, sort=sort)
        keys = await run(aq.event_keys, store, spec, limit)
        rows = aq.download_rows(store, keys)
        body = aq.csv_lines(rows) if fmt == "csv" else aq.jsonl_lines(rows)
        return StreamingResponse(body, media_type=MEDIA[fmt], headers={
            "content-disposition": f'attachment; filename="{_filename(fmt, args)}"',
            "x-total-count": str(len(keys)), "cache-control": "no-store"})

    @app.get("/api/places", responses=ERRORS, tags=["statistics"],
             summary="Places with coordinates of the matching events (the map)")
    async def api_places(args: FilterArgs,
                         limit: Annotated[int, Query(ge=1, le=aq.PLACES_LIMIT, description="the busiest places")]
                         = aq.PLACES_LIMIT) -> Response:
        spec = _spec(args)
        return _json(await run(aq.places, store, spec, limit))

    @app.get("/api/actors/{actor_code}/timeline", responses={**ERRORS, 404: {"model": Error}}, tags=["actors"],
             summary="One actor: events per date and QuadClass, and every counterpart")
    async def api_actor_timeline(actor_code: str, args: FilterArgs,
                                 counterparts: Annotated[int, Query(ge=0, le=1000)] = 100) -> Response:
        code = _code(actor_code)
        spec = _spec(args)

        def compute() -> dict[str, Any]:
            return {"code": code, "timeline": aq.actor_timeline(store, code, spec),
                    "counterparts": aq.actor_counterparts(store, code, spec, counterparts)}

        found = await run(compute)
        if not found["timeline"]:
            return JSONResponse({"error": f"no events with actor code {code}"}, status_code=404)
        return _json(found)

    @app.get("/map", include_in_schema=False)
    def map_page(request: Request) -> HTMLResponse:
        return page(request, "map")

    @app.get("/actors", include_in_schema=False)
    def actors_page(request: Request) -> HTMLResponse:
        return page(request, "actors")

    @app.get("/actors/{actor_code}", include_in_schema=False)
    def actor_page(request: Request, actor_code: str) -> Response:
        try:
            code = _code(actor_code)
        except StoreError as problem:
            return error(request, 400, str(problem))
        return page(request, "actor", code=code)
