"""Spatial Attention Module, CBAM's map of where to look.

Paper: CBAM: Convolutional Block Attention Module - https://arxiv.org/abs/1807.06521

The channel axis is pooled two ways, average and max, giving two maps
F^s_avg, F^s_max ∈ ℝ^{1×H×W}; they are concatenated and convolved with a 7×7
filter, M_s(F) = σ(f^{7×7}([AvgPool(F); MaxPool(F)])), and the features are
multiplied by the map, F'' = M_s(F) ⊗ F. In CBAM it follows the channel
attention module; here it stands alone. See also Channel attention.

Shapes: `forward(x: [B, C, H, W]) -> {"output": [B, C, H, W], "attention": [B, 1, H, W]}`.
"""

from __future__ import annotations

import torch
from torch import nn


class SpatialAttentionModule(nn.Module):
    """F'' = σ(f^{k×k}([mean_c F; max_c F])) ⊗ F."""

    def __init__(self, kernel_size: int = 7) -> None:
        super().__init__()
        self.conv = nn.Conv2d(2, 1, kernel_size, padding=kernel_size // 2, bias=False)  # f^{7×7}

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [B, C, H, W] -> the reweighted features and the spatial map M_s."""
        # [AvgPool(F); MaxPool(F)] along the channels: [B, 2, H, W]
        pooled = torch.cat([x.mean(dim=1, keepdim=True), x.amax(dim=1, keepdim=True)], dim=1)
        # M_s = σ(f(pooled))
        attention = torch.sigmoid(self.conv(pooled))
        return {"output": x * attention, "attention": attention}
