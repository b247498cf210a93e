"""RAN: Residual Attention Network's attention module, a trunk branch gated by a bottom-up top-down mask.

Paper: Residual Attention Network for Image Classification (Wang et al., 2017) - https://arxiv.org/abs/1704.06904

Each attention module has a trunk branch $T(x)$ (residual units) and a soft mask branch $M(x)$:
an hourglass that downsamples by max pooling, processes with residual units, upsamples
bilinearly back (with a skip connection), and ends with two 1x1 convolutions and a sigmoid.
Attention residual learning combines them as
$$H_{i,c}(x) = (1 + M_{i,c}(x)) \\cdot T_{i,c}(x),$$
so a mask near zero leaves the trunk's features intact instead of erasing them, which lets
attention modules stack deeply. Demo: one down/up level and pre-activation residual units
(the paper's Attention-56 stacks three modules with up to three levels).

Shapes: `x: [B, C, H, W]` -> `output: [B, C, H, W]`, `mask: [B, C, H, W]` ($M(x)$).
"""

from __future__ import annotations

import torch
from torch import nn


class PreActResidual(nn.Module):
    """BN-ReLU-conv3x3 twice, plus the identity."""

    def __init__(self, channels: int):
        super().__init__()
        self.body = nn.Sequential(
            nn.BatchNorm2d(channels), nn.ReLU(), nn.Conv2d(channels, channels, 3, padding=1),
            nn.BatchNorm2d(channels), nn.ReLU(), nn.Conv2d(channels, channels, 3, padding=1),
        )  # fmt: skip

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.body(x)


class AttentionModule(nn.Module):
    """H(x) = (1 + M(x)) · T(x)."""

    def __init__(self, channels: int = 16, trunk_units: int = 2):
        super().__init__()
        self.trunk = nn.Sequential(*(PreActResidual(channels) for _ in range(trunk_units)))
        self.down = nn.Sequential(
            nn.MaxPool2d(3, stride=2, padding=1), PreActResidual(channels), PreActResidual(channels)
        )
        self.skip = PreActResidual(channels)
        self.mask_head = nn.Sequential(
            nn.BatchNorm2d(channels), nn.ReLU(), nn.Conv2d(channels, channels, 1),
            nn.BatchNorm2d(channels), nn.ReLU(), nn.Conv2d(channels, channels, 1), nn.Sigmoid(),
        )  # fmt: skip

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [B, C, H, W] -> output [B, C, H, W], mask [B, C, H, W]."""
        trunk = self.trunk(x)
        up = nn.functional.interpolate(self.down(x), size=x.shape[-2:], mode="bilinear", align_corners=False)
        mask = self.mask_head(up + self.skip(x))
        # H = (1 + M) · T
        return {"output": (1 + mask) * trunk, "mask": mask}
