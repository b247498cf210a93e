"""Fully connected layers and dropout that PyTorch implements, adapted to the registry.

Reference: PyTorch linear and dropout layers - https://docs.pytorch.org/docs/stable/nn.html#linear-layers

Shapes: `input: [*, in_features] -> [*, out_features]`; dropout keeps the shape.
"""

from __future__ import annotations

from typing import Literal

from torch import nn
from torch.nn import Dropout, Linear

__all__ = ["Dropout", "Linear", "dense"]

ACTIVATIONS: dict[str, type[nn.Module]] = {
    "relu": nn.ReLU,
    "tanh": nn.Tanh,
    "sigmoid": nn.Sigmoid,
    "gelu": nn.GELU,
}


def dense(
    in_features: int, out_features: int, activation: Literal["relu", "tanh", "sigmoid", "gelu", "none"]
) -> nn.Sequential:
    """A dense (fully connected) layer: every input joined to every output by a weight, then φ."""
    act = nn.Identity() if activation == "none" else ACTIVATIONS[activation]()
    return nn.Sequential(nn.Linear(in_features, out_features), act)
