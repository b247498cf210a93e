"""Temporal attention, a learned choice of which time steps (frames) to attend to.

Paper: Jointly Attentive Spatial-Temporal Pooling Networks for Video-based Person
Re-Identification - https://arxiv.org/abs/1708.02286

Temporal attention decides *when* to pay attention: each frame feature x_t of
a sequence gets a relevance score, the scores are normalised over time, and the
sequence is summarised by the weighted sum. Here the score is a one-hidden-layer
network e_t = wᵀ tanh(W x_t + b), α = softmax_t(e), and the summary is
v = Σ_t α_t x_t — the temporal attentive pooling used for video features (the
paper's ATPN pools over time with attention between probe and gallery; this is
its single-sequence form). See also Additive Attention and Channel attention.

Shapes: `forward(x: [B, T, D]) -> {"output": [B, D], "weights": [B, T]}`.
"""

from __future__ import annotations

import torch
from torch import nn


class TemporalAttention(nn.Module):
    """α = softmax_t(wᵀ tanh(W x_t + b)), v = Σ_t α_t x_t."""

    def __init__(self, dim: int = 32, hidden_dim: int = 16) -> None:
        super().__init__()
        self.project = nn.Linear(dim, hidden_dim)  # W, b
        self.score = nn.Linear(hidden_dim, 1, bias=False)  # w

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [B, T, D] frame features -> the attended summary [B, D] and the weights [B, T]."""
        # e_t = wᵀ tanh(W x_t + b)
        scores = self.score(torch.tanh(self.project(x))).squeeze(-1)
        weights = scores.softmax(dim=1)  # α_t over time
        # v = Σ_t α_t x_t
        return {"output": torch.einsum("bt,btd->bd", weights, x), "weights": weights}
