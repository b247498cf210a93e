"""FPN (Feature Pyramid Network): a top-down pathway with lateral connections builds semantically strong maps at every scale.

Paper: Feature Pyramid Networks for Object Detection - https://arxiv.org/abs/1612.03144

Given the backbone's stage outputs $C_2, \\ldots, C_5$ (strides 4 to 32), each is reduced to $d$
channels by a 1x1 lateral convolution; starting from the coarsest, the running map is upsampled
2x (nearest neighbour) and added to the next lateral, and a 3x3 convolution on each merged map
reduces the aliasing of upsampling:

$$M_5 = L_5(C_5), \\quad M_i = L_i(C_i) + \\mathrm{Up}_{2\\times}(M_{i+1}), \\quad P_i = \\mathrm{Conv}_{3 \\times 3}(M_i)$$

All levels share the $d$ = 256 channels so that one head can run on every level. Follows
torchvision's `FeaturePyramidNetwork` (upsampling to the exact size of the lateral).

Shapes: `forward(c3: [B, C_3, H, W], c4: [B, C_4, H/2, W/2], c5: [B, C_5, H/4, W/4])` ->
`{"p3": [B, d, H, W], "p4": [B, d, H/2, W/2], "p5": [B, d, H/4, W/4]}` (any number of levels).

Hyperparameters: `in_channels` (the $C_i$ widths; (512, 1024, 2048) for ResNet-50's C3-C5; (16,
32, 64) here), `out_channels` $d$ (256; 16 here).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class FPN(nn.Module):
    """1x1 laterals, nearest 2x top-down additions, 3x3 output convolutions."""

    def __init__(self, in_channels: tuple[int, ...] = (16, 32, 64), out_channels: int = 16) -> None:
        super().__init__()
        self.lateral = nn.ModuleList(nn.Conv2d(c, out_channels, 1) for c in in_channels)
        self.output = nn.ModuleList(nn.Conv2d(out_channels, out_channels, 3, padding=1) for _ in in_channels)

    def pyramid(self, features: list[torch.Tensor]) -> list[torch.Tensor]:
        """Finest-first C_i maps -> finest-first P_i maps."""
        merged = self.lateral[-1](features[-1])
        outputs = [self.output[-1](merged)]
        for i in range(len(features) - 2, -1, -1):
            lateral = self.lateral[i](features[i])
            # M_i = L_i(C_i) + Up(M_{i+1})
            merged = lateral + F.interpolate(merged, size=lateral.shape[-2:], mode="nearest")
            outputs.insert(0, self.output[i](merged))
        return outputs

    def forward(self, c3: torch.Tensor, c4: torch.Tensor, c5: torch.Tensor) -> dict[str, torch.Tensor]:
        """c3, c4, c5: backbone maps, finest first -> p3, p4, p5 with d channels each."""
        p3, p4, p5 = self.pyramid([c3, c4, c5])
        return {"p3": p3, "p4": p4, "p5": p5}
