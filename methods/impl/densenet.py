"""DenseNet: dense blocks joined by transition layers that compress and downsample.

Paper: Densely Connected Convolutional Networks - https://arxiv.org/abs/1608.06993

A 7x7 stride-2 convolution and max pool, then dense blocks (`methods.impl.dense_block`)
separated by transition layers - BN, ReLU, a 1x1 convolution that keeps a fraction $\\theta$ of
the channels (compression, DenseNet-BC), and 2x2 average pooling - then a final BN-ReLU, global
average pooling and a classifier. DenseNet-121 has blocks of (6, 12, 24, 16) layers, growth rate
$k$ = 32 and 64 initial channels. Follows torchvision's `DenseNet`.

Shapes: `forward(x: [B, 3, H, W])` -> `logits: [B, num_classes]`.

Hyperparameters: `block_config` (layers per block, (6, 12, 24, 16); (2, 2, 2) here),
`growth_rate` $k$ (32; 8), `init_channels` (64; 16), `compression` $\\theta$ (0.5), `bn_size` (4),
`num_classes` (1000; 10).
"""

from __future__ import annotations

import torch
from torch import nn

from methods.impl.dense_block import DenseBlock


class DenseNet(nn.Module):
    """Stem, dense blocks with compressing transitions, BN-ReLU, pooling, classifier."""

    def __init__(
        self,
        block_config: tuple[int, ...] = (2, 2, 2),
        growth_rate: int = 8,
        init_channels: int = 16,
        compression: float = 0.5,
        bn_size: int = 4,
        num_classes: int = 10,
    ) -> None:
        super().__init__()
        layers: list[nn.Module] = [
            nn.Conv2d(3, init_channels, 7, 2, 3, bias=False),
            nn.BatchNorm2d(init_channels),
            nn.ReLU(),
            nn.MaxPool2d(3, 2, 1),
        ]
        channels = init_channels
        for i, depth in enumerate(block_config):
            layers.append(DenseBlock(channels, depth, growth_rate, bn_size))
            channels += depth * growth_rate
            if i < len(block_config) - 1:
                out = int(channels * compression)
                # transition: BN, ReLU, 1x1 conv to theta * m channels, 2x2 average pool
                layers += [
                    nn.BatchNorm2d(channels),
                    nn.ReLU(),
                    nn.Conv2d(channels, out, 1, bias=False),
                    nn.AvgPool2d(2),
                ]
                channels = out
        layers += [nn.BatchNorm2d(channels), nn.ReLU()]
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Linear(channels, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, 3, H, W] -> logits [B, num_classes]."""
        return self.classifier(self.features(x).mean(dim=(2, 3)))
