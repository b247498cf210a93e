"""Bottleneck Residual Block: 1x1 reduce, 3x3, 1x1 expand, plus the shortcut.

Paper: Deep Residual Learning for Image Recognition - https://arxiv.org/abs/1512.03385

For the deeper ResNets (50/101/152) each residual function is a stack of three layers: a 1x1
convolution reducing the width to $d$, a 3x3 convolution at width $d$, and a 1x1 convolution
restoring it to $4d$ ("expansion" 4), so the costly 3x3 runs on the narrow representation:

$$y = \\sigma(\\mathrm{BN}(W_3 \\, \\sigma(\\mathrm{BN}(W_2 \\, \\sigma(\\mathrm{BN}(W_1 x))))) + W_s x)$$

The stride sits on the 3x3 convolution (ResNet v1.5, torchvision's `Bottleneck`); `groups` > 1
turns the 3x3 into a grouped convolution, which is ResNeXt's block. `zero_init_residual` zeroes
the last BN's $\\gamma$ so the block starts as the identity.

Shapes: `forward(x: [B, C_in, H, W])` -> `[B, 4 d, H / stride, W / stride]`.

Hyperparameters: `in_channels`, `width` $d$ (64 to 512 in ResNet-50; 8 here), `stride`,
`groups` $C$ (1; 32 in ResNeXt), `zero_init_residual`.
"""

from __future__ import annotations

import torch
from torch import nn

from methods.impl.blocks import ConvNormAct
from methods.impl.residual_block import shortcut


class BottleneckResidualBlock(nn.Module):
    """1x1 (reduce) -> 3x3 (strided, optionally grouped) -> 1x1 (expand x4), added to the shortcut."""

    expansion = 4

    def __init__(
        self,
        in_channels: int = 32,
        width: int = 8,
        stride: int = 1,
        groups: int = 1,
        zero_init_residual: bool = False,
    ) -> None:
        super().__init__()
        out_channels = width * self.expansion
        self.reduce = ConvNormAct(in_channels, width, 1)
        self.conv = ConvNormAct(width, width, 3, stride, groups=groups)
        self.expand = ConvNormAct(width, out_channels, 1, act_layer=None)
        if zero_init_residual:
            nn.init.zeros_(self.expand[1].weight)
        self.shortcut = shortcut(in_channels, out_channels, stride)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, C_in, H, W] -> [B, 4 d, H / s, W / s]."""
        return torch.relu(self.expand(self.conv(self.reduce(x))) + self.shortcut(x))
