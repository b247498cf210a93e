"""Spatial-Reduction Attention (SRA, Pyramid Vision Transformer).

Paper: Pyramid Vision Transformer: A Versatile Backbone for Dense Prediction without
Convolutions - https://arxiv.org/abs/2102.12122

SRA is multi-head attention whose keys and values come from a spatially reduced
copy of the input sequence, cutting the cost of attention on high-resolution
feature maps by $R^2$. The sequence $x \\in \\mathbb{R}^{HW \\times C}$ is reshaped
into non-overlapping $R \\times R$ patches, each linearly projected back to $C$
channels ($W^S$, a convolution with kernel = stride = $R$) and layer-normalised:

$$\\mathrm{SR}(x) = \\mathrm{Norm}(\\mathrm{Reshape}(x, R)\\, W^S)
  \\in \\mathbb{R}^{\\frac{HW}{R^2} \\times C}$$
$$\\mathrm{head}_j = \\mathrm{Attention}(Q W^Q_j, \\mathrm{SR}(K) W^K_j, \\mathrm{SR}(V) W^V_j), \\qquad
  \\mathrm{Attention}(q, k, v) = \\mathrm{Softmax}\\Big(\\frac{q k^\\top}{\\sqrt{d_{head}}}\\Big) v$$
$$\\mathrm{SRA}(Q, K, V) = \\mathrm{Concat}(\\mathrm{head}_0, \\ldots, \\mathrm{head}_{N_i - 1})\\, W^O$$

With $R = 1$ there is no reduction (and no norm): plain multi-head attention.

Shapes: `forward(x: [B, N, C], height=None, width=None) -> [B, N, C]` with $N = H W$;
when `height`/`width` are omitted the grid is taken to be square.
Hyperparameters: `dim` ($C$), `num_heads` ($N_i$), `sr_ratio` ($R_i$), `qkv_bias`.
"""

from __future__ import annotations

import math

import torch
from torch import nn


class SpatialReductionAttention(nn.Module):
    """Multi-head attention with keys/values from an $R \\times R$-reduced sequence.

    `dim` is $C$, `num_heads` is $N_i$, `sr_ratio` is $R_i$.
    """

    def __init__(self, dim: int, num_heads: int = 2, sr_ratio: int = 2, qkv_bias: bool = False) -> None:
        super().__init__()
        if dim % num_heads:
            raise ValueError(f"dim ({dim}) must be divisible by num_heads ({num_heads})")
        self.num_heads = num_heads
        self.head_dim = dim // num_heads
        self.sr_ratio = sr_ratio
        # W^Q and [W^K; W^V] for all heads at once
        self.q = nn.Linear(dim, dim, bias=qkv_bias)
        self.kv = nn.Linear(dim, 2 * dim, bias=qkv_bias)
        self.proj = nn.Linear(dim, dim)
        if sr_ratio > 1:
            # W^S on R x R patches: a convolution with kernel = stride = R
            self.sr = nn.Conv2d(dim, dim, kernel_size=sr_ratio, stride=sr_ratio)
            self.norm = nn.LayerNorm(dim)

    def reduce(self, x: torch.Tensor, height: int, width: int) -> torch.Tensor:
        """x: [B, H*W, C] -> SR(x): [B, (H/R)*(W/R), C] (x itself when R = 1)."""
        if self.sr_ratio == 1:
            return x
        grid = x.transpose(1, 2).reshape(x.shape[0], x.shape[2], height, width)
        # SR(x) = Norm(Reshape(x, R) W^S)
        return self.norm(self.sr(grid).flatten(2).transpose(1, 2))

    def forward(self, x: torch.Tensor, height: int | None = None, width: int | None = None) -> torch.Tensor:
        """x: [B, N, C] with N = height * width -> [B, N, C]."""
        batch, tokens, dim = x.shape
        if height is None or width is None:
            side = math.isqrt(tokens)
            if side * side != tokens:
                raise ValueError(f"{tokens} tokens are not a square grid; pass height and width")
            height = width = side
        if height * width != tokens:
            raise ValueError(f"height * width = {height * width} != number of tokens {tokens}")
        q = self.q(x).reshape(batch, tokens, self.num_heads, self.head_dim).transpose(1, 2)
        kv = self.kv(self.reduce(x, height, width))
        k, v = kv.reshape(batch, -1, 2, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        # Attention(q, k, v) = softmax(q k^T / sqrt(d_head)) v, per head: [B, N_i, N, d_head]
        weights = torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(self.head_dim), dim=-1)
        heads = weights @ v
        # SRA = Concat(head_0, ..., head_{N_i - 1}) W^O
        return self.proj(heads.transpose(1, 2).reshape(batch, tokens, dim))
