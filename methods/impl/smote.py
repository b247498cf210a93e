"""SMOTE: Synthetic Minority Over-sampling, new minority examples interpolated between minority neighbours.

Paper: SMOTE: Synthetic Minority Over-sampling Technique (Chawla, Bowyer, Hall & Kegelmeyer, 2002)
- https://arxiv.org/abs/1106.1813

For each synthetic example SMOTE picks a minority sample $x_i$, one of its $k$ nearest minority
neighbours $x_{nn}$ at random, and a gap $\\lambda \\sim U(0, 1)$:
$$x_\\text{new} = x_i + \\lambda (x_{nn} - x_i),$$
a point on the segment between them, so the minority region is filled rather than duplicated.
Samples are taken round robin over the minority points (the paper's N% per point), the
neighbour and gap drawn from a generator seeded with `seed`, as imbalanced-learn's `SMOTE`.

Shapes: `minority: [N, D]` -> `synthetic: [S, D]`, `sources: [S]`, `neighbors: [S]`, `gaps: [S]`.
"""

from __future__ import annotations

import torch
from torch import nn


class SMOTE(nn.Module):
    """`n_synthetic` interpolations between minority points and their k nearest minority neighbours."""

    def __init__(self, n_synthetic: int = 32, k: int = 5, seed: int = 0):
        super().__init__()
        self.n_synthetic, self.k, self.seed = n_synthetic, k, seed

    def forward(self, minority: torch.Tensor) -> dict[str, torch.Tensor]:
        """minority: [N, D] -> synthetic [S, D], sources [S], neighbors [S], gaps [S]."""
        n = minority.shape[0]
        if self.k >= n:
            raise ValueError(f"k = {self.k} needs more than {n} minority points")
        distances = torch.cdist(minority, minority)
        distances.fill_diagonal_(float("inf"))
        knn = distances.topk(self.k, largest=False).indices
        generator = torch.Generator().manual_seed(self.seed)
        sources = torch.arange(self.n_synthetic, device=minority.device) % n
        pick = torch.randint(self.k, (self.n_synthetic,), generator=generator).to(minority.device)
        neighbors = knn[sources, pick]
        gaps = torch.rand(self.n_synthetic, generator=generator).to(minority)
        # x_new = x_i + λ (x_nn − x_i)
        synthetic = minority[sources] + gaps[:, None] * (minority[neighbors] - minority[sources])
        return {"synthetic": synthetic, "sources": sources, "neighbors": neighbors, "gaps": gaps}
