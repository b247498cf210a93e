"""CPU time per search in process: the search backend alone, then the whole application, beside FTS5.

    python bench/search_cpu.py [--corpus seed|export] [--data-dir DIR] [--queries 400] [--profile 40]

Runs the queries of `bench/search_latency.py` (distinct, cold, five kinds) through
the ASGI application itself (middleware, validation, serialisation; no sockets),
then through `catalog.index.search` on a searcher of its own (cold postings; the
process's memo of word forms is warm by then), on an ingested catalog or on one
built in a temporary folder. It prints the CPU time per query
(`time.process_time`: every thread of the process, none of the time spent
waiting for a core, so it holds on a shared machine) beside the same queries'
CPU time through a plain SQLite FTS5 table, the ratio's baseline. With
`--profile N` both passes run under cProfile (their times then include its
overhead), the thread pool inline so that the route's work is seen, and the N
costliest functions of each are printed by cumulative time.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.search_latency import generate_queries  # noqa: E402
from catalog.settings import SEED_DOCUMENT, Settings  # noqa: E402
from catalog.store import Catalog  # noqa: E402
from tests.conftest import EXPORT, make_catalog  # noqa: E402
from tests.relevance.fts5_baseline import Fts5Baseline  # noqa: E402


def cpu_ms(run: Callable[[str], object], texts: Sequence[str]) -> list[float]:
    times = []
    for text in texts:
        start = time.process_time()
        run(text)
        times.append((time.process_time() - start) * 1000)
    return times


def summary(times: Sequence[float]) -> str:
    ordered = sorted(times)
    at = lambda p: ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]  # noqa: E731
    return f"mean {sum(ordered) / len(ordered):6.2f}  p50 {at(0.5):6.2f}  p99 {at(0.99):6.2f} ms"


class InProcessApp:
    """The application driven through ASGI calls in this process, its lifespan started and stopped."""

    def __init__(self, settings: Settings) -> None:
        from app.main import create_app

        self.app = create_app(settings)
        self.loop = asyncio.new_event_loop()
        self._events: asyncio.Queue[dict[str, Any]] | None = None
        self._lifespan: asyncio.Task[None] | None = None
        self.loop.run_until_complete(self._start())

    async def _start(self) -> None:
        self._events = asyncio.Queue()
        started = asyncio.Event()

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "lifespan.startup.complete":
                started.set()
            elif message["type"] == "lifespan.startup.failed":
                raise SystemExit(f"the application did not start: {message.get('message')}")

        await self._events.put({"type": "lifespan.startup"})
        scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}
        self._lifespan = asyncio.create_task(self.app(scope, self._events.get, send))
        await started.wait()

    def get(self, path: str, query: dict[str, object]) -> bytes:
        return self.loop.run_until_complete(self._get(path, urllib.parse.urlencode(query)))

    async def _get(self, path: str, query: str) -> bytes:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": query.encode(),
            "root_path": "",
            "headers": [(b"host", b"127.0.0.1")],
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 80),
        }
        messages: list[dict[str, Any]] = []

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            messages.append(message)

        await self.app(scope, receive, send)
        if messages[0]["status"] != 200:
            raise RuntimeError(f"GET {path}?{query} answered {messages[0]['status']}")
        return b"".join(m.get("body", b"") for m in messages[1:])

    def close(self) -> None:
        async def stop() -> None:
            assert self._events is not None and self._lifespan is not None
            await self._events.put({"type": "lifespan.shutdown"})
            await self._lifespan

        self.loop.run_until_complete(stop())
        self.loop.close()


def passes(label: str, run: Callable[[str], object], texts: Sequence[str], top: int) -> list[float]:
    """CPU milliseconds per query; under cProfile (thread pool inline) when `top`, printing its top."""
    if not top:
        return cpu_ms(run, texts)
    import anyio.to_thread

    async def inline(function: Callable[..., Any], *args: Any, **_: Any) -> Any:
        return function(*args)

    pooled: Callable[..., Awaitable[Any]] = anyio.to_thread.run_sync
    anyio.to_thread.run_sync = inline  # type: ignore[assignment]
    profile = cProfile.Profile()
    try:
        times = profile.runcall(cpu_ms, run, texts)
    finally:
        anyio.to_thread.run_sync = pooled  # type: ignore[assignment]
    print(f"\n{label} under cProfile, by cumulative time:")
    pstats.Stats(profile).sort_stats("cumulative").print_stats(top)
    return times


def measure(catalog: Catalog, count: int, top: int) -> None:
    texts = [text for _, text in generate_queries(catalog, count)]
    fts5 = Fts5Baseline(catalog)
    fts5.search("network")
    floor = cpu_ms(lambda t: fts5.search(t, 20), texts)
    fts5.close()
    app = InProcessApp(catalog.settings)
    try:
        # what each index generation keeps (postings, spelling, names) is built untimed
        for text in ("network", "retrase"):
            app.get("/api/v1/search", {"q": text})
            catalog.index.search(text)
        app.get("/api/v1/suggest", {"q": "a"})
        served = passes(
            "GET /api/v1/search", lambda t: app.get("/api/v1/search", {"q": t, "limit": 20}), texts, top
        )
        backend = passes("catalog.index.search", lambda t: catalog.index.search(t, limit=20), texts, top)
    finally:
        app.close()
    mean = lambda times: sum(times) / len(times)  # noqa: E731
    note = " under cProfile" if top else ""
    print(f"\n{catalog.count()} methods, {len(texts)} distinct queries; CPU time per query{note}:")
    print(f"  FTS5 in process (floor)   {summary(floor)}")
    print(f"  GET /api/v1/search (ASGI) {summary(served)}  ({mean(served) / mean(floor):.1f}x the floor)")
    print(f"  catalog.index.search      {summary(backend)}  ({mean(backend) / mean(floor):.1f}x the floor)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=("seed", "export"), default="export")
    parser.add_argument("--data-dir", type=Path, help="measure this already ingested catalog instead")
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="print the N costliest functions")
    args = parser.parse_args(argv)
    if args.data_dir:
        measure(Catalog(Settings(CATALOG_DATA_DIR=args.data_dir)), args.queries, args.profile)
        return 0
    documents = (SEED_DOCUMENT,)
    if args.corpus == "export":
        if not EXPORT.exists():
            print(f"note: the export is not at {EXPORT}: measuring the seed alone", file=sys.stderr)
        else:
            documents = (SEED_DOCUMENT, EXPORT)
    with tempfile.TemporaryDirectory(prefix="search-cpu-") as folder:
        catalog = make_catalog(Path(folder) / "data", *documents)
        measure(catalog, args.queries, args.profile)
        catalog.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
