"""GloVe: word vectors fitted by weighted least squares to the log co-occurrence counts.

Paper: GloVe: Global Vectors for Word Representation (Pennington, Socher & Manning, 2014)
- https://aclanthology.org/D14-1162/

GloVe learns word vectors $w_i$, context vectors $\\tilde w_j$ and biases $b_i, \\tilde b_j$ so that
their dot product predicts the logarithm of the co-occurrence count $X_{ij}$:
$$J = \\sum_{i,j:\\,X_{ij} > 0} f(X_{ij}) \\left(w_i^\\top \\tilde w_j + b_i + \\tilde b_j - \\log X_{ij}\\right)^2,
\\qquad f(x) = \\min(1, (x / x_\\max)^\\alpha),$$
with $x_\\max = 100$ and $\\alpha = 3/4$ in the paper (Eq. 8, 9). The final embedding is
$w + \\tilde w$. The demo vocabulary is small (the paper's is 400k words, 300 dimensions).

Shapes: `cooccurrence: [V, V]` (counts) -> `loss: []`, `weights: [V, V]` ($f(X_{ij})$),
`embeddings: [V, d]` ($w + \\tilde w$).
"""

from __future__ import annotations

import torch
from torch import nn


class GloVe(nn.Module):
    """Word and context vectors with biases, and the weighted least-squares objective J."""

    def __init__(self, vocab_size: int = 32, dim: int = 16, x_max: float = 100.0, alpha: float = 0.75):
        super().__init__()
        self.word = nn.Parameter(torch.empty(vocab_size, dim).uniform_(-0.5 / dim, 0.5 / dim))
        self.context = nn.Parameter(torch.empty(vocab_size, dim).uniform_(-0.5 / dim, 0.5 / dim))
        self.word_bias = nn.Parameter(torch.zeros(vocab_size))
        self.context_bias = nn.Parameter(torch.zeros(vocab_size))
        self.x_max, self.alpha = x_max, alpha

    def forward(self, cooccurrence: torch.Tensor) -> dict[str, torch.Tensor]:
        """cooccurrence: [V, V] -> loss [], weights [V, V], embeddings [V, d]."""
        x = cooccurrence
        # f(x) = min(1, (x / x_max)^α), zero where X_ij = 0
        weights = (x / self.x_max).pow(self.alpha).clamp(max=1.0) * (x > 0)
        # w_iᵀ w̃_j + b_i + b̃_j − log X_ij
        error = (
            self.word @ self.context.T
            + self.word_bias[:, None]
            + self.context_bias[None, :]
            - torch.log(x.clamp(min=1e-12))
        )
        loss = (weights * error.square()).sum()
        return {"loss": loss, "weights": weights, "embeddings": self.word + self.context}
