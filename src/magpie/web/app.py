"""The web application: a JSON API over a read-only store, and four pages for analysts.

``create_app(path)`` returns a FastAPI application. The API (documented at ``/docs``, the OpenAPI
document at ``/openapi.json``):

* ``GET /api/events`` — merged events, filtered (the filters of ``magpie export``), sorted, paged;
* ``GET /api/actors``, ``GET /api/actors/{code}`` — actors with event counts and top partners;
* ``GET /api/documents/{id}`` — a document's original text, what cleaning removed, its events;
* ``GET /api/stats`` — events per day and QuadClass, per root, per country pair;
* ``GET /api/network`` — actors or countries and the events between them;
* ``GET /api/meta`` — labels (CAMEO roots and codes, QuadClasses, countries);
* ``GET /api/events.csv``, ``/api/events.jsonl``, ``/api/places``, ``/api/actors/{code}/timeline`` — the
  analysts' downloads, map and actor pages (:mod:`magpie.web.analyst`).

Pages: Events (``/``), Timeline (``/timeline``), Network (``/network``), Map (``/map``), Actors
(``/actors``, ``/actors/{code}``), Document (``/documents/{id}``). Every asset is bundled (no CDN, no
tile server); the pages' scripts are plain JavaScript. Bad parameters get a 400 with ``{"error": message}``;
a fault of the server (the database cannot be opened or read, out of file handles) a 503 or 500, never a 400.
The store is opened read-only.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from pathlib import Path
from typing import Annotated, Any, TypeVar

import anyio
import anyio.to_thread
from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..english import english_name
from ..errors import StoreError
from ..export.plover import contexts as plover_contexts
from . import labels
from .params import ERRORS, MAX_ID, Error, FilterArgs, _bad, _json, _spec, _text
from .queries import MAX_PAGE_SIZE, SORTS, QueryError, ReadOnlyStore
from .render import segments

T = TypeVar("T")
HERE = Path(__file__).resolve().parent

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]], Awaitable[None]]

SECURITY_HEADERS = [
    (b"content-security-policy", b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                                 b"connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
                                 b"form-action 'self'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


class SecurityHeaders:
    """Adds a strict Content-Security-Policy (no inline script, nothing from elsewhere) and friends."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Callable[[], Awaitable[Message]],
                       send: Callable[[Message], Awaitable[None]]) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, wrapped)


class HostCheck:
    """Answers only requests whose ``Host`` header names this server (against DNS rebinding: a page on
    evil.example whose name is made to resolve to 127.0.0.1 sends ``Host: evil.example``). ``allowed``: host
    names or addresses, without port, case-insensitive; ``*`` allows any. ``any_address``: also allow any IP
    address (a server listening on every interface; a literal address cannot be rebound). A request without
    ``Host`` (HTTP/1.0, not a browser) passes."""

    def __init__(self, app: ASGIApp, allowed: Iterable[str], any_address: bool = False) -> None:
        self.app = app
        self.allowed = frozenset(_host_name(h) for h in allowed)
        self.any_address = any_address

    def permits(self, header: str) -> bool:
        name = _host_name(header)
        if "*" in self.allowed or name in self.allowed:
            return True
        if self.any_address:
            try:
                ipaddress.ip_address(name)
                return True
            except ValueError:
                return False
        return False

    async def __call__(self, scope: Scope, receive: Callable[[], Awaitable[Message]],
                       send: Callable[[Message], Awaitable[None]]) -> None:
        if scope["type"] in ("http", "websocket"):
            header = next((v for k, v in scope.get("headers", ()) if k == b"host"), None)
            if header is not None and not self.permits(header.decode("latin-1")):
                shown = header.decode("latin-1")[:100]
                names = ", ".join(sorted(self.allowed)) + (" or an IP address" if self.any_address else "")
                response = JSONResponse({"error": f"Host {shown!r} is not a name of this server ({names}); start "
                                                  f"magpie serve with --allowed-host {_host_name(shown)} to allow "
                                                  f"it"}, status_code=400)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _host_name(value: str) -> str:
    """The host of a ``Host`` header or name: no port, no brackets, lower case, no final dot."""
    value = value.strip().lower()
    if value.startswith("["):
        value = value[1:].split("]", 1)[0]
    elif value.count(":") == 1:
        value = value.split(":", 1)[0]
    return value.rstrip(".")


# -- response models (the OpenAPI documentation; responses are built as plain JSON for speed) -----------------

class Actor(BaseModel):
    code: str | None = Field(None, examples=["RUSGOV"], description="CAMEO actor code")
    country: str | None = Field(None, examples=["RUS"], description="ISO alpha-3")
    role: str | None = Field(None, examples=["GOV"])
    name: str | None = Field(None, description="canonical name (Simplified)", examples=["普京"])
    text: str | None = Field(None, description="the mention as written in the first article")


class Trigger(BaseModel):
    text: str
    start: int
    end: int


class Evidence(BaseModel):
    doc_id: str
    sentence: str
    start: int = Field(description="offset of the sentence in the document text")
    end: int
    trigger: Trigger


class Place(BaseModel):
    name: str
    country: str | None = None
    lat: float | None = None
    lon: float | None = None


class Event(BaseModel):
    global_event_id: int = Field(description="the merged event's row number (GDELT GlobalEventID)")
    event_id: str
    date: str | None = Field(None, description="YYYY-MM-DD, YYYY-MM or YYYY")
    date_inferred: bool
    code: str = Field(examples=["041"])
    base_code: str
    root_code: str
    quad_class: int | None = Field(None, description="1 verbal cooperation … 4 material conflict")
    goldstein: float | None = None
    plover: dict[str, str | None]
    planned: bool
    is_root: bool
    source: Actor | None = None
    target: Actor | None = None
    place: Place | None = None
    num_mentions: int
    num_sources: int
    num_articles: int
    doc_id: str = Field(description="its first article")
    title: str | None = None
    publisher: str | None = None
    source_url: str | None = None
    date_added: str
    evidence: Evidence | None = None


class EventPage(BaseModel):
    total: int = Field(description="matching events (capped: see total_exact)")
    total_exact: bool
    page: int
    page_size: int
    sort: str
    events: list[Event]


class Partner(BaseModel):
    code: str
    events: int
    goldstein: float | None = None


class ActorSummary(BaseModel):
    code: str
    name: str | None = None
    country: str | None = None
    role: str | None = None
    events: int
    goldstein: float | None = Field(None, description="mean Goldstein score of its events")
    partners: list[Partner]


class ActorList(BaseModel):
    total: int
    limit: int
    offset: int
    actors: list[ActorSummary]


class ActorDetail(BaseModel):
    code: str
    country: str | None = None
    role: str | None = None
    names: list[dict[str, Any]]
    events: int
    as_source: int
    as_target: int
    first_date: str | None = None
    last_date: str | None = None
    goldstein: float | None = None
    per_quad: dict[str, int]
    per_root: list[dict[str, Any]]
    partners: list[Partner]
    recent: list[Event]


class RemovedSpan(BaseModel):
    start: int
    end: int
    reason: str | None = None
    text: str


class DocumentOut(BaseModel):
    id: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: str | None = None
    published_inferred: bool
    script: str | None = None
    chars: int
    duplicate_of: str | None = None
    similarity: float | None = None
    copies: list[str]
    text: str = Field(description="the original text, exactly as given: every offset indexes it")
    removed: list[RemovedSpan] = Field(description="what cleaning set aside (offsets into text)")
    num_events: int
    events: list[dict[str, Any]] = Field(description="per-document event records as `magpie code` writes them, "
                                                     "with every mention's offsets, global_event_id and merged counts")


class Stats(BaseModel):
    total: int
    dated: int = Field(description="events with a full date (the rest are in partial_dates)")
    partial_dates: int
    per_day: list[dict[str, Any]] = Field(description="[{date, q1, q2, q3, q4}] for days with events")
    per_quad: dict[str, int]
    per_root: list[dict[str, Any]]
    per_country_pair: list[dict[str, Any]] = Field(description="undirected pairs {a, b, events, goldstein}")


class Network(BaseModel):
    level: str
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]] = Field(description="undirected {source, target, events, goldstein (mean)}")


# -- the application ------------------------------------------------------------------------------------------

def create_app(path: str | Path, *, cache_size: int = 256, preload: bool = True, threads: int = 4,
               allowed_hosts: Iterable[str] | None = None, any_address: bool = False) -> FastAPI:
    """The web application over the store at ``path`` (opened read-only; StoreError if it cannot be read).

    ``cache_size``: aggregates and counts remembered (LRU) while the store does not grow; ``threads``:
    queries run at once, and database connections open (a pool shared by the worker threads);
    ``allowed_hosts``: the only ``Host`` headers answered (see :class:`HostCheck`; None: any, as in tests).
    """
    store = ReadOnlyStore(path, cache_size=cache_size, connections=threads)
    if preload:
        labels.meta()  # loads the lexicon once, before the first request needs it
        store.event_index()  # and the in-memory event index
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals["version"] = __version__
    templates.env.globals["roots"] = labels.ROOTS
    templates.env.globals["quads"] = labels.QUADS
    templates.env.globals["max_page_size"] = MAX_PAGE_SIZE
    templates.env.globals["db_name"] = Path(path).name
    templates.env.globals["english"] = english_name
    templates.env.globals["plover_contexts"] = plover_contexts

    app = FastAPI(
        title="Magpie", version=__version__, docs_url=None, redoc_url=None,
        description="Political events coded from Chinese news (CAMEO, QuadClass, Goldstein, evidence offsets), "
                    "read-only. Filters combine with AND and mean what they mean for `magpie export`. Errors: "
                    "400 with `{\"error\": message}` for a bad parameter, 404 for an unknown document or actor.")
    app.state.store = store
    limiter: list[anyio.CapacityLimiter] = []

    async def run(function: Callable[..., T], *args: Any) -> T:
        """Run a query in a worker thread: at most ``threads`` at once (SQLite runs them in parallel)."""
        if not limiter:
            limiter.append(anyio.CapacityLimiter(threads))
        return await anyio.to_thread.run_sync(function, *args, limiter=limiter[0])

    app.add_middleware(SecurityHeaders)  # type: ignore[arg-type]
    if allowed_hosts is not None:  # added last: the outermost, before anything else runs
        app.add_middleware(HostCheck, allowed=list(allowed_hosts), any_address=any_address)  # type: ignore[arg-type]
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    # -- errors --------------------------------------------------------------------------------------------------
    def wants_html(request: Request) -> bool:
        return not request.url.path.startswith("/api/") and "text/html" in request.headers.get("accept", "")

    def error(request: Request, status: int, message: str) -> Response:
        if wants_html(request):
            return templates.TemplateResponse(request, "error.html", {"status": status, "message": message,
                                                                      "page": "error"}, status_code=status)
        return JSONResponse({"error": message}, status_code=status)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = []
        for item in exc.errors():
            where = ".".join(str(p) for p in item.get("loc", ())[1:]) or "request"
            problems.append(f"{where}: {item.get('msg', 'invalid')}")
        return error(request, 400, "; ".join(problems) or "invalid request")

    @app.exception_handler(QueryError)
    async def unavailable(request: Request, exc: QueryError) -> Response:
        return error(request, 503, f"the database could not answer: {exc}")

    @app.exception_handler(StoreError)
    async def bad_request(request: Request, exc: StoreError) -> Response:
        return error(request, 400, str(exc))

    @app.exception_handler(Exception)
    async def server_fault(request: Request, exc: Exception) -> Response:
        """Anything else is the server's fault, never the client's: 500 (the server logs the traceback)."""
        return JSONResponse({"error": f"internal server error ({type(exc).__name__}); the server's log says more"},
                            status_code=500)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "error"
        if exc.status_code == 404 and message == "Not Found":
            message = f"no such page: {request.url.path}"
        return error(request, exc.status_code, message)

    # -- API -----------------------------------------------------------------------------------------------------
    @app.get("/api/events", response_model=EventPage, responses=ERRORS, tags=["events"],
             summary="Merged events: filtered, sorted, paged")
    async def api_events(
        args: FilterArgs,
        sort: Annotated[str, Query(description=f"one of {', '.join(SORTS)}; prefix - for descending")] = "-date",
        page: Annotated[int, Query(description="1, 2, …")] = 1,
        page_size: Annotated[int, Query(description=f"events per page, 1 to {MAX_PAGE_SIZE}")] = 50,
    ) -> Response:
        return _json(await run(store.events, _spec(args, sort=sort, page=page, page_size=page_size)))

    @app.get("/api/actors", response_model=ActorList, responses=ERRORS, tags=["actors"],
             summary="Actors of the matching events, with event counts and top partners")
    async def api_actors(
        args: FilterArgs,
        q: Annotated[str | None, Query(description="an actor code prefix (RUS) or a name (普京)")] = None,
        limit: Annotated[int, Query(ge=1, le=500, description="actors per page")] = 50,
        offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
        partners: Annotated[int, Query(ge=0, le=50, description="top partners per actor")] = 5,
    ) -> Response:
        spec = _spec(args)
        return _json(await run(lambda: store.actors(spec, q=_text(q, "q"), limit=limit, offset=offset,
                                                    partners=partners)))

    @app.get("/api/actors/{actor_code}", response_model=ActorDetail, responses={**ERRORS, 404: {"model": Error}},
             tags=["actors"], summary="One actor code: names, counts, breakdowns, partners, recent events")
    async def api_actor(actor_code: str, args: FilterArgs,
                  recent: Annotated[int, Query(ge=0, le=100, description="recent events")] = 10) -> Response:
        value = actor_code.strip().upper()
        if not value.isascii() or not value.isalnum() or not 3 <= len(value) <= 20:
            raise _bad(f"actor code {actor_code[:40]!r}: expected 3 to 20 letters and digits (RUSGOV, IGOUNO)")
        spec = _spec(args)
        found = await run(lambda: store.actor(value, spec, recent=recent))
        if found is None:
            return JSONResponse({"error": f"no events with actor code {value}"}, status_code=404)
        return _json(found)

    @app.get("/api/documents/{doc_id:path}", response_model=DocumentOut, responses={**ERRORS, 404: {"model": Error}},
             tags=["documents"], summary="A document: original text, what cleaning removed, its events")
    async def api_document(doc_id: str) -> Response:
        found = await run(store.document, _doc_id(doc_id))
        if found is None:
            return JSONResponse({"error": f"no document with id {doc_id[:80]!r}"}, status_code=404)
        return _json(found)

    @app.get("/api/stats", response_model=Stats, responses=ERRORS, tags=["statistics"],
             summary="Events per day per QuadClass, per root and per country pair, for the filters")
    async def api_stats(args: FilterArgs,
                  pairs: Annotated[int, Query(ge=1, le=500, description="country pairs listed")] = 50) -> Response:
        spec = _spec(args)
        return _json(await run(lambda: store.stats(spec, pairs=pairs)))

    @app.get("/api/network", response_model=Network, responses=ERRORS, tags=["statistics"],
             summary="Actors (or countries) as nodes, the events between them as edges")
    async def api_network(args: FilterArgs,
                    level: Annotated[str, Query(pattern="^(actor|country)$", description="actor or country")] = "actor",
                    nodes: Annotated[int, Query(ge=2, le=200, description="the busiest nodes kept")] = 40) -> Response:
        spec = _spec(args)
        return _json(await run(lambda: store.network(spec, level=level, nodes=nodes)))

    @app.get("/api/meta", tags=["labels"], summary="Labels: CAMEO roots and codes, QuadClasses, countries")
    def api_meta() -> Response:
        return JSONResponse(labels.meta(), headers={"cache-control": "max-age=3600"})

    # -- pages ---------------------------------------------------------------------------------------------------
    def page(request: Request, name: str, **context: Any) -> HTMLResponse:
        return templates.TemplateResponse(request, f"{name}.html", {"page": name, **context})

    @app.get("/", include_in_schema=False)
    def events_page(request: Request) -> HTMLResponse:
        return page(request, "events")

    @app.get("/events", include_in_schema=False)
    def events_alias(request: Request) -> RedirectResponse:
        query = request.url.query
        return RedirectResponse("/" + (f"?{query}" if query else ""))

    @app.get("/timeline", include_in_schema=False)
    def timeline_page(request: Request) -> HTMLResponse:
        return page(request, "timeline")

    @app.get("/network", include_in_schema=False)
    def network_page(request: Request) -> HTMLResponse:
        return page(request, "network")

    @app.get("/documents/{doc_id:path}", include_in_schema=False)
    async def document_page(request: Request, doc_id: str) -> Response:
        ident = _doc_id(doc_id)
        found = await run(store.document, ident)
        if found is None:
            return error(request, 404, f"no document with id {ident[:80]!r}")
        meta = labels.meta()
        for index, event in enumerate(found["events"]):
            event["index"] = index
            event["code_name"] = meta["codes"].get(event.get("code"), {}).get("name")
            event["root_names"] = labels.ROOTS.get(str(event.get("root_code")), ("", ""))
            event["quad_names"] = labels.QUADS.get(str(event.get("quad_class")), ("", ""))
        return page(request, "document", doc=found, segments=segments(found["text"], found["events"],
                                                                         found["removed"]))

    @app.get("/docs", include_in_schema=False)
    def docs_page(request: Request) -> HTMLResponse:
        return page(request, "docs")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)

    from .analyst import register  # downloads, the map and actor pages (issue 12)

    register(app, store, run, page, error)
    return app


def app_from_environment() -> FastAPI:
    """:func:`create_app` in each worker process of ``magpie serve --workers N`` (the store: ``MAGPIE_SERVE_DB``)."""
    return create_app(os.environ["MAGPIE_SERVE_DB"])


def _doc_id(value: str) -> str:
    """A document id from the URL path: any text, but no control characters and not too long."""
    if not value:
        raise _bad("document id: empty")
    if len(value) > MAX_ID:
        raise _bad(f"document id: at most {MAX_ID} characters")
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise _bad("document id: control characters (such as NUL) are not allowed")
    return value

