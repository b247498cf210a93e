"""DropConnect, dropout of individual weights instead of activations.

Paper: Regularization of Neural Networks using DropConnect - https://proceedings.mlr.press/v28/wan13.html

A fully connected layer r = a((M ⋆ W) v) multiplies its weight matrix by a
fresh binary mask M with M_ij ∼ Bernoulli(p) for every example, so each
example sees a different sparse network; dropout is the special case of masks
constant along a row. The paper approximates inference by moment matching a
Gaussian; like most implementations this uses the mean network (inverted
scaling by 1/p while training), and one mask per example as in the paper.

Shapes: `forward(x: [B, in_features]) -> {"output": [B, out_features], "kept": [B]}` (the fraction of weights each example kept).
"""

from __future__ import annotations

import torch
from torch import nn


class DropConnectLinear(nn.Module):
    """y = ((M ⋆ W) x) / p + b, with M ∼ Bernoulli(p) drawn per example while training."""

    def __init__(self, in_features: int = 16, out_features: int = 8, p: float = 0.5) -> None:
        super().__init__()
        self.linear = nn.Linear(in_features, out_features)  # W, b
        self.p = p  # keep probability

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [B, in_features] -> the layer's output and each example's kept fraction of weights."""
        if not self.training or self.p == 1.0:
            return {"output": self.linear(x), "kept": torch.ones(len(x), device=x.device)}
        weight = self.linear.weight
        # M ~ Bernoulli(p), one mask per example: [B, out, in]
        mask = torch.empty(len(x), *weight.shape, device=x.device, dtype=x.dtype).bernoulli_(self.p)
        # y_b = (M_b ⋆ W) x_b / p + b
        out = torch.einsum("boi,bi->bo", mask * weight, x) / self.p + self.linear.bias
        return {"output": out, "kept": mask.flatten(1).mean(dim=1)}
