"""Fixed factorized attention, the Sparse Transformer's pattern for data without a period (text).

Paper: Generating Long Sequences with Sparse Transformers - https://arxiv.org/abs/1904.10509

Position i attends, in head 1, to the earlier positions of its own block of
length l, A⁽¹⁾_i = {j ≤ i : ⌊j/l⌋ = ⌊i/l⌋}, and in head 2 to the last c cells of
every block, A⁽²⁾_i = {j ≤ i : j mod l ∈ {l − c, …, l − 1}}: those "summary"
cells carry each block's information to all later positions. The paper uses
l ∈ {128, 256} and c ∈ {8, 16, 32}. Heads are split into two halves, one per
pattern. See also Strided Attention.

Shapes: `forward(x: [B, T, d]) -> {"output": [B, T, d], "pattern": [2, T, T]}`.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


def fixed_pattern(length: int, block: int, summary: int) -> torch.Tensor:
    """[2, T, T] booleans: [0] same block, [1] the last `summary` cells of each block; both causal."""
    i = torch.arange(length).unsqueeze(1)
    j = torch.arange(length).unsqueeze(0)
    causal = j <= i
    # A⁽¹⁾: ⌊j/l⌋ = ⌊i/l⌋ ;  A⁽²⁾: j mod l ≥ l − c
    same_block = causal & (j // block == i // block)
    summaries = causal & (j % block >= block - summary)
    return torch.stack([same_block, summaries])


class FixedFactorizedAttention(nn.Module):
    """Causal self-attention whose heads follow A⁽¹⁾ (first half) and A⁽²⁾ (second half)."""

    def __init__(self, dim: int = 32, num_heads: int = 4, block: int = 8, summary: int = 2) -> None:
        super().__init__()
        if num_heads % 2 or dim % num_heads:
            raise ValueError("num_heads must be even and divide dim")
        self.num_heads, self.block, self.summary = num_heads, block, summary
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [B, T, d] -> the attended sequence [B, T, d] and the two patterns [2, T, T]."""
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.num_heads, d // self.num_heads).permute(2, 0, 3, 1, 4)
        pattern = fixed_pattern(t, self.block, self.summary).to(x.device)
        # position 0 always sees itself in A⁽¹⁾; A⁽²⁾ rows with no summary cell yet fall back to self
        mask = pattern | torch.eye(t, dtype=torch.bool, device=x.device)
        mask = mask.repeat_interleave(self.num_heads // 2, dim=0)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        return {"output": self.proj(out.transpose(1, 2).reshape(b, t, d)), "pattern": pattern}
