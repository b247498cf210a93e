"""PAFPN: PANet's feature pyramid - an FPN's top-down pathway followed by bottom-up path augmentation.

Paper: Path Aggregation Network for Instance Segmentation - https://arxiv.org/abs/1803.01534

The backbone's $C_2, \\ldots, C_5$ go through an FPN (`methods.impl.fpn`: 1x1 laterals, nearest
2x top-down additions, 3x3 smoothing) to give $P_2, \\ldots, P_5$, then through the bottom-up
augmentation (`methods.impl.bottom_up_path_augmentation`: $N_2 = P_2$, $N_{i+1}$ from a stride-2
3x3 of $N_i$ plus $P_{i+1}$), so information flows both ways with a short path between the lowest
and highest levels. Follows MMDetection's `PAFPN` neck.

Shapes: `forward(c2: [B, C_2, H, W], ..., c5: [B, C_5, H/8, W/8])` -> `{"n2", ..., "n5"}`, each
with $d$ channels at the matching resolution.

Hyperparameters: `in_channels` ((256, 512, 1024, 2048) for ResNet-50; (8, 16, 32, 64) here),
`out_channels` $d$ (256; 16 here).
"""

from __future__ import annotations

import torch
from torch import nn

from methods.impl.bottom_up_path_augmentation import BottomUpPathAugmentation
from methods.impl.fpn import FPN


class PAFPN(nn.Module):
    """FPN top-down pathway, then PANet's bottom-up path augmentation."""

    def __init__(self, in_channels: tuple[int, ...] = (8, 16, 32, 64), out_channels: int = 16) -> None:
        super().__init__()
        self.fpn = FPN(in_channels, out_channels)
        self.bottom_up = BottomUpPathAugmentation(out_channels, len(in_channels))

    def forward(
        self, c2: torch.Tensor, c3: torch.Tensor, c4: torch.Tensor, c5: torch.Tensor
    ) -> dict[str, torch.Tensor]:
        """c2..c5 backbone maps, finest first -> n2..n5."""
        outputs = self.bottom_up.augment(self.fpn.pyramid([c2, c3, c4, c5]))
        return dict(zip(("n2", "n3", "n4", "n5"), outputs, strict=True))
