"""What the live demo costs: its overhead over a bare forward pass, and the server's start-up.

    python bench/demo_overhead.py [--skip-server]

Part 1, in this process: for five implementations, the median wall time of a
bare forward pass (built once, `torch.no_grad()`, the demo's own inputs), then
of a whole `run_demo` with the defaults (trace, FLOP count, timed runs) and
with the batch doubled (an override: the fake-tensor memory estimate runs too), each as a
ratio of the bare pass measured in the same run.

Part 2, a real server (`method-catalog serve` in a subprocess, warming off):
seconds until `/healthz` answers, the server's resident memory then, the first
demo's wall time (it starts the worker and loads torch), the second's, and the
server's and the worker's resident memory after them. Then the same server
with `CATALOG_DEMO_WARM=true`: seconds until `/api/v1/demo/status` is ready
and the first demo's wall time after that.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from catalog.settings import SEED_DOCUMENT  # noqa: E402
from tests.conftest import make_catalog  # noqa: E402

CASES = (
    "silu",
    "bottleneck-attention-module",
    "ghost-module",
    "srgan-residual-block",
    "selective-kernel-convolution",
)
ROUNDS = 7
SILU_DEMO = "/api/v1/methods/sigmoid-linear-unit/demo"


def median_s(action, rounds: int = ROUNDS) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def overhead() -> None:
    import torch

    from methods import registry
    from methods.demo import run_demo
    from methods.demo.measure import prepare

    prepare()
    print(
        f"{'implementation':<30} {'bare ms':>9} {'demo ms':>9} {'ratio':>7} {'+estimate ms':>13} {'ratio':>7}"
    )
    for entry_id in CASES:
        entry = registry.get(entry_id)
        # The default shapes with the batch doubled: an override, so the memory estimate runs.
        shapes = {name: [2 * shape[0], *shape[1:]] for name, shape in entry.input_shapes().items()}
        torch.manual_seed(0)
        built = entry.build()
        inputs = entry.example_inputs(seed=0)

        def bare() -> None:
            with torch.no_grad():
                built(**inputs)  # noqa: B023

        bare()
        bare_s = median_s(bare, rounds=30)
        defaults_s = median_s(lambda: run_demo(entry, {"device": "cpu"}, memory_budget_bytes=2**31))  # noqa: B023
        overridden = {"device": "cpu", "inputs": shapes}
        estimated_s = median_s(lambda: run_demo(entry, overridden, memory_budget_bytes=2**31))  # noqa: B023
        bare_large = entry.example_inputs(seed=0, **shapes)

        def bare_overridden() -> None:
            with torch.no_grad():
                built(**bare_large)  # noqa: B023

        bare_overridden()
        large_s = median_s(bare_overridden, rounds=30)
        print(
            f"{entry_id:<30} {bare_s * 1e3:9.3f} {defaults_s * 1e3:9.1f} {defaults_s / bare_s:7.0f} "
            f"{estimated_s * 1e3:13.1f} {estimated_s / large_s:7.0f}"
        )
    print("ratio: a whole demo's wall time over one bare forward pass on the same inputs")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mib(pid: int) -> float:
    text = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"^VmRSS:\s+(\d+) kB", text, re.MULTILINE).group(1)) / 1024


def worker_pids(pid: int) -> list[int]:
    # Children are listed per thread, and the worker is started from whichever thread ran the demo.
    children = [
        c for task in Path(f"/proc/{pid}/task").iterdir() for c in (task / "children").read_text().split()
    ]
    return [int(c) for c in children if b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes()]


def post(base: str, path: str, body: dict) -> float:
    request = urllib.request.Request(
        base + path, data=json.dumps(body).encode(), headers={"content-type": "application/json"}
    )
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=300) as response:
        response.read()
    return time.perf_counter() - start


def get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def serve(data_dir: Path, warm: bool) -> tuple[subprocess.Popen, str, float]:
    port = free_port()
    env = {**os.environ, "CATALOG_DATA_DIR": str(data_dir), "CATALOG_DEMO_WARM": str(warm).lower()}
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "catalog.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    while True:
        try:
            get_json(base + "/healthz")
            return process, base, time.perf_counter() - start
        except OSError:
            time.sleep(0.05)


def server_figures() -> None:
    data_dir = make_catalog(Path(tempfile.mkdtemp()) / "data", SEED_DOCUMENT).settings.data_dir
    body = {"inputs": {"x": [2, 8, 4, 4]}}
    process, base, up_s = serve(data_dir, warm=False)
    try:
        before = rss_mib(process.pid)
        first_s = post(base, SILU_DEMO, body)
        second_s = post(base, SILU_DEMO, body)
        after = rss_mib(process.pid)
        workers = sum(rss_mib(pid) for pid in worker_pids(process.pid))
    finally:
        process.terminate()
        process.wait(30)
    print(f"server up (healthz answers): {up_s:.2f} s, resident {before:.0f} MiB")
    print(f"first demo (starts the worker, loads torch): {first_s:.2f} s; second: {second_s * 1e3:.0f} ms")
    print(f"after the first demo: server {after:.0f} MiB (+{after - before:.0f}), worker {workers:.0f} MiB")
    process, base, up_s = serve(data_dir, warm=True)
    try:
        start = time.perf_counter()
        while not get_json(base + "/api/v1/demo/status")["ready"]:
            time.sleep(0.05)
        ready_s = time.perf_counter() - start + up_s
        warm_first_s = post(base, SILU_DEMO, body)
    finally:
        process.terminate()
        process.wait(30)
    print(f"with CATALOG_DEMO_WARM=true: healthz {up_s:.2f} s, worker ready {ready_s:.2f} s after start, ")
    print(f"  first demo then {warm_first_s * 1e3:.0f} ms ({first_s / warm_first_s:.0f}x faster than cold)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-server", action="store_true", help="only the in-process overhead table")
    args = parser.parse_args()
    overhead()
    if not args.skip_server:
        server_figures()


if __name__ == "__main__":
    main()
