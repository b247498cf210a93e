"""Maxout, the maximum over k learned linear pieces.

Paper: Maxout Networks - https://arxiv.org/abs/1302.4389

A maxout unit computes k affine functions of its input and outputs their
maximum: h_i(x) = max_{j ∈ [1, k]} z_ij, z_ij = xᵀW_{·ij} + b_ij. It learns a convex,
piecewise-linear activation; ReLU (max(0, z)) and leaky ReLU are special
cases. Goodfellow et al. pair it with dropout and use k = 2 to 5 pieces.

Shapes: `forward(x: [B, in_features]) -> [B, out_features]`.
"""

from __future__ import annotations

import torch
from torch import nn


class Maxout(nn.Module):
    """h_i = max_j (xᵀW_ij + b_ij) over k pieces per output unit."""

    def __init__(self, in_features: int = 16, out_features: int = 8, pieces: int = 3) -> None:
        super().__init__()
        self.out_features, self.pieces = out_features, pieces
        self.linear = nn.Linear(in_features, out_features * pieces)  # W, b for all i, j

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, in_features] -> [B, out_features]."""
        # z_ij for every unit i and piece j, then the max over j
        z = self.linear(x).view(*x.shape[:-1], self.out_features, self.pieces)
        return z.amax(dim=-1)
