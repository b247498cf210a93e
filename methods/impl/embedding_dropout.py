"""Embedding dropout, dropping whole words from an embedding matrix.

Paper: A Theoretically Grounded Application of Dropout in Recurrent Neural
Networks - https://arxiv.org/abs/1512.05287

Dropout on the embedding matrix at the word level: each row (a word type) of
the embedding matrix is zeroed with probability p_e for the whole forward pass
and the kept rows are scaled by 1/(1 − p_e), so every occurrence of a dropped
word in the sequence disappears together. AWD-LSTM uses p_e = 0.1 and its
`embedded_dropout` function, which this follows.

Shapes: `forward(tokens: [B, T] int) -> {"output": [B, T, D], "kept_words": [V] bool}`.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class EmbeddingDropout(nn.Module):
    """An embedding lookup whose matrix has whole rows dropped (rate p_e) while training."""

    def __init__(self, num_embeddings: int = 50, embedding_dim: int = 16, p: float = 0.1) -> None:
        super().__init__()
        self.embedding = nn.Embedding(num_embeddings, embedding_dim)
        self.p = p  # p_e

    def forward(self, tokens: torch.Tensor) -> dict[str, torch.Tensor]:
        """tokens: [B, T] word ids -> embeddings [B, T, D] and which word types were kept."""
        weight = self.embedding.weight
        if not self.training or self.p == 0.0:
            kept = torch.ones(len(weight), dtype=torch.bool, device=weight.device)
            return {"output": self.embedding(tokens), "kept_words": kept}
        # one Bernoulli(1 − p_e) per word type, scaled by 1/(1 − p_e)
        kept = torch.rand(len(weight), device=weight.device) >= self.p
        masked = weight * kept[:, None].to(weight.dtype) / (1 - self.p)
        return {"output": F.embedding(tokens, masked), "kept_words": kept}
