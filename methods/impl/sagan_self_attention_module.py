"""SAGAN Self-Attention Module: self-attention over a convolutional feature map, for GANs, blended in by a learned gate.

Paper: Self-Attention Generative Adversarial Networks - https://arxiv.org/abs/1805.08318

Features $x \\in \\mathbb{R}^{C \\times N}$ ($N$ positions) are mapped by 1x1 convolutions to
$f(x) = W_f x$, $g(x) = W_g x$ (width $\\bar C = C / 8$) and $h(x) = W_h x$; the attention that
position $j$ pays to position $i$ is

$$\\beta_{j,i} = \\frac{\\exp(s_{ij})}{\\sum_{i=1}^{N} \\exp(s_{ij})}, \\quad s_{ij} = f(x_i)^\\top g(x_j),
\\quad o_j = v\\Big(\\sum_{i=1}^{N} \\beta_{j,i} h(x_i)\\Big)$$

and the output $y_i = \\gamma o_i + x_i$ with $\\gamma$ a learned scalar initialized to 0, so the
network first relies on local cues and gradually learns to use non-local evidence. $h$ and $v$
use $C / 2$ channels as in the official code (BigGAN's version).

Shapes: `forward(x: [B, C, H, W])` -> `{"output": [B, C, H, W], "attention": [B, N, N]}`.

Hyperparameters: `channels` $C$, `reduction` (8: $\\bar C = C / 8$).
"""

from __future__ import annotations

import torch
from torch import nn


class SAGANSelfAttention(nn.Module):
    """f, g (C / 8), h (C / 2) projections, softmax attention, v back to C, y = gamma o + x."""

    def __init__(self, channels: int = 32, reduction: int = 8) -> None:
        super().__init__()
        inner = max(1, channels // reduction)
        self.f = nn.Conv2d(channels, inner, 1, bias=False)
        self.g = nn.Conv2d(channels, inner, 1, bias=False)
        self.h = nn.Conv2d(channels, max(1, channels // 2), 1, bias=False)
        self.v = nn.Conv2d(max(1, channels // 2), channels, 1, bias=False)
        self.gamma = nn.Parameter(torch.zeros(1))

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [B, C, H, W] -> output [B, C, H, W] and beta [B, N, N] (row j: weights over i)."""
        b, _, height, width = x.shape
        f, g, h = self.f(x).flatten(2), self.g(x).flatten(2), self.h(x).flatten(2)
        # s_ij = f(x_i)^T g(x_j); beta_{j,i} = softmax over i
        beta = (g.transpose(1, 2) @ f).softmax(dim=-1)
        # o_j = v(sum_i beta_{j,i} h(x_i))
        o = self.v((h @ beta.transpose(1, 2)).view(b, -1, height, width))
        return {"output": self.gamma * o + x, "attention": beta}
