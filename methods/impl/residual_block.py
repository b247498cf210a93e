"""Residual Block: two 3x3 convolutions whose output is added to the block's input.

Paper: Deep Residual Learning for Image Recognition - https://arxiv.org/abs/1512.03385

Instead of fitting a mapping $\\mathcal{H}(x)$ directly, the stacked layers fit the residual
$\\mathcal{F}(x) = \\mathcal{H}(x) - x$ and the block outputs

$$y = \\sigma(\\mathcal{F}(x, \\{W_i\\}) + W_s x), \\quad
\\mathcal{F} = \\mathrm{BN}(W_2 \\, \\sigma(\\mathrm{BN}(W_1 x)))$$

with $\\sigma$ = ReLU. The shortcut is the identity when shapes match, else a 1x1 convolution
with stride and BatchNorm (the paper's option B). This is the "basic block" of ResNet-18/34,
as in torchvision's `BasicBlock`; `zero_init_residual` sets the last BN's scale $\\gamma$ to 0 so
that the block starts as the identity (Goyal et al., 2017).

Shapes: `forward(x: [B, C_in, H, W])` -> `[B, C_out, H / stride, W / stride]`.

Hyperparameters: `in_channels`, `out_channels` (64 to 512 in ResNet-34; 16 here), `stride`
(2 at the first block of a stage).
"""

from __future__ import annotations

import torch
from torch import nn

from methods.impl.blocks import ConvNormAct


def shortcut(in_channels: int, out_channels: int, stride: int) -> nn.Module:
    """Identity when the shapes match, else a strided 1x1 convolution and BatchNorm (option B)."""
    if stride == 1 and in_channels == out_channels:
        return nn.Identity()
    return ConvNormAct(in_channels, out_channels, 1, stride, act_layer=None)


class ResidualBlock(nn.Module):
    """ResNet's basic block: 3x3 conv-BN-ReLU, 3x3 conv-BN, add the shortcut, ReLU."""

    expansion = 1

    def __init__(
        self, in_channels: int = 16, out_channels: int = 16, stride: int = 1, zero_init_residual: bool = False
    ) -> None:
        super().__init__()
        self.conv1 = ConvNormAct(in_channels, out_channels, 3, stride)
        self.conv2 = ConvNormAct(out_channels, out_channels, 3, act_layer=None)
        if zero_init_residual:
            nn.init.zeros_(self.conv2[1].weight)
        self.shortcut = shortcut(in_channels, out_channels, stride)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, C_in, H, W] -> [B, C_out, H / s, W / s]."""
        # y = ReLU(F(x) + W_s x)
        return torch.relu(self.conv2(self.conv1(x)) + self.shortcut(x))
