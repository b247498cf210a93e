"""Stochastic depth, residual blocks skipped at random while training.

Paper: Deep Networks with Stochastic Depth - https://arxiv.org/abs/1603.09382

During training each residual block ℓ survives with probability p_ℓ; a dropped
block is the identity: H_ℓ = ReLU(b_ℓ f_ℓ(H_{ℓ−1}) + id(H_{ℓ−1})), b_ℓ ∼ Bernoulli(p_ℓ).
The paper rescales at test time (f_ℓ · p_ℓ); like torchvision's
`ops.stochastic_depth` (and timm's DropPath), this divides the surviving
branches by p_ℓ while training instead, so evaluation is the plain network.
`mode="row"` draws b per example, `mode="batch"` one b for the whole batch.
The paper decays p_ℓ linearly with depth to 0.5 at the last block; one block
of two 3×3 convolutions is shown here.

Shapes: `forward(x: [B, C, H, W]) -> {"output": [B, C, H, W], "kept": [B]}`.
"""

from __future__ import annotations

from typing import Literal

import torch
from torch import nn


def stochastic_depth(branch: torch.Tensor, drop_prob: float, mode: str, training: bool) -> torch.Tensor:
    """branch · b / (1 − drop_prob), b ∼ Bernoulli(1 − drop_prob) per row or per batch (torchvision's rule)."""
    if not training or drop_prob == 0.0:
        return branch
    survival = 1.0 - drop_prob
    shape = (branch.shape[0],) + (1,) * (branch.dim() - 1) if mode == "row" else (1,) * branch.dim()
    keep = torch.empty(shape, dtype=branch.dtype, device=branch.device).bernoulli_(survival)
    return branch * keep / survival if survival > 0 else branch * keep


class StochasticDepthBlock(nn.Module):
    """H = ReLU(b · f(x) / p + x), with f two 3×3 convolutions and b dropped at rate 1 − p."""

    def __init__(
        self, channels: int = 16, drop_prob: float = 0.5, mode: Literal["row", "batch"] = "row"
    ) -> None:
        super().__init__()
        self.drop_prob, self.mode = drop_prob, mode
        self.branch = nn.Sequential(  # f_ℓ
            nn.Conv2d(channels, channels, 3, padding=1),
            nn.ReLU(),
            nn.Conv2d(channels, channels, 3, padding=1),
        )

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [B, C, H, W] -> the block's output and which examples kept the branch (1.0) or skipped it."""
        f = self.branch(x)
        dropped = stochastic_depth(f, self.drop_prob, self.mode, self.training)
        # where f is non-zero somewhere, the branch survived
        kept = (dropped.flatten(1).abs().amax(dim=1) > 0).to(x.dtype) if self.training else torch.ones(len(x))
        # H_ℓ = ReLU(b_ℓ f_ℓ(H_{ℓ−1}) + H_{ℓ−1})
        return {"output": torch.relu(dropped + x), "kept": kept.to(x.device)}
