"""Bottom-up Path Augmentation: a second, bottom-up pathway over an FPN that shortens the path from low-level features to the top.

Paper: Path Aggregation Network for Instance Segmentation - https://arxiv.org/abs/1803.01534

In an FPN, localization signals from the lowest levels travel through the whole backbone (100+
layers) to reach the top. PANet adds a short path: starting from $N_2 = P_2$, each building block
takes the finer augmented map $N_i$, reduces it with a 3x3 stride-2 convolution, adds the lateral
$P_{i+1}$ element-wise, and fuses the sum with another 3x3 convolution:

$$N_{i+1} = \\mathrm{ReLU}(\\mathrm{Conv}_{3 \\times 3}(\\mathrm{ReLU}(\\mathrm{Conv}_{3 \\times 3, s=2}(N_i)) + P_{i+1}))$$

All maps keep 256 channels in the paper.

Shapes: `forward(p2: [B, d, H, W], p3: [B, d, H/2, W/2], p4: [B, d, H/4, W/4], p5: [B, d, H/8, W/8])`
-> `{"n2", "n3", "n4", "n5"}` of the same shapes.

Hyperparameters: `channels` $d$ (256; 16 here), `levels` (4: P2-P5).
"""

from __future__ import annotations

import torch
from torch import nn


class BottomUpPathAugmentation(nn.Module):
    """N_2 = P_2; N_{i+1} = fuse(down(N_i) + P_{i+1})."""

    def __init__(self, channels: int = 16, levels: int = 4) -> None:
        super().__init__()
        self.down = nn.ModuleList(nn.Conv2d(channels, channels, 3, 2, 1) for _ in range(levels - 1))
        self.fuse = nn.ModuleList(nn.Conv2d(channels, channels, 3, padding=1) for _ in range(levels - 1))

    def augment(self, pyramid: list[torch.Tensor]) -> list[torch.Tensor]:
        """Finest-first P_i maps -> finest-first N_i maps."""
        outputs = [pyramid[0]]
        for down, fuse, lateral in zip(self.down, self.fuse, pyramid[1:], strict=True):
            outputs.append(torch.relu(fuse(torch.relu(down(outputs[-1])) + lateral)))
        return outputs

    def forward(
        self, p2: torch.Tensor, p3: torch.Tensor, p4: torch.Tensor, p5: torch.Tensor
    ) -> dict[str, torch.Tensor]:
        """p2..p5: an FPN's maps, finest first -> n2..n5."""
        return dict(zip(("n2", "n3", "n4", "n5"), self.augment([p2, p3, p4, p5]), strict=True))
