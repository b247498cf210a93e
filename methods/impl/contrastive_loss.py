"""Contrastive Learning with the margin contrastive loss: similar pairs pulled together, dissimilar pushed apart.

Paper: Dimensionality Reduction by Learning an Invariant Mapping (Hadsell, Chopra & LeCun, 2006)
- https://doi.org/10.1109/CVPR.2006.100

Contrastive learning trains an embedding $G_W$ from pairs labelled similar ($Y = 0$) or
dissimilar ($Y = 1$). With $D_W = \\lVert G_W(X_1) - G_W(X_2) \\rVert_2$ the paper's loss is
$$L(W, Y, X_1, X_2) = (1 - Y)\\,\\tfrac12 D_W^2 + Y\\,\\tfrac12 \\max(0, m - D_W)^2,$$
so similar pairs are pulled together and dissimilar ones pushed apart until they are at least
the margin $m$ apart. The encoder $G_W$ here is a small MLP shared by both sides of the pair (a
siamese network, as in the paper).

Shapes: `x1: [B, D]`, `x2: [B, D]`, `dissimilar: [B]` (1 for a negative pair) -> `loss: []`,
`distances: [B]` ($D_W$), `embeddings: [B, E]` (of `x1`).
"""

from __future__ import annotations

import torch
from torch import nn


class ContrastiveLoss(nn.Module):
    """A siamese MLP encoder and the margin contrastive loss of its pair distances."""

    def __init__(self, in_features: int = 16, embedding_dim: int = 8, hidden: int = 32, margin: float = 1.0):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Linear(in_features, hidden), nn.ReLU(), nn.Linear(hidden, embedding_dim)
        )
        self.margin = margin

    def forward(
        self, x1: torch.Tensor, x2: torch.Tensor, dissimilar: torch.Tensor
    ) -> dict[str, torch.Tensor]:
        """x1, x2: [B, D], dissimilar: [B] -> loss [], distances [B], embeddings [B, E]."""
        e1, e2 = self.encoder(x1), self.encoder(x2)
        # D_W = ‖G(X1) − G(X2)‖, kept differentiable at 0
        distances = (e1 - e2).square().sum(dim=-1).add(1e-12).sqrt()
        y = dissimilar.to(distances.dtype)
        # (1 − Y) ½ D² + Y ½ max(0, m − D)²
        loss = (
            (1 - y) * 0.5 * distances.square() + y * 0.5 * (self.margin - distances).clamp(min=0).square()
        ).mean()
        return {"loss": loss, "distances": distances, "embeddings": e1}
