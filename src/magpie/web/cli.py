"""``magpie serve``: the web application over a store (this module prints).

``magpie.cli`` adds it with :func:`add_parsers` and runs it with :func:`run`.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import ipaddress
import os
import socket
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..errors import MagpieError, OptionsError

COMMANDS = {"serve"}
EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


def add_parsers(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``serve`` subcommand to ``magpie``'s subparsers."""
    serve = subparsers.add_parser(
        "serve", help="explore a store in the browser (web UI and HTTP API)",
        description="Serve a web application over an SQLite store (opened read-only): Events, Timeline, Network "
                    "and Document pages, and a JSON API documented at /docs. Binds to 127.0.0.1 unless --host "
                    "says otherwise.")
    serve.add_argument("--db", default="magpie.db", help="the store (default magpie.db)")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default 127.0.0.1: this machine only)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000; 0: any free port)")
    serve.add_argument("--workers", type=int, default=1,
                       help="server processes (default 1; one per CPU serves the most requests at once)")
    serve.add_argument("--allowed-host", action="append", default=[], metavar="NAME",
                       help="also answer requests for this host name (repeatable; * for any): the name a reverse "
                            "proxy or DNS gives the server. By default only the --host address and, on loopback, "
                            "localhost are answered (against DNS rebinding); listening on every interface "
                            "(0.0.0.0, ::) also allows any IP address and this machine's names")
    serve.add_argument("--header-timeout", type=float, default=None, metavar="S",
                       help="close a connection whose request headers have not all arrived S seconds after it "
                            "opened or after its last response (default 10)")
    serve.add_argument("--idle-timeout", type=float, default=None, metavar="S",
                       help="close a keep-alive connection idle for S seconds between requests (default 5)")
    serve.add_argument("--max-connections", type=int, default=None, metavar="N",
                       help="connections open at once per worker; one more closes the one that has waited "
                            "longest for its request (default 1000, less when ulimit -n is lower)")
    serve.add_argument("--quiet", "-q", action="store_true", help="no request log")


def run(args: argparse.Namespace) -> int:
    """Run ``magpie serve``; return the exit status (0 after Ctrl-C, 2 for a usage or store error)."""
    try:
        return _serve(args)
    except MagpieError as error:
        print(f"magpie: {error}", file=sys.stderr)
        return EXIT_USAGE


def _bind(host: str, port: int) -> socket.socket:
    if not 0 <= port <= 65535:
        raise OptionsError(f"--port {port}: expected 0 to 65535")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as error:
        raise OptionsError(f"--host {host}: {error.strerror}") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as error:
        sock.close()
        raise OptionsError(f"cannot listen on {host}:{port} ({error.strerror}); choose another --port") from None
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def allowed_hosts(host: str, address: str, extra: Sequence[str] = ()) -> tuple[list[str], bool]:
    """The ``Host`` names a server listening on ``host`` (as given; ``address``: the address bound) answers, and
    whether any IP address is also allowed (listening on every interface)."""
    names = {host.strip().lower(), address.lower(), *(e.strip().lower() for e in extra if e.strip())}
    wildcard = address in ("0.0.0.0", "::", "")
    if wildcard or _loopback(host) or _loopback(address):
        names |= {"localhost", "127.0.0.1", "::1"}
    if wildcard:
        names |= {socket.gethostname().lower(), socket.getfqdn().lower()}
    return sorted(n for n in names if n and n not in ("0.0.0.0", "::")), wildcard


def _guards(args: argparse.Namespace) -> dict[str, Any]:
    """uvicorn settings for the header and idle timeouts and the connection limit (magpie.web.server)."""
    from uvicorn.protocols.http.auto import AutoHTTPProtocol

    from .server import HEADER_TIMEOUT, IDLE_TIMEOUT, guarded

    header = HEADER_TIMEOUT if getattr(args, "header_timeout", None) is None else args.header_timeout
    idle = IDLE_TIMEOUT if getattr(args, "idle_timeout", None) is None else args.idle_timeout
    limit = getattr(args, "max_connections", None)
    if not 0 < header <= 3600:
        raise OptionsError(f"--header-timeout {header:g}: expected more than 0 and at most 3600 seconds")
    if not 0 < idle <= 3600:
        raise OptionsError(f"--idle-timeout {idle:g}: expected more than 0 and at most 3600 seconds")
    if limit is not None and not 1 <= limit <= 1_000_000:
        raise OptionsError(f"--max-connections {limit}: expected 1 to 1,000,000")
    return {"http": guarded(AutoHTTPProtocol, header, limit), "timeout_keep_alive": idle}


def _serve(args: argparse.Namespace) -> int:
    from ..extras import need

    need("fastapi", "web")
    uvicorn = need("uvicorn", "web")

    from ..store.schema import SCHEMA_VERSION
    from . import labels
    from .app import HostCheck, create_app

    db = Path(args.db)
    if not db.is_file():
        raise OptionsError(f"{db}: no such database (make one first: magpie ingest examples/ --db {db})")
    workers = getattr(args, "workers", 1)
    if not 1 <= workers <= 64:
        raise OptionsError(f"--workers {workers}: expected 1 to 64")
    guards = _guards(args)
    _upgrade(db, SCHEMA_VERSION)
    app = create_app(db, preload=workers == 1)  # several workers: each builds its own
    with app.state.store.borrow() as conn:
        events = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    sock = _bind(args.host, args.port)
    host, port = sock.getsockname()[:2]
    hosts, any_address = allowed_hosts(args.host, host, getattr(args, "allowed_host", []))
    app.add_middleware(HostCheck, allowed=hosts, any_address=any_address)  # type: ignore[arg-type]
    shown = f"[{host}]" if ":" in host else host
    if not _loopback(args.host):
        print(f"magpie: warning: listening on {args.host}: anyone who can reach it can read {db}", file=sys.stderr)

    def serving() -> None:
        print(f"magpie: serving {db} ({events:,} events, read-only) at http://{shown}:{port}/  (API: /docs; Ctrl-C "
              f"to stop)", file=sys.stderr, flush=True)

    if workers == 1:
        serving()
        gc.freeze()  # the lexicon and the event index: long-lived, never garbage (a full collection skips them)
        config = uvicorn.Config(app, log_level="warning", access_log=not args.quiet, lifespan="off", **guards)
        try:
            uvicorn.Server(config).run(sockets=[sock])
        finally:
            sock.close()
            app.state.store.close()
        return EXIT_OK
    # several processes on the one socket (forked: each opens its own read-only connections, index and caches)
    app.state.store.close()
    del app
    labels.meta()  # the lexicon, loaded once and shared by the forked workers
    gc.freeze()  # and left alone by the garbage collector (no copy-on-write of its pages, shorter collections)
    try:
        return _serve_forked(db, sock, workers, access_log=not args.quiet, hosts=(hosts, any_address), guards=guards,
                             ready=serving)
    finally:
        sock.close()


def _serve_forked(db: Path, sock: socket.socket, workers: int, *, access_log: bool,
                  hosts: tuple[list[str], bool], guards: dict[str, Any], ready: Callable[[], None]) -> int:
    """Fork ``workers`` server processes that share ``sock``; call ``ready`` once each has its event index (or has
    failed); wait for them (SIGTERM / SIGINT: stop them all)."""
    import signal

    import uvicorn

    from .app import create_app

    children: list[int] = []
    started, report = os.pipe()  # each worker writes a byte once it can answer
    for _ in range(workers):
        pid = os.fork()
        if pid == 0:  # a worker: serve until told to stop
            status = EXIT_OK
            try:
                os.close(started)
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                signal.signal(signal.SIGINT, signal.default_int_handler)
                app = create_app(db, allowed_hosts=hosts[0], any_address=hosts[1])
                gc.freeze()  # this worker's event index too
                os.write(report, b".")
                os.close(report)
                config = uvicorn.Config(app, log_level="warning", access_log=access_log, lifespan="off", **guards)
                uvicorn.Server(config).run(sockets=[sock])
            except KeyboardInterrupt:
                pass
            except BaseException as error:  # a worker reports and exits, the others go on
                print(f"magpie: worker {os.getpid()}: {error}", file=sys.stderr, flush=True)
                status = EXIT_ERROR
            finally:
                os._exit(status)
        children.append(pid)

    stopping: list[int] = []

    def stop(signum: int, frame: object) -> None:
        stopping.append(signum)
        for child in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    os.close(report)
    answered = 0
    while answered < workers:  # until every worker is ready, or the rest have gone (end of the pipe)
        try:
            got = os.read(started, workers)
        except InterruptedError:
            continue
        if not got:
            break
        answered += len(got)
    os.close(started)
    if answered and not stopping:
        ready()
    status = EXIT_OK
    while children:
        try:
            pid, code = os.wait()
        except ChildProcessError:
            break
        except InterruptedError:
            continue
        if pid in children:
            children.remove(pid)
            if os.waitstatus_to_exitcode(code) not in (0, -signal.SIGTERM, -signal.SIGINT):
                status = EXIT_ERROR
    return status


def _upgrade(db: Path, version: int) -> None:
    """Bring an older store up to date (new indexes) before serving it read-only, when it is writable."""
    import sqlite3

    from ..store import open as open_store

    try:
        with sqlite3.connect(db.resolve().as_uri() + "?mode=ro", uri=True) as conn:
            current = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.Error as error:
        raise OptionsError(f"{db}: not a Magpie store ({error})") from None
    if current >= version:
        return
    try:
        with open_store(db):
            pass
        print(f"magpie: {db}: brought up to schema version {version} (indexes for the web UI)", file=sys.stderr)
    except MagpieError as error:
        print(f"magpie: warning: {error}; serving it as it is (some queries are slower)", file=sys.stderr)


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


