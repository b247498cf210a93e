"""Run one entry's live shape demo and report it as JSON-ready data.

`run_demo` validates the request, makes the example inputs on the CPU from seed
0 (so every device sees the same data), moves them to the device, builds the
entry under `torch.manual_seed(0)` and then:

- modules, activations, losses and functions: one instrumented call records
  the trace (one row per submodule call), the FLOPs and the operators without a
  FLOP formula, and gives the outputs; then one warm-up and up to five timed
  plain calls give the latency (and, on CUDA, the memory). Modules stay in
  their default (training) mode, as in the registry sweep. Modules run under `torch.no_grad()` (an inference demo)
  unless an input requires a gradient or the forward itself needs autograd
  (it raised about gradients, so it is rerun with them); callables that are not
  modules always run with gradients enabled.
- optimizers: `STEPS` steps on the toy objective of `methods.outputs`; the
  losses before each step are reported and latency is per step.

Before a module, activation, loss or function with overridden shapes or
hyperparameters runs, its peak memory is estimated on fake tensors
(`methods.demo.memory`); over `memory_budget_bytes` the demo is refused with
`MemoryBudgetExceeded` (an `InputError` naming the estimate and the budget).
Defaults are not estimated: the registry sweep runs every one of them.

An error raised by the entry's code while the caller has overridden shapes or
hyperparameters is reported as `InputError("inputs" | "params", ...)`; with
the defaults it is a bug and propagates. An allocation that fails (the
worker's memory limit) raises `MemoryLimitExceeded` whatever the request.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Iterator
from typing import Any

from methods.demo.errors import MemoryBudgetExceeded
from methods.demo.measure import (
    CPU_MEMORY_NOTE,
    CUDA_MEMORY_NOTE,
    NO_CPU_MEMORY_NOTE,
    Timing,
    counting_flops,
    time_calls,
)
from methods.demo.memory import MemoryLimitExceeded, estimate_peak_bytes, is_allocation_failure
from methods.demo.request import DemoRequest, ValidatedDemo, validate_request
from methods.demo.trace import ROOT, tensor_shapes, trace_modules
from methods.outputs import named_outputs, run_optimizer
from methods.spec import InputError, MethodEntry

STEPS = 10
"""Optimizer steps a demo takes."""

OBJECTIVE = "f(w) = ½ Σᵢ cᵢ (wᵢ − 1)², cᵢ log-spaced over [0.1, 10] (methods.outputs.toy_objective)"

CALLER_ERRORS = (RuntimeError, ValueError, IndexError, AssertionError)
"""What an entry's code raises when handed shapes or hyperparameters it cannot take."""


ESTIMATE_NOTE = (
    "estimated before running, on fake tensors: parameters, buffers and the most bytes of tensors alive "
    "at once during one call; null when the defaults ran (not estimated) or the code's shapes depend on "
    "values"
)


def run_demo(
    entry: MethodEntry,
    request: DemoRequest | dict[str, Any] | None = None,
    *,
    cuda: bool | None = None,
    memory_budget_bytes: int | None = None,
) -> dict[str, Any]:
    """The demo of `entry` for `request`; `cuda` says whether CUDA is available (None: ask torch).

    `memory_budget_bytes` (None: no budget) refuses a request whose estimated peak is larger.
    """
    import torch

    demo = validate_request(entry, request, cuda=cuda)
    device = (
        torch.device("cuda", torch.cuda.current_device()) if demo.device == "cuda" else torch.device("cpu")
    )
    try:
        return _run(entry, demo, device, memory_budget_bytes)
    finally:
        if device.type == "cuda":
            torch.cuda.empty_cache()


def _run(
    entry: MethodEntry, demo: ValidatedDemo, device: Any, memory_budget_bytes: int | None
) -> dict[str, Any]:
    import torch

    with _caller_errors(demo):
        estimate = _estimate(entry, demo, memory_budget_bytes)
    cpu_inputs = entry.example_inputs(demo.build_params, seed=0, **demo.input_overrides)
    inputs = {k: v.detach().to(device).requires_grad_(v.requires_grad) for k, v in cpu_inputs.items()}
    result: dict[str, Any] = {
        "method": entry.id,
        "name": entry.names[0],
        "kind": entry.kind,
        "device": str(device),
        "dtype": "float32",
        "params": demo.params,
        "inputs": [_describe(name, t, stats=False) for name, t in inputs.items()],
        "memory_estimate_bytes": estimate,
        "memory_estimate_note": ESTIMATE_NOTE,
    }
    with _caller_errors(demo):
        if entry.kind == "optimizer":
            result.update(_run_optimizer(entry, demo, inputs, device))
        else:
            torch.manual_seed(0)
            built = entry.build(**demo.build_params)
            result.update(_run_callable(built, inputs, device))
    return result


def _estimate(entry: MethodEntry, demo: ValidatedDemo, budget_bytes: int | None) -> int | None:
    """The estimated peak of a request that overrides the defaults; refuses one over the budget."""
    import torch

    overridden = demo.input_overrides or demo.param_overrides
    if budget_bytes is None or not overridden or entry.kind == "optimizer":
        # An optimizer holds a few copies of its weight, which the element cap already bounds.
        return None
    torch.manual_seed(0)
    built = entry.build(**demo.build_params)
    module = built if isinstance(built, torch.nn.Module) else None
    grad = module is None or any(spec.requires_grad for spec in entry.inputs)

    def call() -> None:
        inputs = entry.example_inputs(demo.build_params, seed=0, **demo.input_overrides)
        with torch.set_grad_enabled(grad):
            built(**inputs)

    estimate = estimate_peak_bytes(call, module)
    if estimate is not None and estimate > budget_bytes:
        raise MemoryBudgetExceeded("inputs" if demo.input_overrides else "params", estimate, budget_bytes)
    return estimate


def _run_callable(built: Any, inputs: dict[str, Any], device: Any) -> dict[str, Any]:
    import torch

    is_module = isinstance(built, torch.nn.Module)
    if is_module:
        built.to(device)

    def call() -> Any:
        return built(**inputs)

    grad = not is_module or any(t.requires_grad for t in inputs.values())
    try:
        output, trace, measured = _instrumented(call, built if is_module else None, grad)
    except RuntimeError as error:
        if grad or "grad" not in str(error):
            raise
        grad = True
        output, trace, measured = _instrumented(call, built, grad)
    if not is_module:
        name = getattr(built, "__name__", type(built).__name__)
        trace.append(_root_row(name, inputs, output, measured["flops"]["total"]))
    with torch.set_grad_enabled(grad):
        timing = time_calls(call, device)
    if measured["flops"]["total"] is None:
        for row in trace:
            row["flops"] = None
    parameters = list(built.parameters()) if is_module else []
    return {
        "outputs": [_describe(name, t, stats=True) for name, t in named_outputs(output).items()],
        "trace": trace,
        "params_total": sum(p.numel() for p in parameters),
        "params_trainable": sum(p.numel() for p in parameters if p.requires_grad),
        "training": built.training if is_module else None,
        "grad_enabled": grad,
        **measured,
        **_timing(timing, device, "one call of forward"),
    }


def _instrumented(
    call: Callable[[], Any], module: Any, grad: bool
) -> tuple[Any, list[dict[str, Any]], dict[str, Any]]:
    """One call under the FLOP counter (and the module trace): output, trace rows, measures."""
    import torch

    torch.manual_seed(0)
    rows, dropped = [], 0
    with torch.set_grad_enabled(grad), counting_flops() as count:
        if module is None:
            output = call()
        else:
            with trace_modules(module, count.so_far) as trace:
                output = call()
            rows, dropped = trace.rows, trace.dropped
    measured = {"trace_dropped": dropped, "flops": count.summary(), "uncounted_ops": count.uncounted()}
    return output, rows, measured


def _run_optimizer(
    entry: MethodEntry, demo: ValidatedDemo, inputs: dict[str, Any], device: Any
) -> dict[str, Any]:
    weight = inputs["weight"] if "weight" in inputs else next(iter(inputs.values()))

    def call() -> list[float]:
        return run_optimizer(entry, weight, steps=STEPS, **demo.build_params)

    with counting_flops() as count:
        losses = call()
    per_step = time_calls(call, device).per(STEPS)
    return {
        "outputs": [],
        "trace": [],
        "trace_dropped": 0,
        "objective": OBJECTIVE,
        "losses": [_finite(x) for x in losses],
        "params_total": weight.numel(),
        "params_trainable": weight.numel(),
        "training": None,
        "grad_enabled": True,
        "flops": count.summary(),
        "uncounted_ops": count.uncounted(),
        **_timing(per_step, device, f"one optimizer step (objective, backward, update), mean of {STEPS}"),
    }


def _timing(timing: Timing, device: Any, scope: str) -> dict[str, Any]:
    if device.type == "cuda":
        note = CUDA_MEMORY_NOTE
    else:
        note = CPU_MEMORY_NOTE if timing.peak_memory_bytes is not None else NO_CPU_MEMORY_NOTE
    return {
        "latency_ms": round(timing.latency_ms, 4),
        "latency_p10_ms": round(timing.p10_ms, 4),
        "latency_p90_ms": round(timing.p90_ms, 4),
        "latency_runs": timing.runs,
        "latency_scope": scope,
        "peak_memory_bytes": timing.peak_memory_bytes,
        "added_memory_bytes": timing.added_memory_bytes,
        "peak_memory_note": note,
    }


def _root_row(name: str, inputs: dict[str, Any], output: Any, flops: int | None) -> dict[str, Any]:
    return {
        "path": ROOT,
        "type": name,
        "depth": 0,
        "parent": None,
        "parent_row": None,
        "inputs": tensor_shapes(inputs),
        "outputs": tensor_shapes(output),
        "params": 0,
        "params_total": 0,
        "flops": flops,
    }


def _describe(name: str, t: Any, stats: bool) -> dict[str, Any]:
    row: dict[str, Any] = {"name": name, "shape": list(t.shape), "dtype": str(t.dtype).removeprefix("torch.")}
    if stats:
        row["stats"] = _stats(t)
    return row


def _stats(t: Any) -> dict[str, Any] | None:
    """min/max/mean/std (population) over the finite values, and how many are not finite."""
    import torch

    if t.is_complex() or t.numel() == 0:
        return None
    values = t.detach().double().reshape(-1)
    finite = values[torch.isfinite(values)]
    nonfinite = values.numel() - finite.numel()
    if finite.numel() == 0:
        return {"min": None, "max": None, "mean": None, "std": None, "nonfinite": nonfinite}
    return {
        "min": float(finite.min()),
        "max": float(finite.max()),
        "mean": float(finite.mean()),
        "std": float(finite.std(correction=0)),
        "nonfinite": nonfinite,
    }


def _finite(x: float) -> float | None:
    """JSON has no NaN or Infinity; a diverged value is reported as null."""
    return x if math.isfinite(x) else None


@contextlib.contextmanager
def _caller_errors(demo: ValidatedDemo) -> Iterator[None]:
    try:
        yield
    except InputError:
        raise
    except Exception as error:
        if is_allocation_failure(error):
            raise MemoryLimitExceeded(_short(error)) from error
        field = "inputs" if demo.input_overrides else "params" if demo.param_overrides else None
        if field is None or not isinstance(error, CALLER_ERRORS):
            raise
        raise InputError(field, _short(error)) from error


def _short(error: BaseException, limit: int = 300) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    text = lines[0] if lines else type(error).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"
