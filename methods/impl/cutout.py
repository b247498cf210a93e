"""Cutout, masking out a random square of each training image.

Paper: Improved Regularization of Convolutional Neural Networks with Cutout -
https://arxiv.org/abs/1708.04552

A square of side L is zeroed at a uniformly random centre, which may lie near
the border so that part of the square falls outside (then a smaller region is
cut): the network must use the whole object, not its most salient part, as if
it were occluded. The paper uses L = 16 on CIFAR-10 (32×32) and L = 8 on
CIFAR-100. This follows the authors' reference code (uoguelph-mlrg/Cutout), one
square per image.

Shapes: `forward(images: [B, C, H, W]) -> {"images": [B, C, H, W], "mask": [B, 1, H, W]}`.
"""

from __future__ import annotations

import torch
from torch import nn


class Cutout(nn.Module):
    """Zeroes an L × L square (clipped at the border) at a random centre of each image."""

    def __init__(self, length: int = 8, n_holes: int = 1) -> None:
        super().__init__()
        self.length, self.n_holes = length, n_holes

    def forward(self, images: torch.Tensor) -> dict[str, torch.Tensor]:
        """images: [B, C, H, W] -> the images with holes and the masks (1 kept, 0 cut)."""
        b, _, h, w = images.shape
        mask = torch.ones(b, 1, h, w, device=images.device, dtype=images.dtype)
        for i in range(b):
            for _ in range(self.n_holes):
                cy, cx = int(torch.randint(0, h, ())), int(torch.randint(0, w, ()))
                y1, y2 = max(cy - self.length // 2, 0), min(cy + self.length // 2, h)
                x1, x2 = max(cx - self.length // 2, 0), min(cx + self.length // 2, w)
                mask[i, :, y1:y2, x1:x2] = 0
        return {"images": images * mask, "mask": mask}
