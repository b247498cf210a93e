"""SRGAN Residual Block.

Paper: Photo-Realistic Single Image Super-Resolution Using a Generative Adversarial
Network - https://arxiv.org/abs/1609.04802

The residual block of the SRGAN generator (SRResNet), repeated $B = 16$ times
in the paper: two 3x3 convolutions with 64 feature maps and stride 1
(k3n64s1), each followed by batch normalization, with a parametric ReLU
between them and an identity skip around the pair. PReLU keeps gradients
flowing for negative inputs, which helps GAN training:

$$y = x + \\mathrm{BN}(W_2 * \\mathrm{PReLU}(\\mathrm{BN}(W_1 * x)))$$

The convolutions carry no bias: the batch normalization right after each one
would cancel it.

Shapes: `forward(x: [B, C, H, W]) -> [B, C, H, W]`.
Hyperparameters: `channels` (n, paper 64); the kernel is the paper's 3x3.
"""

from __future__ import annotations

import torch
from torch import nn


class SRGANResidualBlock(nn.Module):
    """conv3x3-BN-PReLU-conv3x3-BN plus identity skip; `channels` is n."""

    def __init__(self, channels: int = 64) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(channels)
        self.prelu = nn.PReLU()
        self.conv2 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, C, H, W] -> [B, C, H, W]."""
        h = self.prelu(self.bn1(self.conv1(x)))
        # y = x + BN(W_2 * PReLU(BN(W_1 * x)))
        return x + self.bn2(self.conv2(h))
