"""Bottleneck Attention Module (BAM).

Paper: BAM: Bottleneck Attention Module - https://arxiv.org/abs/1807.06514

BAM infers a 3D attention map from two parallel branches and uses it as a soft
residual gate. The channel branch squeezes the feature map by global average
pooling and runs a one-hidden-layer MLP with reduction ratio $r$; the spatial
branch reduces the channels by $r$ with a 1x1 convolution, widens its receptive
field with two dilated 3x3 convolutions (dilation $d$) and projects to a single
map. Both branches end in batch normalization, are broadcast to
$C \\times H \\times W$, summed and squashed:

$$M_c(F) = \\mathrm{BN}(W_1 \\delta(W_0 \\mathrm{AvgPool}(F) + b_0) + b_1) \\in \\mathbb{R}^{C}$$
$$M_s(F) = \\mathrm{BN}(f_3^{1\\times1}(f_2^{3\\times3}(f_1^{3\\times3}(f_0^{1\\times1}(F)))))
  \\in \\mathbb{R}^{H \\times W}$$
$$M(F) = \\sigma(M_c(F) + M_s(F)), \\qquad F' = F + F \\otimes M(F)$$

The paper's equations leave the nonlinearity $\\delta$ between layers implicit;
a ReLU follows every hidden layer, as in the authors' code.

Shapes: `forward(x: [B, C, H, W]) -> [B, C, H, W]`.
Hyperparameters: `channels` ($C$), `reduction` ($r$, paper 16), `dilation` ($d$, paper 4).
"""

from __future__ import annotations

import torch
from torch import nn


class ChannelAttention(nn.Module):
    """The channel branch $M_c$: average pooling, MLP with reduction $r$, BN."""

    def __init__(self, channels: int, reduction: int) -> None:
        super().__init__()
        hidden = max(1, channels // reduction)
        self.fc0 = nn.Linear(channels, hidden)
        self.fc1 = nn.Linear(hidden, channels)
        self.bn = nn.BatchNorm1d(channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, C, H, W] -> M_c: [B, C, 1, 1]."""
        pooled = x.mean(dim=(2, 3))
        # M_c = BN(W_1 relu(W_0 AvgPool(F) + b_0) + b_1)
        attention = self.bn(self.fc1(torch.relu(self.fc0(pooled))))
        return attention[:, :, None, None]


class SpatialAttention(nn.Module):
    """The spatial branch $M_s$: 1x1 reduce, two dilated 3x3 convolutions, 1x1 to one map, BN."""

    def __init__(self, channels: int, reduction: int, dilation: int) -> None:
        super().__init__()
        hidden = max(1, channels // reduction)
        self.reduce = nn.Conv2d(channels, hidden, kernel_size=1)
        self.dilated1 = nn.Conv2d(hidden, hidden, kernel_size=3, padding=dilation, dilation=dilation)
        self.dilated2 = nn.Conv2d(hidden, hidden, kernel_size=3, padding=dilation, dilation=dilation)
        self.project = nn.Conv2d(hidden, 1, kernel_size=1)
        self.bn = nn.BatchNorm2d(1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, C, H, W] -> M_s: [B, 1, H, W]."""
        h = torch.relu(self.reduce(x))
        h = torch.relu(self.dilated1(h))
        h = torch.relu(self.dilated2(h))
        # M_s = BN(f_3^{1x1}(f_2^{3x3}(f_1^{3x3}(f_0^{1x1}(F)))))
        return self.bn(self.project(h))


class BottleneckAttentionModule(nn.Module):
    """BAM: $F' = F + F \\otimes \\sigma(M_c(F) + M_s(F))$.

    `channels` is $C$, `reduction` is $r$, `dilation` is the dilation value $d$.
    """

    def __init__(self, channels: int, reduction: int = 16, dilation: int = 4) -> None:
        super().__init__()
        self.channel = ChannelAttention(channels, reduction)
        self.spatial = SpatialAttention(channels, reduction, dilation)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, C, H, W] -> [B, C, H, W]."""
        # M(F) = sigma(M_c(F) + M_s(F)), broadcast to [B, C, H, W]
        attention = torch.sigmoid(self.channel(x) + self.spatial(x))
        # F' = F + F * M(F)
        return x + x * attention
