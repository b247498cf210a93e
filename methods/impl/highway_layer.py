"""Highway layer, a gated mix of a transformation and the unchanged input.

Paper: Highway Networks - https://arxiv.org/abs/1505.00387

A transform gate T(x) = σ(W_T x + b_T) decides, per unit, how much of the
non-linear transform H(x) = ReLU(W_H x + b_H) to pass and how much of the input
to carry: y = H(x)·T(x) + x·(1 − T(x)). Initialising b_T negative (the paper
suggests −1 to −3) biases the layer towards carrying the input, so very deep
stacks train with plain SGD. See also Residual Connection (an ungated carry).

Shapes: `forward(x: [B, d]) -> {"output": [B, d], "gate": [B, d]}`.
"""

from __future__ import annotations

import torch
from torch import nn


class HighwayLayer(nn.Module):
    """y = H(x) T(x) + x (1 − T(x))."""

    def __init__(self, dim: int = 32, gate_bias: float = -2.0) -> None:
        super().__init__()
        self.transform = nn.Linear(dim, dim)  # W_H, b_H
        self.gate = nn.Linear(dim, dim)  # W_T, b_T
        nn.init.constant_(self.gate.bias, gate_bias)

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [B, d] -> the highway output and the transform gate T(x)."""
        h = torch.relu(self.transform(x))
        t = torch.sigmoid(self.gate(x))
        # y = H(x)·T(x) + x·(1 − T(x))
        return {"output": h * t + x * (1 - t), "gate": t}
