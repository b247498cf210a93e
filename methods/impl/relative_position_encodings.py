"""Relative position encodings, learned embeddings of the distance between two tokens inside attention.

Paper: Self-Attention with Relative Position Representations - https://arxiv.org/abs/1803.02155

Shaw et al. replace absolute position embeddings with learned vectors for
each clipped offset j − i ∈ [−k, k], one set for keys and one for values:
e_ij = x_i W^Q (x_j W^K + a^K_ij)ᵀ / √d_z, α = softmax_j(e), z_i = Σ_j α_ij (x_j W^V + a^V_ij),
with a_ij = w_{clip(j − i, −k, k)}. Offsets beyond k share the edge vectors;
the paper finds k = 16 (even k = 2 for the base model) enough. One head is shown.
See also Absolute Position Encodings, Rotary Embeddings and ALiBi.

Shapes: `forward(x: [B, T, d]) -> {"output": [B, T, d], "weights": [B, T, T]}`.
"""

from __future__ import annotations

import torch
from torch import nn


class RelativePositionSelfAttention(nn.Module):
    """Single-head self-attention with learned key and value embeddings of clipped offsets."""

    def __init__(self, dim: int = 16, max_distance: int = 4) -> None:
        super().__init__()
        self.k = max_distance
        self.q, self.key, self.v = (
            nn.Linear(dim, dim),
            nn.Linear(dim, dim),
            nn.Linear(dim, dim),
        )  # W^Q, W^K, W^V
        self.rel_key = nn.Embedding(2 * max_distance + 1, dim)  # w^K_{−k … k}
        self.rel_value = nn.Embedding(2 * max_distance + 1, dim)  # w^V_{−k … k}

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [B, T, d] -> the attended sequence and the attention weights α."""
        t, d = x.shape[1], x.shape[2]
        positions = torch.arange(t, device=x.device)
        # clip(j − i, −k, k), shifted to index the embeddings
        offsets = (positions[None, :] - positions[:, None]).clamp(-self.k, self.k) + self.k
        a_key, a_value = self.rel_key(offsets), self.rel_value(offsets)  # [T, T, d]
        q, key, v = self.q(x), self.key(x), self.v(x)
        # e_ij = q_i · (k_j + a^K_ij) / √d
        scores = (q @ key.transpose(1, 2) + torch.einsum("bid,ijd->bij", q, a_key)) / d**0.5
        weights = scores.softmax(dim=-1)
        # z_i = Σ_j α_ij (v_j + a^V_ij)
        out = weights @ v + torch.einsum("bij,ijd->bid", weights, a_value)
        return {"output": out, "weights": weights}
