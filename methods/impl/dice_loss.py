"""Dice loss, one minus the soft Dice overlap between a predicted and a true segmentation.

Paper: Generalised Dice overlap as a deep learning loss function for highly
unbalanced segmentations - https://arxiv.org/abs/1707.03237

The Dice coefficient 2|A ∩ B| / (|A| + |B|) measures overlap and, unlike the
per-pixel cross-entropy, is insensitive to how much background surrounds a
small structure. With soft predictions p and labels y it becomes
Dice = (2 Σ y p + s) / (Σ y + Σ p + s), the smoothing s (1 in the catalog's
formula) keeping empty masks defined, and the loss is 1 − Dice. The generalised
form of Sudre et al. weights each class by w_l = 1/(Σ y_l)²; `generalised`
switches it on. See also Focal Loss.

Shapes: `forward(logits: [B, C, H, W], targets: [B, C, H, W] in {0, 1}) -> {"loss": [], "dice": [C]}`.
"""

from __future__ import annotations

import torch
from torch import nn


class DiceLoss(nn.Module):
    """1 − (2 Σ w y p + s) / (Σ w (y + p) + s) with p = σ(logits), per class over batch and space."""

    def __init__(self, smooth: float = 1.0, generalised: bool = False) -> None:
        super().__init__()
        self.smooth, self.generalised = smooth, generalised

    def forward(self, logits: torch.Tensor, targets: torch.Tensor) -> dict[str, torch.Tensor]:
        """logits: [B, C, H, W] scores; targets: [B, C, H, W] binary masks -> the loss and each class's Dice."""
        p = torch.sigmoid(logits)
        y = targets.to(p.dtype)
        dims = (0, *range(2, p.dim()))
        intersection, total = (y * p).sum(dims), (y + p).sum(dims)  # Σ y p and Σ y + Σ p, per class
        dice = (2 * intersection + self.smooth) / (total + self.smooth)
        if not self.generalised:
            return {"loss": 1 - dice.mean(), "dice": dice}
        # w_l = 1 / (Σ y_l)², shared smoothing
        w = 1 / y.sum(dims).clamp_min(1.0) ** 2
        overall = (2 * (w * intersection).sum() + self.smooth) / ((w * total).sum() + self.smooth)
        return {"loss": 1 - overall, "dice": dice}
