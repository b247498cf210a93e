"""`DemoExecutor`: one demo at a time per device in a worker process, a bounded queue, a time limit.

The entries below sleep while being built (once per demo), so a test controls
exactly how long a demo holds its worker; their output is filled with the
worker's process id, which shows whether a fresh worker answered.
"""

import os
import threading
import time

import pytest
import torch
from pydantic import BaseModel, Field

from methods.demo import DemoError, DemoExecutor, DemoTimeout, QueueFull
from methods.registry import Registry
from methods.spec import InputError, MethodEntry, TensorSpec

HERE = "tests.methods.test_demo_executor"
REGISTRY_PATH = f"{HERE}:REGISTRY"


class SleepParams(BaseModel):
    model_config = {"extra": "forbid"}

    seconds: float = Field(0.0, ge=0.0, le=60.0, description="time spent building")


def pid_after_sleep(seconds: float):
    """Sleep, then return a function mapping x to a tensor like x filled with this process's id."""
    time.sleep(seconds)
    return lambda x: torch.full_like(x, float(os.getpid()))


def crash():
    os._exit(3)


def bug():
    raise KeyError("a bug in the builder")


def entry(id, target, params=None) -> MethodEntry:
    return MethodEntry(
        id=id,
        names=(id,),
        kind="function",
        paper="https://example.org/" + id,
        target=f"{HERE}:{target}",
        summary="Test entry.",
        inputs=(TensorSpec("x", (2, 3)),),
        **({"params": params} if params else {}),
    )


REGISTRY = Registry(
    [entry("sleeper", "pid_after_sleep", SleepParams), entry("crasher", "crash"), entry("buggy", "bug")]
)


def worker_pid(result) -> int:
    return int(result["outputs"][0]["stats"]["mean"])


@pytest.fixture(scope="module")
def executor():
    with DemoExecutor(queue_size=1, timeout_s=2.0) as executor:
        executor.warm("cpu")
        yield executor


def demo(executor, seconds=0.0, **request):
    return executor.run(
        "sleeper", {"device": "cpu", "params": {"seconds": seconds}, **request}, REGISTRY_PATH
    )


def test_demo_runs_in_a_worker_process(executor):
    result = demo(executor)
    assert result["method"] == "sleeper" and result["outputs"][0]["shape"] == [2, 3], f"result {result}"
    assert worker_pid(result) != os.getpid(), "the demo ran in the caller's process"
    assert worker_pid(demo(executor)) == worker_pid(result), "the worker should persist between demos"


def test_demo_runs_on_the_device_under_test(executor, device):
    result = executor.run("sleeper", {"device": device.type}, REGISTRY_PATH)
    assert result["device"].startswith(device.type), f"ran on {result['device']}, not {device.type}"
    assert executor.pending(device.type) == 0, "the lane should be empty after the demo"


def test_timeout_answers_fast_and_the_next_demo_gets_a_fresh_worker(executor):
    before = worker_pid(demo(executor))
    start = time.monotonic()
    with pytest.raises(DemoTimeout) as caught:
        demo(executor, seconds=30)
    elapsed = time.monotonic() - start
    assert elapsed < 4.0, f"a 2 s limit answered after {elapsed:.1f} s"
    assert caught.value.timeout_s == 2.0, f"timeout reported as {caught.value.timeout_s}"
    after = worker_pid(demo(executor))
    assert after != before, "the timed-out worker was not replaced"


def test_full_queue_refuses_at_once_and_queued_demos_still_run(executor):
    results, errors = [], []

    def submit(seconds):
        try:
            results.append(demo(executor, seconds=seconds))
        except Exception as error:
            errors.append(error)

    running = threading.Thread(target=submit, args=(1.0,))
    running.start()
    _wait_for(lambda: executor.pending("cpu") == 1)
    waiting = threading.Thread(target=submit, args=(0.0,))
    waiting.start()
    _wait_for(lambda: executor.pending("cpu") == 2)
    start = time.monotonic()
    with pytest.raises(QueueFull) as caught:
        demo(executor)
    assert time.monotonic() - start < 0.5, "QueueFull should be raised without waiting"
    assert caught.value.retry_after_s >= 1, f"retry_after_s {caught.value.retry_after_s}"
    assert caught.value.waiting == 1, f"one demo was waiting, reported {caught.value.waiting}"
    running.join(10)
    waiting.join(10)
    assert not errors and len(results) == 2, f"queued demos failed: {errors}"
    assert executor.pending("cpu") == 0, "the lane should be empty afterwards"


def test_input_errors_from_the_worker_keep_field_and_message(executor):
    with pytest.raises(InputError) as caught:
        demo(executor, seconds=61)
    assert caught.value.field == "params.seconds", f"field {caught.value.field}"
    assert "less than or equal to 60" in caught.value.message, f"message {caught.value.message}"


def test_bugs_come_back_as_demo_errors_with_the_traceback(executor):
    with pytest.raises(DemoError, match="KeyError: 'a bug in the builder'") as caught:
        executor.run("buggy", {"device": "cpu"}, REGISTRY_PATH)
    assert "in bug" in (caught.value.details or ""), f"traceback missing: {caught.value.details}"


def test_a_crashed_worker_is_reported_and_replaced(executor):
    with pytest.raises(DemoError, match="exit code 3"):
        executor.run("crasher", {"device": "cpu"}, REGISTRY_PATH)
    assert demo(executor)["method"] == "sleeper", "no demo ran after the worker crashed"


def test_closed_executor_refuses():
    executor = DemoExecutor()
    executor.close()
    with pytest.raises(DemoError, match="closed"):
        executor.run("sleeper", {"device": "cpu"}, REGISTRY_PATH)


def _wait_for(condition, limit_s=5.0):
    deadline = time.monotonic() + limit_s
    while not condition():
        assert time.monotonic() < deadline, "the executor never reached the expected state"
        time.sleep(0.01)
