"""Truncation trick, latent samples from a truncated normal to trade variety for fidelity.

Paper: Megapixel Size Image Creation using Generative Adversarial Networks -
https://arxiv.org/abs/1706.00082

A generator trained on z ∼ N(0, I) renders its best images near the centre of
the prior. At sampling time, each entry of z whose magnitude exceeds a
threshold ψ is resampled until it falls inside, giving a truncated normal; a
smaller ψ gives higher fidelity and less variety. BigGAN
(https://arxiv.org/abs/1809.11096) made the trick popular (with orthogonal
regularization so the generator tolerates it); StyleGAN's variant instead
shrinks w towards its mean, w' = w̄ + ψ(w − w̄).

Shapes: `forward(z: [B, D]) -> {"z": [B, D], "resampled": [B, D] bool}`.
"""

from __future__ import annotations

import torch
from torch import nn


class TruncationTrick(nn.Module):
    """Resamples every |z_i| > ψ from N(0, 1) until all entries lie in [−ψ, ψ]."""

    def __init__(self, threshold: float = 0.5, max_rounds: int = 1000) -> None:
        super().__init__()
        self.threshold, self.max_rounds = threshold, max_rounds

    def forward(self, z: torch.Tensor) -> dict[str, torch.Tensor]:
        """z: [B, D] draws from N(0, I) -> the truncated draws and which entries were redrawn."""
        out = z.clone()
        outside = out.abs() > self.threshold
        resampled = outside.clone()
        for _ in range(self.max_rounds):
            if not outside.any():
                break
            out = torch.where(outside, torch.randn_like(out), out)
            outside = out.abs() > self.threshold
        # a (vanishingly unlikely) remainder is clipped so the output always honours ψ
        return {"z": out.clamp(-self.threshold, self.threshold), "resampled": resampled}
