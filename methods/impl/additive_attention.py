"""Additive attention (Bahdanau attention), alignment scored by a one-hidden-layer network.

Paper: Neural Machine Translation by Jointly Learning to Align and Translate -
https://arxiv.org/abs/1409.0473

The decoder state s_{i−1} (the query) is compared with every encoder annotation
h_j (the keys, which are also the values) by a feed-forward alignment model
e_ij = vₐᵀ tanh(Wₐ s_{i−1} + Uₐ h_j); the weights α_ij = softmax_j(e_ij) give the
context c_i = Σ_j α_ij h_j. The paper's sizes are n = 1000 hidden units and
n' = 1000 alignment units. See also Dot-Product Attention (Luong's multiplicative
score) and Scaled Dot-Product Attention.

Shapes: `forward(query: [B, d_q], keys: [B, T, d_k]) -> {"context": [B, d_k], "weights": [B, T]}`.
"""

from __future__ import annotations

import torch
from torch import nn


class AdditiveAttention(nn.Module):
    """e_j = vₐᵀ tanh(Wₐ s + Uₐ h_j), α = softmax(e), c = Σ α_j h_j."""

    def __init__(self, query_dim: int = 16, key_dim: int = 16, hidden_dim: int = 32) -> None:
        super().__init__()
        self.w_a = nn.Linear(query_dim, hidden_dim, bias=False)  # Wₐ on the decoder state s
        self.u_a = nn.Linear(key_dim, hidden_dim)  # Uₐ on the annotations h_j
        self.v_a = nn.Linear(hidden_dim, 1, bias=False)  # vₐ

    def forward(self, query: torch.Tensor, keys: torch.Tensor) -> dict[str, torch.Tensor]:
        """query: [B, d_q] the state s; keys: [B, T, d_k] the annotations h -> context and weights."""
        # e_j = vₐᵀ tanh(Wₐ s + Uₐ h_j): [B, T]
        scores = self.v_a(torch.tanh(self.w_a(query).unsqueeze(1) + self.u_a(keys))).squeeze(-1)
        # α = softmax_j(e)
        weights = scores.softmax(dim=-1)
        # c = Σ_j α_j h_j
        context = torch.einsum("bt,btd->bd", weights, keys)
        return {"context": context, "weights": weights}
