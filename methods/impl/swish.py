"""Swish, x·σ(βx), with a trainable β.

Paper: Searching for Activation Functions - https://arxiv.org/abs/1710.05941

Found by a reinforcement-learning search over scalar activation functions.
β is a per-channel trainable parameter in the paper's experiments (or a
constant): β = 1 gives the Sigmoid Linear Unit (SiLU), β → ∞ approaches ReLU,
β = 0 gives the linear function x/2. See also Hard Swish and Mish.

Shapes: `forward(x: [B, C, *]) -> [B, C, *]`, elementwise with one β per channel.
"""

from __future__ import annotations

import torch
from torch import nn


class Swish(nn.Module):
    """x·σ(βx) with β trainable (one per channel, or shared when `channels` is 1)."""

    def __init__(self, channels: int = 1, beta: float = 1.0, trainable: bool = True) -> None:
        super().__init__()
        # beta is the paper's β, initialised to `beta` for every channel
        self.beta = nn.Parameter(torch.full((channels,), float(beta)), requires_grad=trainable)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, C, *] (C = channels, or any C when channels is 1) -> [B, C, *]."""
        beta = self.beta.view(1, -1, *([1] * (x.dim() - 2))) if x.dim() >= 2 else self.beta
        # f(x) = x * sigma(beta * x)
        return x * torch.sigmoid(beta * x)
