"""Sigmoid Linear Unit (SiLU), also known as Swish-1.

Paper: Sigmoid-Weighted Linear Units for Neural Network Function Approximation
in Reinforcement Learning - https://arxiv.org/abs/1702.03118

The activation is the input multiplied by its sigmoid,
$a(x) = x \\sigma(x)$; see also Gaussian Error Linear Units (GELU).

Shapes: `forward(x: [*]) -> [*]`, elementwise.
"""

from __future__ import annotations

import torch
from torch import nn


class SiLU(nn.Module):
    """$x \\sigma(x)$, elementwise."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # a(x) = x * sigma(x)
        return x * torch.sigmoid(x)
