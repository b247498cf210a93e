"""Masked convolution, PixelCNN's convolution that sees only pixels already generated.

Paper: Pixel Recurrent Neural Networks - https://arxiv.org/abs/1601.06759

To model p(x) = Π_i p(x_i | x_1, …, x_{i−1}) over pixels in raster order, the
k×k filter is multiplied by a mask that zeroes the taps at and after the
centre: the rows below the centre and the taps right of it. Mask "A" (the
first layer) also zeroes the centre itself, so a pixel never sees its own
value; mask "B" (later layers) keeps it. The per-channel (R, G, B) split of the
paper's masks is left out: every input channel counts as already seen.

Shapes: `forward(x: [B, C_in, H, W]) -> [B, C_out, H, W]`.
"""

from __future__ import annotations

from typing import Literal

import torch
import torch.nn.functional as F
from torch import nn


class MaskedConv2d(nn.Conv2d):
    """A 'same' convolution whose filter taps at or after the centre (raster order) are masked."""

    def __init__(
        self,
        in_channels: int = 3,
        out_channels: int = 8,
        kernel_size: int = 5,
        mask_type: Literal["A", "B"] = "A",
    ) -> None:
        super().__init__(in_channels, out_channels, kernel_size, padding=kernel_size // 2)
        mask = torch.ones(kernel_size, kernel_size)
        centre = kernel_size // 2
        # zero the centre row from the centre (A) or just after it (B), and every row below
        mask[centre, centre + (mask_type == "B") :] = 0
        mask[centre + 1 :] = 0
        self.register_buffer("mask", mask)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, C_in, H, W] -> [B, C_out, H, W], output (i, j) depending on earlier pixels only."""
        return F.conv2d(x, self.weight * self.mask, self.bias, padding=self.padding)
