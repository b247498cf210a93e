"""Every registry entry builds, runs its example inputs, and behaves.

Inputs are made on the CPU from a fixed seed and then moved, so CPU and GPU runs
see identical data (the torchvision convention).
"""

import math

import pytest
import torch

from methods import registry
from methods.outputs import named_outputs, run_optimizer

ENTRIES = list(registry)


def _run(entry, device, seed=0):
    torch.manual_seed(seed)
    inputs = {k: v.to(device) for k, v in entry.example_inputs(seed=seed).items()}
    if entry.kind == "optimizer":
        return None, run_optimizer(entry, inputs["weight"], steps=20)
    built = entry.build()
    if isinstance(built, torch.nn.Module):
        built = built.to(device)
    return built, built(**inputs)


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.id for e in ENTRIES])
def test_entry_runs_with_declared_shapes(entry, device):
    built, result = _run(entry, device)
    if entry.kind == "optimizer":
        assert all(math.isfinite(x) for x in result), f"{entry.id}: non-finite loss {result}"
        assert result[-1] < result[0], f"{entry.id}: 20 steps did not lower the toy loss: {result}"
        return
    outputs = named_outputs(result)
    shapes = {k: tuple(v.shape) for k, v in outputs.items()}
    assert shapes == entry.outputs, f"{entry.id}: output shapes {shapes} != declared {entry.outputs}"
    for name, t in outputs.items():
        if t.is_floating_point():
            assert torch.isfinite(t).all(), f"{entry.id}: output {name!r} holds NaN or Inf"
    if isinstance(built, torch.nn.Module):
        trainable = [(n, p) for n, p in built.named_parameters() if p.requires_grad]
        if not trainable:
            return
        loss = sum(t.float().sum() for t in outputs.values() if t.requires_grad)
        assert isinstance(loss, torch.Tensor), f"{entry.id}: no output depends on its parameters"
        loss.backward()
        missing = [n for n, p in trainable if p.grad is None]
        assert not missing, f"{entry.id}: parameters without a gradient: {missing}"
        bad = [n for n, p in trainable if not torch.isfinite(p.grad).all()]
        assert not bad, f"{entry.id}: non-finite gradients in {bad}"


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.id for e in ENTRIES])
def test_entry_is_deterministic_under_a_fixed_seed(entry, device):
    _, first = _run(entry, device)
    _, second = _run(entry, device)
    if entry.kind == "optimizer":
        assert first == second, f"{entry.id}: losses differ between seeded runs"
        return
    a, b = named_outputs(first), named_outputs(second)
    for name in a:
        assert torch.equal(a[name], b[name]), f"{entry.id}: output {name!r} differs between seeded runs"


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.id for e in ENTRIES])
def test_entry_metadata_is_complete(entry):
    assert entry.names, f"{entry.id}: implements no catalog name"
    assert entry.paper.startswith("https://"), f"{entry.id}: paper link {entry.paper!r}"
    source = entry.source()
    assert source.startswith('"""'), f"{entry.id}: {entry.source_path} lacks a summary docstring"
    assert "Paper:" in source.split('"""')[1] or "Reference:" in source.split('"""')[1], (
        f"{entry.id}: docstring of {entry.source_path} names no paper"
    )
    assert entry.outputs or entry.kind == "optimizer", f"{entry.id}: declares no outputs"
