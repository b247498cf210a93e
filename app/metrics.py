"""Prometheus metrics at `GET /metrics`, and the one line logged per request.

Requests are counted and timed by route template ("/methods/{slug}"), never by
raw path, so a crawler cannot grow the label set. Index and demo state is read
when Prometheus scrapes, from the catalog and the demo executor themselves, so
it cannot drift from what `/readyz` and `/api/v1/demo/status` say. Each
application has its own registry: tests build many in one process.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI, Request, Response
from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric, SummaryMetricFamily
from prometheus_client.exposition import choose_encoder
from prometheus_client.registry import Collector
from starlette.routing import Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from catalog.search import SearchBackend, SearchResult
from catalog.store import Catalog
from methods.demo import DemoExecutor

log = logging.getLogger("catalog.request")

REQUEST_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
"""Seconds: pages and search sit in the first few buckets, live demos in the last."""
SEARCH_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0)


class Metrics:
    """The application's registry: request and search metrics, and the state read at scrape time."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "catalog_http_requests",
            "HTTP requests answered, by method, route template and status.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.request_seconds = Histogram(
            "catalog_http_request_duration_seconds",
            "Time to answer an HTTP request, by method and route template.",
            ["method", "route"],
            buckets=REQUEST_BUCKETS,
            registry=self.registry,
        )
        self.search_seconds = Histogram(
            "catalog_search_duration_seconds",
            "Time the search backend takes to answer one query.",
            buckets=SEARCH_BUCKETS,
            registry=self.registry,
        )
        self.state = StateCollector()
        self.registry.register(self.state)

    def watch(self, catalog: Catalog, executor: DemoExecutor) -> None:
        """Report on this catalog and demo executor, and time the catalog's searches."""
        catalog.index = TimedSearch(catalog.index, self.search_seconds)
        self.state.catalog, self.state.executor = catalog, executor

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(method, route, str(status)).inc()
        self.request_seconds.labels(method, route).observe(seconds)

    def exposition(self, accept: str) -> tuple[bytes, str]:
        """The metrics in the format the scraper asked for (Prometheus text, or OpenMetrics), and its type."""
        encode, content_type = choose_encoder(accept)
        return encode(self.registry), content_type


class TimedSearch:
    """The catalog's search backend with `search` timed; everything else passes through unchanged."""

    def __init__(self, backend: SearchBackend, histogram: Histogram) -> None:
        self.backend = backend
        self._histogram = histogram

    def search(self, *args: Any, **kwargs: Any) -> SearchResult:
        with self._histogram.time():
            return self.backend.search(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.backend, name)


class StateCollector(Collector):
    """Index version and age, and each demo lane's queue, restarts and run times, read per scrape."""

    def __init__(self) -> None:
        self.catalog: Catalog | None = None
        self.executor: DemoExecutor | None = None

    def collect(self) -> Iterator[Metric]:
        if self.catalog is not None:
            yield from self._index(self.catalog)
        if self.executor is not None:
            yield from self._demo(self.executor)

    def _index(self, catalog: Catalog) -> Iterator[Metric]:
        index = catalog.index
        version = index.version()
        if version is not None:
            yield GaugeMetricFamily(
                "catalog_index_version", "Catalog version the search index was built from.", value=version
            )
        try:
            current = catalog.catalog_version()
        except Exception:  # a scrape while the database is down still reports the rest
            current = None
        if current is not None:
            yield GaugeMetricFamily(
                "catalog_version",
                "Catalog version in the database (ahead of the index while it rebuilds).",
                value=current,
            )
        built_at = getattr(index, "built_at", None)
        stamp = built_at() if callable(built_at) else None
        if stamp is not None:
            yield GaugeMetricFamily(
                "catalog_index_age_seconds",
                "Seconds since the search index was last built or updated.",
                value=max(0.0, time.time() - stamp),
            )

    def _demo(self, executor: DemoExecutor) -> Iterator[Metric]:
        depth = GaugeMetricFamily(
            "catalog_demo_queue_depth", "Demos running or waiting, per device.", labels=["device"]
        )
        ready = GaugeMetricFamily(
            "catalog_demo_worker_ready", "1 when the device's worker has loaded PyTorch.", labels=["device"]
        )
        restarts = CounterMetricFamily(
            "catalog_demo_worker_restarts",
            "Demo workers replaced (timeout, cancel, crash).",
            labels=["device"],
        )
        runs = SummaryMetricFamily(
            "catalog_demo_run_seconds", "Time demos spent in their worker, per device.", labels=["device"]
        )
        for device, lane in executor.status().items():
            depth.add_metric([device], lane["pending"])
            ready.add_metric([device], 1.0 if lane["ready"] else 0.0)
            restarts.add_metric([device], lane["restarts"])
        for device, (count, seconds) in executor.run_times().items():
            runs.add_metric([device], count_value=count, sum_value=seconds)
        yield from (depth, ready, restarts, runs)


def route_template(scope: Scope) -> str:
    """The route the router matched ("/methods/{slug}", "/static/{path}"); "unmatched" for a 404."""
    route = scope.get("route")
    if route is not None:
        return route.path + "/{path}" if isinstance(route, Mount) else route.path
    mounted_at = scope.get("root_path", "").removeprefix(scope.get("app_root_path", ""))
    if "endpoint" in scope and mounted_at:  # a mounted application (the static files) records only its prefix
        return mounted_at + "/{path}"
    return "unmatched"


class ObserveRequests:
    """ASGI middleware: times each HTTP request, counts it in the metrics and logs one line for it.

    Plain ASGI rather than `BaseHTTPMiddleware`, which would hide a client's disconnect from the demo
    endpoint (a disconnect cancels the demo).
    """

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the server answers when the application raises before it starts a response

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            seconds = time.perf_counter() - started
            method, route = scope["method"], route_template(scope)
            self.metrics.observe(method, route, status, seconds)
            log.info(
                "%s %s %d %.1f ms",
                method,
                route,
                status,
                seconds * 1000,
                extra={
                    "method": method,
                    "route": route,
                    "path": scope["path"],
                    "status": status,
                    "duration_ms": round(seconds * 1000, 3),
                },
            )


def install(app: FastAPI) -> Metrics:
    """Add `/metrics` and the request middleware; the lifespan calls `watch` once the catalog is open."""
    metrics = Metrics()
    app.state.metrics = metrics
    app.add_middleware(ObserveRequests, metrics=metrics)

    @app.get("/metrics", include_in_schema=False)
    def prometheus_metrics(request: Request) -> Response:
        """Prometheus text format: scrape each replica directly (the proxy does not forward this)."""
        body, content_type = request.app.state.metrics.exposition(request.headers.get("accept", ""))
        return Response(body, headers={"Content-Type": content_type})

    return metrics
