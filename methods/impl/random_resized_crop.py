"""Random resized crop, a crop of random area and aspect ratio resized to a fixed size.

Paper: Going Deeper with Convolutions (Inception) - https://arxiv.org/abs/1409.4842

The Inception training recipe samples patches covering 8% to 100% of the image
with aspect ratios between 3/4 and 4/3 and resizes them to the network's input
size; it is the standard ImageNet augmentation. This follows torchvision's
`RandomResizedCrop.get_params`: up to 10 tries of an area fraction
s ∼ U(scale) and a log-uniform ratio r, the crop h = √(s·A/r), w = √(s·A·r) kept if
it fits, else a central crop at the nearest allowed ratio; then a bilinear
resize. Each image of the batch gets its own crop.

Shapes: `forward(images: [B, C, H, W]) -> {"images": [B, C, S, S], "boxes": [B, 4]}` (top, left, height, width).
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn


def crop_params(
    height: int, width: int, scale: tuple[float, float], ratio: tuple[float, float]
) -> tuple[int, ...]:
    """(top, left, h, w) as torchvision's `RandomResizedCrop.get_params` draws them."""
    area = height * width
    log_ratio = (math.log(ratio[0]), math.log(ratio[1]))
    for _ in range(10):
        target_area = area * float(torch.empty(1).uniform_(scale[0], scale[1]))
        aspect = math.exp(float(torch.empty(1).uniform_(log_ratio[0], log_ratio[1])))
        w = round(math.sqrt(target_area * aspect))
        h = round(math.sqrt(target_area / aspect))
        if 0 < w <= width and 0 < h <= height:
            top = int(torch.randint(0, height - h + 1, ()))
            left = int(torch.randint(0, width - w + 1, ()))
            return top, left, h, w
    # fallback: the central crop at the closest allowed aspect ratio
    in_ratio = width / height
    if in_ratio < min(ratio):
        w, h = width, round(width / min(ratio))
    elif in_ratio > max(ratio):
        h, w = height, round(height * max(ratio))
    else:
        w, h = width, height
    return (height - h) // 2, (width - w) // 2, h, w


class RandomResizedCrop(nn.Module):
    """A crop of area fraction in `scale` and ratio in `ratio`, resized to size × size."""

    def __init__(
        self,
        size: int = 16,
        scale_min: float = 0.08,
        scale_max: float = 1.0,
        ratio_min: float = 0.75,
        ratio_max: float = 4 / 3,
    ) -> None:
        super().__init__()
        self.size, self.scale, self.ratio = size, (scale_min, scale_max), (ratio_min, ratio_max)

    def forward(self, images: torch.Tensor) -> dict[str, torch.Tensor]:
        """images: [B, C, H, W] -> crops [B, C, size, size] and each crop's (top, left, h, w)."""
        crops, boxes = [], []
        for image in images:
            top, left, h, w = crop_params(image.shape[-2], image.shape[-1], self.scale, self.ratio)
            patch = image[:, top : top + h, left : left + w].unsqueeze(0)
            crops.append(
                F.interpolate(patch, size=(self.size, self.size), mode="bilinear", align_corners=False)
            )
            boxes.append((top, left, h, w))
        return {"images": torch.cat(crops), "boxes": torch.tensor(boxes, device=images.device)}
