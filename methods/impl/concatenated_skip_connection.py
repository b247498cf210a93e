"""Concatenated skip connection, feature reuse by concatenating a layer's input to its output.

Paper: Densely Connected Convolutional Networks - https://arxiv.org/abs/1608.06993

Where a residual connection sums, y = F(x) + x, a concatenated skip connection
stacks: y = [x, F(x)] along the channels, so later layers see every earlier
feature map unchanged (DenseNet: x_ℓ = H_ℓ([x_0, x_1, …, x_{ℓ−1}])). F is
DenseNet's composite function BN–ReLU–Conv(3×3) producing k new channels, the
growth rate (k = 32 in DenseNet-121). See also Residual Connection and Dense Block.

Shapes: `forward(x: [B, C, H, W]) -> [B, C + k, H, W]`.
"""

from __future__ import annotations

import torch
from torch import nn


class ConcatenatedSkipConnection(nn.Module):
    """y = [x, H(x)] with H = BN -> ReLU -> Conv3×3 producing `growth_rate` channels."""

    def __init__(self, in_channels: int = 16, growth_rate: int = 8) -> None:
        super().__init__()
        self.composite = nn.Sequential(  # H_ℓ
            nn.BatchNorm2d(in_channels),
            nn.ReLU(),
            nn.Conv2d(in_channels, growth_rate, 3, padding=1, bias=False),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, C, H, W] -> [B, C + k, H, W]: the input's channels first, then the new ones."""
        # y = [x, H(x)]
        return torch.cat([x, self.composite(x)], dim=1)
