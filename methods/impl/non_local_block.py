"""Non-Local Block: a non-local operation wrapped in a residual connection, insertable into any network.

Paper: Non-local Neural Networks - https://arxiv.org/abs/1711.07971

$$z_i = W_z y_i + x_i$$

where $y_i$ is the non-local operation's output (`methods.impl.non_local_operation`) and $W_z$ a
1x1 convolution back to the input width followed by BatchNorm whose scale is initialized to zero,
so that a block inserted into a pre-trained network starts as the identity. Follows the official
Caffe2 / PyTorch implementations.

Shapes: `forward(x: [B, C, H, W])` -> `z: [B, C, H, W]`.

Hyperparameters: `channels` $C$, `mode` (the pairwise function of the operation).
"""

from __future__ import annotations

import torch
from torch import nn

from methods.impl.non_local_operation import Mode, NonLocalOperation


class NonLocalBlock(nn.Module):
    """z = BN(W_z y) + x, with BN's gamma = 0 at initialization."""

    def __init__(self, channels: int = 16, mode: Mode = "embedded_gaussian") -> None:
        super().__init__()
        self.operation = NonLocalOperation(channels, mode=mode)
        inner = self.operation.g.out_channels
        self.w_z = nn.Sequential(nn.Conv2d(inner, channels, 1), nn.BatchNorm2d(channels))
        nn.init.zeros_(self.w_z[1].weight)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, C, H, W] -> [B, C, H, W]."""
        return self.w_z(self.operation(x)) + x
