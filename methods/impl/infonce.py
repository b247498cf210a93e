"""InfoNCE, the contrastive loss of Contrastive Predictive Coding.

Paper: Representation Learning with Contrastive Predictive Coding - https://arxiv.org/abs/1807.03748

Given a context c (the query) and a set X = {x_1, …, x_N} holding one positive
sample from p(x | c) and N − 1 negatives from p(x), InfoNCE is the categorical
cross-entropy of picking the positive: L_N = −E[log f(x⁺, c) / Σ_{x_j ∈ X} f(x_j, c)],
with the score f(x, c) = exp(xᵀ W c) in CPC (a log-bilinear model). Minimising it
maximises a lower bound on the mutual information, I(x; c) ≥ log N − L_N. Here
each query's positive is the key at the same index and the other keys of the
batch are the negatives; the score is the temperature-scaled dot product
of ℓ2-normalised vectors, the form used by MoCo and CLIP (a bilinear W is the
identity). See also NT-Xent.

Shapes: `forward(query: [N, D], key: [N, D]) -> {"loss": [], "logits": [N, N]}`.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class InfoNCE(nn.Module):
    """L = −mean_i log softmax_j(q_i · k_j / τ)[i]."""

    def __init__(self, temperature: float = 0.1, normalize: bool = True) -> None:
        super().__init__()
        self.temperature, self.normalize = temperature, normalize

    def forward(self, query: torch.Tensor, key: torch.Tensor) -> dict[str, torch.Tensor]:
        """query: [N, D] contexts c_i; key: [N, D] samples with key i the positive of query i."""
        if self.normalize:
            query, key = F.normalize(query, dim=-1), F.normalize(key, dim=-1)
        # log f(x_j, c_i) = q_i · k_j / τ
        logits = query @ key.t() / self.temperature
        # −log f(x⁺, c) / Σ_j f(x_j, c): the positive is on the diagonal
        loss = F.cross_entropy(logits, torch.arange(len(query), device=query.device))
        return {"loss": loss, "logits": logits}
