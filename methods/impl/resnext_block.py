"""ResNeXt Block: a bottleneck whose 3x3 convolution is split into C parallel groups (cardinality).

Paper: Aggregated Residual Transformations for Deep Neural Networks - https://arxiv.org/abs/1611.05431

The block aggregates $C$ transformations with the same topology,

$$y = x + \\sum_{i=1}^{C} \\mathcal{T}_i(x)$$

each $\\mathcal{T}_i$ a 1x1 (to $d$ channels), 3x3, 1x1 bottleneck. The paper shows three
equivalent forms; the one used in practice (form c, torchvision's `Bottleneck` with `groups`)
merges the $C$ branches' 1x1 layers into one of width $C d$ and makes the 3x3 a grouped
convolution with $C$ groups. Cardinality is a dimension besides depth and width: at equal cost,
32x4d beats a wider ResNet bottleneck.

Shapes: `forward(x: [B, C_in, H, W])` -> `[B, C_out, H / stride, W / stride]`.

Hyperparameters: `in_channels`, `out_channels` (256 in the first stage of ResNeXt-50; 32 here),
`cardinality` $C$ (32; 4 here), `bottleneck_width` $d$ (4), `stride`.
"""

from __future__ import annotations

import torch
from torch import nn

from methods.impl.blocks import ConvNormAct
from methods.impl.residual_block import shortcut


class ResNeXtBlock(nn.Module):
    """1x1 to C*d channels, grouped 3x3 with C groups, 1x1 to C_out, added to the shortcut."""

    def __init__(
        self,
        in_channels: int = 32,
        out_channels: int = 32,
        cardinality: int = 4,
        bottleneck_width: int = 4,
        stride: int = 1,
    ) -> None:
        super().__init__()
        inner = cardinality * bottleneck_width
        self.reduce = ConvNormAct(in_channels, inner, 1)
        self.grouped = ConvNormAct(inner, inner, 3, stride, groups=cardinality)
        self.expand = ConvNormAct(inner, out_channels, 1, act_layer=None)
        self.shortcut = shortcut(in_channels, out_channels, stride)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, C_in, H, W] -> [B, C_out, H / s, W / s]; y = ReLU(x + sum_i T_i(x))."""
        return torch.relu(self.expand(self.grouped(self.reduce(x))) + self.shortcut(x))
