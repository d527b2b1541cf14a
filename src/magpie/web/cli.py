"""``magpie serve``: the web application over a store (this module prints).

``magpie.cli`` adds it with :func:`add_parsers` and runs it with :func:`run`.
"""

from __future__ import annotations

import argparse
import contextlib
import ipaddress
import os
import socket
import sys
from pathlib import Path

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


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from ..store.schema import SCHEMA_VERSION
    from . import labels
    from .app import create_app

    db = Path(args.db)
    if not db.is_file():
        raise OptionsError(f"{db}: no such database (make one first: magpie ingest examples/ --db {db})")
    workers = getattr(args, "workers", 1)
    if not 1 <= workers <= 64:
        raise OptionsError(f"--workers {workers}: expected 1 to 64")
    _upgrade(db, SCHEMA_VERSION)
    app = create_app(db, preload=workers == 1)  # several workers: each builds its own
    events = app.state.store.connection().execute("SELECT count(*) FROM events").fetchone()[0]
    sock = _bind(args.host, args.port)
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    if not _loopback(args.host):
        print(f"magpie: warning: listening on {args.host}: anyone who can reach it can read {db}", file=sys.stderr)
    print(f"magpie: serving {db} ({events:,} events, read-only) at http://{shown}:{port}/  (API: /docs; Ctrl-C to "
          f"stop)", file=sys.stderr, flush=True)
    if workers == 1:
        config = uvicorn.Config(app, log_level="warning", access_log=not args.quiet, lifespan="off")
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
    try:
        return _serve_forked(db, sock, workers, access_log=not args.quiet)
    finally:
        sock.close()


def _serve_forked(db: Path, sock: socket.socket, workers: int, *, access_log: bool) -> int:
    """Fork ``workers`` server processes that share ``sock``; wait for them (SIGTERM / SIGINT: stop them all)."""
    import signal

    import uvicorn

    from .app import create_app

    children: list[int] = []
    for _ in range(workers):
        pid = os.fork()
        if pid == 0:  # a worker: serve until told to stop
            status = EXIT_OK
            try:
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                signal.signal(signal.SIGINT, signal.default_int_handler)
                config = uvicorn.Config(create_app(db), log_level="warning", access_log=access_log, lifespan="off")
                uvicorn.Server(config).run(sockets=[sock])
            except KeyboardInterrupt:
                pass
            except BaseException as error:  # a worker reports and exits, the others go on
                print(f"magpie: worker {os.getpid()}: {error}", file=sys.stderr, flush=True)
                status = EXIT_ERROR
            finally:
                os._exit(status)
        children.append(pid)

    def stop(signum: int, frame: object) -> None:
        for child in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
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
    """Bring an older store up to date (new indexes) before serving it read-only, when it is writable.

    First, read-only: refuse what is not a Magpie store (never writing to it) and a damaged one."""
    from ..store import check
    from ..store import open as open_store

    current = check(db)
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


