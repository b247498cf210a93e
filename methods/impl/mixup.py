"""Mixup, training on convex combinations of pairs of examples and of their labels.

Paper: mixup: Beyond Empirical Risk Minimization - https://arxiv.org/abs/1710.09412

Virtual examples are built from random pairs: x̃ = λ x_i + (1 − λ) x_j and
ỹ = λ y_i + (1 − λ) y_j with one-hot labels, λ ∼ Beta(α, α). The paper uses
α ∈ [0.1, 0.4] for ImageNet and α = 1 for CIFAR-10. This follows timm's `Mixup`
in batch mode: one λ per batch, the partner of example i is example B − 1 − i
(the batch flipped), and labels can be smoothed first.

Shapes: `forward(images: [B, C, H, W], labels: [B] int) -> {"images": [B, C, H, W], "targets": [B, K], "lam": []}`.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


def one_hot_targets(
    labels: torch.Tensor, num_classes: int, smoothing: float, dtype: torch.dtype
) -> torch.Tensor:
    """[B, K]: (1 − ε)·onehot(y) + ε/K."""
    return F.one_hot(labels, num_classes).to(dtype) * (1 - smoothing) + smoothing / num_classes


class Mixup(nn.Module):
    """x̃ = λx + (1 − λ)x_flip, ỹ = λy + (1 − λ)y_flip with λ ∼ Beta(α, α)."""

    def __init__(self, alpha: float = 0.2, num_classes: int = 10, label_smoothing: float = 0.0) -> None:
        super().__init__()
        self.alpha, self.num_classes, self.label_smoothing = alpha, num_classes, label_smoothing

    def sample_lambda(self, device: torch.device) -> torch.Tensor:
        if self.alpha == 0:
            return torch.ones((), device=device)
        concentration = torch.tensor(float(self.alpha), device=device)
        return torch.distributions.Beta(concentration, concentration).sample()

    def forward(self, images: torch.Tensor, labels: torch.Tensor) -> dict[str, torch.Tensor]:
        """images: [B, C, H, W]; labels: [B] class indices -> mixed images, soft targets [B, K], λ."""
        lam = self.sample_lambda(images.device)
        targets = one_hot_targets(labels, self.num_classes, self.label_smoothing, images.dtype)
        # x̃ = λ x_i + (1 − λ) x_j, ỹ likewise, j = B − 1 − i
        mixed = lam * images + (1 - lam) * images.flip(0)
        return {"images": mixed, "targets": lam * targets + (1 - lam) * targets.flip(0), "lam": lam}
