"""Memory: the fake-tensor estimate, the budget refusal, and the worker's hard limit.

References: a float32 tensor of n elements holds 4·n bytes; GLIDE with
attention at full resolution on 256 images of 64×64 holds a (4,096 × 4,096)
score matrix per image and head, 64 MiB each, so its estimate must be far past
a 2 GiB budget (over 16 GiB).
"""

import subprocess
import sys

import pytest
import torch

from methods import registry
from methods.demo import run_demo
from methods.demo.errors import MemoryBudgetExceeded
from methods.demo.memory import (
    MIB,
    estimate_peak_bytes,
    is_allocation_failure,
    peak_resident_bytes,
    reset_peak_resident,
    resident_bytes,
)


def test_estimate_counts_parameters_and_the_largest_live_tensors():
    layer = torch.nn.Linear(256, 1024)
    params = (256 * 1024 + 1024) * 4

    def call():
        x = torch.empty(512, 256)
        y = layer(x)
        torch.relu(y)

    estimate = estimate_peak_bytes(call, layer)
    activations = 512 * 256 * 4 + 2 * 512 * 1024 * 4  # x, y and relu(y) alive at once
    assert estimate == params + activations, f"estimate {estimate} != {params} + {activations}"


def test_tensors_freed_during_the_call_leave_the_estimate():
    def call():
        for _ in range(10):
            torch.empty(1024, 1024).mul(2)  # 4 MiB made and dropped each turn

    estimate = estimate_peak_bytes(call)
    assert estimate <= 3 * 4 * MIB, f"freed tensors were still counted: {estimate / MIB:.1f} MiB"


def test_estimate_allocates_no_real_memory():
    reset_peak_resident()
    before = resident_bytes()
    estimate = estimate_peak_bytes(lambda: torch.empty(2**33).add(1))  # 32 GiB twice, on paper
    assert estimate == 2 * 4 * 2**33, f"estimate {estimate}"
    grown = peak_resident_bytes() - before
    assert grown < 256 * MIB, f"the estimate allocated {grown / MIB:.0f} MiB"


def test_value_dependent_code_has_no_estimate():
    estimate = estimate_peak_bytes(lambda: torch.empty(int(torch.ones(3).sum().item())))
    assert estimate is None, f"a value-dependent shape cannot be estimated, got {estimate}"


GLIDE_OVER_BUDGET = {
    "params": {"attention_resolutions": [1]},
    "inputs": {"x_t": [256, 3, 64, 64], "timesteps": [256], "tokens": [256, 8]},
}


def test_glide_attending_at_full_resolution_is_refused_before_it_allocates():
    budget = 2048 * MIB
    with pytest.raises(MemoryBudgetExceeded) as caught:
        run_demo(registry.get("glide"), {"device": "cpu", **GLIDE_OVER_BUDGET}, memory_budget_bytes=budget)
    error = caught.value
    assert error.field == "inputs" and error.budget_bytes == budget, f"field {error.field}"
    assert error.estimate_bytes > 16 * 2**30, f"estimate {error.estimate_bytes / 2**30:.1f} GiB"
    assert "2,048 MiB" in error.message and "estimated" in error.message, error.message


def test_a_request_within_budget_reports_its_estimate():
    result = run_demo(
        registry.get("bottleneck-attention-module"),
        {"device": "cpu", "inputs": {"x": [2, 32, 8, 8]}},
        memory_budget_bytes=64 * MIB,
    )
    estimate = result["memory_estimate_bytes"]
    assert estimate is not None and 2 * 32 * 8 * 8 * 4 < estimate < 64 * MIB, f"estimate {estimate}"
    assert "fake tensors" in result["memory_estimate_note"], result["memory_estimate_note"]


def test_allocation_failures_are_recognised():
    assert is_allocation_failure(MemoryError()), "MemoryError"
    torch_message = "DefaultCPUAllocator: can't allocate memory: you tried to allocate 8589934592 bytes."
    assert is_allocation_failure(RuntimeError(torch_message)), "torch's CPU allocator"
    assert not is_allocation_failure(RuntimeError("shapes cannot be multiplied")), "a shape error"


LIMITED = """
import torch
from methods.demo.memory import MIB, limit_worker_memory
cap = limit_worker_memory(256 * MIB)
small = torch.randn(64 * MIB // 4)  # 64 MiB: within the limit
print("small", float(small.abs().sum()) > 0)
try:
    torch.empty(2**31).fill_(1)  # 8 GiB
    print("big allocated")
except RuntimeError as error:
    print("big refused", "can't allocate memory" in str(error))
try:
    bytearray(2**31)
    print("bytes allocated")
except MemoryError:
    print("bytes refused")
print("still works", float((torch.ones(8, 8) @ torch.ones(8, 8)).sum()))
"""


def test_the_worker_limit_refuses_a_large_allocation_and_torch_still_runs():
    result = subprocess.run([sys.executable, "-c", LIMITED], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.split("\n")
    for expected in ("small True", "big refused True", "bytes refused", "still works 512.0"):
        assert expected in lines, f"expected {expected!r} in {lines}"
