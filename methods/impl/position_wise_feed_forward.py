"""Position-wise feed-forward layer, the Transformer's per-token two-layer network.

Paper: Attention Is All You Need - https://arxiv.org/abs/1706.03762

Each position is transformed separately and identically by
FFN(x) = max(0, x W₁ + b₁) W₂ + b₂ — two linear layers with a ReLU in between,
equivalently two 1×1 convolutions over the sequence. The paper's sizes are
d_model = 512 and d_ff = 2048, with dropout 0.1 (applied here after the
activation, as in the reference tensor2tensor and fairseq code).
See also SwiGLU (its gated variant) and Feedforward Network.

Shapes: `forward(x: [B, T, d_model]) -> [B, T, d_model]`.
"""

from __future__ import annotations

import torch
from torch import nn


class PositionWiseFeedForward(nn.Module):
    """FFN(x) = max(0, xW₁ + b₁)W₂ + b₂ at every position."""

    def __init__(self, d_model: int = 32, d_ff: int = 128, dropout: float = 0.0) -> None:
        super().__init__()
        self.w1 = nn.Linear(d_model, d_ff)  # W₁, b₁
        self.w2 = nn.Linear(d_ff, d_model)  # W₂, b₂
        self.dropout = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, T, d_model] -> [B, T, d_model]."""
        # max(0, x W₁ + b₁) W₂ + b₂
        return self.w2(self.dropout(torch.relu(self.w1(x))))
