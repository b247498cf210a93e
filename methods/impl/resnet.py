"""ResNet: a deep convolutional network built from residual blocks.

Paper: Deep Residual Learning for Image Recognition - https://arxiv.org/abs/1512.03385

A 7x7 stride-2 stem and 3x3 max pool, then four stages of residual blocks whose widths double
(64, 128, 256, 512) while the resolution halves at each stage's first block, then global average
pooling and a fully connected classifier. ResNet-18/34 stack basic blocks
(`methods.impl.residual_block`), ResNet-50/101/152 bottleneck blocks
(`methods.impl.bottleneck_residual_block`); the identity shortcuts let gradients reach the early
layers, so depth no longer degrades training accuracy. Follows torchvision's `ResNet`
(stride on the 3x3 of a bottleneck, v1.5).

Shapes: `forward(x: [B, 3, H, W])` -> `logits: [B, num_classes]`.

Hyperparameters: `block` ("basic" or "bottleneck"), `layers` (blocks per stage: (2, 2, 2, 2) is
ResNet-18, (3, 4, 6, 3) with bottlenecks ResNet-50; (1, 1, 1, 1) here), `base_width` (64; 8 here),
`num_classes` (1000), `zero_init_residual` (zero the last BN of every block).
"""

from __future__ import annotations

from typing import Literal

import torch
from torch import nn

from methods.impl.blocks import ConvNormAct
from methods.impl.bottleneck_residual_block import BottleneckResidualBlock
from methods.impl.residual_block import ResidualBlock


class ResNet(nn.Module):
    """Stem, four stages of residual blocks, global average pooling, classifier."""

    def __init__(
        self,
        block: Literal["basic", "bottleneck"] = "basic",
        layers: tuple[int, ...] = (1, 1, 1, 1),
        base_width: int = 8,
        num_classes: int = 10,
        zero_init_residual: bool = False,
    ) -> None:
        super().__init__()
        self.stem = nn.Sequential(ConvNormAct(3, base_width, 7, 2), nn.MaxPool2d(3, 2, 1))
        stages: list[nn.Module] = []
        channels = base_width
        for i, depth in enumerate(layers):
            width = base_width * 2**i
            blocks: list[nn.Module] = []
            for j in range(depth):
                stride = 2 if i > 0 and j == 0 else 1
                if block == "basic":
                    blocks.append(ResidualBlock(channels, width, stride, zero_init_residual))
                    channels = width
                else:
                    blocks.append(BottleneckResidualBlock(channels, width, stride, 1, zero_init_residual))
                    channels = width * BottleneckResidualBlock.expansion
            stages.append(nn.Sequential(*blocks))
        self.stages = nn.Sequential(*stages)
        self.head = nn.Linear(channels, num_classes)

    def features(self, x: torch.Tensor) -> list[torch.Tensor]:
        """x: [B, 3, H, W] -> the four stages' outputs C2..C5 (strides 4, 8, 16, 32)."""
        x = self.stem(x)
        outputs = []
        for stage in self.stages:
            x = stage(x)
            outputs.append(x)
        return outputs

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, 3, H, W] -> logits [B, num_classes]."""
        return self.head(self.features(x)[-1].mean(dim=(2, 3)))
