"""DropPath, dropping whole paths of a multi-branch network while training.

Paper: FractalNet: Ultra-Deep Neural Networks without Residuals - https://arxiv.org/abs/1605.07648

FractalNet's join layers average several parallel paths; DropPath drops
operands of each join at random (keeping at least one), which stops paths from
co-adapting and lets any single column work alone. Its "local" form drops each
path independently with probability p (0.15 in the paper); modern networks
(timm, ConvNeXt, ViT) use the single-path form, dropping a residual branch
per example, which is Stochastic Depth. This module is the join of the paper:
the mean of the surviving paths, per example.

Shapes: `forward(paths: [P, B, *]) -> {"output": [B, *], "kept": [P, B] bool}`.
"""

from __future__ import annotations

import torch
from torch import nn


class DropPathJoin(nn.Module):
    """Mean of the paths kept with probability 1 − p each (at least one kept per example)."""

    def __init__(self, drop_prob: float = 0.15) -> None:
        super().__init__()
        self.drop_prob = drop_prob

    def forward(self, paths: torch.Tensor) -> dict[str, torch.Tensor]:
        """paths: [P, B, *] the outputs of P parallel paths -> their join [B, *] and which paths were kept."""
        p, b = paths.shape[:2]
        if not self.training or self.drop_prob == 0.0:
            kept = torch.ones(p, b, dtype=torch.bool, device=paths.device)
        else:
            kept = torch.rand(p, b, device=paths.device) >= self.drop_prob
            # an example that lost every path keeps one at random
            rescue = torch.randint(0, p, (b,), device=paths.device)
            none = ~kept.any(dim=0)
            kept[rescue[none], torch.nonzero(none).flatten()] = True
        weights = kept.to(paths.dtype).view(p, b, *([1] * (paths.dim() - 2)))
        return {"output": (paths * weights).sum(0) / weights.sum(0), "kept": kept}
