"""Random erasing, replacing a random rectangle of an image with random values.

Paper: Random Erasing Data Augmentation - https://arxiv.org/abs/1708.04896

With probability p an image gets a rectangle of area S_e ∼ U(s_l, s_h)·S and
aspect ratio r_e ∼ U(r₁, 1/r₁) at a random position (redrawn until it fits), and
its pixels are replaced by random values; the paper uses p = 0.5, s_l = 0.02,
s_h = 0.4, r₁ = 0.3. It simulates occlusion, like Cutout but with varied shapes
and noise. This follows torchvision's `RandomErasing` (log-uniform aspect
ratio, 10 attempts, normal-distributed fill).

Shapes: `forward(images: [B, C, H, W]) -> {"images": [B, C, H, W], "mask": [B, 1, H, W]}` (1 where erased).
"""

from __future__ import annotations

import math

import torch
from torch import nn


class RandomErasing(nn.Module):
    """Erases one rectangle of area fraction in [s_l, s_h] and ratio in [r₁, 1/r₁] with probability p."""

    def __init__(
        self, p: float = 0.5, scale_min: float = 0.02, scale_max: float = 0.4, ratio: float = 0.3
    ) -> None:
        super().__init__()
        self.p, self.scale, self.log_ratio = p, (scale_min, scale_max), (math.log(ratio), math.log(1 / ratio))

    def forward(self, images: torch.Tensor) -> dict[str, torch.Tensor]:
        """images: [B, C, H, W] -> the images with erased rectangles and where they are."""
        b, c, h, w = images.shape
        out = images.clone()
        mask = torch.zeros(b, 1, h, w, device=images.device, dtype=images.dtype)
        for i in range(b):
            if float(torch.rand(())) >= self.p:
                continue
            for _ in range(10):
                area = h * w * float(torch.empty(1).uniform_(*self.scale))
                aspect = math.exp(float(torch.empty(1).uniform_(*self.log_ratio)))
                eh, ew = round(math.sqrt(area * aspect)), round(math.sqrt(area / aspect))
                if 0 < eh < h and 0 < ew < w:
                    top, left = int(torch.randint(0, h - eh + 1, ())), int(torch.randint(0, w - ew + 1, ()))
                    out[i, :, top : top + eh, left : left + ew] = torch.randn(c, eh, ew, device=images.device)
                    mask[i, :, top : top + eh, left : left + ew] = 1
                    break
        return {"images": out, "mask": mask}
