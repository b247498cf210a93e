"""How much memory a demo needs, measured before it runs, and the worker's hard limit.

`estimate_peak_bytes(call)` runs `call` once on fake tensors (shapes and dtypes,
no data): every tensor an operator creates is added to a running total when it
is made and taken off when Python frees it, and the highest total is the
estimate. Parameters and buffers already built count in full. Code whose shapes
depend on values (`.item()`, `nonzero`) cannot run on fake tensors; its estimate
is None and only the worker's limit stands between it and the host.

`limit_worker_memory(budget)` caps the worker's data segment (`RLIMIT_DATA`:
heap and private writable mappings, which is where torch's CPU allocator and
NumPy take their memory) at what it holds once torch is loaded plus twice the
budget, so an estimate that is wrong still ends in a failed allocation in the
worker rather than in the host's out-of-memory killer. `RLIMIT_AS` would count
the address space that thread stacks and allocator arenas only reserve, and
refuse a torch that has used no memory at all.

`resident_bytes()` and `peak_resident_bytes()` read this process's resident set
from `/proc/self/status`; `reset_peak_resident()` restarts the peak
(`/proc/self/clear_refs`), so a CPU demo can report what its calls added.
"""

from __future__ import annotations

import logging
import re
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

MIB = 2**20
STATUS = Path("/proc/self/status")
CLEAR_REFS = Path("/proc/self/clear_refs")


class MemoryLimitExceeded(MemoryError):
    """An allocation failed inside the worker's memory limit (a wrong or missing estimate)."""


def estimate_peak_bytes(call: Callable[[], Any], module: Any = None) -> int | None:
    """Peak bytes of `call` run on fake tensors, plus `module`'s parameters and buffers; None if untraceable.

    `call` receives nothing and must build its inputs itself under the fake mode
    it runs in (see `fake_mode`), so no real input is ever allocated for it.
    """
    from methods.demo.torch_compat import FAKE_TENSOR_LOGGER, UNTRACEABLE, FakeTensorMode

    resident = _module_bytes(module)
    tracker = _live_tensor_tracker()
    # A shape error surfaces as the caller's error; fake tensors' own traceback log would only repeat it.
    logger = logging.getLogger(FAKE_TENSOR_LOGGER)
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        with FakeTensorMode(allow_non_fake_inputs=True), tracker:
            call()
    except UNTRACEABLE:
        return None
    finally:
        logger.setLevel(level)
    return resident + tracker.peak


def _module_bytes(module: Any) -> int:
    if module is None:
        return 0
    tensors = {id(t): t for t in (*module.parameters(), *module.buffers())}
    return sum(t.numel() * t.element_size() for t in tensors.values())


def _live_tensor_tracker() -> Any:
    import torch

    from methods.demo.torch_compat import TorchDispatchMode, is_view, tree_leaves

    class LiveTensors(TorchDispatchMode):
        """Bytes of the tensors operators have created and Python still holds; the highest so far."""

        def __init__(self) -> None:
            super().__init__()
            self.live = 0
            self.peak = 0

        def _freed(self, nbytes: int) -> None:
            self.live -= nbytes

        def __torch_dispatch__(self, func, types, args=(), kwargs=None):
            out = func(*args, **(kwargs or {}))
            if is_view(func):
                return out
            given = {id(t) for t in tree_leaves((args, kwargs)) if isinstance(t, torch.Tensor)}
            for t in tree_leaves(out):
                if isinstance(t, torch.Tensor) and id(t) not in given:
                    nbytes = t.untyped_storage().nbytes()
                    self.live += nbytes
                    self.peak = max(self.peak, self.live)
                    weakref.finalize(t, self._freed, nbytes)
            return out

    return LiveTensors()


def _status_bytes(key: str) -> int | None:
    try:
        match = re.search(rf"^{key}:\s+(\d+) kB", STATUS.read_text(), re.MULTILINE)
    except OSError:
        return None
    return int(match.group(1)) * 1024 if match else None


def resident_bytes() -> int | None:
    """This process's resident set size now (VmRSS), or None where /proc is not there."""
    return _status_bytes("VmRSS")


def peak_resident_bytes() -> int | None:
    """This process's highest resident set size since the last `reset_peak_resident` (VmHWM)."""
    return _status_bytes("VmHWM")


def reset_peak_resident() -> bool:
    """Restart VmHWM from the current resident size; False where the kernel does not allow it."""
    try:
        CLEAR_REFS.write_text("5")
    except OSError:
        return False
    return True


def data_segment_bytes() -> int | None:
    """This process's data segment (VmData), what `RLIMIT_DATA` limits."""
    return _status_bytes("VmData")


def limit_worker_memory(budget_bytes: int) -> int | None:
    """Cap this process's data segment at its current size plus twice `budget_bytes`; the cap, or None."""
    import resource

    current = data_segment_bytes()
    if current is None:
        return None
    cap = current + 2 * budget_bytes
    _, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (cap, cap))
    return cap


def is_allocation_failure(error: BaseException) -> bool:
    """Whether `error` is an allocation refused by the memory limit (torch's allocator or Python's)."""
    if isinstance(error, MemoryError):
        return True
    text = str(error)
    return isinstance(error, RuntimeError) and (
        "can't allocate memory" in text or "CUDA out of memory" in text or "OutOfMemoryError" in text
    )
