"""Dense Block: every layer receives the concatenated feature maps of all the layers before it.

Paper: Densely Connected Convolutional Networks - https://arxiv.org/abs/1608.06993

Inside a block the $\\ell$-th layer computes

$$x_\\ell = H_\\ell([x_0, x_1, \\ldots, x_{\\ell-1}])$$

where $[\\cdot]$ is channel concatenation and $H_\\ell$ is the composite BN-ReLU-Conv; the
DenseNet-B bottleneck variant makes it BN-ReLU-Conv1x1 ($4k$ channels)-BN-ReLU-Conv3x3 ($k$
channels). Each layer adds $k$ (the growth rate) channels, so a block of $L$ layers maps $C$ to
$C + L k$ channels; features are reused rather than re-learned. Follows torchvision's
`_DenseBlock` / `_DenseLayer`.

Shapes: `forward(x: [B, C, H, W])` -> `[B, C + L k, H, W]`.

Hyperparameters: `in_channels` $C$, `num_layers` $L$ (6 to 48 in DenseNet-121; 4 here),
`growth_rate` $k$ (32; 8 here), `bn_size` (bottleneck factor, 4).
"""

from __future__ import annotations

import torch
from torch import nn


class DenseLayer(nn.Module):
    """H_l: BN-ReLU-Conv1x1 (bn_size * k) - BN-ReLU-Conv3x3 (k)."""

    def __init__(self, in_channels: int, growth_rate: int, bn_size: int) -> None:
        super().__init__()
        self.layers = nn.Sequential(
            nn.BatchNorm2d(in_channels),
            nn.ReLU(),
            nn.Conv2d(in_channels, bn_size * growth_rate, 1, bias=False),
            nn.BatchNorm2d(bn_size * growth_rate),
            nn.ReLU(),
            nn.Conv2d(bn_size * growth_rate, growth_rate, 3, padding=1, bias=False),
        )

    def forward(self, features: list[torch.Tensor]) -> torch.Tensor:
        """features: the block input and every earlier layer's output -> the k new maps."""
        return self.layers(torch.cat(features, dim=1))


class DenseBlock(nn.Module):
    """L dense layers, each fed the concatenation of everything before it."""

    def __init__(
        self, in_channels: int = 16, num_layers: int = 4, growth_rate: int = 8, bn_size: int = 4
    ) -> None:
        super().__init__()
        self.layers = nn.ModuleList(
            DenseLayer(in_channels + i * growth_rate, growth_rate, bn_size) for i in range(num_layers)
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, C, H, W] -> [B, C + L k, H, W]."""
        features = [x]
        for layer in self.layers:
            # x_l = H_l([x_0, ..., x_{l-1}])
            features.append(layer(features))
        return torch.cat(features, dim=1)
