"""A bounded load test of ``magpie serve`` on the loopback interface (``bench/load.py``, ``tests/test_load.py``).

:func:`serve` starts ``magpie serve`` in a child process on 127.0.0.1 with a free port;
:func:`run` drives it with ``clients`` concurrent keep-alive HTTP/1.1 connections (asyncio, a
minimal client: the generator must cost little next to the server on a 2-core machine) for at most
``seconds`` and at most ``max_requests``, each asking ``/api/events`` with a random mix of filters,
sorts and pages (or, with :func:`page_mix`, what the four pages ask, in realistic shares), and returns the
counts and latency percentiles, in all and per endpoint. Only loopback addresses are
accepted; every loop is bounded in time and count.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import os
import random
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

__all__ = ["PAGE_MIX", "LoadResult", "Served", "endpoint", "page_mix", "queries", "run", "serve"]

ACTOR_CODES = ("USAGOV", "CHNGOV", "RUSGOV", "JPNGOV", "RUS", "USA", "CHN", "KORGOV", "PRKGOV", "TWNGOV", "IRNGOV",
               "GBRGOV", "FRAMIL", "DEUGOV", "INDGOV", "ISRMIL", "SYRGOV", "TURGOV", "UKRGOV", "EGYGOV")
ACTOR_NAMES = ("美国", "俄罗斯", "俄羅斯", "日本政府", "中国", "朝鲜", "普京", "特朗普", "伊朗", "英国军方", "以色列",
               "韩国", "土耳其", "叙利亚", "乌克兰")
COUNTRIES = ("USA", "CHN", "RUS", "JPN", "KOR", "PRK", "TWN", "IRN", "GBR", "FRA", "DEU", "IND", "ISR", "SYR",
             "UKR", "TUR", "SAU", "EGY", "PAK", "AUS")
TEXTS = ("叙利亚问题", "朝鲜半岛局势", "经贸合作", "气候变化", "地区安全", "反恐合作", "举行会谈", "通电话",
         "乌克兰局势", "南海问题", "伊朗核问题", "提供援助", "实施制裁")
SORTS = ("-date", "-date", "-date", "date", "-goldstein", "goldstein", "-mentions", "code")


def _filters(rng: random.Random, count: int) -> dict[str, str | list[str]]:
    """``count`` random filters of different kinds, as query parameters."""
    params: dict[str, str | list[str]] = {}
    for kind in rng.sample(("actor", "name", "country", "root", "quad", "dates", "text", "code"), count):
        if kind == "actor":
            params["actor"] = rng.choice(ACTOR_CODES)
        elif kind == "name":
            params["actor"] = rng.choice(ACTOR_NAMES)
        elif kind == "country":
            params["country"] = rng.choice(COUNTRIES)
        elif kind == "root":
            params["root"] = f"{rng.randint(1, 20):02d}"
        elif kind == "code":
            params["code"] = rng.choice(("040", "041", "042", "043", "051", "057", "010", "112", "173", "190"))
        elif kind == "quad":
            params["quad"] = [str(q) for q in sorted(rng.sample((1, 2, 3, 4), rng.choice((1, 1, 2))))]
        elif kind == "dates":
            year = rng.randint(2015, 2024)
            month = rng.randint(1, 12)
            span = rng.choice((1, 3, 12))
            end_month = month + span - 1
            params["since"] = f"{year}-{month:02d}-01"
            params["until"] = f"{year + (end_month - 1) // 12}-{(end_month - 1) % 12 + 1:02d}-28"
        elif kind == "text":
            params["text"] = rng.choice(TEXTS)
    return params


def _url(path: str, params: dict[str, str | list[str]]) -> str:
    return path + ("?" + urlencode(params, doseq=True, quote_via=quote) if params else "")


def _events_url(rng: random.Random) -> str:
    params = _filters(rng, rng.choice((1, 1, 2, 2, 3)))
    params["sort"] = rng.choice(SORTS)
    params["page"] = str(rng.choice((1, 1, 1, 1, 2, 3, 5)))
    params["page_size"] = rng.choice(("20", "50", "50", "100"))
    return _url("/api/events", params)


def queries(seed: int = 1) -> Iterator[str]:
    """An endless, seeded stream of ``/api/events`` URLs, each with one to three filters."""
    rng = random.Random(seed)
    while True:
        yield _events_url(rng)


# the realistic page mix: what the four pages ask (share of requests); 40% go to statistics, network and actors
PAGE_MIX = (("events", 0.40), ("stats", 0.15), ("network", 0.15), ("actors", 0.05), ("actor", 0.05),
            ("document", 0.10), ("page", 0.10))


def page_mix(seed: int = 1, documents: Sequence[str] = ()) -> Iterator[str]:
    """An endless, seeded stream of URLs in the proportions of :data:`PAGE_MIX`: event searches (one to three
    filters), the Timeline's statistics and the Network (none, one or two filters: a page opened plain or with
    the filters of the page before), actor lists and actor summaries, documents (ids from ``documents``; none
    given: ``synthetic-NNNNNNN``, as :mod:`magpie.web.synthetic` names them) and the HTML pages themselves."""
    rng = random.Random(seed)
    kinds, weights = zip(*PAGE_MIX, strict=True)
    while True:
        kind = rng.choices(kinds, weights)[0]
        if kind == "events":
            yield _events_url(rng)
            continue
        if kind == "document":
            ident = rng.choice(documents) if documents else f"synthetic-{rng.randint(1, 20_000):07d}"
            yield "/api/documents/" + quote(ident, safe="")
            continue
        if kind == "page":
            yield rng.choice(("/", "/timeline", "/network", "/static/common.js", "/api/meta"))
            continue
        if kind == "actor":  # an actor's summary, plain or for one year (one of the busiest actors: never empty)
            year = rng.randint(2015, 2024)
            params = _filters(rng, 0) if rng.random() < 0.7 else {"since": f"{year}-01-01", "until": f"{year}-12-31"}
            yield _url(f"/api/actors/{rng.choice(ACTOR_CODES[:4])}", params)
            continue
        params = _filters(rng, rng.choice((0, 0, 1, 1, 2)))
        if kind == "stats":
            yield _url("/api/stats", params)
        elif kind == "network":
            params["level"] = rng.choice(("actor", "actor", "actor", "country"))
            params["nodes"] = rng.choice(("30", "30", "60"))
            yield _url("/api/network", params)
        elif kind == "actors":
            if rng.random() < 0.3:
                params["q"] = rng.choice(("RUS", "USA", "CHN", "美国", "俄罗斯", "日本"))
            params["limit"] = rng.choice(("20", "50"))
            yield _url("/api/actors", params)


@dataclass
class LoadResult:
    clients: int
    seconds: float
    requests: int = 0
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)  # seconds, successful requests
    failures: list[str] = field(default_factory=list)  # the first few error descriptions
    client_cpu: float = 0.0  # seconds of CPU the load generator itself used (it shares the machine)
    by_endpoint: dict[str, list[float]] = field(default_factory=dict)  # endpoint() -> latencies (successful)

    def percentile(self, share: float, endpoint: str | None = None) -> float:
        """Latency at ``share`` (0.95: p95), in milliseconds (nearest rank), of every request or one endpoint's."""
        latencies = self.latencies if endpoint is None else self.by_endpoint.get(endpoint, [])
        if not latencies:
            return float("nan")
        ordered = sorted(latencies)
        rank = max(0, min(len(ordered) - 1, int(share * len(ordered) + 0.999999) - 1))
        return ordered[rank] * 1000

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def summary(self) -> str:
        return (f"{self.requests:,} requests in {self.seconds:.1f} s ({self.throughput:,.0f}/s) from {self.clients} "
                f"clients, {self.errors} errors; latency p50 {self.percentile(0.50):.1f} ms, p95 "
                f"{self.percentile(0.95):.1f} ms, p99 {self.percentile(0.99):.1f} ms, max "
                f"{max(self.latencies, default=0) * 1000:.1f} ms")


def endpoint(url: str) -> str:
    """The endpoint of a URL, for per-endpoint figures: ``/api/actors/{code}``, ``/api/documents/{id}``, pages."""
    path = url.split("?", 1)[0]
    if path.startswith("/api/documents/"):
        return "/api/documents/{id}"
    if path.startswith("/api/actors/"):
        return "/api/actors/{code}"
    if path.startswith("/api/"):
        return path
    return "pages"


def _loopback(host: str) -> None:
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise ValueError(f"{host}: the load test only targets loopback addresses (127.0.0.0/8, ::1)")


class Served(tuple):  # type: ignore[type-arg]
    """(host, port) of a server started by :func:`serve`, with its process id and what it wrote on stderr."""

    pid: int
    lines: list[str]

    def __new__(cls, host: str, port: int, pid: int, lines: list[str]) -> Served:
        served = super().__new__(cls, (host, port))
        served.pid = pid
        served.lines = lines
        return served

    @property
    def log(self) -> str:
        return "".join(self.lines)


@contextlib.contextmanager
def serve(db: str | Path, host: str = "127.0.0.1", timeout: float = 60.0, workers: int = 1,
          options: Sequence[str] = (), files: int | None = None) -> Iterator[Served]:
    """Run ``magpie serve --db DB --workers N [options]`` in a child process on a free loopback port; yield
    (host, port) (a :class:`Served`: also its pid and stderr). ``files``: the child's limit on open files
    (``ulimit -n``)."""
    _loopback(host)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "magpie.cli", "serve", "--db", str(db), "--host", host, "--port", "0", "--quiet",
         "--workers", str(workers), *options],
        stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env)
    try:
        if files is not None:  # Linux: set on the running child (it has opened only a few files yet)
            import resource

            resource.prlimit(process.pid, resource.RLIMIT_NOFILE, (files, files))
        assert process.stderr is not None
        deadline = time.monotonic() + timeout
        port = None
        seen: list[str] = []
        while time.monotonic() < deadline:
            line = process.stderr.readline()
            if not line:
                break
            seen.append(line)
            found = re.search(r"http://\[?[^\s\]]+\]?:(\d+)/", line)
            if found:
                port = int(found.group(1))
                break
        if port is None:
            raise RuntimeError("magpie serve did not start: " + "".join(seen)[-2000:])
        stream = process.stderr

        def drain() -> None:  # keep reading stderr: a full pipe would block the server
            for line in stream:
                if len(seen) < 10_000:
                    seen.append(line)

        threading.Thread(target=drain, daemon=True).start()
        yield Served(host, port, process.pid, seen)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


async def _client(host: str, port: int, urls: Iterator[str], deadline: float, budget: list[int],
                  result: LoadResult, think: tuple[float, float], rng: random.Random) -> None:
    reader = writer = None
    try:
        while time.monotonic() < deadline and budget[0] > 0:
            budget[0] -= 1
            url = next(urls)
            started = time.perf_counter()
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection(host, port)
                assert reader is not None
                writer.write(f"GET {url} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: application/json\r\n\r\n"
                             .encode("ascii"))
                await writer.drain()
                status_line = await asyncio.wait_for(reader.readline(), timeout=30)
                status = int(status_line.split()[1])
                length = 0
                while True:
                    header = await reader.readline()
                    if header in (b"\r\n", b"\n", b""):
                        break
                    name, _, value = header.decode("latin-1").partition(":")
                    if name.strip().lower() == "content-length":
                        length = int(value.strip())
                await reader.readexactly(length)
            except (TimeoutError, OSError, ValueError, IndexError, asyncio.IncompleteReadError) as error:
                result.requests += 1
                result.errors += 1
                if len(result.failures) < 5:
                    result.failures.append(f"{url}: {type(error).__name__}: {error}")
                if writer is not None:
                    writer.close()
                reader = writer = None
                continue
            elapsed = time.perf_counter() - started
            result.requests += 1
            result.statuses[status] = result.statuses.get(status, 0) + 1
            if status == 200:
                result.latencies.append(elapsed)
                result.by_endpoint.setdefault(endpoint(url), []).append(elapsed)
            else:
                result.errors += 1
                if len(result.failures) < 5:
                    result.failures.append(f"{url}: HTTP {status}")
            if think[1] > 0:
                await asyncio.sleep(rng.uniform(*think))
    finally:
        if writer is not None:
            writer.close()


def run(host: str, port: int, *, clients: int = 50, seconds: float = 30.0, max_requests: int = 200_000,
        think: tuple[float, float] = (0.0, 0.0), seed: int = 1, warmup: int = 50,
        urls: Iterator[str] | None = None) -> LoadResult:
    """``clients`` concurrent clients for at most ``seconds`` and ``max_requests`` requests in all.

    ``think``: each client waits a random time in this range (seconds) between its requests, as a
    person reading the results would (``(0, 0)``: back to back). ``warmup`` requests are sent first
    and not counted (they load the lexicon's name tables and SQLite's page cache). ``urls``: what to ask
    (default: ``queries(seed)``, event searches only; :func:`page_mix` for every page).
    """
    _loopback(host)
    if clients < 1 or seconds <= 0 or max_requests < 1:
        raise ValueError("clients, seconds and max_requests must be positive")

    async def main() -> LoadResult:
        stream = queries(seed) if urls is None else urls
        if warmup:
            scratch = LoadResult(1, 0.0)
            await _client(host, port, stream, time.monotonic() + 60, [warmup], scratch, (0.0, 0.0), random.Random(0))
            if scratch.errors:
                raise RuntimeError("the server failed while warming up: " + "; ".join(scratch.failures))
        result = LoadResult(clients, seconds)
        budget = [max_requests]
        cpu = time.process_time()
        started = time.monotonic()
        deadline = started + seconds
        rngs = [random.Random(seed * 1000 + i) for i in range(clients)]
        await asyncio.gather(*(_client(host, port, stream, deadline, budget, result, think, rngs[i])
                               for i in range(clients)))
        result.seconds = time.monotonic() - started
        result.client_cpu = time.process_time() - cpu
        return result

    return asyncio.run(main())
