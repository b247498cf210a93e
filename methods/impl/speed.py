"""SPEED: Separable Pyramidal Pooling EncodEr-Decoder for real-time monocular depth estimation.

Paper: SPEED: Separable Pyramidal Pooling EncodEr-Decoder for Real-Time Monocular Depth Estimation
on Low-Resource Settings (Papa, Russo & Amerini, 2022) - https://doi.org/10.1109/ACCESS.2022.3225409

SPEED predicts a depth map from one low-resolution image with a lightweight encoder-decoder.
Its key layer, the depthwise separable pyramidal pooling (DSPP), pools the encoder features at
several scales $s \\in \\{1, 2, 4, 8\\}$, applies a depthwise separable convolution (depthwise 3x3
then pointwise 1x1) at each scale, upsamples back and concatenates,
$$\\text{DSPP}(F) = \\text{Conv}_{1\\times1}\\big([F;\\ \\text{Up}(\\text{DSConv}(\\text{AvgPool}_s(F)))_{s}]\\big),$$
placed after the encoder and in the decoder. The encoder here is a few strided separable
convolutions (the paper's is a MobileNetV1), and the decoder upsamples with separable
convolutions to half the input resolution, followed by a sigmoid depth in $(0, 1)$.

Shapes: `image: [B, 3, H, W]` -> `depth: [B, 1, H/2, W/2]`.
"""

from __future__ import annotations

import torch
from torch import nn


def separable(cin: int, cout: int, stride: int = 1) -> nn.Sequential:
    """Depthwise 3x3 then pointwise 1x1, each with BN and ReLU6."""
    return nn.Sequential(
        nn.Conv2d(cin, cin, 3, stride=stride, padding=1, groups=cin, bias=False), nn.BatchNorm2d(cin), nn.ReLU6(),
        nn.Conv2d(cin, cout, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU6(),
    )  # fmt: skip


class SeparablePyramidalPooling(nn.Module):
    """Average pooling at several scales, a separable conv each, upsampled and fused."""

    def __init__(self, channels: int, scales: tuple[int, ...] = (1, 2, 4, 8)):
        super().__init__()
        self.scales = scales
        self.branches = nn.ModuleList(separable(channels, channels // 4) for _ in scales)
        self.fuse = nn.Conv2d(channels + len(scales) * (channels // 4), channels, 1)

    def forward(self, f: torch.Tensor) -> torch.Tensor:
        size = f.shape[-2:]
        pooled = [
            nn.functional.interpolate(
                branch(nn.functional.adaptive_avg_pool2d(f, s)),
                size=size,
                mode="bilinear",
                align_corners=False,
            )
            for s, branch in zip(self.scales, self.branches, strict=True)
        ]
        return self.fuse(torch.cat([f, *pooled], dim=1))


class SPEED(nn.Module):
    """Separable encoder, DSPP, separable upsampling decoder, sigmoid depth."""

    def __init__(self, width: int = 16):
        super().__init__()
        self.stem = nn.Sequential(
            nn.Conv2d(3, width, 3, stride=2, padding=1), nn.BatchNorm2d(width), nn.ReLU6()
        )
        self.encoder = nn.Sequential(separable(width, 2 * width, 2), separable(2 * width, 4 * width, 2))
        self.pyramid = SeparablePyramidalPooling(4 * width)
        self.decoder = nn.ModuleList([separable(4 * width, 2 * width), separable(2 * width, width)])
        self.head = nn.Conv2d(width, 1, 3, padding=1)

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        """image: [B, 3, H, W] -> depth [B, 1, H/2, W/2]."""
        f = self.pyramid(self.encoder(self.stem(image)))
        for block in self.decoder:
            f = block(nn.functional.interpolate(f, scale_factor=2, mode="bilinear", align_corners=False))
        return torch.sigmoid(self.head(f))
