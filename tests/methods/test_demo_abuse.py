"""Hostile demo requests against a real uvicorn server: the right status every time, a healthy host.

One server (warming its worker at start, as in production) serves every test
here. The storms are marked `slow`. The worker's memory is read from
/proc/<pid>/status of the server's demo worker process.
"""

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from catalog.settings import SEED_DOCUMENT
from tests.conftest import make_catalog
from tests.methods.test_demo_memory import GLIDE_OVER_BUDGET

SILU = "/api/v1/methods/sigmoid-linear-unit/demo"
BAM = "/api/v1/methods/bottleneck-attention-module/demo"
GLIDE = "/api/v1/methods/guided-language-to-image-diffusion-for-generation-and-editing/demo"
SLOW_DEMO = "/api/v1/methods/hifi-gan/demo"
SLOW_BODY = {
    "inputs": {"audio": [2, 1, 16384]},
    "params": {"upsample_initial_channel": 512, "msd_channels": 128, "mpd_channels": 32},
}
"""HiFi-GAN at its widest: many seconds of convolutions on one CPU core, whatever the machine's load."""
QUEUE_SIZE = 2


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    catalog = make_catalog(tmp_path_factory.mktemp("abuse") / "data", SEED_DOCUMENT)
    port = free_port()
    env = {
        **os.environ,
        "CATALOG_DATA_DIR": str(catalog.settings.data_dir),
        "CATALOG_DEMO_WARM": "true",
        "CATALOG_DEMO_QUEUE_SIZE": str(QUEUE_SIZE),
        "CATALOG_DEMO_TIMEOUT_S": "60",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "catalog.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2)
            break
        except OSError:
            assert process.poll() is None, "the server exited while starting"
            assert time.monotonic() < deadline, "the server did not answer /healthz within 60 s"
            time.sleep(0.2)
    yield base, process.pid
    process.terminate()
    process.wait(timeout=30)


def call(base, path, body=None, method=None, timeout=120):
    """(status, JSON body, headers with lower-case names) of one request."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        base + path, data=data, method=method, headers={"content-type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.load(response), _lower(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error), _lower(error.headers)


def _lower(headers) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


def wait_ready(base, limit_s=180):
    deadline = time.monotonic() + limit_s
    while True:
        status = call(base, "/api/v1/demo/status")[1]
        if status["ready"]:
            return status
        assert time.monotonic() < deadline, f"the worker was not ready within {limit_s} s: {status}"
        time.sleep(0.25)


def worker_pid(server_pid: int) -> int:
    """The server's demo worker: its child started by multiprocessing's spawn."""
    # Children are listed per thread, and the worker is started from whichever thread needed it.
    tasks = Path(f"/proc/{server_pid}/task").iterdir()
    children = [c for task in tasks for c in (task / "children").read_text().split()]
    for pid in children:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        if b"spawn_main" in cmdline:
            return int(pid)
    raise AssertionError(f"no demo worker among the server's children {children}")


def rss_bytes(pid: int) -> int:
    text = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"^VmRSS:\s+(\d+) kB", text, re.MULTILINE).group(1)) * 1024


def test_the_server_warms_its_worker_at_start_and_answers_meanwhile(server):
    base, _ = server
    first = call(base, "/api/v1/demo/status")[1]
    assert first["ready"] or first["loading"], f"warming should have started: {first}"
    assert call(base, "/healthz")[0] == 200, "the server answers while PyTorch loads"
    status = wait_ready(base)
    assert status["lanes"]["cpu"]["restarts"] == 0 and status["devices"][:2] == ["auto", "cpu"], status


HOSTILE = [
    ("trillion elements", SILU, {"inputs": {"x": [10_000, 10_000, 10_000, 1]}}, 422, "cap"),
    ("past 64 bits", SILU, {"inputs": {"x": [2**70, 2**70, 1, 1]}}, 422, "cap"),
    ("negative size", SILU, {"inputs": {"x": [-2, 8, 4, 4]}}, 422, "positive"),
    ("zero size", SILU, {"inputs": {"x": [2, 0, 4, 4]}}, 422, "positive"),
    ("fractional size", SILU, {"inputs": {"x": [2.5, 8, 4, 4]}}, 422, "inputs.x"),
    ("size as text", SILU, {"inputs": {"x": ["2", 8, 4, 4]}}, 422, "inputs.x"),
    ("size as boolean", SILU, {"inputs": {"x": [True, 8, 4, 4]}}, 422, "inputs.x"),
    ("empty shape", SILU, {"inputs": {"x": []}}, 422, "inputs.x"),
    ("at the lower bound", BAM, {"params": {"reduction": 1}}, 200, ""),
    ("at the upper bound", BAM, {"params": {"channels": 1024}, "inputs": {"x": [2, 1024, 4, 4]}}, 200, ""),
    ("below the lower bound", BAM, {"params": {"reduction": 0}}, 422, "params.reduction"),
    ("past the upper bound", BAM, {"params": {"reduction": 257}}, 422, "params.reduction"),
    ("fractional count", BAM, {"params": {"reduction": 2.5}}, 422, "params.reduction"),
    ("image past its bound", GLIDE, {"inputs": {"x_t": [2, 3, 256, 256]}}, 422, "image_size"),
    ("over the memory budget", GLIDE, GLIDE_OVER_BUDGET, 422, "memory budget"),
]


@pytest.mark.parametrize("case, path, body, expected, words", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_requests_get_the_right_status(server, case, path, body, expected, words):
    base, _ = server
    status, answer, _ = call(base, path, body)
    assert status == expected, f"{case}: {status} {str(answer)[:400]}"
    if expected != 200:
        text = answer["error"] + " ".join(f"{e['field']} {e['message']}" for e in answer["errors"])
        assert words in text, f"{case}: {words!r} not in {text[:400]}"
    if case == "over the memory budget":
        assert "MiB" in answer["error"] and "estimated" in answer["error"], answer["error"]


def test_cuda_without_a_gpu_is_refused_and_not_offered(server):
    base, _ = server
    status = call(base, "/api/v1/demo/status")[1]
    if "cuda" in status["devices"]:
        pytest.skip("this machine has a GPU")
    code, answer, _ = call(base, SILU, {"device": "cuda"})
    assert code == 422 and "CUDA" in answer["error"], f"{code} {answer}"
    schema = call(base, "/openapi.json")[1]["components"]["schemas"]["DemoRequest"]
    assert schema["properties"]["device"]["enum"] == ["auto", "cpu"], schema["properties"]["device"]


class HealthWatch:
    """Polls /healthz in a thread while a storm runs; every answer must be a quick 200."""

    def __init__(self, base: str) -> None:
        self.base, self.codes, self._stop = base, [], threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def _poll(self) -> None:
        while not self._stop.is_set():
            try:
                self.codes.append(call(self.base, "/healthz", timeout=10)[0])
            except OSError as error:
                self.codes.append(repr(error))
            time.sleep(0.1)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(15)


@pytest.mark.slow
def test_fifty_simultaneous_demos_run_or_are_told_when_to_retry(server):
    base, _ = server
    wait_ready(base)
    body = {"inputs": {"x": [2, 16, 32, 32]}}
    with HealthWatch(base) as health, ThreadPoolExecutor(50) as pool:
        answers = list(pool.map(lambda _: call(base, SILU, body), range(50)))
    codes = [code for code, _, _ in answers]
    assert set(codes) <= {200, 503}, f"statuses {sorted(set(codes))}"
    assert codes.count(200) >= 1 and codes.count(503) >= 1, (
        f"200s {codes.count(200)}, 503s {codes.count(503)}"
    )
    for code, answer, headers in answers:
        if code == 503:
            assert int(headers.get("retry-after", "0")) >= 1, f"a 503 without Retry-After: {headers}"
            assert answer["status"] == 503 and "waiting" in answer["error"], answer
    assert health.codes and set(health.codes) == {200}, f"/healthz during the storm: {health.codes}"


@pytest.mark.slow
def test_two_hundred_demos_in_a_row_and_memory_back_to_baseline(server):
    base, server_pid = server
    wait_ready(base)
    cycle = [
        (SILU, {"inputs": {"x": [2, 16, 32, 32]}}, 200),
        (SILU, {"inputs": {"x": [10_000, 10_000, 10_000, 1]}}, 422),
        (SILU, {"inputs": {"x": [-1, 16, 32, 32]}}, 422),
        (BAM, {"params": {"reduction": 257}}, 422),
    ]
    for _ in range(3):
        call(base, *cycle[0][:2])
    worker = worker_pid(server_pid)
    baseline = rss_bytes(worker)
    wrong = []
    with HealthWatch(base) as health:
        for i in range(200):
            path, body, expected = cycle[i % len(cycle)]
            code, answer, _ = call(base, path, body)
            if code != expected:
                wrong.append((i, body, code, str(answer)[:200]))
    assert not wrong, f"wrong statuses: {wrong[:5]}"
    assert set(health.codes) == {200}, f"/healthz during the storm: {health.codes}"
    assert worker_pid(server_pid) == worker, "no demo here should have cost the worker"
    after = rss_bytes(worker)
    assert after <= baseline + 64 * 2**20, (
        f"the worker grew from {baseline / 2**20:.0f} MiB to {after / 2**20:.0f} MiB over 200 demos"
    )


def post_and_hang_up(base: str, path: str, body: dict, after_s: float) -> None:
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request("POST", path, json.dumps(body), {"content-type": "application/json"})
    time.sleep(after_s)
    connection.sock.shutdown(socket.SHUT_RDWR)
    connection.close()


def restarts(base: str) -> int:
    return call(base, "/api/v1/demo/status")[1]["lanes"]["cpu"]["restarts"]


@pytest.mark.slow
def test_a_caller_that_hangs_up_cancels_its_demo_and_the_worker_is_replaced(server):
    base, _ = server
    wait_ready(base)
    before = restarts(base)
    post_and_hang_up(base, SLOW_DEMO, SLOW_BODY, after_s=1.0)
    deadline = time.monotonic() + 30
    while restarts(base) == before:
        assert time.monotonic() < deadline, "the abandoned demo was not cancelled"
        time.sleep(0.1)
    assert call(base, "/healthz")[0] == 200, "the server answers after a cancel"
    wait_ready(base)
    assert call(base, SILU, {"inputs": {"x": [2, 8, 4, 4]}})[0] == 200, "the replacement worker runs demos"


@pytest.mark.slow
def test_cancel_endpoint_stops_a_running_demo(server):
    base, _ = server
    wait_ready(base)
    before = restarts(base)
    answers = []
    run = "cancel-me-0123456789"
    thread = threading.Thread(target=lambda: answers.append(call(base, f"{SLOW_DEMO}?run={run}", SLOW_BODY)))
    thread.start()
    deadline = time.monotonic() + 30
    while call(base, "/api/v1/demo/status")[1]["lanes"]["cpu"]["pending"] == 0:
        assert time.monotonic() < deadline, "the demo never started"
        time.sleep(0.05)
    code, answer, _ = call(base, f"/api/v1/demo/runs/{run}", method="DELETE")
    assert code == 200 and answer["cancelled"] is True, f"{code} {answer}"
    thread.join(30)
    assert answers and answers[0][0] == 409, f"the cancelled demo answered {answers}"
    assert "cancelled" in answers[0][1]["error"], answers[0][1]
    assert restarts(base) == before + 1, "the cancelled demo's worker should be replaced"
    code, answer, _ = call(base, "/api/v1/demo/runs/no-such-run-123", method="DELETE")
    assert code == 404 and answer["status"] == 404, f"unknown run: {code} {answer}"
