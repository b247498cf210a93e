"""Naming the outputs of library modules that return tuples.

Reference: PyTorch modules such as `torch.nn.LSTM` and `torch.nn.MultiheadAttention`
return tuples (https://docs.pytorch.org/docs/stable/nn.html); the demo and the
registry sweep read a dict of named tensors, so a thin wrapper names them.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn


class Named(nn.Module):
    """Calls `module` and names its (possibly nested) tuple outputs with `names`, in order.

    The wrapped library object stays reachable as `.module`, so its attributes can be read.
    """

    def __init__(self, module: nn.Module, names: tuple[str, ...]) -> None:
        super().__init__()
        self.module = module
        self.names = names

    def forward(self, **inputs: torch.Tensor) -> dict[str, torch.Tensor]:
        flat = _flatten(self.module(**inputs))
        return {name: t for name, t in zip(self.names, flat, strict=True) if t is not None}


def _flatten(value: Any) -> list[Any]:
    if isinstance(value, (tuple, list)):
        return [leaf for item in value for leaf in _flatten(item)]
    return [value]
