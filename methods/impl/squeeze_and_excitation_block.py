"""Squeeze-and-Excitation Block: channel-wise feature recalibration from global context.

Paper: Squeeze-and-Excitation Networks - https://arxiv.org/abs/1709.01507

Squeeze: global average pooling gives each channel a descriptor $z_c = \\frac{1}{HW} \\sum_{i,j}
u_c(i, j)$. Excitation: a bottleneck of two fully connected layers with reduction ratio $r$
gives per-channel gates $s = \\sigma(W_2 \\, \\delta(W_1 z))$, $W_1 \\in \\mathbb{R}^{C/r \\times C}$.
Scale: $\\tilde x_c = s_c \\cdot u_c$. The block adds few parameters and slots into any
architecture (SE-ResNet, SE-Inception, MobileNetV3, EfficientNet). Follows timm's `SEModule`
(1x1 convolutions for the fully connected layers).

Shapes: `forward(x: [B, C, H, W])` -> `[B, C, H, W]`.

Hyperparameters: `channels` $C$, `reduction` $r$ (16 in the paper).
"""

from __future__ import annotations

import torch
from torch import nn


class SqueezeExcitation(nn.Module):
    """Global pool, C -> C/r -> C gates through ReLU and sigmoid, multiply."""

    def __init__(
        self, channels: int = 32, reduction: int = 16, squeeze_channels: int | None = None, act_layer=nn.ReLU
    ) -> None:
        super().__init__()
        hidden = squeeze_channels or max(1, channels // reduction)
        self.fc1 = nn.Conv2d(channels, hidden, 1)
        self.act = act_layer()
        self.fc2 = nn.Conv2d(hidden, channels, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, C, H, W] -> [B, C, H, W]."""
        # z_c = mean_{i,j} u_c(i, j)
        z = x.mean(dim=(2, 3), keepdim=True)
        # s = sigmoid(W_2 delta(W_1 z))
        s = torch.sigmoid(self.fc2(self.act(self.fc1(z))))
        return x * s
