"""Colorization: self-supervision by predicting an image's colours from its lightness, as a classification.

Paper: Colorful Image Colorization (Zhang, Isola & Efros, 2016) - https://arxiv.org/abs/1603.08511

The network sees the lightness channel $L$ and predicts, per pixel, a distribution $\\hat Z$ over
$Q$ quantized $ab$ colour bins. Targets are soft: the ground-truth $ab$ value's 5 nearest bins
weighted by a Gaussian of $\\sigma = 5$. The loss is the class-rebalanced cross-entropy
$$L(\\hat Z, Z) = -\\sum_{h,w} v(Z_{h,w}) \\sum_q Z_{h,w,q} \\log \\hat Z_{h,w,q},$$
where $v$ up-weights rare colours: $v \\propto ((1 - \\lambda)\\tilde p + \\lambda / Q)^{-1}$ from the bins'
empirical distribution $\\tilde p$ (here of the batch), $\\lambda = 1/2$. Colours are decoded with
the annealed mean $\\mathbb{E}[f_T(\\hat Z)]$, $T = 0.38$. The demo uses a 5x5 grid of $ab$ bins over
$[-1, 1]^2$ (the paper: 313 in-gamut bins of size 10) and a small CNN; images come as $L$ and $ab$.

Shapes: `lightness: [B, 1, H, W]`, `ab: [B, 2, H, W]` in [-1, 1] -> `logits: [B, Q, H, W]`,
`loss: []`, `colours: [B, 2, H, W]` (annealed-mean prediction).
"""

from __future__ import annotations

import torch
from torch import nn


class Colorization(nn.Module):
    """CNN from L to a distribution over ab bins, soft-encoded targets and rebalanced cross-entropy."""

    def __init__(
        self,
        grid: int = 5,
        width: int = 16,
        sigma: float = 0.2,
        neighbours: int = 5,
        rebalance: float = 0.5,
        temperature: float = 0.38,
    ):
        super().__init__()
        axis = torch.linspace(-1, 1, grid)
        self.register_buffer("bins", torch.cartesian_prod(axis, axis))  # [Q, 2]
        self.network = nn.Sequential(
            nn.Conv2d(1, width, 3, padding=1), nn.ReLU(), nn.Conv2d(width, width, 3, padding=2, dilation=2), nn.ReLU(),
            nn.Conv2d(width, grid * grid, 1),
        )  # fmt: skip
        self.sigma, self.neighbours, self.rebalance, self.temperature = (
            sigma,
            neighbours,
            rebalance,
            temperature,
        )

    def soft_targets(self, ab: torch.Tensor) -> torch.Tensor:
        """Z: Gaussian weights on the nearest bins of each pixel's ab value, [B, Q, H, W]."""
        pixels = ab.permute(0, 2, 3, 1)  # [B, H, W, 2]
        d2 = (pixels[..., None, :] - self.bins).square().sum(dim=-1)  # [B, H, W, Q]
        nearest = d2.topk(min(self.neighbours, d2.shape[-1]), largest=False)
        weights = torch.exp(-nearest.values / (2 * self.sigma**2))
        z = torch.zeros_like(d2).scatter_(-1, nearest.indices, weights / weights.sum(dim=-1, keepdim=True))
        return z.permute(0, 3, 1, 2)

    def forward(self, lightness: torch.Tensor, ab: torch.Tensor) -> dict[str, torch.Tensor]:
        """lightness: [B, 1, H, W], ab: [B, 2, H, W] -> logits [B, Q, H, W], loss [], colours [B, 2, H, W]."""
        logits = self.network(lightness)
        z = self.soft_targets(ab)
        q = z.shape[1]
        # v ∝ ((1 − λ) p̃ + λ/Q)⁻¹, normalized so E_p̃[v] = 1; weight of a pixel = v of its most likely bin
        p = z.mean(dim=(0, 2, 3))
        v = 1 / ((1 - self.rebalance) * p + self.rebalance / q)
        v = v / (p * v).sum()
        weight = v[z.argmax(dim=1)]
        loss = -(weight * (z * logits.log_softmax(dim=1)).sum(dim=1)).mean()
        # annealed mean: softmax(log Ẑ / T), then the expected ab
        annealed = (logits.log_softmax(dim=1) / self.temperature).softmax(dim=1)
        colours = torch.einsum("bqhw,qc->bchw", annealed, self.bins)
        return {"logits": logits, "loss": loss, "colours": colours}
