"""Adapter: a small bottleneck module inserted into a frozen pretrained layer, the only part trained for a new task.

Paper: Parameter-Efficient Transfer Learning for NLP - https://arxiv.org/abs/1902.00751

Houlsby adapters project the $d$-dimensional hidden state down to $m \\ll d$ dimensions, apply a
non-linearity, project back up, and add the input through a skip connection:

$$\\mathrm{Adapter}(h) = h + W_{up} \\, f(W_{down} h + b_{down}) + b_{up}$$

Initialized near zero, the adapter starts as (almost) the identity, so inserting it leaves the
pretrained network intact; each costs $2md + d + m$ parameters. In a Transformer layer two adapters
sit after the attention and the feed-forward projections, before the residual addition and layer
norm, and only they (and the layer norms) are trained. The adapter is shown here inside one
post-norm Transformer layer whose other weights are frozen.

Shapes: `forward(x: [B, L, d])` -> `[B, L, d]` (the layer's output with both adapters).

Hyperparameters: `dim` $d$ (768 for BERT-base; 32 here), `bottleneck` $m$ (8 to 256; 8),
`heads` (4), `init_std` (1e-2 in the paper's near-identity init).
"""

from __future__ import annotations

import torch
from torch import nn

from methods.impl.blocks import Attention, FeedForward


class BottleneckAdapter(nn.Module):
    """h + W_up GELU(W_down h + b_down) + b_up, initialized near the identity."""

    def __init__(self, dim: int, bottleneck: int, init_std: float) -> None:
        super().__init__()
        self.down = nn.Linear(dim, bottleneck)
        self.up = nn.Linear(bottleneck, dim)
        for layer in (self.down, self.up):
            nn.init.normal_(layer.weight, std=init_std)
            nn.init.zeros_(layer.bias)

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        return h + self.up(nn.functional.gelu(self.down(h)))


class AdaptedTransformerLayer(nn.Module):
    """A frozen post-norm Transformer layer with trainable adapters and layer norms."""

    def __init__(self, dim: int = 32, bottleneck: int = 8, heads: int = 4, init_std: float = 1e-2) -> None:
        super().__init__()
        self.attention = Attention(dim, heads)
        self.feed_forward = FeedForward(dim, 4 * dim)
        for parameter in (*self.attention.parameters(), *self.feed_forward.parameters()):
            parameter.requires_grad_(False)
        self.adapter_attention = BottleneckAdapter(dim, bottleneck, init_std)
        self.adapter_ffn = BottleneckAdapter(dim, bottleneck, init_std)
        self.norm1, self.norm2 = nn.LayerNorm(dim), nn.LayerNorm(dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, L, d] -> [B, L, d]; adapters act on each sub-layer's output before the residual sum."""
        x = self.norm1(x + self.adapter_attention(self.attention(x)))
        return self.norm2(x + self.adapter_ffn(self.feed_forward(x)))
