"""CutMix, pasting a patch of one training image into another, labels mixed by area.

Paper: CutMix: Regularization Strategy to Train Strong Classifiers with
Localizable Features - https://arxiv.org/abs/1905.04899

x̃ = M ⊙ x_A + (1 − M) ⊙ x_B and ỹ = λ y_A + (1 − λ) y_B, where the binary mask M
is 0 inside a box B = (r_x, r_y, r_w, r_h) with r_x ∼ U(0, W), r_y ∼ U(0, H),
r_w = W√(1 − λ), r_h = H√(1 − λ) and λ ∼ Beta(α, α) (α = 1: uniform). The box is
clipped at the image border and λ recomputed from the area actually pasted.
This follows timm's `Mixup` with `cutmix_alpha` in batch mode: one box per
batch, the partner of example i is example B − 1 − i.

Shapes: `forward(images: [B, C, H, W], labels: [B] int) -> {"images", "targets": [B, K], "lam": [], "box": [4]}`.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from methods.impl.mixup import one_hot_targets


class CutMix(nn.Module):
    """Pastes one box of the flipped batch into every image; targets mixed by pasted area."""

    def __init__(self, alpha: float = 1.0, num_classes: int = 10, label_smoothing: float = 0.0) -> None:
        super().__init__()
        self.alpha, self.num_classes, self.label_smoothing = alpha, num_classes, label_smoothing

    def forward(self, images: torch.Tensor, labels: torch.Tensor) -> dict[str, torch.Tensor]:
        """images: [B, C, H, W]; labels: [B] -> mixed images, targets, λ and the box (y1, y2, x1, x2)."""
        h, w = images.shape[-2:]
        concentration = torch.tensor(float(self.alpha))
        lam = float(torch.distributions.Beta(concentration, concentration).sample())
        # r_w = W √(1 − λ), r_h = H √(1 − λ), centred at a uniform point
        cut_h, cut_w = int(h * math.sqrt(1 - lam)), int(w * math.sqrt(1 - lam))
        cy, cx = int(torch.randint(0, h, ())), int(torch.randint(0, w, ()))
        y1, y2 = max(cy - cut_h // 2, 0), min(cy + cut_h // 2, h)
        x1, x2 = max(cx - cut_w // 2, 0), min(cx + cut_w // 2, w)
        mixed = images.clone()
        mixed[..., y1:y2, x1:x2] = images.flip(0)[..., y1:y2, x1:x2]
        # λ from the area actually pasted: 1 − box / (H W)
        lam_t = torch.tensor(1 - (y2 - y1) * (x2 - x1) / (h * w), dtype=images.dtype, device=images.device)
        targets = one_hot_targets(labels, self.num_classes, self.label_smoothing, images.dtype)
        return {
            "images": mixed,
            "targets": lam_t * targets + (1 - lam_t) * targets.flip(0),
            "lam": lam_t,
            "box": torch.tensor([y1, y2, x1, x2], device=images.device),
        }
