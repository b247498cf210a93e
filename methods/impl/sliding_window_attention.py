"""Sliding window attention, Longformer's local attention band.

Paper: Longformer: The Long-Document Transformer - https://arxiv.org/abs/2004.05150

Each token attends only to a window of w tokens around it, ½w on each side:
position i sees {j : |i − j| ≤ w/2}. The cost falls from O(n²) to O(n·w), and
stacking ℓ layers gives a receptive field of ℓ·w. Longformer uses w = 512 and
adds dilation and a few global tokens; this is the plain band, masked into
multi-head scaled dot-product attention (`causal` keeps only the left half, as
in Mistral's sliding window). See also Strided Attention.

Shapes: `forward(x: [B, T, d]) -> {"output": [B, T, d], "mask": [T, T] bool}`.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


def window_mask(length: int, window: int, causal: bool, device: torch.device | None = None) -> torch.Tensor:
    """[T, T] booleans: |i − j| ≤ window/2 (or 0 ≤ i − j ≤ window when causal)."""
    i = torch.arange(length, device=device).unsqueeze(1)
    j = torch.arange(length, device=device).unsqueeze(0)
    if causal:
        return (j <= i) & (i - j <= window)
    return (i - j).abs() <= window // 2


class SlidingWindowAttention(nn.Module):
    """Multi-head self-attention restricted to a band of width `window`."""

    def __init__(self, dim: int = 32, num_heads: int = 4, window: int = 4, causal: bool = False) -> None:
        super().__init__()
        if dim % num_heads:
            raise ValueError("num_heads must divide dim")
        self.num_heads, self.window, self.causal = num_heads, window, causal
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [B, T, d] -> the attended sequence and the band mask."""
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.num_heads, d // self.num_heads).permute(2, 0, 3, 1, 4)
        mask = window_mask(t, self.window, self.causal, x.device)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        return {"output": self.proj(out.transpose(1, 2).reshape(b, t, d)), "mask": mask}
