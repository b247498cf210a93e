"""MobileNetV2: a mobile classifier built from inverted residual blocks with linear bottlenecks.

Paper: MobileNetV2: Inverted Residuals and Linear Bottlenecks - https://arxiv.org/abs/1801.04381

A 3x3 stride-2 convolution (32 channels), then 17 inverted residual blocks in seven groups given
by $(t, c, n, s)$ - expansion, output channels, repeats, first stride - (1,16,1,1), (6,24,2,2),
(6,32,3,2), (6,64,4,2), (6,96,3,1), (6,160,3,2), (6,320,1,1), a 1x1 convolution to 1,280
channels, global average pooling and a linear classifier (after dropout 0.2). The width
multiplier $\\alpha$ scales every channel count (rounded to a multiple of 8). Follows torchvision's
`MobileNetV2`; at demo size the repeats are cut to one per group and $\\alpha$ = 0.25.

Shapes: `forward(x: [B, 3, H, W])` -> `logits: [B, num_classes]`.

Hyperparameters: `width_mult` $\\alpha$ (1.0; 0.25 here), `repeats` (the paper's $n$ per group;
1 here), `last_channel` (1,280; 128 here), `num_classes` (1000; 10), `dropout` (0.2).
"""

from __future__ import annotations

import torch
from torch import nn

from methods.impl.blocks import ConvNormAct
from methods.impl.inverted_residual_block import InvertedResidual

# (t, c, n, s) per group, Table 2 of the paper
SETTINGS = (
    (1, 16, 1, 1),
    (6, 24, 2, 2),
    (6, 32, 3, 2),
    (6, 64, 4, 2),
    (6, 96, 3, 1),
    (6, 160, 3, 2),
    (6, 320, 1, 1),
)


def make_divisible(value: float, divisor: int = 8) -> int:
    """Round channels to a multiple of `divisor`, never more than 10% below `value` (the reference rule)."""
    rounded = max(divisor, int(value + divisor / 2) // divisor * divisor)
    return rounded + divisor if rounded < 0.9 * value else rounded


class MobileNetV2(nn.Module):
    """Stem, seven groups of inverted residual blocks, 1x1 conv, pooling, classifier."""

    def __init__(
        self,
        width_mult: float = 0.25,
        repeats: int | None = 1,
        last_channel: int = 128,
        num_classes: int = 10,
        dropout: float = 0.2,
    ) -> None:
        super().__init__()
        channels = make_divisible(32 * width_mult)
        layers: list[nn.Module] = [ConvNormAct(3, channels, 3, 2, act_layer=nn.ReLU6)]
        for t, c, n, s in SETTINGS:
            out = make_divisible(c * width_mult)
            for i in range(n if repeats is None else min(n, repeats)):
                layers.append(InvertedResidual(channels, out, s if i == 0 else 1, t))
                channels = out
        layers.append(ConvNormAct(channels, last_channel, 1, act_layer=nn.ReLU6))
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Sequential(nn.Dropout(dropout), nn.Linear(last_channel, num_classes))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, 3, H, W] -> logits [B, num_classes]."""
        return self.classifier(self.features(x).mean(dim=(2, 3)))
