"""Attention that PyTorch implements, adapted to the registry.

Reference: `torch.nn.functional.scaled_dot_product_attention` -
https://docs.pytorch.org/docs/stable/generated/torch.nn.functional.scaled_dot_product_attention.html
and `torch.nn.MultiheadAttention`.

Attention(Q, K, V) = softmax(s · QKᵀ + mask) V, with s = 1/√d_k for scaled
dot-product attention (Vaswani et al. 2017) and s = 1 for Luong's dot-product
score. Attention dropout drops entries of the softmax weights (rate `dropout_p`)
while the module is training.
Shapes: `query: [B, H, T_q, d_k]`, `key: [B, H, T_k, d_k]`, `value: [B, H, T_k, d_v]`
-> `[B, H, T_q, d_v]`; multi-head attention takes `[B, T, E]`.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from methods.adapters.named import Named


class ScaledDotProductAttention(nn.Module):
    """softmax(s · QKᵀ) V through the fused library kernel."""

    def __init__(self, dropout_p: float, is_causal: bool, scale: float | None = None) -> None:
        super().__init__()
        self.dropout_p, self.is_causal, self.scale = dropout_p, is_causal, scale

    def forward(self, query: torch.Tensor, key: torch.Tensor, value: torch.Tensor) -> torch.Tensor:
        """query: [B, H, T_q, d_k], key: [B, H, T_k, d_k], value: [B, H, T_k, d_v] -> [B, H, T_q, d_v]."""
        return F.scaled_dot_product_attention(
            query,
            key,
            value,
            dropout_p=self.dropout_p if self.training else 0.0,
            is_causal=self.is_causal,
            scale=self.scale,
        )


def scaled_dot_product(dropout_p: float, is_causal: bool) -> ScaledDotProductAttention:
    """Scaled dot-product attention, s = 1/√d_k (the library's default scale)."""
    return ScaledDotProductAttention(dropout_p, is_causal)


def dot_product(is_causal: bool) -> ScaledDotProductAttention:
    """Luong's dot-product score: s = 1, no scaling."""
    return ScaledDotProductAttention(0.0, is_causal, scale=1.0)


def attention_dropout(dropout_p: float, is_causal: bool) -> ScaledDotProductAttention:
    """Scaled dot-product attention whose softmax weights are dropped at rate `dropout_p`."""
    return ScaledDotProductAttention(dropout_p, is_causal)


def multi_head(embed_dim: int, num_heads: int, dropout: float, bias: bool) -> Named:
    """h heads of scaled dot-product attention over learned projections, concatenated and projected."""
    return Named(
        nn.MultiheadAttention(embed_dim, num_heads, dropout=dropout, bias=bias, batch_first=True),
        ("output", "weights"),
    )
