"""FCN (Fully Convolutional Network): a classification net made fully convolutional, upsampled in-network, with skips for detail.

Paper: Fully Convolutional Networks for Semantic Segmentation - https://arxiv.org/abs/1411.4038

The fully connected layers of a classifier become convolutions, so the network takes any input
size and outputs a coarse map of class scores (stride 32). FCN-8s refines it with skips: the
stride-32 scores are upsampled 2x by a learned deconvolution (initialized to bilinear
interpolation) and summed with a 1x1 score layer on pool4 (stride 16); the sum is upsampled 2x and
summed with scores from pool3 (stride 8); a final 8x upsampling returns to the input resolution.

$$S_{16} = \\mathrm{Up}_2(S_{32}) + W_4 * \\mathrm{pool4}, \\quad S_8 = \\mathrm{Up}_2(S_{16}) + W_3 *
\\mathrm{pool3}, \\quad \\hat y = \\mathrm{Up}_8(S_8)$$

Demo: a five-stage VGG-style base (one 3x3 conv per stage, widths from `base_width`) and conv
"fc6/fc7" layers of `hidden` channels; padding keeps sizes exact instead of the paper's 100-pixel
pad and crop.

Shapes: `forward(x: [B, 3, H, W])` -> `logits: [B, num_classes, H, W]`, H and W multiples of 32.

Hyperparameters: `num_classes` (21 on VOC), `base_width` (64; 8 here), `hidden` (4,096; 64).
"""

from __future__ import annotations

import torch
from torch import nn


def bilinear_kernel(channels: int, size: int) -> torch.Tensor:
    """A [C, C, k, k] transposed-convolution weight performing per-channel bilinear upsampling."""
    factor = (size + 1) // 2
    centre = factor - 1 if size % 2 == 1 else factor - 0.5
    grid = torch.arange(size, dtype=torch.float32)
    profile = 1 - (grid - centre).abs() / factor
    weight = torch.zeros(channels, channels, size, size)
    weight[range(channels), range(channels)] = profile[:, None] * profile[None, :]
    return weight


def _upsample(channels: int, factor: int) -> nn.ConvTranspose2d:
    up = nn.ConvTranspose2d(channels, channels, 2 * factor, factor, factor // 2, bias=False)
    with torch.no_grad():
        up.weight.copy_(bilinear_kernel(channels, 2 * factor))
    return up


class FCN(nn.Module):
    """FCN-8s: conv base, convolutionalized fc6/fc7, score layers, learned upsampling with pool4 / pool3 skips."""

    def __init__(self, num_classes: int = 4, base_width: int = 8, hidden: int = 64) -> None:
        super().__init__()
        stages, channels = [], 3
        for i in range(5):
            width = base_width * 2 ** min(i, 3)
            stages.append(nn.Sequential(nn.Conv2d(channels, width, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)))
            channels = width
        self.stages = nn.ModuleList(stages)
        # fc6 / fc7 as convolutions
        self.fc = nn.Sequential(
            nn.Conv2d(channels, hidden, 3, padding=1), nn.ReLU(), nn.Conv2d(hidden, hidden, 1), nn.ReLU()
        )
        self.score32 = nn.Conv2d(hidden, num_classes, 1)
        self.score16 = nn.Conv2d(base_width * 8, num_classes, 1)
        self.score8 = nn.Conv2d(base_width * 4, num_classes, 1)
        self.up32, self.up16, self.up8 = (
            _upsample(num_classes, 2),
            _upsample(num_classes, 2),
            _upsample(num_classes, 8),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, 3, H, W] -> logits [B, num_classes, H, W]."""
        pools = []
        for stage in self.stages:
            x = stage(x)
            pools.append(x)
        s16 = self.up32(self.score32(self.fc(x))) + self.score16(pools[3])
        s8 = self.up16(s16) + self.score8(pools[2])
        return self.up8(s8)
