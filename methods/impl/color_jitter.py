"""Color jitter, random changes of brightness, contrast and saturation.

Paper: ImageNet Classification with Deep Convolutional Neural Networks (AlexNet) -
https://papers.nips.cc/paper_files/paper/2012/hash/c399862d3b9d6b76c8436e924a68c45b-Abstract.html

Photometric augmentation makes a classifier invariant to illumination and
colour. Each image draws factors f ∼ U(max(0, 1 − b), 1 + b) for brightness,
contrast and saturation and applies the adjustments in a random order; each is
a blend with a reference image, out = clamp(f·x + (1 − f)·ref, 0, 1): black for
brightness, the mean grey level for contrast, the grey image for saturation.
This follows torchvision's `ColorJitter` and its `adjust_*` functions (hue
jitter, which needs an HSV round trip, is left out).

Shapes: `forward(images: [B, 3, H, W] in [0, 1]) -> {"images": [B, 3, H, W], "factors": [B, 3]}`.
"""

from __future__ import annotations

import torch
from torch import nn


def grayscale(image: torch.Tensor) -> torch.Tensor:
    """ITU-R 601-2 luma, [1, H, W], as torchvision's `rgb_to_grayscale`."""
    r, g, b = image.unbind(dim=0)
    return (0.299 * r + 0.587 * g + 0.114 * b).unsqueeze(0)


def blend(image: torch.Tensor, reference: torch.Tensor, factor: float) -> torch.Tensor:
    # out = clamp(f·x + (1 − f)·ref, 0, 1)
    return (factor * image + (1 - factor) * reference).clamp(0, 1)


class ColorJitter(nn.Module):
    """Brightness, contrast and saturation each scaled by a factor in [1 − b, 1 + b], in random order."""

    def __init__(self, brightness: float = 0.4, contrast: float = 0.4, saturation: float = 0.4) -> None:
        super().__init__()
        self.ranges = [(max(0.0, 1 - v), 1 + v) for v in (brightness, contrast, saturation)]

    def forward(self, images: torch.Tensor) -> dict[str, torch.Tensor]:
        """images: [B, 3, H, W] RGB in [0, 1] -> jittered images and the factors (brightness, contrast, saturation)."""
        out, factors = [], []
        for image in images:
            drawn = [float(torch.empty(1).uniform_(low, high)) for low, high in self.ranges]
            for which in torch.randperm(3).tolist():
                f = drawn[which]
                if which == 0:
                    image = blend(image, torch.zeros_like(image), f)
                elif which == 1:
                    image = blend(image, grayscale(image).mean().expand_as(image), f)
                else:
                    image = blend(image, grayscale(image).expand_as(image), f)
            out.append(image)
            factors.append(drawn)
        return {"images": torch.stack(out), "factors": torch.tensor(factors, device=images.device)}
