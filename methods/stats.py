"""Parameter counts of an entry at its default configuration (imports torch)."""

from __future__ import annotations

from methods.spec import MethodEntry


def parameter_counts(entry: MethodEntry) -> tuple[int, int]:
    """(total, trainable) parameters of the built default object; 0 for optimizers and plain functions."""
    import torch

    if entry.kind == "optimizer":
        return 0, 0
    torch.manual_seed(0)
    built = entry.build()
    if not isinstance(built, torch.nn.Module):
        return 0, 0
    parameters = list(built.parameters())
    return sum(p.numel() for p in parameters), sum(p.numel() for p in parameters if p.requires_grad)
