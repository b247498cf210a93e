"""DropBlock, dropout of contiguous regions of convolutional feature maps.

Paper: DropBlock: A regularization method for convolutional networks - https://arxiv.org/abs/1810.12890

Neighbouring activations of a feature map are correlated, so dropping single
units barely removes information. DropBlock drops block_size × block_size
squares instead (Algorithm 1): block centres are sampled with
γ = (1 − keep_prob)/block_size² · feat_size²/(feat_size − block_size + 1)² among the
positions where a whole block fits, each centre is grown into a square (a max
pool), and the kept activations are rescaled, A · M · count(M)/count_ones(M).
The paper uses block_size = 7 and keep_prob annealed from 1 to 0.9; this
follows timm's `drop_block_2d` with the mask shared across channels
(`batchwise` off, one mask per example).

Shapes: `forward(x: [B, C, H, W]) -> {"output": [B, C, H, W], "mask": [B, 1, H, W]}`.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class DropBlock(nn.Module):
    """Zeroes block_size × block_size squares at rate 1 − keep_prob while training."""

    def __init__(self, keep_prob: float = 0.9, block_size: int = 3) -> None:
        super().__init__()
        self.keep_prob, self.block_size = keep_prob, block_size

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [B, C, H, W] -> the dropped and rescaled map and the keep mask M (1 kept, 0 dropped)."""
        b, _, h, w = x.shape
        if not self.training or self.keep_prob == 1.0:
            return {"output": x, "mask": torch.ones(b, 1, h, w, device=x.device, dtype=x.dtype)}
        k = min(self.block_size, h, w)
        # γ = (1 − keep_prob)/k² · HW / ((H − k + 1)(W − k + 1))
        gamma = (1 - self.keep_prob) / k**2 * (h * w) / ((h - k + 1) * (w - k + 1))
        # centres only where a whole block fits inside the map
        valid = torch.zeros(h, w, dtype=torch.bool, device=x.device)
        valid[k // 2 : h - (k - 1) // 2, k // 2 : w - (k - 1) // 2] = True
        centres = (torch.rand(b, 1, h, w, device=x.device) < gamma) & valid
        # grow each centre into a k × k block: a stride-1 max pool of the centre map
        blocks = F.max_pool2d(centres.to(x.dtype), kernel_size=k, stride=1, padding=k // 2)[..., :h, :w]
        mask = 1 - blocks
        # A · M · count(M) / count_ones(M)
        scale = mask.numel() / mask.sum().clamp_min(1.0)
        return {"output": x * mask * scale, "mask": mask}
