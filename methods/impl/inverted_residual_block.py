"""Inverted Residual Block: expand with 1x1, filter depthwise, project linearly; shortcut between bottlenecks.

Paper: MobileNetV2: Inverted Residuals and Linear Bottlenecks - https://arxiv.org/abs/1801.04381

Unlike a classic bottleneck (wide -> narrow -> wide), the block connects *narrow* bottlenecks:
a 1x1 convolution expands the $k$ input channels by the factor $t$, a 3x3 depthwise convolution
filters each channel (carrying the stride), and a 1x1 convolution projects back to $k'$ channels
with **no** non-linearity (a linear bottleneck, since ReLU in a low-dimensional space destroys
information). ReLU6 follows the first two layers. The shortcut is used only when stride is 1 and
$k = k'$. Follows torchvision's `InvertedResidual`.

Shapes: `forward(x: [B, k, H, W])` -> `[B, k', H / s, W / s]`.

Hyperparameters: `in_channels` $k$, `out_channels` $k'$, `stride` $s$, `expand_ratio` $t$ (6).
"""

from __future__ import annotations

import torch
from torch import nn

from methods.impl.blocks import ConvNormAct


class InvertedResidual(nn.Module):
    """1x1 expand (ReLU6) -> 3x3 depthwise (ReLU6) -> 1x1 linear projection, + x when shapes allow."""

    def __init__(
        self, in_channels: int = 16, out_channels: int = 16, stride: int = 1, expand_ratio: int = 6
    ) -> None:
        super().__init__()
        hidden = in_channels * expand_ratio
        self.use_shortcut = stride == 1 and in_channels == out_channels
        layers: list[nn.Module] = []
        if expand_ratio != 1:
            layers.append(ConvNormAct(in_channels, hidden, 1, act_layer=nn.ReLU6))
        layers += [
            ConvNormAct(hidden, hidden, 3, stride, groups=hidden, act_layer=nn.ReLU6),
            # linear bottleneck: no activation after the projection
            ConvNormAct(hidden, out_channels, 1, act_layer=None),
        ]
        self.conv = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, k, H, W] -> [B, k', H / s, W / s]."""
        out = self.conv(x)
        return x + out if self.use_shortcut else out
