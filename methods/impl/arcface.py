"""ArcFace, the additive angular margin loss for face recognition.

Paper: ArcFace: Additive Angular Margin Loss for Deep Face Recognition - https://arxiv.org/abs/1801.07698

Features x_i and class centres W_j are ℓ2-normalised, so the logit of class j is
cos θ_j. For the true class y_i a margin m is added to the angle before the
softmax: L = −log e^{s cos(θ_{y_i} + m)} / (e^{s cos(θ_{y_i} + m)} + Σ_{j≠y_i} e^{s cos θ_j}),
which asks each embedding to sit m radians closer to its centre than to any
other, on a hypersphere of radius s. The paper uses s = 64, m = 0.5. Where
θ + m would pass π, cos(θ + m) stops decreasing; there the authors' InsightFace
code uses cos θ − m·sin(π − m) instead, and so does this module.

Shapes: `forward(embeddings: [N, D], labels: [N]) -> {"loss": [], "logits": [N, K]}`.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn


class ArcFaceLoss(nn.Module):
    """Cross-entropy of s·cos(θ + m·[j = y]) over normalised class centres W."""

    def __init__(
        self, embedding_dim: int = 16, num_classes: int = 10, scale: float = 64.0, margin: float = 0.5
    ):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(num_classes, embedding_dim))  # class centres W_j
        nn.init.xavier_uniform_(self.weight)
        self.scale, self.margin = scale, margin

    def forward(self, embeddings: torch.Tensor, labels: torch.Tensor) -> dict[str, torch.Tensor]:
        """embeddings: [N, D] features x_i; labels: [N] classes y_i -> the loss and the margin logits."""
        cosine = F.normalize(embeddings) @ F.normalize(self.weight).t()  # cos θ_j: [N, K]
        sine = (1 - cosine.pow(2)).clamp_min(1e-12).sqrt()
        # cos(θ + m) = cos θ cos m − sin θ sin m
        with_margin = cosine * math.cos(self.margin) - sine * math.sin(self.margin)
        # beyond θ > π − m the function stops decreasing; InsightFace falls back to cos θ − m sin m
        with_margin = torch.where(
            cosine > math.cos(math.pi - self.margin),
            with_margin,
            cosine - math.sin(math.pi - self.margin) * self.margin,
        )
        target = F.one_hot(labels, cosine.shape[1]).bool()
        logits = self.scale * torch.where(target, with_margin, cosine)
        return {"loss": F.cross_entropy(logits, labels), "logits": logits}
