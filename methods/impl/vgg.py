"""VGG: very deep stacks of 3x3 convolutions and max pooling, then three fully connected layers.

Paper: Very Deep Convolutional Networks for Large-Scale Image Recognition - https://arxiv.org/abs/1409.1556

VGG uses only 3x3 convolutions (stride 1, padding 1) - two stacked have a 5x5 receptive field,
three a 7x7, with fewer parameters and more non-linearities - in five groups separated by 2x2 max
pooling, widths 64, 128, 256, 512, 512, followed by FC-4096, FC-4096 (with ReLU and dropout 0.5)
and FC-1000. Configuration D (VGG-16) stacks (2, 2, 3, 3, 3) convolutions. `batch_norm` adds BN
after each convolution (the later VGG-BN variant). Follows torchvision's `VGG` (adaptive 7x7
pooling before the classifier; here `pool_size` 1).

Shapes: `forward(x: [B, 3, H, W])` -> `logits: [B, num_classes]`, H and W at least 32.

Hyperparameters: `config` (convolutions per group, (2, 2, 3, 3, 3) for VGG-16; (1, 1, 1, 1, 1)
here), `base_width` (64; 8 here, doubling up to 8x), `hidden` (4,096; 64), `pool_size` (7; 1),
`batch_norm`, `num_classes` (1000; 10), `dropout` (0.5).
"""

from __future__ import annotations

import torch
from torch import nn


class VGG(nn.Module):
    """Groups of 3x3 conv-ReLU separated by max pooling, then FC-ReLU-dropout x2 and the classifier."""

    def __init__(
        self,
        config: tuple[int, ...] = (1, 1, 1, 1, 1),
        base_width: int = 8,
        hidden: int = 64,
        pool_size: int = 1,
        batch_norm: bool = False,
        num_classes: int = 10,
        dropout: float = 0.5,
    ) -> None:
        super().__init__()
        layers: list[nn.Module] = []
        channels = 3
        for i, convs in enumerate(config):
            width = base_width * 2 ** min(i, 3)
            for _ in range(convs):
                layers.append(nn.Conv2d(channels, width, 3, padding=1))
                if batch_norm:
                    layers.append(nn.BatchNorm2d(width))
                layers.append(nn.ReLU())
                channels = width
            layers.append(nn.MaxPool2d(2))
        self.features = nn.Sequential(*layers)
        self.pool = nn.AdaptiveAvgPool2d(pool_size)
        self.classifier = nn.Sequential(
            nn.Linear(channels * pool_size**2, hidden),
            nn.ReLU(),
            nn.Dropout(dropout),
            nn.Linear(hidden, hidden),
            nn.ReLU(),
            nn.Dropout(dropout),
            nn.Linear(hidden, num_classes),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, 3, H, W] -> logits [B, num_classes]."""
        return self.classifier(self.pool(self.features(x)).flatten(1))
