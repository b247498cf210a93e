"""The load generator: Locust users that browse and search the catalog, and users that storm the demo.

    python -m tests.load.traffic --host http://127.0.0.1:8000 --clients 8 --seconds 60 [--demo-clients 8]

Runs one level headless, as a library, and prints its figures as one JSON
object. Locust patches the standard library for gevent when it is imported,
so this module only ever runs in a process of its own (`tests.load.harness`
starts it); never import it from a test.

Readers are closed-loop clients with no think time: each sends its next
request as soon as the last one answered, so `--clients` is the concurrency.
Any answer but 200 from a reader is a failure. Demo clients post shape demos
of a few small implementations; 200, 503 (the queue is full) and 504 (past the
time limit) are the documented answers, anything else is a failure.
"""

from __future__ import annotations

import argparse
import json
import random
import time
import urllib.request
from collections import Counter
from typing import Any

import gevent
from locust import FastHttpUser, constant, events, task
from locust.env import Environment
from locust.stats import StatsEntry

# Words a researcher types; the catalog's own names are added from the server at start.
QUERIES = (
    "attention",
    "ghost module",
    "r-cnn",
    "optimizer",
    "batch normalization",
    "contrastive learning",
    "retrase",
    "spatial reduction",
    "generative adversarial network",
    "reinforcement learning",
    "convolution",
    "transformer",
    "dropout",
    "collection:optimization",
    '"residual block"',
    "momentum",
)
# Small implementations whose default demo takes milliseconds.
DEMO_SLUGS = ("sigmoid-linear-unit", "ghost-module", "causal-convolution", "phase-shuffle")
DEMO_STATUSES = {200, 503, 504}

SLUGS: list[str] = []
NAMES: list[str] = []
DEMO_STATUS_COUNTS: Counter[int] = Counter()
READER_STATUS_COUNTS: Counter[int] = Counter()


def load_catalog_sample(host: str, limit: int) -> None:
    """Method slugs and names to browse, read page by page from the listing API."""
    path = "/api/v1/methods?limit=100"
    while path and len(SLUGS) < limit:
        with urllib.request.urlopen(host + path, timeout=60) as response:
            page = json.load(response)
        SLUGS.extend(item["slug"] for item in page["data"])
        NAMES.extend(item["name"] for item in page["data"])
        path = page["next"] and f"/api/v1/methods?limit=100&cursor={page['next']}"
    if not SLUGS:
        raise SystemExit(f"{host} lists no methods")


def query() -> str:
    return random.choice(QUERIES) if random.random() < 0.6 else random.choice(NAMES)


class Reader(FastHttpUser):
    """Search, completion, method pages and JSON in the proportions of someone browsing."""

    wait_time = constant(0)

    def _get(self, path: str, name: str) -> None:
        with self.client.get(path, name=name, catch_response=True) as response:
            READER_STATUS_COUNTS[response.status_code] += 1
            if response.status_code != 200:
                response.failure(f"{name}: {response.status_code}")

    @task(4)
    def search(self) -> None:
        self._get(f"/api/v1/search?q={urllib.request.quote(query())}&limit=10", "search")

    @task(1)
    def search_page(self) -> None:
        self._get(f"/search?q={urllib.request.quote(query())}", "search page")

    @task(3)
    def suggest(self) -> None:
        word = query().strip('"').split(":")[-1]
        prefix = word[: random.randint(2, max(2, min(6, len(word))))]
        self._get(f"/api/v1/suggest?q={urllib.request.quote(prefix)}&limit=8", "suggest")

    @task(2)
    def method_page(self) -> None:
        self._get(f"/methods/{random.choice(SLUGS)}", "method page")

    @task(2)
    def method_json(self) -> None:
        self._get(f"/api/v1/methods/{random.choice(SLUGS)}", "method json")

    @task(1)
    def listing(self) -> None:
        self._get("/api/v1/methods?limit=50", "listing")


class DemoStormer(FastHttpUser):
    """Posts shape demos back to back, more than the demo queue holds."""

    wait_time = constant(0)
    fixed_count = 0

    @task
    def demo(self) -> None:
        slug = random.choice(DEMO_SLUGS)
        with self.client.post(f"/api/v1/methods/{slug}/demo", json={}, name="demo", catch_response=True) as r:
            DEMO_STATUS_COUNTS[r.status_code] += 1
            if r.status_code not in DEMO_STATUSES:
                r.failure(f"demo of {slug}: {r.status_code} {r.text[:200]}")
            else:
                r.success()


def _entry_figures(entry: Any, seconds: float) -> dict[str, Any]:
    return {
        "requests": entry.num_requests,
        "failures": entry.num_failures,
        "rps": entry.num_requests / seconds,
        "p50_ms": entry.get_response_time_percentile(0.5) if entry.num_requests else None,
        "p99_ms": entry.get_response_time_percentile(0.99) if entry.num_requests else None,
    }


def run_level(host: str, clients: int, seconds: float, demo_clients: int) -> dict[str, Any]:
    """Ramp up every client, then count `seconds` of traffic; the figures of that window only."""
    DemoStormer.fixed_count = demo_clients
    users: list[type[FastHttpUser]] = [Reader, DemoStormer] if demo_clients else [Reader]
    environment = Environment(user_classes=users, host=host, events=events)
    runner = environment.create_local_runner()
    runner.start(clients + demo_clients, spawn_rate=max(clients + demo_clients, 1))
    if runner.spawning_greenlet is not None:
        runner.spawning_greenlet.join()
    gevent.sleep(1.0)  # every client has sent its first request before counting starts
    environment.stats.reset_all()
    DEMO_STATUS_COUNTS.clear()
    READER_STATUS_COUNTS.clear()
    started = time.monotonic()
    gevent.sleep(seconds)
    # the window's figures are read before stopping: requests cut short by the stop are not the server's
    elapsed = time.monotonic() - started
    entries = dict(environment.stats.entries)
    reads = StatsEntry(environment.stats, "reads", "")
    for (name, _), entry in entries.items():
        if name != "demo":
            reads.extend(entry)
    figures = {name: _entry_figures(entry, elapsed) for (name, _), entry in entries.items()}
    figures["reads"] = _entry_figures(reads, elapsed)
    errors = [
        {"name": error.name, "error": str(error.error), "occurrences": error.occurrences}
        for error in environment.stats.errors.values()
    ]
    runner.quit()
    return {
        "clients": clients,
        "demo_clients": demo_clients,
        "seconds": elapsed,
        "failures": sum(entry.num_failures for entry in entries.values()),
        "by_name": figures,
        "reader_statuses": {str(k): v for k, v in sorted(READER_STATUS_COUNTS.items())},
        "demo_statuses": {str(k): v for k, v in sorted(DEMO_STATUS_COUNTS.items())},
        "errors": errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", required=True)
    parser.add_argument("--clients", type=int, required=True)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--demo-clients", type=int, default=0)
    parser.add_argument("--sample", type=int, default=500, help="methods to browse, from the listing")
    args = parser.parse_args()
    load_catalog_sample(args.host, args.sample)
    print(json.dumps(run_level(args.host, args.clients, args.seconds, args.demo_clients)))


if __name__ == "__main__":
    main()
