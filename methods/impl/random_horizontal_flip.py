"""Random horizontal flip, mirroring images left to right with probability p.

Paper: ImageNet Classification with Deep Convolutional Neural Networks (AlexNet) -
https://papers.nips.cc/paper_files/paper/2012/hash/c399862d3b9d6b76c8436e924a68c45b-Abstract.html

Most natural scenes keep their label under a left-right reflection, so flipping
doubles the effective data; AlexNet trained on random crops and their
horizontal reflections. As torchvision's `RandomHorizontalFlip`, each image is
flipped independently with probability p = 0.5.

Shapes: `forward(images: [B, C, H, W]) -> {"images": [B, C, H, W], "flipped": [B] bool}`.
"""

from __future__ import annotations

import torch
from torch import nn


class RandomHorizontalFlip(nn.Module):
    """Reverses the width axis of each image with probability p."""

    def __init__(self, p: float = 0.5) -> None:
        super().__init__()
        self.p = p

    def forward(self, images: torch.Tensor) -> dict[str, torch.Tensor]:
        """images: [B, C, H, W] -> the images, some mirrored, and which ones were."""
        flipped = torch.rand(len(images), device=images.device) < self.p
        out = torch.where(flipped[:, None, None, None], images.flip(-1), images)
        return {"images": out, "flipped": flipped}
