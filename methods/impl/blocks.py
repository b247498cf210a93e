"""Building blocks shared by the architectures: attention, feed-forward, Transformer layers, conv units.

Paper: Attention Is All You Need - https://arxiv.org/abs/1706.03762 (attention, feed-forward and
the post-/pre-norm layer); the conv-norm-activation unit is the one of every CNN since
Batch Normalization - https://arxiv.org/abs/1502.03167

The language and vision Transformers of this package differ in a handful of switches - where the
norm sits (after the residual sum as in the original Transformer, BERT and GPT; before the
sub-layer as in GPT-2, ViT and LLaMA), which norm (LayerNorm or RMSNorm), which activation (ReLU,
GELU, SwiGLU), whether attention is causal, and how positions enter (added embeddings, a relative
bias, or rotations of the queries and keys). This file holds those pieces once, with each switch
an argument, so that a model file reads as its paper's configuration.

Attention is written out, $\\mathrm{softmax}(Q K^\\top / \\sqrt{d_k} + M) V$, rather than calling
`scaled_dot_product_attention`, so the attention weights can be returned and a test can compare
the two.

Shapes: `x: [B, L, D]`; masks are boolean `[..., L_q, L_k]` with True where a query may attend.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import torch
import torch.nn.functional as F
from torch import nn

Rotary = Callable[[torch.Tensor], torch.Tensor]


def causal_mask(length: int, device: torch.device | None = None) -> torch.Tensor:
    """[L, L] boolean, True on and below the diagonal: position t sees positions <= t."""
    return torch.ones(length, length, dtype=torch.bool, device=device).tril()


def sinusoidal_positions(length: int, dim: int, device: torch.device | None = None) -> torch.Tensor:
    """The Transformer's fixed encodings [L, D]: PE(pos, 2i) = sin(pos / 10000^{2i/D}), cos at 2i+1."""
    position = torch.arange(length, device=device, dtype=torch.float32)[:, None]
    # 1 / 10000^{2i / D}
    frequency = torch.exp(
        torch.arange(0, dim, 2, device=device, dtype=torch.float32) * (-math.log(10000.0) / dim)
    )
    table = torch.zeros(length, dim, device=device)
    table[:, 0::2] = torch.sin(position * frequency)
    table[:, 1::2] = torch.cos(position * frequency[: dim // 2])
    return table


class RMSNorm(nn.Module):
    """Root-mean-square norm (Zhang & Sennrich, 2019): $y = g \\odot x / \\sqrt{\\mathrm{mean}(x^2) + \\epsilon}$."""

    def __init__(self, dim: int, eps: float = 1e-6) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))
        self.eps = eps

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [*, D] -> [*, D]."""
        return self.weight * x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps)


NORMS: dict[str, Callable[[int], nn.Module]] = {"layer": nn.LayerNorm, "rms": RMSNorm}


class Attention(nn.Module):
    """Multi-head (self- or cross-) attention, $\\mathrm{softmax}(Q K^\\top / \\sqrt{d_k} + M) V$ per head."""

    def __init__(
        self, dim: int, heads: int, dropout: float = 0.0, bias: bool = True, rotary: Rotary | None = None
    ) -> None:
        super().__init__()
        if dim % heads:
            raise ValueError(f"dim {dim} is not divisible by heads {heads}")
        self.heads, self.head_dim = heads, dim // heads
        self.q = nn.Linear(dim, dim, bias=bias)
        self.k = nn.Linear(dim, dim, bias=bias)
        self.v = nn.Linear(dim, dim, bias=bias)
        self.out = nn.Linear(dim, dim, bias=bias)
        self.dropout = nn.Dropout(dropout)
        self.rotary = rotary
        self.weights: torch.Tensor | None = None

    def _split(self, x: torch.Tensor) -> torch.Tensor:
        return x.view(x.shape[0], x.shape[1], self.heads, self.head_dim).transpose(1, 2)

    def forward(
        self,
        x: torch.Tensor,
        context: torch.Tensor | None = None,
        mask: torch.Tensor | None = None,
        bias: torch.Tensor | None = None,
    ) -> torch.Tensor:
        """x: [B, Lq, D], context: [B, Lk, D] (x itself when None), mask: bool [.., Lq, Lk],
        bias: additive [.., h, Lq, Lk] -> [B, Lq, D]; the weights [B, h, Lq, Lk] stay in `self.weights`."""
        context = x if context is None else context
        q, k, v = self._split(self.q(x)), self._split(self.k(context)), self._split(self.v(context))
        if self.rotary is not None:
            q, k = self.rotary(q), self.rotary(k)
        # scores = Q K^T / sqrt(d_k) (+ bias)
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.head_dim)
        if bias is not None:
            scores = scores + bias
        if mask is not None:
            scores = scores.masked_fill(~mask, torch.finfo(scores.dtype).min)
        weights = scores.softmax(dim=-1)
        self.weights = weights.detach()
        out = self.dropout(weights) @ v
        return self.out(out.transpose(1, 2).reshape(x.shape[0], x.shape[1], -1))


class FeedForward(nn.Module):
    """Position-wise feed-forward $W_2 \\, \\sigma(W_1 x)$; SwiGLU is $W_2 (\\mathrm{SiLU}(W_1 x) \\odot W_3 x)$."""

    def __init__(
        self, dim: int, hidden: int, activation: str = "gelu", dropout: float = 0.0, bias: bool = True
    ) -> None:
        super().__init__()
        self.activation = activation
        self.fc1 = nn.Linear(dim, hidden, bias=bias)
        self.gate = nn.Linear(dim, hidden, bias=bias) if activation == "swiglu" else None
        self.fc2 = nn.Linear(hidden, dim, bias=bias)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [*, D] -> [*, D]."""
        h = self.fc1(x)
        if self.gate is not None:
            h = F.silu(h) * self.gate(x)
        else:
            h = F.relu(h) if self.activation == "relu" else F.gelu(h)
        return self.fc2(self.dropout(h))


class TransformerLayer(nn.Module):
    """Self-attention, optional cross-attention, feed-forward; each a residual sub-layer.

    `norm_first=False` is the original post-norm $x \\leftarrow \\mathrm{LN}(x + \\mathrm{Sub}(x))$;
    `norm_first=True` the pre-norm $x \\leftarrow x + \\mathrm{Sub}(\\mathrm{LN}(x))$.
    """

    def __init__(
        self,
        dim: int,
        heads: int,
        hidden: int,
        dropout: float = 0.0,
        norm_first: bool = False,
        activation: str = "gelu",
        norm: str = "layer",
        cross: bool = False,
        bias: bool = True,
        rotary: Rotary | None = None,
    ) -> None:
        super().__init__()
        self.norm_first = norm_first
        self.attention = Attention(dim, heads, dropout, bias, rotary)
        self.attention_norm = NORMS[norm](dim)
        self.cross = Attention(dim, heads, dropout, bias) if cross else None
        self.cross_norm = NORMS[norm](dim) if cross else None
        self.feed_forward = FeedForward(dim, hidden, activation, dropout, bias)
        self.feed_forward_norm = NORMS[norm](dim)
        self.dropout = nn.Dropout(dropout)

    def _residual(
        self, x: torch.Tensor, norm: nn.Module, sublayer: Callable[..., torch.Tensor]
    ) -> torch.Tensor:
        if self.norm_first:
            return x + self.dropout(sublayer(norm(x)))
        return norm(x + self.dropout(sublayer(x)))

    def forward(
        self,
        x: torch.Tensor,
        mask: torch.Tensor | None = None,
        memory: torch.Tensor | None = None,
        memory_mask: torch.Tensor | None = None,
        bias: torch.Tensor | None = None,
    ) -> torch.Tensor:
        """x: [B, L, D], memory: [B, S, D] (cross-attention) -> [B, L, D]."""
        x = self._residual(x, self.attention_norm, lambda h: self.attention(h, mask=mask, bias=bias))
        if self.cross is not None and self.cross_norm is not None:
            x = self._residual(x, self.cross_norm, lambda h: self.cross(h, memory, memory_mask))
        return self._residual(x, self.feed_forward_norm, self.feed_forward)


def transformer_stack(depth: int, dim: int, heads: int, hidden: int, **options: object) -> nn.ModuleList:
    """`depth` independent `TransformerLayer`s with the same options."""
    return nn.ModuleList(TransformerLayer(dim, heads, hidden, **options) for _ in range(depth))  # type: ignore[arg-type]


class ConvNormAct(nn.Sequential):
    """Convolution (no bias), BatchNorm, activation; "same" padding for odd kernels."""

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int = 3,
        stride: int = 1,
        groups: int = 1,
        act_layer: Callable[[], nn.Module] | None = nn.ReLU,
        dilation: int = 1,
    ) -> None:
        padding = dilation * (kernel_size - 1) // 2
        layers: list[nn.Module] = [
            nn.Conv2d(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias=False),
            nn.BatchNorm2d(out_channels),
        ]
        if act_layer is not None:
            layers.append(act_layer())
        super().__init__(*layers)
