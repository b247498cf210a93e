"""EfficientNet: MBConv blocks with squeeze-and-excitation, scaled in depth, width and resolution together.

Paper: EfficientNet: Rethinking Model Scaling for Convolutional Neural Networks -
https://arxiv.org/abs/1905.11946

The baseline EfficientNet-B0 (found by architecture search) is a stem convolution, seven stages of
mobile inverted bottlenecks (MBConv: 1x1 expansion, kxk depthwise convolution, squeeze-and-
excitation with ratio 0.25 of the block's input channels, linear 1x1 projection, residual when
shapes match), a 1x1 head convolution to 1,280 channels, pooling and a classifier, with Swish
(SiLU) activations. Compound scaling then grows all three dimensions with one coefficient $\\phi$:

$$d = \\alpha^{\\phi}, \\; w = \\beta^{\\phi}, \\; r = \\gamma^{\\phi}, \\quad
\\alpha \\beta^2 \\gamma^2 \\approx 2, \\; (\\alpha, \\beta, \\gamma) = (1.2, 1.1, 1.15)$$

Here `width_mult` $w$ and `depth_mult` $d$ scale channels (rounded to multiples of 8) and repeats
(rounded up), as in torchvision's `efficientnet_b0..b7`; the resolution $r$ is the input's size.
Demo: $w$ = 0.25, $d$ = 0.25 (one block per stage); stochastic depth is left out.

Shapes: `forward(x: [B, 3, H, W])` -> `logits: [B, num_classes]`.

Hyperparameters: `width_mult` $w$ (1.0 for B0), `depth_mult` $d$ (1.0 for B0), `num_classes`
(1000; 10), `dropout` (0.2 for B0).
"""

from __future__ import annotations

import math

import torch
from torch import nn

from methods.impl.blocks import ConvNormAct
from methods.impl.mobilenetv2 import make_divisible
from methods.impl.squeeze_and_excitation_block import SqueezeExcitation

# (expand ratio, kernel, stride, output channels, repeats) of EfficientNet-B0, Table 1
B0_STAGES = (
    (1, 3, 1, 16, 1),
    (6, 3, 2, 24, 2),
    (6, 5, 2, 40, 2),
    (6, 3, 2, 80, 3),
    (6, 5, 1, 112, 3),
    (6, 5, 2, 192, 4),
    (6, 3, 1, 320, 1),
)


class MBConv(nn.Module):
    """Mobile inverted bottleneck with squeeze-and-excitation and SiLU."""

    def __init__(
        self, in_channels: int, out_channels: int, expand_ratio: int, kernel_size: int, stride: int
    ) -> None:
        super().__init__()
        hidden = in_channels * expand_ratio
        layers: list[nn.Module] = []
        if expand_ratio != 1:
            layers.append(ConvNormAct(in_channels, hidden, 1, act_layer=nn.SiLU))
        layers += [
            ConvNormAct(hidden, hidden, kernel_size, stride, groups=hidden, act_layer=nn.SiLU),
            SqueezeExcitation(hidden, squeeze_channels=max(1, in_channels // 4), act_layer=nn.SiLU),
            ConvNormAct(hidden, out_channels, 1, act_layer=None),
        ]
        self.block = nn.Sequential(*layers)
        self.use_shortcut = stride == 1 and in_channels == out_channels

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, C_in, H, W] -> [B, C_out, H / s, W / s]."""
        out = self.block(x)
        return x + out if self.use_shortcut else out


class EfficientNet(nn.Module):
    """EfficientNet-B0's stages under width and depth multipliers."""

    def __init__(
        self, width_mult: float = 0.25, depth_mult: float = 0.25, num_classes: int = 10, dropout: float = 0.2
    ) -> None:
        super().__init__()
        channels = make_divisible(32 * width_mult)
        layers: list[nn.Module] = [ConvNormAct(3, channels, 3, 2, act_layer=nn.SiLU)]
        for expand, kernel, stride, out, repeats in B0_STAGES:
            out = make_divisible(out * width_mult)
            for i in range(math.ceil(repeats * depth_mult)):
                layers.append(MBConv(channels, out, expand, kernel, stride if i == 0 else 1))
                channels = out
        head = make_divisible(1280 * width_mult)
        layers.append(ConvNormAct(channels, head, 1, act_layer=nn.SiLU))
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Sequential(nn.Dropout(dropout), nn.Linear(head, num_classes))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, 3, H, W] -> logits [B, num_classes]."""
        return self.classifier(self.features(x).mean(dim=(2, 3)))
