"""Focal loss, cross-entropy that down-weights well-classified examples.

Paper: Focal Loss for Dense Object Detection (RetinaNet) - https://arxiv.org/abs/1708.02002

A one-stage detector scores ~100k anchors, almost all easy background; their
many small losses swamp the few hard ones. The focal loss multiplies the
cross-entropy by a modulating factor (1 − p_t)^γ that vanishes as the model
grows confident: FL(p_t) = −α_t (1 − p_t)^γ log(p_t), where p_t = p for a positive
and 1 − p otherwise, and α_t = α for positives, 1 − α for negatives. The paper
uses γ = 2, α = 0.25 on per-class sigmoids. This follows torchvision's
`sigmoid_focal_loss` (torchvision.ops.focal_loss).

Shapes: `forward(logits: [N, K], targets: [N, K] in {0, 1}) -> []` (reduction "mean") or `[N, K]` ("none").
"""

from __future__ import annotations

from typing import Literal

import torch
import torch.nn.functional as F
from torch import nn


class FocalLoss(nn.Module):
    """FL = −α_t (1 − p_t)^γ log p_t on independent per-class sigmoids."""

    def __init__(
        self, alpha: float = 0.25, gamma: float = 2.0, reduction: Literal["mean", "sum", "none"] = "mean"
    ):
        super().__init__()
        self.alpha, self.gamma, self.reduction = alpha, gamma, reduction

    def forward(self, logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        """logits: [N, K] scores; targets: [N, K] binary labels (any float in [0, 1])."""
        targets = targets.to(logits.dtype)
        p = torch.sigmoid(logits)
        # −log p_t, computed stably from the logits
        ce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
        p_t = p * targets + (1 - p) * (1 - targets)
        # FL = α_t (1 − p_t)^γ · CE
        loss = ce * (1 - p_t) ** self.gamma
        if self.alpha >= 0:
            loss = (self.alpha * targets + (1 - self.alpha) * (1 - targets)) * loss
        if self.reduction == "mean":
            return loss.mean()
        return loss.sum() if self.reduction == "sum" else loss
