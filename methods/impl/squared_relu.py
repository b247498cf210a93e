"""Squared ReLU, the activation Primer found for Transformer feed-forward blocks.

Paper: Primer: Searching for Efficient Transformers for Language Modeling - https://arxiv.org/abs/2109.08668

A program search over Transformer variants found that squaring the ReLU,
f(x) = max(0, x)², in the feed-forward block was one of two changes that made
most of Primer's gain; it is cheap, non-saturating and smooth at zero's right.

Shapes: `forward(x: [*]) -> [*]`, elementwise.
"""

from __future__ import annotations

import torch
from torch import nn


class SquaredReLU(nn.Module):
    """max(0, x)²."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # f(x) = ReLU(x)^2
        return torch.relu(x).square()
