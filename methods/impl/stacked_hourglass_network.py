"""Stacked Hourglass Network for human pose estimation.

Paper: Stacked Hourglass Networks for Human Pose Estimation - https://arxiv.org/abs/1603.06937

An hourglass processes features top-down and bottom-up: at each resolution an "upper" branch keeps
a residual copy, while the "lower" branch max-pools, recurses at half the resolution, and is
upsampled back (nearest neighbour) and added to the upper branch. The recursion of depth $n$ is

$$ \\mathrm{HG}_n(x) = \\mathrm{Res}(x) + \\mathrm{up}\\big(\\mathrm{Res}(\\mathrm{HG}_{n-1}(
\\mathrm{Res}(\\mathrm{pool}(x))))\\big), \\qquad \\mathrm{HG}_0 = \\mathrm{Res}. $$

Every layer is a bottleneck residual module (BN-ReLU-1x1, BN-ReLU-3x3, BN-ReLU-1x1 with half the
channels inside). Several hourglasses are stacked end to end; each one predicts a set of heatmaps
(one per joint) that is supervised (intermediate supervision), and the heatmaps and features are
mapped back by 1x1 convolutions and added to the next hourglass's input:
$x_{s+1} = x_s + W_f f_s + W_h \\hat y_s$.

The stem turns a $[3, H, W]$ image into features at $H/4 \\times W/4$ (7x7 stride-2 convolution,
residual, max pool, two residuals), where all heatmaps live. Toy sizes: 2 stacks of depth 3
(the paper: 8 stacks of depth 4 at 64x64 heatmaps, 256 features).

Shapes: `forward(image: [B, 3, H, W]) -> heatmaps: [B, S, J, H/4, W/4]`. Hyperparameters:
`num_stacks` = number of stacked hourglasses $S$, `depth` = recursion depth $n$,
`channels` = feature width, `num_joints` = $J$ heatmaps.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class Residual(nn.Module):
    """Bottleneck residual module: BN-ReLU-conv1x1, BN-ReLU-conv3x3, BN-ReLU-conv1x1, plus a skip."""

    def __init__(self, in_channels: int, out_channels: int) -> None:
        super().__init__()
        mid = out_channels // 2
        self.body = nn.Sequential(
            nn.BatchNorm2d(in_channels),
            nn.ReLU(),
            nn.Conv2d(in_channels, mid, 1),
            nn.BatchNorm2d(mid),
            nn.ReLU(),
            nn.Conv2d(mid, mid, 3, padding=1),
            nn.BatchNorm2d(mid),
            nn.ReLU(),
            nn.Conv2d(mid, out_channels, 1),
        )
        # a 1x1 convolution on the skip path only where the channel count changes
        self.skip = nn.Identity() if in_channels == out_channels else nn.Conv2d(in_channels, out_channels, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, C_in, H, W] -> [B, C_out, H, W]."""
        return self.body(x) + self.skip(x)


class Hourglass(nn.Module):
    """HG_n(x) = Res(x) + up(Res(HG_{n-1}(Res(pool(x))))), with HG_0 = Res."""

    def __init__(self, depth: int, channels: int) -> None:
        super().__init__()
        self.upper = Residual(channels, channels)
        self.down = Residual(channels, channels)
        self.inner = Hourglass(depth - 1, channels) if depth > 1 else Residual(channels, channels)
        self.up = Residual(channels, channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, C, H, W] -> [B, C, H, W]."""
        lower = self.up(self.inner(self.down(F.max_pool2d(x, 2))))
        # nearest-neighbour upsampling back to this level's size, then the element-wise sum
        return self.upper(x) + F.interpolate(lower, size=x.shape[-2:], mode="nearest")


class StackedHourglass(nn.Module):
    """Stem, S hourglasses with intermediate heatmaps, and the remap-and-add between stacks.

    `num_stacks` is S, `depth` the hourglass recursion depth n, `num_joints` J, `channels` the feature width.
    """

    def __init__(self, num_stacks: int = 2, depth: int = 3, channels: int = 32, num_joints: int = 8) -> None:
        super().__init__()
        self.stem = nn.Sequential(
            nn.Conv2d(3, channels // 4, 7, stride=2, padding=3),
            nn.BatchNorm2d(channels // 4),
            nn.ReLU(),
            Residual(channels // 4, channels // 2),
            nn.MaxPool2d(2),
            Residual(channels // 2, channels // 2),
            Residual(channels // 2, channels),
        )
        self.hourglasses = nn.ModuleList(Hourglass(depth, channels) for _ in range(num_stacks))
        # after each hourglass: a residual, then a 1x1 conv-BN-ReLU ("linear layer")
        self.features = nn.ModuleList(
            nn.Sequential(
                Residual(channels, channels),
                nn.Conv2d(channels, channels, 1),
                nn.BatchNorm2d(channels),
                nn.ReLU(),
            )
            for _ in range(num_stacks)
        )
        self.heatmaps = nn.ModuleList(nn.Conv2d(channels, num_joints, 1) for _ in range(num_stacks))
        # W_f, W_h: 1x1 remaps of the features and heatmaps into the next stack's input
        self.remap_features = nn.ModuleList(nn.Conv2d(channels, channels, 1) for _ in range(num_stacks - 1))
        self.remap_heatmaps = nn.ModuleList(nn.Conv2d(num_joints, channels, 1) for _ in range(num_stacks - 1))

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        """image: [B, 3, H, W] -> heatmaps of every stack: [B, S, J, H/4, W/4]."""
        x = self.stem(image)
        outputs = []
        for stack, hourglass in enumerate(self.hourglasses):
            features = self.features[stack](hourglass(x))
            heatmaps = self.heatmaps[stack](features)
            outputs.append(heatmaps)
            if stack < len(self.remap_features):
                # x_{s+1} = x_s + W_f f_s + W_h y_s
                x = x + self.remap_features[stack](features) + self.remap_heatmaps[stack](heatmaps)
        return torch.stack(outputs, dim=1)
