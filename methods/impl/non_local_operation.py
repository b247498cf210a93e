"""Non-Local Operation: the response at a position is a weighted sum of features at all positions.

Paper: Non-local Neural Networks - https://arxiv.org/abs/1711.07971

A generalization of the non-local means filter:

$$y_i = \\frac{1}{\\mathcal{C}(x)} \\sum_{\\forall j} f(x_i, x_j) \\, g(x_j)$$

with $g(x_j) = W_g x_j$ a 1x1 convolution and the pairwise function $f$ one of: Gaussian
$e^{x_i^\\top x_j}$; embedded Gaussian $e^{\\theta(x_i)^\\top \\phi(x_j)}$ (normalized by
$\\mathcal{C} = \\sum_j f$, this is the softmax self-attention of the Transformer); dot product
$\\theta(x_i)^\\top \\phi(x_j)$ with $\\mathcal{C} = N$, the number of positions. The positions
$j$ range over space (images) or space-time (videos); here a 2-D map. The embeddings use half the
input channels, as in the paper. The residual wrapper is the Non-Local Block
(`methods.impl.non_local_block`).

Shapes: `forward(x: [B, C, H, W])` -> `y: [B, C / 2, H, W]` (the inner width).

Hyperparameters: `channels` $C$, `inner_channels` (C / 2 by default), `mode` ("embedded_gaussian",
"gaussian", "dot_product").
"""

from __future__ import annotations

from typing import Literal

import torch
from torch import nn

Mode = Literal["embedded_gaussian", "gaussian", "dot_product"]


class NonLocalOperation(nn.Module):
    """y_i = 1 / C(x) sum_j f(x_i, x_j) g(x_j) over every position j of the map."""

    def __init__(
        self, channels: int = 16, inner_channels: int | None = None, mode: Mode = "embedded_gaussian"
    ) -> None:
        super().__init__()
        inner = inner_channels or max(1, channels // 2)
        self.mode = mode
        self.g = nn.Conv2d(channels, inner, 1)
        self.theta = nn.Conv2d(channels, inner, 1) if mode != "gaussian" else None
        self.phi = nn.Conv2d(channels, inner, 1) if mode != "gaussian" else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, C, H, W] -> y [B, C_inner, H, W]."""
        b, _, h, w = x.shape
        g = self.g(x).flatten(2).transpose(1, 2)
        if self.theta is None or self.phi is None:
            query, key = x.flatten(2).transpose(1, 2), x.flatten(2)
        else:
            query, key = self.theta(x).flatten(2).transpose(1, 2), self.phi(x).flatten(2)
        # pairwise scores s_ij = a(x_i)^T b(x_j): [B, N, N]
        scores = query @ key
        # dot product: s_ij / N; (embedded) Gaussian: exp(s_ij) / sum_j exp(s_ij)
        weights = scores / scores.shape[-1] if self.mode == "dot_product" else scores.softmax(dim=-1)
        y = weights @ g
        return y.transpose(1, 2).reshape(b, -1, h, w)
