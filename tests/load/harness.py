"""Levels of load against a live server, with its memory sampled around them.

The load generator runs in a process of its own (`tests.load.traffic`, which
Locust patches for gevent); this side starts it once per level, reads its
figures and samples the server's resident memory from /proc between levels.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from tests.load.server import ROOT, LiveServer, MemorySample

MIB = 1024 * 1024
# a small implementation, posted by as many parallel clients as it takes to reach every worker
WARM_SLUG = "phase-shuffle"
WARM_DEMOS = 4
NO_REQUESTS = {"requests": 0, "failures": 0, "rps": 0.0, "p50_ms": None, "p99_ms": None}


def figures(run: dict[str, Any], name: str) -> dict[str, Any]:
    """One request name's figures in a run ("reads" for every reader request together)."""
    return run["by_name"].get(name, NO_REQUESTS)


def drive(server: LiveServer, clients: int, seconds: float, demo_clients: int = 0) -> dict[str, Any]:
    """One level: `clients` readers (and `demo_clients` demo stormers) for `seconds`; its figures."""
    command = [
        sys.executable,
        "-m",
        "tests.load.traffic",
        "--host",
        server.base,
        "--clients",
        str(clients),
        "--seconds",
        str(seconds),
        "--demo-clients",
        str(demo_clients),
    ]
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    # generous: on a busy machine the generator's start-up and the ramp-up take a while
    result = subprocess.run(
        command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=seconds * 3 + 300
    )
    if result.returncode != 0:
        raise RuntimeError(f"the load generator failed ({result.returncode}):\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


@dataclass
class LoadReport:
    """Every level's figures, the storm's, and the server's memory before and after all of them."""

    before: MemorySample
    after: MemorySample
    levels: list[dict[str, Any]] = field(default_factory=list)
    storm: dict[str, Any] | None = None
    memory: list[MemorySample] = field(default_factory=list)

    @property
    def runs(self) -> list[dict[str, Any]]:
        return [*self.levels, *([self.storm] if self.storm else [])]

    def idle(self, clients: int) -> dict[str, Any]:
        """The reads-only level with `clients` readers."""
        return next(level for level in self.levels if level["clients"] == clients)

    def storm_search_ratio(self, percentile: str = "p50_ms") -> float | None:
        """Search latency under the demo storm over the same readers' search latency without it."""
        if self.storm is None:
            return None
        idle = figures(self.idle(self.storm["clients"]), "search")[percentile]
        stormed = figures(self.storm, "search")[percentile]
        return stormed / idle if idle and stormed else None

    def growth(self) -> int:
        """Bytes of RSS the supervisor and uvicorn workers gained across the levels."""
        return self.after.server - self.before.server


def _post_demo(base: str, slug: str) -> int:
    request = urllib.request.Request(
        f"{base}/api/v1/methods/{slug}/demo", data=b"{}", headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=300) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def warm_demos(server: LiveServer, timeout_s: float = 600.0) -> int:
    """Post demos in parallel rounds until every uvicorn worker has a ready demo worker; the rounds.

    The first demo a uvicorn worker serves imports torch there and starts a demo worker that imports
    it again: start-up, which must not be read as growth under load. Parallel connections reach
    every uvicorn worker; a round whose demos all answer 200 finds every lane ready.
    """
    deadline = time.monotonic() + timeout_s
    rounds = 0
    with ThreadPoolExecutor(max_workers=WARM_DEMOS) as pool:
        while time.monotonic() < deadline:
            rounds += 1
            statuses = list(pool.map(lambda _: _post_demo(server.base, WARM_SLUG), range(WARM_DEMOS)))
            memory = server.memory()
            # one demo process per uvicorn worker, plus multiprocessing's resource tracker
            if set(statuses) == {200} and memory.demo_processes >= memory.server_processes:
                return rounds
    raise RuntimeError(f"the demo workers were not all ready within {timeout_s:g} s:\n{server.log_tail()}")


def measure(
    server: LiveServer,
    levels: list[int],
    seconds: float,
    storm_clients: int,
    storm_level: int,
    warmup_seconds: float,
) -> LoadReport:
    """Warm up at the highest level with the storm (demo workers started, caches full), then run each
    level reads-only and `storm_level` once more with `storm_clients` posting demos; memory is
    sampled after the warm-up and after every run."""
    if storm_clients:
        warm_demos(server)
    drive(server, max(levels), warmup_seconds, storm_clients)
    before = server.memory()
    report = LoadReport(before=before, after=before, memory=[before])
    for clients in levels:
        report.levels.append(drive(server, clients, seconds))
        report.memory.append(server.memory())
    if storm_clients:
        report.storm = drive(server, storm_level, seconds, storm_clients)
        report.memory.append(server.memory())
    report.after = report.memory[-1]
    return report


def table(report: LoadReport) -> str:
    """The figures as a Markdown table: one row per run."""
    rows = [
        "| readers | demo clients | requests | errors | req/s | p50 ms | p99 ms | search p50 ms "
        "| search p99 ms | demo answers | server RSS MiB |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for run, memory in zip(report.runs, report.memory[1:], strict=True):
        reads, search = figures(run, "reads"), figures(run, "search")
        demos = ", ".join(f"{n}×{status}" for status, n in run["demo_statuses"].items()) or "-"
        rows.append(
            f"| {run['clients']} | {run['demo_clients']} | {reads['requests']} | {run['failures']} "
            f"| {reads['rps']:.1f} | {reads['p50_ms']} | {reads['p99_ms']} | {search['p50_ms']} "
            f"| {search['p99_ms']} | {demos} | {memory.server / MIB:.0f} |"
        )
    return "\n".join(rows)
