"""RoIPool: max pooling of a region of interest over a fixed grid of quantized bins.

Paper: Fast R-CNN (Girshick, 2015) - https://arxiv.org/abs/1504.08083

RoIPool turns a box of any size into a fixed $P \\times P$ feature map: the box, scaled to feature
pixels by `spatial_scale` (1 / stride), is divided into $P \\times P$ bins of size
$b = (x_2 - x_1) / P$, each snapped to the integer grid $[\\lfloor x_1 + p b \\rfloor, \\lceil x_1 + (p + 1) b \\rceil)$,
and each output is the maximum over its bin (an empty bin gives 0), as torchvision's
`ops.roi_pool` does. The quantization is what RoIAlign later removed. The catalog lists it
under R-CNN's paper; the operation was introduced in Fast R-CNN. The bins come from the shared
`quantized_bins` of `methods.impl.roi_pooling`.

Shapes: `features: [B, C, H, W]`, `boxes: [B, R, 4]` as samples in [0, 1] (turned into valid
$(x_1, y_1, x_2, y_2)$ image boxes) -> `[B, R, C, P, P]`.
"""

from __future__ import annotations

import torch
from torch import nn

from methods.impl.roi_pooling import boxes_from_uniform, quantized_bins


class RoIPool(nn.Module):
    """Max over the quantized bins of each box."""

    def __init__(self, output_size: int = 7, spatial_scale: float = 0.25):
        super().__init__()
        self.output_size, self.spatial_scale = output_size, spatial_scale

    def forward(self, features: torch.Tensor, boxes: torch.Tensor) -> torch.Tensor:
        """features: [B, C, H, W], boxes: [B, R, 4] in [0, 1] -> [B, R, C, P, P]."""
        height, width = features.shape[-2:]
        image = boxes_from_uniform(
            boxes, round(height / self.spatial_scale), round(width / self.spatial_scale)
        )
        x1, y1, x2, y2 = (image * self.spatial_scale).unbind(-1)
        rows = quantized_bins(y1, y2, self.output_size, height).bool()  # [B, R, P, H]
        cols = quantized_bins(x1, x2, self.output_size, width).bool()  # [B, R, Q, W]
        # mask[b, r, p, q, h, w]: (h, w) lies in bin (p, q)
        mask = rows[:, :, :, None, :, None] & cols[:, :, None, :, None, :]
        values = features[:, None, :, None, None].masked_fill(~mask[:, :, None], float("-inf"))
        pooled = values.amax(dim=(-2, -1))
        return torch.where(torch.isinf(pooled), torch.zeros_like(pooled), pooled)
