"""Read latency over HTTP, as a ratio of `/healthz` measured in the same run.

    python bench/read_latency.py [--data-dir DIR] [--rounds 200]

Builds the seed catalog plus the Papers with Code export (when it is present)
in a temporary folder, or reuses the catalog in `--data-dir`, starts one
uvicorn process and times, over one kept-alive connection, the API's method
detail, the home page and method pages (cycling through several methods so
that the first view of each counts too), then whole-catalog exports alone
and eight at once. Prints p50 and p99 per route and each p50 as a multiple
of `/healthz`, the cheapest route that still reads the database.
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from catalog.settings import SEED_DOCUMENT, Settings  # noqa: E402
from catalog.store import Catalog  # noqa: E402
from tests.conftest import EXPORT, make_catalog  # noqa: E402

SLUGS = (
    "evolved-sign-momentum",
    "bottleneck-attention-module",
    "retrace",
    "ghost-module",
    "sigmoid-linear-unit",
    "coordinate-attention",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(data_dir: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = {**os.environ, "CATALOG_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "catalog.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return process, port
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the server did not answer /healthz within 300 s")


def fetch(connection: http.client.HTTPConnection, path: str) -> bytes:
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read()
    if response.status != 200:
        raise SystemExit(f"GET {path}: {response.status} {body[:200]!r}")
    return body


def timings(port: int, paths: list[str], rounds: int) -> list[float]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    seconds = []
    for i in range(rounds):
        path = paths[i % len(paths)]
        start = time.perf_counter()
        fetch(connection, path)
        seconds.append(time.perf_counter() - start)
    connection.close()
    return seconds


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def concurrent_exports(port: int, clients: int) -> list[float]:
    seconds: list[float] = [0.0] * clients

    def one(i: int) -> None:
        start = time.perf_counter()
        fetch(http.client.HTTPConnection("127.0.0.1", port, timeout=600), "/api/v1/export")
        seconds[i] = time.perf_counter() - start

    threads = [threading.Thread(target=one, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, help="reuse the catalog in this folder (built when empty)")
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    data_dir = args.data_dir or Path(tempfile.mkdtemp()) / "data"
    if not (data_dir / "catalog.db").exists():
        make_catalog(data_dir, SEED_DOCUMENT, *([EXPORT] if EXPORT.exists() else []))
    methods = Catalog(Settings(CATALOG_DATA_DIR=data_dir)).count()
    process, port = start_server(data_dir)
    try:
        routes = {
            "/healthz": ["/healthz"],
            "/api/v1/methods/{slug}": [f"/api/v1/methods/{s}" for s in SLUGS],
            "/": ["/"],
            "/methods/{slug}": [f"/methods/{s}" for s in SLUGS],
        }
        print(f"catalog: {methods} methods; {args.rounds} requests per route, one connection")
        print(f"{'route':<26} {'p50 ms':>8} {'p99 ms':>8} {'p50 / healthz':>14}")
        baseline = 0.0
        for route, paths in routes.items():
            seconds = timings(port, paths, args.rounds)
            p50, p99 = statistics.median(seconds), percentile(seconds, 0.99)
            baseline = baseline or p50
            print(f"{route:<26} {p50 * 1e3:>8.2f} {p99 * 1e3:>8.2f} {p50 / baseline:>13.1f}x")
        size = len(fetch(http.client.HTTPConnection("127.0.0.1", port, timeout=600), "/api/v1/export"))
        alone = timings(port, ["/api/v1/export"], 3)
        print(f"/api/v1/export ({size / 1e6:.1f} MB): {statistics.median(alone):.2f} s alone")
        together = concurrent_exports(port, 8)
        print(f"8 exports at once: slowest {max(together):.2f} s, median {statistics.median(together):.2f} s")
    finally:
        process.terminate()
        process.wait(timeout=30)


if __name__ == "__main__":
    main()
