"""Residual connection, a layer that learns a correction added to its input.

Paper: Deep Residual Learning for Image Recognition - https://arxiv.org/abs/1512.03385

Instead of fitting a mapping H(x) directly, the stacked layers fit the
residual F(x) = H(x) − x and the identity shortcut adds the input back:
y = F(x, {W_i}) + x. The shortcut adds no parameters and lets gradients reach
early layers unchanged, which made 152-layer networks trainable. Here F is a
two-layer perceptron, F(x) = W₂ σ(W₁ x), on a token sequence (the form used in
Transformers); ResNet's F is two 3×3 convolutions (see Residual Block).

Shapes: `forward(x: [B, T, d]) -> {"output": [B, T, d], "residual": [B, T, d]}`.
"""

from __future__ import annotations

import torch
from torch import nn


class ResidualConnection(nn.Module):
    """y = F(x) + x with F(x) = W₂ ReLU(W₁ x)."""

    def __init__(self, dim: int = 32, hidden_dim: int = 64) -> None:
        super().__init__()
        self.residual = nn.Sequential(nn.Linear(dim, hidden_dim), nn.ReLU(), nn.Linear(hidden_dim, dim))  # F

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [B, T, d] -> y = F(x) + x and the learned residual F(x)."""
        f = self.residual(x)
        # y = F(x, {W_i}) + x
        return {"output": f + x, "residual": f}
