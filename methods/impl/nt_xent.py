"""NT-Xent, the normalized temperature-scaled cross-entropy loss of SimCLR.

Paper: A Simple Framework for Contrastive Learning of Visual Representations
(SimCLR) - https://arxiv.org/abs/2002.05709

A batch of N examples gives 2N augmented views; views 2k − 1 and 2k (here k and
N + k) form a positive pair and the other 2(N − 1) views are negatives. With
sim(u, v) = uᵀv / (‖u‖‖v‖), the loss of the pair (i, j) is
ℓ(i, j) = −log [exp(sim(z_i, z_j)/τ) / Σ_{k ≠ i} exp(sim(z_i, z_k)/τ)],
averaged over all 2N ordered positive pairs. SimCLR uses τ = 0.1 to 0.5 (0.5 at
batch 4096 in its ablations). See also InfoNCE.

Shapes: `forward(z1: [N, D], z2: [N, D]) -> {"loss": [], "similarity": [2N, 2N]}`.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class NTXent(nn.Module):
    """Mean over the 2N views of −log softmax over the others of the positive's similarity / τ."""

    def __init__(self, temperature: float = 0.5) -> None:
        super().__init__()
        self.temperature = temperature

    def forward(self, z1: torch.Tensor, z2: torch.Tensor) -> dict[str, torch.Tensor]:
        """z1, z2: [N, D] projections of two views of the same N examples."""
        n = z1.shape[0]
        z = F.normalize(torch.cat([z1, z2]), dim=-1)  # [2N, D]
        # sim(z_i, z_k) / τ, with k = i excluded from the denominator
        similarity = z @ z.t()
        logits = (similarity / self.temperature).masked_fill(
            torch.eye(2 * n, dtype=torch.bool, device=z.device), float("-inf")
        )
        # the positive of view i is view i + N (and of i + N, view i)
        positives = torch.cat([torch.arange(n, 2 * n), torch.arange(n)]).to(z.device)
        return {"loss": F.cross_entropy(logits, positives), "similarity": similarity}
