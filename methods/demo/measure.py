"""FLOPs, operators without a FLOP formula, latency and peak memory.

FLOPs use the formulas of `torch.utils.flop_counter` (the registry behind
`FlopCounterMode`) and its convention: a multiply-add counts as two FLOPs. It
has formulas for matrix multiplies, convolutions and fused attention only;
elementwise operators, reductions, softmax and normalizations count zero. So
that a total is never silently partial, every operator that ran, has no formula
and is not pure data movement (views, copies, allocation, padding, random
draws: `FREE_OPS`) is reported as uncounted; when only such operators computed
(an optimizer step, an elementwise return estimator) the total is None ("not
counted") with the reason, never 0.

The torch internals used here come from `methods.demo.torch_compat`.
The formulas are applied by our own `TorchDispatchMode`, which decomposes
formula-less operators the way `FlopCounterMode` does, rather than by
`FlopCounterMode` itself: its module tracker hangs autograd hooks on every
module's inputs, which (torch 2.13) fails on forwards that call
`torch.autograd.grad` or that get inputs requiring gradients under `no_grad`.
We attribute FLOPs to modules with our own forward hooks instead.

On the CPU, torch 2.13 sends `scaled_dot_product_attention` to
`aten._scaled_dot_product_flash_attention_for_cpu`, which has no formula in
torch's registry; we count it with torch's fused-attention formula.
"""

from __future__ import annotations

import contextlib
import functools
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

FLOPS_UNIT = "FLOPs (multiply-add = 2)"
FLOPS_NOTE = (
    "counted with torch.utils.flop_counter's formulas: matrix multiplies, convolutions and attention; "
    "elementwise operators, reductions and normalizations count zero (see uncounted_ops)"
)
NOT_COUNTED_NOTE = (
    "not counted: only operators without a FLOP formula ran (elementwise arithmetic, reductions; see "
    "uncounted_ops), so a total of 0 would understate the work"
)
CPU_MEMORY_NOTE = (
    "peak: the worker process's highest resident set size over the timed calls (VmHWM, reset before "
    "them), torch itself included; added: that peak less the resident size before the calls. Memory "
    "the allocator reuses without returning it to the system does not show as added"
)
NO_CPU_MEMORY_NOTE = "not measured: this system does not let a process reset its peak resident size"
CUDA_MEMORY_NOTE = (
    "peak: torch.cuda.max_memory_allocated over the timed calls, including parameters, inputs and "
    "cuBLAS workspaces; added: that peak less what was allocated before the calls"
)

FREE_OPS = frozenset(
    {
        "aten._local_scalar_dense",
        "aten._to_copy",
        "aten._unsafe_view",
        "aten.alias",
        "aten.arange",
        "aten.as_strided_",
        "aten.bernoulli",
        "aten.bernoulli_",
        "aten.cat",
        "aten.clone",
        "aten.constant_pad_nd",
        "aten.copy_",
        "aten.detach",
        "aten.embedding",
        "aten.empty",
        "aten.empty_like",
        "aten.empty_strided",
        "aten.exponential_",
        "aten.eye",
        "aten.fill_",
        "aten.flip",
        "aten.full",
        "aten.full_like",
        "aten.gather",
        "aten.index",
        "aten.index_put_",
        "aten.index_select",
        "aten.lift_fresh",
        "aten.lift_fresh_copy",
        "aten.linspace",
        "aten.logspace",
        "aten.masked_fill",
        "aten.masked_fill_",
        "aten.multinomial",
        "aten.new_empty",
        "aten.new_empty_strided",
        "aten.new_full",
        "aten.new_ones",
        "aten.new_zeros",
        "aten.normal",
        "aten.normal_",
        "aten.ones",
        "aten.ones_like",
        "aten.rand",
        "aten.rand_like",
        "aten.randint",
        "aten.randint_like",
        "aten.randn",
        "aten.randn_like",
        "aten.randperm",
        "aten.reflection_pad1d",
        "aten.reflection_pad2d",
        "aten.reflection_pad3d",
        "aten.repeat",
        "aten.replication_pad1d",
        "aten.replication_pad2d",
        "aten.replication_pad3d",
        "aten.roll",
        "aten.scalar_tensor",
        "aten.scatter",
        "aten.scatter_",
        "aten.select_scatter",
        "aten.slice_scatter",
        "aten.squeeze_",
        "aten.stack",
        "aten.t_",
        "aten.transpose_",
        "aten.uniform_",
        "aten.unsafe_chunk",
        "aten.unsafe_split",
        "aten.unsafe_split_with_sizes",
        "aten.unsqueeze_",
        "aten.where",
        "aten.zero_",
        "aten.zeros",
        "aten.zeros_like",
    }
)
"""Operators that move, allocate or draw data rather than compute; not worth flagging as uncounted."""


def prepare() -> None:
    """Count and estimate one small product, so that a worker's first demo does not pay for lazy imports."""
    import torch

    from methods.demo.memory import estimate_peak_bytes

    with counting_flops():
        torch.ones(2, 2) @ torch.ones(2, 2)
    estimate_peak_bytes(lambda: torch.ones(2, 2) @ torch.ones(2, 2))


@functools.cache
def _mode_class() -> type:
    from methods.demo.torch_compat import (
        TorchDispatchMode,
        decompose,
        is_view,
        operator_name,
        overload_packet,
    )

    class FlopCountingMode(TorchDispatchMode):
        """Adds up FLOPs per operator and counts the calls of formula-less computing operators."""

        def __init__(self, formulas: dict[Any, Any]) -> None:
            super().__init__()
            self.formulas = formulas
            self.total = 0
            self.by_operator: dict[str, int] = {}
            self.uncounted: dict[str, int] = {}

        def __torch_dispatch__(self, func, types, args=(), kwargs=None):
            kwargs = kwargs or {}
            formula = self.formulas.get(overload_packet(func))
            if formula is None:
                # As FlopCounterMode does: a composite operator runs as its parts, which may have formulas.
                with self:
                    decomposed = decompose(func, args, kwargs)
                if decomposed is not NotImplemented:
                    return decomposed
            out = func(*args, **kwargs)
            name = operator_name(func)
            if formula is not None:
                flops = int(formula(*args, **kwargs, out_val=out))
                self.total += flops
                self.by_operator[name] = self.by_operator.get(name, 0) + flops
            elif not is_view(func) and name not in FREE_OPS and name.startswith("aten."):
                self.uncounted[name] = self.uncounted.get(name, 0) + 1
            return out

    return FlopCountingMode


class FlopCount:
    """The running and final result of `counting_flops`."""

    def __init__(self, mode: Any) -> None:
        self._mode = mode

    def so_far(self) -> int:
        return self._mode.total

    def counted(self) -> bool:
        """False when only operators without a formula computed: a total of 0 would be a wrong figure."""
        return bool(self._mode.by_operator) or not self._mode.uncounted

    def summary(self) -> dict[str, Any]:
        by_operator = sorted(self._mode.by_operator.items(), key=lambda kv: -kv[1])
        counted = self.counted()
        return {
            "total": self.so_far() if counted else None,
            "unit": FLOPS_UNIT,
            "by_operator": dict(by_operator),
            "note": FLOPS_NOTE if counted else NOT_COUNTED_NOTE,
        }

    def uncounted(self) -> list[str]:
        """Computing operators that ran without a FLOP formula, in the order they first ran."""
        return list(self._mode.uncounted)


@contextlib.contextmanager
def counting_flops() -> Iterator[FlopCount]:
    """Count the FLOPs of everything run inside, and the operators that have no formula."""
    from methods.demo.torch_compat import flop_formulas

    mode = _mode_class()(flop_formulas())
    with mode:
        yield FlopCount(mode)


@dataclass(frozen=True)
class Timing:
    """Latency over the timed calls (median and the 10th and 90th percentiles) and peak memory."""

    latency_ms: float
    p10_ms: float
    p90_ms: float
    runs: int
    peak_memory_bytes: int | None
    added_memory_bytes: int | None

    def per(self, n: int) -> Timing:
        """The same figures for one of `n` equal steps inside each call."""
        return Timing(
            self.latency_ms / n,
            self.p10_ms / n,
            self.p90_ms / n,
            self.runs,
            self.peak_memory_bytes,
            self.added_memory_bytes,
        )


def percentile(values: list[float], q: float) -> float:
    """The `q`-quantile (0..1) of `values`, interpolated linearly between the nearest ranks."""
    ordered = sorted(values)
    position = q * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def time_calls(
    call: Callable[[], Any], device: Any, budget_s: float = 1.0, min_runs: int = 5, max_runs: int = 30
) -> Timing:
    """Latency of `call` over `min_runs` to `max_runs` timed calls after one warm-up, fitted to `budget_s`.

    The median is the figure to quote; p10 to p90 is its spread, which on a
    shared host is what tells a real difference from noise. On CUDA the device
    is synchronized around each call and the peak allocation over the timed
    runs is reported, in all and as added by the calls. On the CPU the peak is
    the worker's resident set size over the timed runs (it includes torch
    itself) and "added" is that peak less the resident size before them.
    """
    import torch

    from methods.demo.memory import peak_resident_bytes, reset_peak_resident, resident_bytes

    cuda = device.type == "cuda"

    def timed() -> float:
        start = time.perf_counter()
        call()
        if cuda:
            torch.cuda.synchronize(device)
        return time.perf_counter() - start

    if cuda:
        torch.cuda.synchronize(device)
    warm_s = timed()
    warm_s = max(warm_s, 1e-6)
    # Enough runs for a spread, but a slow call takes at most about four budgets in all.
    runs = max(min_runs, min(max_runs, int(budget_s / warm_s)))
    runs = min(runs, max(1, int(4 * budget_s / warm_s)))
    before = peak = added = None
    if cuda:
        torch.cuda.reset_peak_memory_stats(device)
        before = torch.cuda.memory_allocated(device)
    elif reset_peak_resident():
        before = resident_bytes()
    times = [timed() for _ in range(runs)]
    if cuda:
        peak = int(torch.cuda.max_memory_allocated(device))
    elif before is not None:
        peak = peak_resident_bytes()
    if peak is not None and before is not None:
        added = max(0, peak - before)
    ms = [t * 1000 for t in times]
    return Timing(
        round(statistics.median(ms), 4),
        round(percentile(ms, 0.1), 4),
        round(percentile(ms, 0.9), 4),
        runs,
        peak,
        added,
    )
