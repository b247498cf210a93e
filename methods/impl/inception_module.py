"""Inception Module: parallel 1x1, 3x3, 5x5 convolutions and pooling, concatenated.

Paper: Going Deeper with Convolutions - https://arxiv.org/abs/1409.4842

The module approximates a sparse local structure with dense parallel branches over the same input:
a 1x1 convolution; a 1x1 reduction then a 3x3 convolution; a 1x1 reduction then a 5x5
convolution; and 3x3 max pooling (stride 1) then a 1x1 projection. The 1x1 reductions keep the
3x3 and 5x5 branches cheap; the outputs are concatenated along channels. GoogLeNet stacks nine of
them (inception 3a-5b). Follows the paper's Figure 2(b) with ReLU after every convolution (no BN,
unlike torchvision's `Inception`, which adds it and uses 3x3 for the "5x5" branch).

Shapes: `forward(x: [B, C, H, W])` -> `[B, c1 + c3 + c5 + c_pool, H, W]`.

Hyperparameters (inception 3a's values in parentheses, a quarter here): `in_channels` (192),
`ch1x1` (64), `ch3x3_reduce` (96), `ch3x3` (128), `ch5x5_reduce` (16), `ch5x5` (32), `pool_proj` (32).
"""

from __future__ import annotations

import torch
from torch import nn


def _conv(in_channels: int, out_channels: int, kernel_size: int) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(in_channels, out_channels, kernel_size, padding=kernel_size // 2), nn.ReLU()
    )


class InceptionModule(nn.Module):
    """Four parallel branches concatenated along channels."""

    def __init__(
        self,
        in_channels: int = 48,
        ch1x1: int = 16,
        ch3x3_reduce: int = 24,
        ch3x3: int = 32,
        ch5x5_reduce: int = 4,
        ch5x5: int = 8,
        pool_proj: int = 8,
    ) -> None:
        super().__init__()
        self.branch1 = _conv(in_channels, ch1x1, 1)
        self.branch3 = nn.Sequential(_conv(in_channels, ch3x3_reduce, 1), _conv(ch3x3_reduce, ch3x3, 3))
        self.branch5 = nn.Sequential(_conv(in_channels, ch5x5_reduce, 1), _conv(ch5x5_reduce, ch5x5, 5))
        self.branch_pool = nn.Sequential(nn.MaxPool2d(3, 1, 1), _conv(in_channels, pool_proj, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, C, H, W] -> [B, c1 + c3 + c5 + c_pool, H, W]."""
        branches = (self.branch1, self.branch3, self.branch5, self.branch_pool)
        return torch.cat([branch(x) for branch in branches], dim=1)
