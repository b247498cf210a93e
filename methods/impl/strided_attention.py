"""Strided attention, the Sparse Transformer's factorized pattern for data with a period.

Paper: Generating Long Sequences with Sparse Transformers - https://arxiv.org/abs/1904.10509

Full causal self-attention costs O(n²). The strided pattern splits it over
two heads: position i attends, in head 1, to the previous l positions,
A⁽¹⁾_i = {j : max(0, i − l) ≤ j ≤ i}, and in head 2 to every l-th earlier position,
A⁽²⁾_i = {j : (i − j) mod l = 0, j ≤ i}, with the stride l ≈ √n; two layers
(or the two heads of one) then connect every pair of positions. Here the heads
are split into two halves, one per pattern (the paper's "multi-head" form), and
the patterns are returned as boolean masks. See also Fixed Factorized Attention.

Shapes: `forward(x: [B, T, d]) -> {"output": [B, T, d], "pattern": [2, T, T]}`.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


def strided_pattern(length: int, stride: int) -> torch.Tensor:
    """[2, T, T] booleans: [0] the previous `stride` positions, [1] every `stride`-th earlier one."""
    i = torch.arange(length).unsqueeze(1)
    j = torch.arange(length).unsqueeze(0)
    causal = j <= i
    # A⁽¹⁾: i − l ≤ j ≤ i ;  A⁽²⁾: (i − j) mod l = 0
    local = causal & (i - j <= stride)
    strided = causal & ((i - j) % stride == 0)
    return torch.stack([local, strided])


class StridedAttention(nn.Module):
    """Causal self-attention whose heads follow A⁽¹⁾ (first half) and A⁽²⁾ (second half)."""

    def __init__(self, dim: int = 32, num_heads: int = 4, stride: int = 4) -> None:
        super().__init__()
        if num_heads % 2 or dim % num_heads:
            raise ValueError("num_heads must be even and divide dim")
        self.num_heads, self.stride = num_heads, stride
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [B, T, d] -> the attended sequence [B, T, d] and the two patterns [2, T, T]."""
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.num_heads, d // self.num_heads).permute(2, 0, 3, 1, 4)
        pattern = strided_pattern(t, self.stride).to(x.device)
        # heads 0 … H/2 − 1 use A⁽¹⁾, the rest A⁽²⁾
        mask = pattern.repeat_interleave(self.num_heads // 2, dim=0)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        return {"output": self.proj(out.transpose(1, 2).reshape(b, t, d)), "pattern": pattern}
