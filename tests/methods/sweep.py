"""The checks every registry entry passes, as functions: the registry sweep and the recipe test share them.

`sweep(entry, device)` builds the entry, runs it on its example inputs (made on the CPU from a fixed
seed, then moved, so CPU and GPU runs see identical data) and checks, from one run and one cheap
rerun, what every implementation owes its users:

- optimizers: 20 steps on the toy objective stay finite and lower it; a rerun gives the same losses;
- everything else (modules, functions, losses, schedules, initializations, tokenizers,
  augmentations, algorithms: callables built from hyperparameters and called with the named
  example tensors): the declared output shapes, no NaN or Inf, and, where the entry has trainable
  parameters or an input that requires a gradient, a finite gradient for each of them; a rerun
  without autograd gives identical outputs.

`check_metadata(entry)` reads only declarations and source text: the paper link is written once (the
entry's `paper`; a hand-written implementation's `Paper:` line must carry the same URL) and an
adapter names a library object that exists.
"""

from __future__ import annotations

import importlib
import math
import re
from dataclasses import dataclass
from typing import Any

import torch

from methods.outputs import named_outputs, run_optimizer
from methods.spec import MethodEntry

OPTIMIZER_STEPS = 20
URL = re.compile(r"https?://[^\s)>\]]+")


@dataclass
class Run:
    built: Any
    inputs: dict[str, torch.Tensor]
    result: Any


def example_inputs(entry: MethodEntry, device: torch.device, seed: int = 0) -> dict[str, torch.Tensor]:
    """The entry's example inputs on `device`; an input that requires a gradient stays a leaf there."""
    return {
        name: t.detach().to(device).requires_grad_(t.requires_grad)
        for name, t in entry.example_inputs(seed=seed).items()
    }


def run(entry: MethodEntry, device: torch.device, seed: int = 0, grad: bool = True) -> Run:
    """Build under `torch.manual_seed(seed)` and call once (optimizers: take the toy objective's steps)."""
    torch.manual_seed(seed)
    inputs = example_inputs(entry, device, seed)
    if entry.kind == "optimizer":
        weight = inputs["weight"] if "weight" in inputs else next(iter(inputs.values()))
        return Run(None, inputs, run_optimizer(entry, weight, steps=OPTIMIZER_STEPS))
    built = entry.build()
    if isinstance(built, torch.nn.Module):
        built = built.to(device)
    with torch.set_grad_enabled(grad):
        return Run(built, inputs, built(**inputs))


def check_optimizer(entry: MethodEntry, losses: list[float]) -> None:
    assert all(math.isfinite(x) for x in losses), f"{entry.id}: non-finite loss {losses}"
    assert losses[-1] < losses[0], f"{entry.id}: {OPTIMIZER_STEPS} steps did not lower the toy loss: {losses}"


def check_outputs(entry: MethodEntry, result: Any) -> dict[str, torch.Tensor]:
    """The declared output shapes, finite floating-point values; returns the named outputs."""
    outputs = named_outputs(result)
    shapes = {k: tuple(v.shape) for k, v in outputs.items()}
    assert shapes == entry.outputs, f"{entry.id}: output shapes {shapes} != declared {entry.outputs}"
    for name, t in outputs.items():
        if t.is_floating_point():
            assert torch.isfinite(t).all(), f"{entry.id}: output {name!r} holds NaN or Inf"
    return outputs


def check_gradients(entry: MethodEntry, ran: Run, outputs: dict[str, torch.Tensor]) -> bool:
    """Every trainable parameter and every input that requires a gradient gets a finite one.

    Returns False (nothing to check) for an entry with neither, such as a schedule or a tokenizer.
    """
    parameters = []
    if isinstance(ran.built, torch.nn.Module):
        parameters = [(f"parameter {n}", p) for n, p in ran.built.named_parameters() if p.requires_grad]
    leaves = [(f"input {n}", t) for n, t in ran.inputs.items() if t.requires_grad]
    wanted = parameters + leaves
    if not wanted:
        return False
    differentiable = [t.float().sum() for t in outputs.values() if t.requires_grad]
    assert differentiable, f"{entry.id}: no output depends on {[n for n, _ in wanted]}"
    sum(differentiable).backward()
    missing = [n for n, t in wanted if t.grad is None]
    assert not missing, f"{entry.id}: no gradient reaches {missing}"
    bad = [n for n, t in wanted if not torch.isfinite(t.grad).all()]
    assert not bad, f"{entry.id}: non-finite gradients in {bad}"
    return True


def rerun_without_autograd(entry: MethodEntry, device: torch.device) -> Run:
    """A second seeded run, without building a graph unless the forward itself needs autograd."""
    try:
        return run(entry, device, grad=False)
    except RuntimeError as error:
        if "grad" not in str(error):
            raise
        return run(entry, device, grad=True)


def check_deterministic(entry: MethodEntry, first: Any, second: Any) -> None:
    if entry.kind == "optimizer":
        assert first == second, f"{entry.id}: losses differ between seeded runs: {first} vs {second}"
        return
    a, b = named_outputs(first), named_outputs(second)
    assert a.keys() == b.keys(), f"{entry.id}: outputs {sorted(a)} then {sorted(b)}"
    for name in a:
        x, y = a[name].detach(), b[name].detach()
        # with and without autograd, a kernel (CPU LSTM, say) may sum in another order: equal to rounding
        same = torch.equal(x, y) if not x.is_floating_point() else torch.allclose(x, y, rtol=1e-5, atol=1e-6)
        assert same, f"{entry.id}: output {name!r} differs between seeded runs"


def sweep(entry: MethodEntry, device: torch.device) -> None:
    """Every behavioural check of one entry, from one run and one rerun."""
    ran = run(entry, device)
    if entry.kind == "optimizer":
        check_optimizer(entry, ran.result)
    else:
        check_gradients(entry, ran, check_outputs(entry, ran.result))
    check_deterministic(entry, ran.result, rerun_without_autograd(entry, device).result)


def paper_urls(source: str) -> list[str]:
    """The URLs of the `Paper:` paragraph of a module docstring (empty when there is none)."""
    docstring = source.split('"""')[1] if source.startswith('"""') else ""
    found = re.search(r"^Paper:(.*?)(?:\n\s*\n|\Z)", docstring, re.M | re.S)
    return [u.rstrip(".,;") for u in URL.findall(found.group(1))] if found else []


def library_object(dotted: str) -> Any:
    """The object a dotted path such as "torch.nn.LayerNorm" names (the longest importable module first)."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attribute in parts[cut:]:
            found = getattr(found, attribute)
        return found
    raise ImportError(dotted)


def check_metadata(entry: MethodEntry) -> None:
    assert entry.names, f"{entry.id}: implements no catalog name"
    assert entry.paper.startswith("https://"), f"{entry.id}: paper link {entry.paper!r}"
    assert entry.outputs or entry.kind == "optimizer", f"{entry.id}: declares no outputs"
    if entry.adapts:
        try:
            library_object(entry.adapts)
        except (ImportError, AttributeError) as error:
            raise AssertionError(
                f"{entry.id}: adapts {entry.adapts!r}, which does not exist: {error}"
            ) from None
    if not entry.has_source:
        assert entry.adapts, (
            f"{entry.id}: target {entry.target!r} lies outside the project but adapts nothing"
        )
        return
    source = entry.source()
    assert source.startswith('"""'), f"{entry.id}: {entry.source_path} lacks a summary docstring"
    if entry.adapts:
        return
    urls = paper_urls(source)
    assert urls, f"{entry.id}: the docstring of {entry.source_path} has no 'Paper: <title> - <url>' line"
    assert entry.paper in urls, (
        f"{entry.id}: the entry's paper {entry.paper} is not the one {entry.source_path} cites: {urls}"
    )
