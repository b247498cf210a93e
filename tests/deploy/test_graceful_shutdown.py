"""SIGTERM lets a request in flight finish, then stops the demo workers; logs are one JSON object a line."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from catalog.settings import SEED_DOCUMENT
from tests.conftest import make_catalog

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def running(pid: int) -> bool:
    """Whether `pid` exists and is not a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
    except OSError:
        return "?"


def children(pid: int) -> list[int]:
    """The processes `pid` started (the demo worker, and multiprocessing's helpers)."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        found += [int(child) for child in task.read_text().split()]
    return found


def test_sigterm_finishes_the_demo_in_flight_and_stops_the_workers(tmp_path):
    catalog = make_catalog(tmp_path / "data", SEED_DOCUMENT)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "CATALOG_DATA_DIR": str(catalog.settings.data_dir),
        "CATALOG_LOG_FORMAT": "json",
        "CATALOG_SHUTDOWN_TIMEOUT_S": "120",
        # a cold worker: the demo waits for PyTorch to load, so it is surely in flight at SIGTERM
        "CATALOG_DEMO_WARM": "false",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "catalog.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                get_json(base + "/healthz")
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, "the server did not start"
                time.sleep(0.2)

        reply: dict = {}

        def post_demo() -> None:
            request = urllib.request.Request(
                base + "/api/v1/methods/sigmoid-linear-unit/demo",
                data=json.dumps({"inputs": {"x": [2, 8, 4, 4]}}).encode(),
                headers={"Content-Type": "application/json"},
            )
            try:
                with urllib.request.urlopen(request, timeout=180) as response:
                    reply.update(status=response.status, body=json.load(response))
            except Exception as error:
                reply.update(error=repr(error))

        client = threading.Thread(target=post_demo)
        client.start()
        # the demo has reached the executor once the server has spawned its worker (still loading PyTorch)
        while not (workers := children(server.pid)):
            assert client.is_alive(), f"the demo ended before SIGTERM could be sent: {reply}"
            time.sleep(0.05)

        server.send_signal(signal.SIGTERM)
        client.join(timeout=180)
        output, _ = server.communicate(timeout=180)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()

    assert reply.get("status") == 200, f"the demo in flight at SIGTERM did not complete: {reply}\n{output}"
    assert reply["body"]["outputs"], f"the demo answered without outputs: {reply['body']}"
    # uvicorn re-raises the SIGTERM it handled once shut down, so a clean exit reads as -SIGTERM
    assert server.returncode in (0, -signal.SIGTERM), f"the server exited with {server.returncode}:\n{output}"
    assert "Application shutdown complete." in output, f"the lifespan did not finish its shutdown:\n{output}"
    # a helper may still be exiting (multiprocessing's resource tracker leaves once the server's pipe closes)
    deadline = time.monotonic() + 15
    while (
        survivors := {pid: command_line(pid) for pid in workers if running(pid)}
    ) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not survivors, f"worker processes {survivors} outlived the server"

    lines = [line for line in output.splitlines() if line.strip()]
    records = []
    for line in lines:
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            pytest.fail(f"a log line is not JSON: {line!r}")
    assert any("Waiting for connections to close" in r["message"] for r in records), (
        f"the server did not wait for the request in flight:\n{output}"
    )
    demos = [r for r in records if r.get("route") == "/api/v1/methods/{slug}/demo"]
    assert len(demos) == 1, f"expected one request line for the demo:\n{output}"
    demo = demos[0]
    assert (demo["method"], demo["status"], demo["path"]) == (
        "POST",
        200,
        "/api/v1/methods/sigmoid-linear-unit/demo",
    ), f"demo request line {demo}"
    assert demo["duration_ms"] > 0 and demo["level"] == "info", f"demo request line {demo}"
