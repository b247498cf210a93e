"""Ghost Module (GhostNet).

Paper: GhostNet: More Features from Cheap Operations - https://arxiv.org/abs/1911.11907

A Ghost module replaces an ordinary convolution producing $n$ maps by a smaller
primary convolution producing $m = \\lceil n/s \\rceil$ intrinsic maps $Y'$,
followed by cheap linear operations $\\Phi_{i,j}$ (a $d \\times d$ depthwise
convolution) that turn each intrinsic map into $s - 1$ ghost maps. The identity
$\\Phi_{i,s}$ keeps the intrinsic maps; everything is concatenated and the
first $n$ channels are kept:

$$Y' = X * f', \\qquad y_{ij} = \\Phi_{i,j}(y'_i), \\quad i = 1..m, \\; j = 1..s-1$$
$$Y = [Y', \\{y_{ij}\\}][:n]$$

As in the authors' code, both convolutions are followed by batch normalization
and, optionally, a ReLU (GhostNet's second Ghost module in a bottleneck has none).

Shapes: `forward(x: [B, C_in, H, W]) -> [B, n, H', W']` with $H' = \\lceil H/\\mathrm{stride} \\rceil$.
Hyperparameters: `in_channels` ($c$), `out_channels` ($n$), `kernel_size` ($k$ of $f'$),
`ratio` ($s$), `dw_size` ($d$), `stride`, `relu`.
"""

from __future__ import annotations

import math

import torch
from torch import nn


class GhostModule(nn.Module):
    """Primary convolution to $m = \\lceil n/s \\rceil$ maps, cheap depthwise ghosts, concat, slice to $n$."""

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int = 1,
        ratio: int = 2,
        dw_size: int = 3,
        stride: int = 1,
        relu: bool = True,
    ) -> None:
        super().__init__()
        self.out_channels = out_channels
        # m = ceil(n / s) intrinsic maps, m (s - 1) ghost maps
        intrinsic = math.ceil(out_channels / ratio)
        ghosts = intrinsic * (ratio - 1)
        activation = nn.ReLU() if relu else nn.Identity()
        self.primary = nn.Sequential(
            nn.Conv2d(in_channels, intrinsic, kernel_size, stride, kernel_size // 2, bias=False),
            nn.BatchNorm2d(intrinsic),
            activation,
        )
        # Phi_{i,j}: s - 1 depthwise d x d filters per intrinsic map i
        self.cheap = nn.Sequential(
            nn.Conv2d(intrinsic, ghosts, dw_size, 1, dw_size // 2, groups=intrinsic, bias=False),
            nn.BatchNorm2d(ghosts),
            activation,
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, C_in, H, W] -> [B, n, H', W']."""
        # Y' = X * f'
        intrinsic = self.primary(x)
        # y_ij = Phi_{i,j}(y'_i)
        ghosts = self.cheap(intrinsic)
        # Y = [Y', ghosts][:n]
        return torch.cat((intrinsic, ghosts), dim=1)[:, : self.out_channels]
