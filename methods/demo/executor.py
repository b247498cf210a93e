"""Demos run one at a time per device, in a persistent worker process, with a bounded queue.

Each device ("cpu", "cuda") has a lane: a worker process (multiprocessing
"spawn" context) that imports torch once and then runs `run_demo` for each job
it is sent, and a first-come-first-served queue in front of it. When
`queue_size` demos already wait in a lane, `run` raises `QueueFull` at once.
A demo that runs past `timeout_s` raises `DemoTimeout`; its worker is killed
and a fresh one is started in its place, so the next demo finds a healthy lane.
The time limit counts from the moment the job reaches the worker: waiting in
the queue and a worker's start-up (importing torch) are not charged to it.

Memory: with `memory_budget_mb`, each worker refuses a request whose estimated
peak is over the budget (`MemoryBudgetExceeded`, an `InputError`), and caps its
own data segment at what torch needs plus twice the budget
(`methods.demo.memory.limit_worker_memory`; on CUDA also the device memory
torch may take). A demo that still runs out raises `OutOfMemory`, and a worker
that dies mid-demo `WorkerLost`; either way the worker is replaced.

Cancelling: `run(..., cancel=event)` gives up as soon as `event` is set, while
queued (its turn is skipped) or while running (the worker is killed and
replaced), and raises `DemoCancelled`. `cancel_run(run_id)` sets the event of
a demo started with that `run_id`.

Validate a request with `methods.demo.request.validate_request` before calling
`run`, and pass `ValidatedDemo.as_request()`, so a bad request never queues and
the device is already resolved. Workers look entries up by id in the registry
named by `registry_module` ("module:attribute"), so tests can run entries of
their own.
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import sys
import threading
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from methods.demo.errors import (
    DemoCancelled,
    DemoError,
    DemoTimeout,
    OutOfMemory,
    QueueFull,
    WorkerLost,
)
from methods.spec import InputError

DEFAULT_REGISTRY = "methods.registry:registry"
POLL_S = 0.05
"""How often a waiting or running demo looks at its cancel event."""

log = logging.getLogger("catalog.demo")


class DemoExecutor:
    """Runs demos in worker processes, one lane per device; see the module docstring."""

    def __init__(
        self,
        queue_size: int = 4,
        timeout_s: float = 20.0,
        startup_timeout_s: float = 120.0,
        memory_budget_mb: float | None = None,
    ) -> None:
        self.queue_size = queue_size
        self.timeout_s = timeout_s
        self.startup_timeout_s = startup_timeout_s
        self.memory_budget_bytes = int(memory_budget_mb * 2**20) if memory_budget_mb else None
        self._lanes: dict[str, _Lane] = {}
        self._runs: dict[str, threading.Event] = {}
        self._lock = threading.Lock()
        self._closed = False

    def run(
        self,
        entry_id: str,
        request: dict[str, Any] | None = None,
        registry_module: str = DEFAULT_REGISTRY,
        *,
        cancel: threading.Event | None = None,
        run_id: str | None = None,
    ) -> dict[str, Any]:
        """The demo's result; blocks while queued and running.

        Raises InputError, QueueFull, DemoTimeout, OutOfMemory, WorkerLost, DemoCancelled or DemoError.
        """
        request = dict(request or {})
        request["device"] = _resolve_device(request.get("device", "auto"))
        cancel = cancel or threading.Event()
        if run_id is not None:
            with self._lock:
                self._runs[run_id] = cancel
        try:
            return self._lane(request["device"]).run((entry_id, request, registry_module), cancel)
        finally:
            if run_id is not None:
                with self._lock:
                    self._runs.pop(run_id, None)

    def cancel_run(self, run_id: str) -> bool:
        """Cancel the demo started with `run_id`; False when no such demo is queued or running."""
        with self._lock:
            event = self._runs.get(run_id)
        if event is None:
            return False
        event.set()
        return True

    def warm(self, device: str = "cpu") -> None:
        """Start `device`'s worker now and wait until it is ready (otherwise it starts on first use)."""
        self._lane(_resolve_device(device)).warm()

    def warm_in_background(self, device: str = "cpu") -> threading.Thread:
        """`warm` in a daemon thread, so a server can answer while torch loads; failures are logged."""

        def warm() -> None:
            try:
                self.warm(device)
            except Exception as error:  # the first demo will start the worker again and report it
                log.warning("warming the %s demo worker failed: %s", device, error)

        thread = threading.Thread(target=warm, name=f"demo-warm-{device}", daemon=True)
        thread.start()
        return thread

    def pending(self, device: str = "cpu") -> int:
        """Demos running or waiting on `device`."""
        lane = self._lanes.get(_resolve_device(device))
        return lane.pending() if lane else 0

    def status(self) -> dict[str, dict[str, Any]]:
        """Each started lane: whether its worker is ready, demos pending, restarts, the worker's pid and limit."""
        with self._lock:
            lanes = dict(self._lanes)
        return {device: lane.status() for device, lane in lanes.items()}

    def run_times(self) -> dict[str, tuple[int, float]]:
        """Each started lane: demos that reached its worker, and their total time there in seconds.

        Read by the server's metrics; counts every outcome (a timeout or a cancelled run included).
        """
        with self._lock:
            lanes = dict(self._lanes)
        return {device: (lane.runs, lane.run_seconds) for device, lane in lanes.items()}

    def close(self) -> None:
        """Stop every worker; later calls to `run` raise `DemoError`."""
        with self._lock:
            self._closed = True
            lanes, self._lanes = list(self._lanes.values()), {}
        for lane in lanes:
            lane.close()

    def __enter__(self) -> DemoExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _lane(self, device: str) -> _Lane:
        with self._lock:
            if self._closed:
                raise DemoError("the demo executor is closed")
            if device not in self._lanes:
                self._lanes[device] = _Lane(device, self)
            return self._lanes[device]


def _resolve_device(device: str) -> str:
    if device in ("cpu", "cuda"):
        return device
    if device != "auto":
        raise InputError("device", f"unknown device {device!r}; expected one of ('auto', 'cpu', 'cuda')")
    from methods.demo.request import cuda_available

    return "cuda" if cuda_available() else "cpu"


class _Lane:
    """One device's worker and the first-come-first-served queue in front of it."""

    def __init__(self, device: str, executor: DemoExecutor) -> None:
        self.device = device
        self._executor = executor
        self._cond = threading.Condition()
        self._issued = 0
        self._done = 0
        self._typical_s = 1.0
        self._abandoned: set[int] = set()
        self._worker: _Worker | None = None
        self.restarts = 0
        self.runs = 0
        self.run_seconds = 0.0

    def pending(self) -> int:
        with self._cond:
            return self._issued - self._done - len(self._abandoned)

    def status(self) -> dict[str, Any]:
        worker = self._worker
        ready = worker is not None and worker.is_ready() and worker.process.is_alive()
        return {
            "ready": ready,
            "pending": self.pending(),
            "restarts": self.restarts,
            "pid": worker.process.pid if worker is not None else None,
            "memory_limit_bytes": worker.info.get("memory_limit_bytes") if ready and worker else None,
        }

    def run(self, job: tuple[str, dict[str, Any], str], cancel: threading.Event) -> dict[str, Any]:
        return self._in_turn(lambda: self._timed_call(job, cancel), cancel)

    def _timed_call(self, job: tuple[str, dict[str, Any], str], cancel: threading.Event) -> dict[str, Any]:
        started = _now()
        try:
            return self._call(job, cancel)
        finally:
            # only the lane's turn holder gets here, one at a time: no lock needed
            self.runs += 1
            self.run_seconds += _now() - started

    def warm(self) -> None:
        self._in_turn(self._ready_worker, None)

    def _in_turn(self, work: Callable[[], Any], cancel: threading.Event | None) -> Any:
        """Wait for this lane's turn (or refuse when the queue is full), then do `work`."""
        with self._cond:
            in_lane = self._issued - self._done - len(self._abandoned)
            if in_lane > self._executor.queue_size:
                retry = max(1, math.ceil(self._typical_s * in_lane))
                raise QueueFull(self.device, in_lane - 1, retry)
            ticket = self._issued
            self._issued += 1
            while self._done != ticket:
                if cancel is not None and cancel.is_set():
                    self._abandoned.add(ticket)
                    raise DemoCancelled()
                self._cond.wait(POLL_S if cancel is not None else None)
        started = _now()
        try:
            return work()
        finally:
            with self._cond:
                self._done += 1
                while self._done in self._abandoned:
                    self._abandoned.remove(self._done)
                    self._done += 1
                self._typical_s = 0.7 * self._typical_s + 0.3 * (_now() - started)
                self._cond.notify_all()

    def close(self) -> None:
        with self._cond:
            if self._worker is not None:
                self._worker.stop()
                self._worker = None

    def _ready_worker(self) -> _Worker:
        if self._worker is not None and not self._worker.process.is_alive():
            self._worker.kill()
            self._worker = None
        if self._worker is None:
            self._worker = _Worker(self.device, self._executor.memory_budget_bytes)
        try:
            self._worker.wait_ready(self._executor.startup_timeout_s)
        except DemoError:
            self._worker.kill()
            self._worker = None
            raise
        return self._worker

    def _restart(self) -> None:
        """Kill the worker and start its replacement now, so it loads torch while nothing waits on it."""
        if self._worker is not None:
            self._worker.kill()
        self.restarts += 1
        self._worker = _Worker(self.device, self._executor.memory_budget_bytes)

    def _call(self, job: tuple[str, dict[str, Any], str], cancel: threading.Event) -> dict[str, Any]:
        worker = self._ready_worker()
        try:
            worker.conn.send(job)
        except (BrokenPipeError, OSError):
            self._restart()
            worker = self._ready_worker()
            worker.conn.send(job)
        timeout_s = self._executor.timeout_s
        deadline = _now() + timeout_s
        while not worker.conn.poll(max(0.0, min(POLL_S, deadline - _now()))):
            if cancel.is_set():
                self._restart()
                raise DemoCancelled()
            if _now() >= deadline:
                self._restart()
                raise DemoTimeout(timeout_s)
        try:
            reply = worker.conn.recv()
        except (EOFError, OSError):
            code = worker.exitcode()
            self._restart()
            raise WorkerLost(self.device, code) from None
        if reply[0] == "memory":
            self._restart()
            raise OutOfMemory(reply[1], worker.info.get("memory_limit_bytes"))
        return _unpack(reply)


class _Worker:
    """A spawned process running `_serve`, and the parent's end of its pipe."""

    def __init__(self, device: str, memory_budget_bytes: int | None) -> None:
        import multiprocessing

        context = multiprocessing.get_context("spawn")
        self.conn, child = context.Pipe()
        self.process = context.Process(
            target=_serve,
            args=(child, device, memory_budget_bytes),
            name=f"demo-worker-{device}",
            daemon=True,
        )
        self.process.start()
        child.close()
        self.ready = False
        self.info: dict[str, Any] = {}
        self._handshake = threading.Lock()

    def wait_ready(self, timeout_s: float) -> None:
        with self._handshake:
            if self.ready:
                return
            try:
                if not self.conn.poll(timeout_s):
                    raise DemoError(f"the {self.process.name} did not start within {timeout_s:g} s")
                self._take_ready()
            except EOFError:
                pass
        if not self.ready:
            raise DemoError(f"the {self.process.name} exited while starting (exit code {self.exitcode()})")

    def is_ready(self) -> bool:
        """Whether the worker has loaded torch, without waiting (a replacement announces itself unasked)."""
        if self.ready or not self._handshake.acquire(blocking=False):
            return self.ready
        try:
            if not self.ready and self.process.is_alive() and self.conn.poll(0):
                self._take_ready()
        except (EOFError, OSError):
            pass
        finally:
            self._handshake.release()
        return self.ready

    def _take_ready(self) -> None:
        message = self.conn.recv()
        self.ready = message[0] == "ready"
        self.info = message[1]

    def exitcode(self) -> int | None:
        self.process.join(timeout=1.0)
        return self.process.exitcode

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=5.0)
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
            self.process.join(timeout=5.0)
        except OSError:
            pass
        if self.process.is_alive():
            self.process.kill()
            self.process.join(timeout=5.0)
        self.conn.close()


def _now() -> float:
    import time

    return time.monotonic()


def _unpack(reply: tuple[Any, ...]) -> dict[str, Any]:
    status, *rest = reply
    if status == "ok":
        return rest[0]
    if status == "input":
        raise InputError(*rest)
    error_type, message, details = rest
    raise DemoError(f"{error_type}: {message}", details=details)


DEMO_NICENESS = 10
"""How much lower than the server a CPU demo worker runs, so a demo storm cannot starve searches."""


def _serve(conn: Connection, device: str, memory_budget_bytes: int | None) -> None:
    """The worker's loop: import torch once, limit memory, then answer (entry_id, request, registry) jobs."""
    import importlib

    import torch

    from methods.demo.measure import prepare
    from methods.demo.memory import limit_worker_memory
    from methods.demo.runner import run_demo

    if device == "cpu":
        # Demos yield to browsing and search: one core at a time, at a lower priority than the server.
        torch.set_num_threads(1)
        with contextlib.suppress(OSError):
            os.nice(DEMO_NICENESS)
    prepare()
    if device == "cuda":
        torch.cuda.init()
        torch.empty(1, device="cuda")  # the CUDA context's host memory belongs to the baseline
    registries: dict[str, Any] = {}
    info: dict[str, Any] = {"pid": os.getpid(), "memory_limit_bytes": None}
    if memory_budget_bytes:
        info["memory_limit_bytes"] = limit_worker_memory(memory_budget_bytes)
        if device == "cuda":
            total = torch.cuda.get_device_properties(0).total_memory
            torch.cuda.set_per_process_memory_fraction(min(1.0, 2 * memory_budget_bytes / total))
    conn.send(("ready", info))
    while True:
        try:
            job = conn.recv()
        except EOFError:
            break
        if job is None:
            break
        entry_id, request, registry_module = job
        try:
            if registry_module not in registries:
                module, _, attribute = registry_module.partition(":")
                registries[registry_module] = getattr(importlib.import_module(module), attribute)
            entry = registries[registry_module].get(entry_id)
            result = run_demo(entry, request, memory_budget_bytes=memory_budget_bytes)
            reply: tuple[Any, ...] = ("ok", result)
        except InputError as error:
            reply = ("input", error.field, error.message)
        except MemoryError as error:
            # The heap may be left fragmented near its cap: answer, then let the parent replace us.
            reply = ("memory", str(error))
        except Exception as error:
            reply = ("error", type(error).__name__, str(error), traceback.format_exc(limit=-8))
        conn.send(reply)
    # Skip the interpreter's slow teardown of torch; nothing here needs flushing but stdio.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
