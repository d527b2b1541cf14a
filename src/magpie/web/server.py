"""Connection guards for ``magpie serve``: a header timeout and a connection limit (slow clients cannot exhaust it).

uvicorn closes a keep-alive connection that stays idle after a response (``timeout_keep_alive``), but
waits forever for a request whose headers never finish (a "slowloris": ``GET / HTTP/1.1`` and then a byte
now and then, or nothing at all), and accepts connections until the process runs out of file handles,
after which every request fails. :func:`guarded` wraps uvicorn's HTTP protocol so that

* a connection waiting for a request — just opened, or after a response — must deliver the request's
  headers within ``header_timeout`` seconds, else it is closed;
* at most ``max_connections`` connections are open in the process: one more closes the connection that
  has waited longest for its request (a slow or idle one, never one whose request is being answered);
  when every connection is busy answering, the newcomer gets a 503 and is closed.
"""

from __future__ import annotations

import asyncio
from typing import Any

__all__ = ["HEADER_TIMEOUT", "IDLE_TIMEOUT", "default_max_connections", "guarded"]

HEADER_TIMEOUT = 10.0  # seconds for a request's headers to arrive
IDLE_TIMEOUT = 5.0  # seconds a keep-alive connection may stay idle between requests
SPARE_FILES = 100  # file handles kept free for the database, templates, static files and logs

BUSY = (b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\nconnection: close\r\n"
        b"retry-after: 1\r\ncontent-length: 62\r\n\r\n"
        b'{"error": "the server is answering too many requests at once"}')
assert BUSY.endswith(b"}") and len(BUSY.split(b"\r\n\r\n", 1)[1]) == 62


def default_max_connections() -> int:
    """1,000 connections, or fewer when the open-file limit (``ulimit -n``) leaves less room."""
    try:
        import resource
    except ImportError:  # not a Unix
        return 1000
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return 1000
    return max(8, min(1000, soft - SPARE_FILES))


def guarded(base: type[asyncio.Protocol], header_timeout: float = HEADER_TIMEOUT,
            max_connections: int | None = None) -> type[asyncio.Protocol]:
    """A subclass of uvicorn's HTTP protocol class ``base`` (httptools or h11) with the guards described above."""
    if header_timeout <= 0:
        raise ValueError("header_timeout must be positive")
    limit = default_max_connections() if max_connections is None else max_connections
    if limit < 1:
        raise ValueError("max_connections must be 1 or more")

    class Guarded(base):  # type: ignore[valid-type, misc]
        _magpie_timer: asyncio.TimerHandle | None = None
        _magpie_cycle: Any = None  # the request cycle current when the wait began
        _magpie_since: float | None = None  # when the wait for a request began (None: not waiting)

        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            super().connection_made(transport)
            self._magpie_wait()
            if len(self.connections) > limit:
                victim = self._magpie_oldest()
                if victim is not None:
                    victim.transport.close()
                else:  # every other connection is being answered: this one is refused
                    transport.write(BUSY)  # type: ignore[attr-defined]
                    transport.close()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing():
                self._magpie_wait()

        def connection_lost(self, exc: Exception | None) -> None:
            if self._magpie_timer is not None:
                self._magpie_timer.cancel()
                self._magpie_timer = None
            self._magpie_since = None
            super().connection_lost(exc)

        def _magpie_wait(self) -> None:
            """From now, a new request's headers have ``header_timeout`` seconds to arrive."""
            if self._magpie_timer is not None:
                self._magpie_timer.cancel()
            self._magpie_cycle = self.cycle
            self._magpie_since = self.loop.time()
            self._magpie_timer = self.loop.call_later(header_timeout, self._magpie_expire)

        def _magpie_waiting(self) -> bool:
            """No request is being answered and none has arrived since the wait began."""
            cycle = self.cycle
            return (self._magpie_since is not None and cycle is self._magpie_cycle
                    and (cycle is None or cycle.response_complete) and not self.transport.is_closing())

        def _magpie_expire(self) -> None:
            self._magpie_timer = None
            if self._magpie_waiting():
                self.transport.close()

        def _magpie_oldest(self) -> Guarded | None:
            oldest: Guarded | None = None
            for other in self.connections:
                if other is not self and isinstance(other, Guarded) and other._magpie_waiting() and (
                        oldest is None or other._magpie_since < oldest._magpie_since):  # type: ignore[operator]
                    oldest = other
            return oldest

    Guarded.__name__ = Guarded.__qualname__ = f"Guarded{base.__name__}"
    return Guarded
