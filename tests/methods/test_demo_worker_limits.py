"""`DemoExecutor` under a memory budget and with cancelling: every failure replaces the worker.

The entries below are built for the purpose: `hog` allocates with NumPy-free
Python bytes (invisible to the fake-tensor estimate), `untraceable` allocates a
torch tensor whose size depends on a value (so it has no estimate), `wide`
makes a tensor the estimate sees, and `sleeper` holds its worker. Each returns
x filled with the worker's process id, which shows whether a fresh worker
answered.
"""

import os
import signal
import threading
import time

import pytest
import torch
from pydantic import Field

from methods.demo import DemoExecutor, InputError
from methods.demo.errors import DemoCancelled, OutOfMemory, WorkerLost
from methods.registry import Registry
from methods.spec import MethodEntry, Params, TensorSpec

HERE = "tests.methods.test_demo_worker_limits"
REGISTRY_PATH = f"{HERE}:REGISTRY"
BUDGET_MB = 128


class SizeParams(Params):
    mib: int = Field(1, ge=1, le=1_000_000, description="MiB to allocate")


class SleepParams(Params):
    seconds: float = Field(0.0, ge=0.0, le=60.0, description="time spent building")


def _pid_like(x):
    return torch.full_like(x, float(os.getpid()))


def hog(mib: int):
    def call(x):
        block = bytearray(mib * 2**20)
        return _pid_like(x) + len(block) * 0

    return call


def untraceable(mib: int):
    def call(x):
        n = int(x.abs().sum().item() >= 0) * mib * 2**18  # float32: 4 bytes each
        return _pid_like(x) + torch.ones(n).sum() * 0

    return call


def wide(mib: int):
    def call(x):
        return _pid_like(x) + x.new_zeros(mib * 2**18).sum() * 0

    return call


def killed(mib: int):
    """The worker dies as it would at the hands of the kernel's out-of-memory killer."""
    os.kill(os.getpid(), signal.SIGKILL)


def sleeper(seconds: float):
    time.sleep(seconds)
    return _pid_like


def entry(id, target, params) -> MethodEntry:
    return MethodEntry(
        id=id,
        names=(id,),
        kind="function",
        paper="https://example.org/" + id,
        target=f"{HERE}:{target}",
        summary="Test entry.",
        inputs=(TensorSpec("x", (2, 3)),),
        params=params,
    )


REGISTRY = Registry(
    [
        entry("hog", "hog", SizeParams),
        entry("untraceable", "untraceable", SizeParams),
        entry("wide", "wide", SizeParams),
        entry("sleeper", "sleeper", SleepParams),
        entry("killed", "killed", SizeParams),
    ]
)


@pytest.fixture(scope="module")
def executor():
    with DemoExecutor(queue_size=2, timeout_s=20.0, memory_budget_mb=BUDGET_MB) as executor:
        executor.warm("cpu")
        yield executor


def run(executor, id, **params):
    result = executor.run(id, {"device": "cpu", "params": params}, REGISTRY_PATH)
    return int(result["outputs"][0]["stats"]["mean"])


def test_the_worker_reports_its_memory_limit(executor):
    lane = executor.status()["cpu"]
    limit = lane["memory_limit_bytes"]
    assert lane["ready"] and limit is not None, f"lane status {lane}"
    assert limit >= 2 * BUDGET_MB * 2**20, f"limit {limit} below twice the budget"


def test_within_budget_runs_in_the_same_worker(executor):
    first = run(executor, "wide", mib=8)
    assert run(executor, "wide", mib=4) == first, "a demo within budget should keep its worker"


def test_over_budget_estimate_is_refused_without_touching_the_worker(executor):
    before = run(executor, "wide", mib=1)
    with pytest.raises(InputError) as caught:
        run(executor, "wide", mib=4 * BUDGET_MB)
    assert caught.value.field == "params", f"field {caught.value.field}"
    assert f"{BUDGET_MB} MiB" in caught.value.message and "estimated" in caught.value.message, (
        caught.value.message
    )
    assert run(executor, "wide", mib=1) == before, "a refused request should not cost the worker"


@pytest.mark.parametrize("id", ["hog", "untraceable"])
def test_an_allocation_the_estimate_missed_hits_the_limit_and_the_worker_is_replaced(executor, id):
    before = run(executor, "wide", mib=1)
    restarts = executor.status()["cpu"]["restarts"]
    with pytest.raises(OutOfMemory) as caught:
        run(executor, id, mib=16 * 1024)
    assert "memory limit" in str(caught.value) and "MiB" in str(caught.value), str(caught.value)
    assert executor.status()["cpu"]["restarts"] == restarts + 1, "the worker should be replaced"
    after = run(executor, "wide", mib=1)
    assert after != before, "the next demo should run in a fresh worker"


def test_a_killed_worker_is_reported_as_lost_and_replaced(executor):
    before = run(executor, "wide", mib=1)
    with pytest.raises(WorkerLost) as caught:
        run(executor, "killed")
    assert caught.value.exitcode == -signal.SIGKILL, f"exit code {caught.value.exitcode}"
    assert caught.value.retry_after_s >= 1, "the caller is told when to retry"
    assert run(executor, "wide", mib=1) != before, "the next demo should run in a fresh worker"


def test_cancelling_a_running_demo_replaces_its_worker(executor):
    before = run(executor, "wide", mib=1)
    cancel, errors = threading.Event(), []

    def submit():
        try:
            run_with(executor, cancel, seconds=30)
        except Exception as error:
            errors.append(error)

    thread = threading.Thread(target=submit)
    thread.start()
    _wait_for(lambda: executor.pending("cpu") == 1)
    time.sleep(0.2)
    start = time.monotonic()
    cancel.set()
    thread.join(10)
    assert not thread.is_alive(), "the cancelled demo did not return"
    assert time.monotonic() - start < 3, "cancelling should answer at once"
    assert len(errors) == 1 and isinstance(errors[0], DemoCancelled), f"errors {errors}"
    assert run(executor, "wide", mib=1) != before, "the cancelled worker was not replaced"


def test_cancelling_a_queued_demo_gives_up_its_turn(executor):
    results, errors = [], []
    cancel = threading.Event()

    def submit(seconds, event=None):
        try:
            results.append(run_with(executor, event or threading.Event(), seconds=seconds))
        except Exception as error:
            errors.append(error)

    running = threading.Thread(target=submit, args=(1.0,))
    running.start()
    _wait_for(lambda: executor.pending("cpu") == 1)
    queued = threading.Thread(target=submit, args=(0.0, cancel))
    queued.start()
    _wait_for(lambda: executor.pending("cpu") == 2)
    cancel.set()
    queued.join(5)
    assert not queued.is_alive() and executor.pending("cpu") == 1, "the queued demo should leave at once"
    running.join(10)
    assert len(results) == 1 and [type(e) for e in errors] == [DemoCancelled], f"{results} {errors}"
    assert executor.pending("cpu") == 0, "the lane should be empty afterwards"
    assert run(executor, "wide", mib=1) > 0, "the lane still serves demos after a skipped turn"


def test_cancel_by_run_id(executor):
    errors = []

    def submit():
        try:
            executor.run(
                "sleeper", {"device": "cpu", "params": {"seconds": 30}}, REGISTRY_PATH, run_id="run-abcdefgh"
            )
        except Exception as error:
            errors.append(error)

    thread = threading.Thread(target=submit)
    thread.start()
    _wait_for(lambda: executor.pending("cpu") == 1)
    assert not executor.cancel_run("run-unknown"), "an unknown run id cancels nothing"
    assert executor.cancel_run("run-abcdefgh"), "the running demo's id should be known"
    thread.join(10)
    assert [type(e) for e in errors] == [DemoCancelled], f"errors {errors}"
    assert not executor.cancel_run("run-abcdefgh"), "a finished run's id is forgotten"


def run_with(executor, cancel, **params):
    return executor.run("sleeper", {"device": "cpu", "params": params}, REGISTRY_PATH, cancel=cancel)


def _wait_for(condition, limit_s=10.0):
    deadline = time.monotonic() + limit_s
    while not condition():
        assert time.monotonic() < deadline, "the executor never reached the expected state"
        time.sleep(0.01)
