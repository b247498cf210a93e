"""Spatial Pyramid Pooling (SPP), a fixed-length vector from a feature map of any size.

Paper: Spatial Pyramid Pooling in Deep Convolutional Networks for Visual Recognition -
https://arxiv.org/abs/1406.4729

SPP-net replaces the last pooling layer before the fully connected layers: for
each pyramid level with n×n bins, every feature map is max-pooled over bins of
size ⌈H/n⌉ (adaptive pooling); the k·Σ n² values are concatenated, so the
classifier sees the same width whatever the image size. The paper uses the
levels {4×4, 2×2, 1×1} on conv5 (k = 256 channels); here `levels = 3` gives the
same {1, 2, 4} bins. See also Max Pooling and RoI Pooling (one level per region).

Shapes: `forward(x: [B, C, H, W]) -> [B, C · Σ_l 4^l]`.
"""

from __future__ import annotations

from typing import Literal

import torch
import torch.nn.functional as F
from torch import nn


class SpatialPyramidPooling(nn.Module):
    """Adaptive pooling into n×n bins for n = 1, 2, 4, …, flattened and concatenated."""

    def __init__(self, levels: int = 3, mode: Literal["max", "avg"] = "max") -> None:
        super().__init__()
        self.bins = tuple(2**level for level in range(levels))  # n for each pyramid level
        self.pool = F.adaptive_max_pool2d if mode == "max" else F.adaptive_avg_pool2d

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, C, H, W] -> [B, C · Σ n²], level by level, channel-major within a level."""
        # each level: [B, C, n, n] -> [B, C·n²]; the levels are concatenated
        return torch.cat([self.pool(x, n).flatten(1) for n in self.bins], dim=1)
