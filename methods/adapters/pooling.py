"""Pooling layers that PyTorch implements, adapted to the registry.

Reference: PyTorch pooling layers - https://docs.pytorch.org/docs/stable/nn.html#pooling-layers

Shapes: `input: [B, C, H, W] -> [B, C, H', W']`; global average pooling
returns one value per channel, `[B, C]`, as Network in Network feeds it to the softmax.
"""

from __future__ import annotations

from torch import nn
from torch.nn import AvgPool2d, MaxPool2d

__all__ = ["AvgPool2d", "MaxPool2d", "global_average_pooling"]


def global_average_pooling() -> nn.Sequential:
    """The mean of each feature map: adaptive average pooling to 1×1, flattened to [B, C]."""
    return nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(1))
