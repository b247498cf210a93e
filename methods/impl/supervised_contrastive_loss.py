"""Supervised contrastive loss (SupCon), contrastive learning with every same-class sample as a positive.

Paper: Supervised Contrastive Learning - https://arxiv.org/abs/2004.11362

Self-supervised contrastive losses have one positive per anchor. SupCon uses
the labels: for anchor i in a batch of 2N views, P(i) is every other view with
the same label and A(i) every view but i, and (the paper's L^sup_out, its best form)
L = Σ_i −1/|P(i)| Σ_{p∈P(i)} log [exp(z_i·z_p/τ) / Σ_{a∈A(i)} exp(z_i·z_a/τ)],
with z the ℓ2-normalised projections and τ = 0.1. Averaged over anchors here;
anchors with no positive are left out. See also NT-Xent (the label-free case).

Shapes: `forward(features: [N, D], labels: [N]) -> {"loss": [], "positives": [N]}`.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class SupervisedContrastiveLoss(nn.Module):
    """Mean over anchors of −mean_{p∈P(i)} log softmax_{a≠i}(z_i·z_a/τ)[p]."""

    def __init__(self, temperature: float = 0.1) -> None:
        super().__init__()
        self.temperature = temperature

    def forward(self, features: torch.Tensor, labels: torch.Tensor) -> dict[str, torch.Tensor]:
        """features: [N, D] projections (all views stacked); labels: [N] -> the loss and |P(i)| per anchor."""
        z = F.normalize(features, dim=1)
        n = len(z)
        self_mask = torch.eye(n, dtype=torch.bool, device=z.device)
        # log [exp(z_i·z_a/τ) / Σ_{a∈A(i)} exp(z_i·z_a/τ)], with a = i excluded
        logits = (z @ z.t() / self.temperature).masked_fill(self_mask, float("-inf"))
        log_prob = logits.log_softmax(dim=1)
        positive = (labels[:, None] == labels[None, :]) & ~self_mask  # P(i)
        count = positive.sum(dim=1)
        mean_log_prob = log_prob.masked_fill(~positive, 0.0).sum(dim=1) / count.clamp_min(1)
        has_positive = count > 0
        return {"loss": -mean_log_prob[has_positive].mean(), "positives": count}
