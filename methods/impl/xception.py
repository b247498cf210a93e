"""Xception: depthwise separable convolutions with residual connections, "extreme Inception".

Paper: Xception: Deep Learning with Depthwise Separable Convolutions - https://arxiv.org/abs/1610.02357

Xception takes the Inception hypothesis to its limit - cross-channel and spatial correlations can
be mapped completely separately - and replaces Inception modules by depthwise separable
convolutions (a 3x3 depthwise convolution then a 1x1 pointwise one, no non-linearity between
them). The network is an entry flow (two 3x3 convolutions, then three residual blocks of two
separable convolutions and a strided max pool, with 1x1 strided shortcuts), a middle flow of eight
identical residual blocks of three ReLU-separable-conv-BN units at 728 channels, and an exit flow
(one more downsampling block, two separable convolutions to 1,536 and 2,048 channels, global
pooling, classifier). Follows timm's `legacy_xception`. Demo: widths divided by `width_div` (16)
and `middle_blocks` 1 instead of 8.

Shapes: `forward(x: [B, 3, H, W])` -> `logits: [B, num_classes]`.

Hyperparameters: `width_div` (1 is the paper; 16 here), `middle_blocks` (8; 1), `num_classes`
(1000; 10).
"""

from __future__ import annotations

import torch
from torch import nn


class SeparableConv2d(nn.Sequential):
    """Depthwise 3x3 then pointwise 1x1, with no non-linearity between them."""

    def __init__(self, in_channels: int, out_channels: int) -> None:
        super().__init__(
            nn.Conv2d(in_channels, in_channels, 3, padding=1, groups=in_channels, bias=False),
            nn.Conv2d(in_channels, out_channels, 1, bias=False),
        )


class XceptionBlock(nn.Module):
    """`reps` x (ReLU, separable conv, BN), an optional strided max pool, plus a (projected) shortcut."""

    def __init__(
        self, in_channels: int, out_channels: int, reps: int, stride: int, start_with_relu: bool = True
    ) -> None:
        super().__init__()
        layers: list[nn.Module] = []
        channels = in_channels
        for i in range(reps):
            if i > 0 or start_with_relu:
                layers.append(nn.ReLU())
            layers += [SeparableConv2d(channels, out_channels), nn.BatchNorm2d(out_channels)]
            channels = out_channels
        if stride != 1:
            layers.append(nn.MaxPool2d(3, stride, 1))
        self.body = nn.Sequential(*layers)
        self.skip = (
            nn.Sequential(
                nn.Conv2d(in_channels, out_channels, 1, stride, bias=False), nn.BatchNorm2d(out_channels)
            )
            if stride != 1 or in_channels != out_channels
            else nn.Identity()
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, C_in, H, W] -> [B, C_out, H / s, W / s]."""
        return self.body(x) + self.skip(x)


class Xception(nn.Module):
    """Entry flow, middle flow, exit flow of separable-convolution residual blocks."""

    def __init__(self, width_div: int = 16, middle_blocks: int = 1, num_classes: int = 10) -> None:
        super().__init__()
        w = [c // width_div for c in (32, 64, 128, 256, 728, 1024, 1536, 2048)]
        self.entry = nn.Sequential(
            nn.Conv2d(3, w[0], 3, 2, bias=False),
            nn.BatchNorm2d(w[0]),
            nn.ReLU(),
            nn.Conv2d(w[0], w[1], 3, bias=False),
            nn.BatchNorm2d(w[1]),
            nn.ReLU(),
            XceptionBlock(w[1], w[2], 2, 2, start_with_relu=False),
            XceptionBlock(w[2], w[3], 2, 2),
            XceptionBlock(w[3], w[4], 2, 2),
        )
        self.middle = nn.Sequential(*(XceptionBlock(w[4], w[4], 3, 1) for _ in range(middle_blocks)))
        self.exit = nn.Sequential(
            XceptionBlock(w[4], w[5], 2, 2),
            SeparableConv2d(w[5], w[6]),
            nn.BatchNorm2d(w[6]),
            nn.ReLU(),
            SeparableConv2d(w[6], w[7]),
            nn.BatchNorm2d(w[7]),
            nn.ReLU(),
        )
        self.classifier = nn.Linear(w[7], num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, 3, H, W] -> logits [B, num_classes]."""
        return self.classifier(self.exit(self.middle(self.entry(x))).mean(dim=(2, 3)))
