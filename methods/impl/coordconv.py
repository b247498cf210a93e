"""CoordConv, a convolution that also sees each pixel's coordinates.

Paper: An Intriguing Failing of Convolutional Neural Networks and the CoordConv
Solution - https://arxiv.org/abs/1807.03247

Convolutions are translation equivariant and so find it hard to map between
Cartesian coordinates and pixel positions. CoordConv concatenates two extra
input channels holding the row i and column j of each pixel, scaled to [−1, 1]
(optionally a third with the radius √(i² + j²)), and then applies an ordinary
convolution, which may learn to use or ignore them.

Shapes: `forward(x: [B, C_in, H, W]) -> [B, C_out, H, W]`.
"""

from __future__ import annotations

import torch
from torch import nn


def coordinate_channels(x: torch.Tensor, with_radius: bool) -> torch.Tensor:
    """[B, 2 or 3, H, W]: row and column in [−1, 1] (and the radius)."""
    b, _, h, w = x.shape
    rows = torch.linspace(-1, 1, h, device=x.device, dtype=x.dtype).view(1, 1, h, 1).expand(b, 1, h, w)
    cols = torch.linspace(-1, 1, w, device=x.device, dtype=x.dtype).view(1, 1, 1, w).expand(b, 1, h, w)
    channels = [rows, cols]
    if with_radius:
        channels.append((rows**2 + cols**2).sqrt())
    return torch.cat(channels, dim=1)


class CoordConv2d(nn.Module):
    """Conv over [x, i, j(, r)]: the input with coordinate channels appended."""

    def __init__(
        self, in_channels: int = 3, out_channels: int = 8, kernel_size: int = 3, with_radius: bool = False
    ) -> None:
        super().__init__()
        self.with_radius = with_radius
        extra = 3 if with_radius else 2
        self.conv = nn.Conv2d(in_channels + extra, out_channels, kernel_size, padding=kernel_size // 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, C_in, H, W] -> [B, C_out, H, W]."""
        return self.conv(torch.cat([x, coordinate_channels(x, self.with_radius)], dim=1))
