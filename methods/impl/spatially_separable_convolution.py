"""Spatially separable convolution, a k×k convolution factored into k×1 then 1×k.

Paper: Rethinking the Inception Architecture for Computer Vision (Inception-v3) -
https://arxiv.org/abs/1512.00567

A k×k filter of rank one is the outer product of a column and a row, so it can
be applied as a k×1 convolution followed by a 1×k one: 2k instead of k² weights
per channel pair. Inception-v3 factorises 7×7 convolutions into 1×7 and 7×1
this way (with a non-linearity between; none here, so the composition is
exactly a rank-limited k×k convolution).

Shapes: `forward(x: [B, C_in, H, W]) -> [B, C_out, H, W]`.
"""

from __future__ import annotations

import torch
from torch import nn


class SpatiallySeparableConv2d(nn.Module):
    """Conv k×1 (C_in -> C_mid) then conv 1×k (C_mid -> C_out), 'same' padding."""

    def __init__(self, in_channels: int = 8, out_channels: int = 8, kernel_size: int = 3) -> None:
        super().__init__()
        pad = kernel_size // 2
        self.vertical = nn.Conv2d(in_channels, out_channels, (kernel_size, 1), padding=(pad, 0), bias=False)
        self.horizontal = nn.Conv2d(out_channels, out_channels, (1, kernel_size), padding=(0, pad))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, C_in, H, W] -> [B, C_out, H, W]."""
        return self.horizontal(self.vertical(x))
