"""A real `method-catalog serve --workers N` on a free port, and the resident memory of its processes.

Memory is read from /proc, not asked of the server: the uvicorn supervisor,
its worker processes (its children) and the demo worker processes they spawn
(their children) are told apart, because a demo worker's first demo imports
torch and that is start-up, not growth under load.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> list[int]:
    """Direct children, read from every task's `children` file (Linux 3.5+)."""
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except FileNotFoundError:
        return found
    for task in tasks:
        try:
            found += [int(c) for c in Path(f"/proc/{pid}/task/{task}/children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return found


def rss_bytes(pid: int) -> int:
    """Resident set size from /proc/<pid>/status (VmRSS); 0 for a process that is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


def _command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except (FileNotFoundError, ProcessLookupError):
        return ""


@dataclass(frozen=True)
class MemorySample:
    """RSS in bytes: the supervisor and the uvicorn workers, and separately the demo workers."""

    server: int
    server_pids: tuple[int, ...]
    demos: int
    demo_processes: int

    @property
    def server_processes(self) -> int:
        return len(self.server_pids)

    @property
    def total(self) -> int:
        return self.server + self.demos

    def as_dict(self) -> dict[str, int]:
        return {
            "server_rss": self.server,
            "server_processes": self.server_processes,
            "demo_rss": self.demos,
            "demo_processes": self.demo_processes,
        }


@dataclass
class LiveServer:
    process: subprocess.Popen[bytes]
    base: str
    log_path: Path

    def memory(self) -> MemorySample:
        supervisor = self.process.pid
        # multiprocessing's resource tracker is a child of the supervisor too; it is tiny, serves
        # the spawned processes and is counted with the demo workers.
        children = _children(supervisor)
        workers = [pid for pid in children if "resource_tracker" not in _command(pid)]
        helpers = [pid for pid in children if pid not in workers]
        demos = helpers + [child for pid in workers for child in _children(pid)]
        server = (supervisor, *sorted(workers))
        return MemorySample(
            server=sum(rss_bytes(pid) for pid in server),
            server_pids=server,
            demos=sum(rss_bytes(pid) for pid in demos),
            demo_processes=len(demos),
        )

    def get_json(self, path: str) -> dict:
        with urllib.request.urlopen(self.base + path, timeout=30) as response:
            return json.load(response)

    def log_tail(self, characters: int = 3000) -> str:
        return self.log_path.read_text(errors="replace")[-characters:]


@contextmanager
def serve(data_dir: Path, workers: int = 2, log_path: Path | None = None, **env: str) -> Iterator[LiveServer]:
    """Start the server on `data_dir`, wait for /readyz, stop it (SIGTERM, then SIGKILL) on exit."""
    port = free_port()
    log_path = log_path or data_dir.parent / f"serve-{port}.log"
    environment = {**os.environ, "CATALOG_DATA_DIR": str(data_dir), **env}
    command = [sys.executable, "-m", "catalog.cli", "serve", "--port", str(port), "--workers", str(workers)]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT)
    server = LiveServer(process, f"http://127.0.0.1:{port}", log_path)
    try:
        _wait_ready(server, workers)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _wait_ready(server: LiveServer, workers: int, timeout_s: float = 180.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"the server exited with {server.process.returncode}:\n{server.log_tail()}")
        try:
            # every worker answers /readyz the same way; wait until all have started
            if server.get_json("/readyz").get("ok") and server.memory().server_processes >= workers + 1:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"the server was not ready within {timeout_s:g} s:\n{server.log_tail()}")
