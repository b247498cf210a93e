"""Darknet-53: YOLOv3's 53-layer backbone of 3x3 / 1x1 convolutions with residual connections.

Paper: YOLOv3: An Incremental Improvement - https://arxiv.org/abs/1804.02767

A 3x3 convolution (32 filters), then five stages, each a 3x3 stride-2 convolution that doubles the
width (64 to 1,024) followed by $n$ residual units of a 1x1 convolution (halving the width) and a
3x3 convolution (restoring it), with $n$ = (1, 2, 8, 8, 4); every convolution is followed by
BatchNorm and LeakyReLU (slope 0.1); no pooling anywhere. For classification, global average
pooling and a fully connected layer follow. Reduced here: widths divided by `width_div` and the
repeats capped by `max_repeats` (1), as documented in `Darknet53Params`.

Shapes: `forward(x: [B, 3, H, W])` -> `logits: [B, num_classes]`; `features(x)` gives the stride
8, 16 and 32 maps YOLOv3 reads.

Hyperparameters: `width_div` (1 is the paper's 32-1,024; 8 here), `max_repeats` (8; 1),
`num_classes` (1000; 10).
"""

from __future__ import annotations

import torch
from torch import nn

from methods.impl.blocks import ConvNormAct

REPEATS = (1, 2, 8, 8, 4)


def conv(in_channels: int, out_channels: int, kernel_size: int, stride: int = 1) -> ConvNormAct:
    """Conv-BN-LeakyReLU(0.1), Darknet's only layer type."""
    return ConvNormAct(in_channels, out_channels, kernel_size, stride, act_layer=lambda: nn.LeakyReLU(0.1))


class DarknetResidual(nn.Module):
    """1x1 to C/2, 3x3 back to C, added to the input."""

    def __init__(self, channels: int) -> None:
        super().__init__()
        self.body = nn.Sequential(conv(channels, channels // 2, 1), conv(channels // 2, channels, 3))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.body(x)


class Darknet53(nn.Module):
    """3x3 stem, five downsampling stages of residual units, pooled classifier."""

    def __init__(self, width_div: int = 8, max_repeats: int = 1, num_classes: int = 10) -> None:
        super().__init__()
        width = 32 // width_div
        self.stem = conv(3, width, 3)
        stages = []
        for n in REPEATS:
            layers: list[nn.Module] = [conv(width, 2 * width, 3, 2)]
            width *= 2
            layers += [DarknetResidual(width) for _ in range(min(n, max_repeats))]
            stages.append(nn.Sequential(*layers))
        self.stages = nn.ModuleList(stages)
        self.widths = tuple(32 // width_div * 2 ** (i + 1) for i in range(5))
        # num_classes = 0: a pure backbone (YOLOv3 reads `features` only)
        self.classifier = nn.Linear(width, num_classes) if num_classes else None

    def features(self, x: torch.Tensor) -> list[torch.Tensor]:
        """x: [B, 3, H, W] -> the outputs of stages 3, 4, 5 (strides 8, 16, 32)."""
        x = self.stem(x)
        outputs = []
        for stage in self.stages:
            x = stage(x)
            outputs.append(x)
        return outputs[2:]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, 3, H, W] -> logits [B, num_classes]."""
        if self.classifier is None:
            raise ValueError("a Darknet-53 built with num_classes=0 is a backbone; call features()")
        return self.classifier(self.features(x)[-1].mean(dim=(2, 3)))
