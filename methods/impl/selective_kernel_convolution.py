"""Selective Kernel Convolution (SK convolution, SKNet).

Paper: Selective Kernel Networks - https://arxiv.org/abs/1903.06586

An SK convolution lets each neuron choose its receptive field. Split: $M$
branches convolve the input with different kernel sizes (a 3x3 grouped
convolution with dilation $m$ stands in for a $(2m+1) \\times (2m+1)$ kernel,
as in the paper), each followed by BN and ReLU. Fuse: the branches are summed,
globally average-pooled and compressed by a fully connected layer to
$d = \\max(C/r, L)$ features. Select: for every branch a matrix $A_m$ maps
$z$ back to $C$ logits, a softmax across the branches gives per-channel
weights, and the output is the weighted sum of the branches:

$$U = \\sum_m \\tilde{U}_m, \\qquad s_c = \\frac{1}{HW}\\sum_{i,j} U_c(i, j), \\qquad
  z = \\delta(\\mathrm{BN}(W s)), \\; W \\in \\mathbb{R}^{d \\times C}$$
$$a_{m,c} = \\frac{e^{A_{m,c} z}}{\\sum_{m'} e^{A_{m',c} z}}, \\qquad
  V_c = \\sum_m a_{m,c}\\, \\tilde{U}_{m,c}$$

Shapes: `forward(x: [B, C, H, W]) -> [B, C, H, W]`.
Hyperparameters: `channels` ($C$), `branches` ($M$), `groups` ($G$), `reduction` ($r$),
`min_dim` ($L$); paper SKNet-50: $M=2, G=32, r=16, L=32$.
"""

from __future__ import annotations

import torch
from torch import nn


class SelectiveKernelConvolution(nn.Module):
    """Split (M dilated grouped 3x3 branches), fuse (sum, pool, fc to d), select (softmax over branches)."""

    def __init__(
        self, channels: int, branches: int = 2, groups: int = 32, reduction: int = 16, min_dim: int = 32
    ) -> None:
        super().__init__()
        # Branch m (1-based) is a 3x3 kernel with dilation m: receptive field (2m + 1) x (2m + 1)
        self.branches = nn.ModuleList(
            nn.Sequential(
                nn.Conv2d(channels, channels, 3, padding=m, dilation=m, groups=groups, bias=False),
                nn.BatchNorm2d(channels),
                nn.ReLU(),
            )
            for m in range(1, branches + 1)
        )
        # d = max(C / r, L)
        dim = max(channels // reduction, min_dim)
        self.fuse = nn.Sequential(nn.Linear(channels, dim, bias=False), nn.BatchNorm1d(dim), nn.ReLU())
        # A_m in R^{C x d}, one per branch
        self.select = nn.ModuleList(nn.Linear(dim, channels, bias=False) for _ in range(branches))

    def split(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, C, H, W] -> branch outputs U~: [M, B, C, H, W]."""
        return torch.stack([branch(x) for branch in self.branches])

    def attention(self, branches: torch.Tensor) -> torch.Tensor:
        """Branch outputs [M, B, C, H, W] -> softmax weights a: [M, B, C], summing to 1 over M."""
        # U = sum_m U~_m; s = GAP(U)
        s = branches.sum(dim=0).mean(dim=(2, 3))
        # z = relu(BN(W s))
        z = self.fuse(s)
        # a_{m,c} = softmax_m(A_m z)_c
        logits = torch.stack([a(z) for a in self.select])
        return torch.softmax(logits, dim=0)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, C, H, W] -> [B, C, H, W]."""
        branches = self.split(x)
        weights = self.attention(branches)
        # V = sum_m a_m * U~_m
        return (weights[..., None, None] * branches).sum(dim=0)
