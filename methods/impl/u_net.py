"""U-Net: a contracting path captures context, a symmetric expanding path with skip connections localizes precisely.

Paper: U-Net: Convolutional Networks for Biomedical Image Segmentation - https://arxiv.org/abs/1505.04597

The contracting path repeats two 3x3 convolutions with ReLU and a 2x2 max pool, doubling the
channels at each downsampling (64 to 1,024 over four steps). The expanding path repeats a 2x2
up-convolution halving the channels, concatenation with the contracting path's map at the same
level (the skip connection that gives the "U"), and two 3x3 convolutions with ReLU. A final 1x1
convolution maps to the class scores per pixel. The paper uses unpadded convolutions and crops the
skip maps; like most implementations (e.g. milesial/Pytorch-UNet) this one pads, so the output has
the input's size, and adds BatchNorm after each convolution.

Shapes: `forward(x: [B, C, H, W])` -> `logits: [B, num_classes, H, W]`, H and W multiples of
$2^{depth}$.

Hyperparameters: `in_channels` (1 for the paper's microscopy; 3 here), `num_classes` (2),
`base_channels` (64; 8 here), `depth` (4 downsamplings; 3 here).
"""

from __future__ import annotations

import torch
from torch import nn

from methods.impl.blocks import ConvNormAct


def double_conv(in_channels: int, out_channels: int) -> nn.Sequential:
    """Two 3x3 conv-BN-ReLU layers."""
    return nn.Sequential(ConvNormAct(in_channels, out_channels), ConvNormAct(out_channels, out_channels))


class UNet(nn.Module):
    """Contracting path, bottleneck, expanding path with concatenated skips, 1x1 classifier."""

    def __init__(
        self, in_channels: int = 3, num_classes: int = 2, base_channels: int = 8, depth: int = 3
    ) -> None:
        super().__init__()
        widths = [base_channels * 2**i for i in range(depth + 1)]
        self.down = nn.ModuleList(
            double_conv(in_channels if i == 0 else widths[i - 1], widths[i]) for i in range(depth)
        )
        self.pool = nn.MaxPool2d(2)
        self.bottleneck = double_conv(widths[depth - 1], widths[depth])
        self.up = nn.ModuleList(
            nn.ConvTranspose2d(widths[i + 1], widths[i], 2, 2) for i in reversed(range(depth))
        )
        self.up_conv = nn.ModuleList(double_conv(2 * widths[i], widths[i]) for i in reversed(range(depth)))
        self.classifier = nn.Conv2d(base_channels, num_classes, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, C, H, W] -> per-pixel logits [B, num_classes, H, W]."""
        skips = []
        for block in self.down:
            x = block(x)
            skips.append(x)
            x = self.pool(x)
        x = self.bottleneck(x)
        for up, block, skip in zip(self.up, self.up_conv, reversed(skips), strict=True):
            # concatenate the contracting path's map with the up-convolved one
            x = block(torch.cat((skip, up(x)), dim=1))
        return self.classifier(x)
