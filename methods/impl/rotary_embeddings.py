"""Rotary position embeddings (RoPE), relative position through rotations of queries and keys.

Paper: RoFormer: Enhanced Transformer with Rotary Position Embedding - https://arxiv.org/abs/2104.09864

Each pair of features (x_{2i}, x_{2i+1}) of the query or key at position m is
rotated by the angle m·θ_i, with θ_i = base^{−2i/d} (base = 10000):
f(x, m) = R^d_{Θ,m} x. Since R_m^ᵀ R_n = R_{n−m}, the score q_mᵀ k_n depends on
the positions only through n − m. The paper's (and GPT-J's) interleaved pairing is
used here; GPT-NeoX and LLaMA's Hugging Face port rotate the two halves instead,
an equivalent permutation of features.

Shapes: `forward(query: [B, H, T, d], key: [B, H, T, d]) -> {"query", "key": [B, H, T, d], "scores": [B, H, T, T]}`.
"""

from __future__ import annotations

import torch
from torch import nn


class RotaryEmbedding(nn.Module):
    """Rotates feature pairs (2i, 2i + 1) at position m by m·θ_i."""

    def __init__(self, head_dim: int = 16, base: float = 10_000.0) -> None:
        super().__init__()
        if head_dim % 2:
            raise ValueError("head_dim must be even: features are rotated in pairs")
        # θ_i = base^(−2i/d), i = 0 … d/2 − 1
        self.register_buffer(
            "theta", base ** (-torch.arange(0, head_dim, 2).float() / head_dim), persistent=False
        )

    def rotate(self, x: torch.Tensor) -> torch.Tensor:
        """x: [*, T, d] -> R_{Θ,m} x for each position m of the second-to-last dimension."""
        positions = torch.arange(x.shape[-2], device=x.device, dtype=self.theta.dtype)
        angles = torch.outer(positions, self.theta)  # [T, d/2]: m·θ_i
        cos, sin = angles.cos(), angles.sin()
        even, odd = x[..., 0::2], x[..., 1::2]
        # (x_2i, x_2i+1) -> (x_2i cos − x_2i+1 sin, x_2i sin + x_2i+1 cos)
        rotated = torch.stack((even * cos - odd * sin, even * sin + odd * cos), dim=-1)
        return rotated.flatten(-2)

    def forward(self, query: torch.Tensor, key: torch.Tensor) -> dict[str, torch.Tensor]:
        """query, key: [B, H, T, d] -> rotated query and key, and the scores q_mᵀ k_n / √d."""
        q, k = self.rotate(query), self.rotate(key)
        scores = q @ k.transpose(-2, -1) / q.shape[-1] ** 0.5
        return {"query": q, "key": k, "scores": scores}
