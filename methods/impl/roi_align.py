"""RoIAlign: bilinear sampling of a region of interest on a fixed grid, with no quantization.

Paper: Mask R-CNN (He, Gkioxari, Dollár & Girshick, 2017) - https://arxiv.org/abs/1703.06870

RoIPool rounds box edges and bins to the feature grid, misaligning the pooled features with the
box. RoIAlign keeps the continuous coordinates ($x / 16$, not $[x / 16]$): each of the
$P \\times P$ bins averages the bilinear interpolations of the feature map at $s \\times s$ regularly
spaced points. This is the "aligned" version of Detectron2 and torchvision's
`ops.roi_align(aligned=True)` (a half-pixel offset), computed by the shared `roi_align` of
`methods.impl.roi_pooling`, which the region-based detectors of this catalog also use.

Shapes: `features: [B, C, H, W]`, `boxes: [B, R, 4]` as samples in [0, 1] (turned into valid
$(x_1, y_1, x_2, y_2)$ image boxes) -> `[B, R, C, P, P]`.
"""

from __future__ import annotations

import torch
from torch import nn

from methods.impl.roi_pooling import boxes_from_uniform, roi_align


class RoIAlign(nn.Module):
    """Average of bilinear samples in each bin of each box."""

    def __init__(self, output_size: int = 7, spatial_scale: float = 0.25, sampling_ratio: int = 2):
        super().__init__()
        self.output_size, self.spatial_scale, self.sampling_ratio = output_size, spatial_scale, sampling_ratio

    def forward(self, features: torch.Tensor, boxes: torch.Tensor) -> torch.Tensor:
        """features: [B, C, H, W], boxes: [B, R, 4] in [0, 1] -> [B, R, C, P, P]."""
        height, width = features.shape[-2:]
        image = boxes_from_uniform(
            boxes, round(height / self.spatial_scale), round(width / self.spatial_scale)
        )
        return roi_align(features, image, self.output_size, self.spatial_scale, self.sampling_ratio)
