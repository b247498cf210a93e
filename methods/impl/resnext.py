"""ResNeXt: ResNet with its bottlenecks replaced by aggregated (grouped) transformations.

Paper: Aggregated Residual Transformations for Deep Neural Networks - https://arxiv.org/abs/1611.05431

ResNeXt-50 (32x4d) is ResNet-50's layout - a 7x7 stem, four stages of (3, 4, 6, 3) blocks with
output widths 256, 512, 1024, 2048, global pooling and a classifier - with every block a
`ResNeXtBlock` of cardinality 32 and bottleneck width 4 in the first stage, both the inner width
and the output width doubling per stage. Follows torchvision's `resnext50_32x4d`.

Shapes: `forward(x: [B, 3, H, W])` -> `logits: [B, num_classes]`.

Hyperparameters: `layers` (blocks per stage, (3, 4, 6, 3); (1, 1, 1, 1) here), `cardinality`
$C$ (32; 4 here), `bottleneck_width` $d$ (4), `base_channels` (output width of stage 1, 256;
32 here), `num_classes` (1000; 10 here).
"""

from __future__ import annotations

import torch
from torch import nn

from methods.impl.blocks import ConvNormAct
from methods.impl.resnext_block import ResNeXtBlock


class ResNeXt(nn.Module):
    """Stem, four stages of ResNeXt blocks (widths doubling), global average pooling, classifier."""

    def __init__(
        self,
        layers: tuple[int, ...] = (1, 1, 1, 1),
        cardinality: int = 4,
        bottleneck_width: int = 4,
        base_channels: int = 32,
        num_classes: int = 10,
    ) -> None:
        super().__init__()
        stem_channels = base_channels // 4
        self.stem = nn.Sequential(ConvNormAct(3, stem_channels, 7, 2), nn.MaxPool2d(3, 2, 1))
        blocks: list[nn.Module] = []
        channels = stem_channels
        for i, depth in enumerate(layers):
            for j in range(depth):
                stride = 2 if i > 0 and j == 0 else 1
                out = base_channels * 2**i
                blocks.append(ResNeXtBlock(channels, out, cardinality, bottleneck_width * 2**i, stride))
                channels = out
        self.blocks = nn.Sequential(*blocks)
        self.head = nn.Linear(channels, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, 3, H, W] -> logits [B, num_classes]."""
        return self.head(self.blocks(self.stem(x)).mean(dim=(2, 3)))
