"""Reduction-A (Inception-v4).

Paper: Inception-v4, Inception-ResNet and the Impact of Residual Connections on
Learning - https://arxiv.org/abs/1602.07261

Reduction-A halves the grid (35x35 -> 17x17 in Inception-v4) while widening
the features, with three parallel branches whose outputs are concatenated
along the channels:

1. 3x3 max pooling, stride 2, valid padding (keeps the $C_{in}$ input channels);
2. 3x3 convolution to $n$ maps, stride 2, valid padding;
3. 1x1 convolution to $k$ maps, 3x3 convolution to $l$ maps (same padding),
   3x3 convolution to $m$ maps, stride 2, valid padding.

$$H' = \\lfloor (H - 3) / 2 \\rfloor + 1, \\qquad C_{out} = C_{in} + n + m$$

Every convolution is followed by batch normalization and ReLU, as throughout
Inception-v4. The paper's $(k, l, m, n)$ are $(192, 224, 256, 384)$ for
Inception-v4, $(256, 256, 384, 384)$ for Inception-ResNet-v2.

Shapes: `forward(x: [B, C_in, H, W]) -> [B, C_in + n + m, H', W']`.
Hyperparameters: `in_channels` ($C_{in}$), `k_filters` ($k$), `l_filters` ($l$),
`m_filters` ($m$), `n_filters` ($n$).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class ConvBNReLU(nn.Sequential):
    """Inception-v4's basic layer: convolution (no bias), batch normalization, ReLU."""

    def __init__(
        self, in_channels: int, out_channels: int, kernel_size: int, stride: int = 1, padding: int = 0
    ):
        super().__init__(
            nn.Conv2d(in_channels, out_channels, kernel_size, stride, padding, bias=False),
            nn.BatchNorm2d(out_channels, eps=1e-3),
            nn.ReLU(),
        )


class ReductionA(nn.Module):
    """Max pool / 3x3 conv $n$ / 1x1 $k$ -> 3x3 $l$ -> 3x3 $m$, all stride 2 and valid, concatenated."""

    def __init__(self, in_channels: int, k_filters: int, l_filters: int, m_filters: int, n_filters: int):
        super().__init__()
        self.conv_n = ConvBNReLU(in_channels, n_filters, 3, stride=2)
        self.conv_klm = nn.Sequential(
            ConvBNReLU(in_channels, k_filters, 1),
            ConvBNReLU(k_filters, l_filters, 3, padding=1),
            ConvBNReLU(l_filters, m_filters, 3, stride=2),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, C_in, H, W] -> [B, C_in + n + m, (H - 3) // 2 + 1, (W - 3) // 2 + 1]."""
        pooled = F.max_pool2d(x, kernel_size=3, stride=2)
        return torch.cat((pooled, self.conv_n(x), self.conv_klm(x)), dim=1)
